from aiogram.fsm.state import State, StatesGroup


class ClinicSearch(StatesGroup):
    query = State()
