from aiogram.fsm.state import State, StatesGroup


class SupportForm(StatesGroup):
    text = State()  # the question
    reply = State()  # a reply to support's answer (the request in the data: reply_to)
