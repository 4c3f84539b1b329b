from aiogram.fsm.state import State, StatesGroup


class RequestForm(StatesGroup):
    text = State()  # the request itself; for a callback request, the preferred time
