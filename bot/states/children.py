from aiogram.fsm.state import State, StatesGroup


class AddChild(StatesGroup):
    """One state per step of `core.cabinet.children.CHILD_STEPS`, named as the step."""

    policy = State()
    last_name = State()
    first_name = State()
    patronymic = State()
    birth_date = State()
