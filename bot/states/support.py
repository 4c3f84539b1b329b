from aiogram.fsm.state import State, StatesGroup


class SupportForm(StatesGroup):
    text = State()  # the question
