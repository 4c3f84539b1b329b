"""Registration: one state per kind of input; which question is asked lives in the FSM data."""

from aiogram.fsm.state import State, StatesGroup


class Registration(StatesGroup):
    consent = State()  # data["consent"]: the consent being asked
    way = State()  # choosing: with a policy number or without
    answering = State()  # data["step"]: the question being asked (core.registration.Step)
    code = State()  # data["channels"][0]: the channel whose code is awaited
