from aiogram.fsm.state import State, StatesGroup


class ClinicSearch(StatesGroup):
    query = State()


class ClinicsNear(StatesGroup):
    location = State()  # waiting for "Share my location"; the FSM keeps the policy, never the place
