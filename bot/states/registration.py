"""Registration: one state; where the dialog stands is `core.registration.Dialog`, kept in the FSM data."""

from aiogram.fsm.state import State, StatesGroup


class Registration(StatesGroup):
    active = State()  # data["dialog"]: Dialog.to_data()
