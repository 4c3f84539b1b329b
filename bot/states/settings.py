from aiogram.fsm.state import State, StatesGroup


class EmailChange(StatesGroup):
    address = State()
    code = State()
