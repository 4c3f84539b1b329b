from aiogram.fsm.state import State, StatesGroup


class AddChild(StatesGroup):
    policy_number = State()
    full_name = State()
    birth_date = State()
