from aiogram.fsm.state import State, StatesGroup


class DisputeForm(StatesGroup):
    reason = State()  # why the chosen line is disputed (the invoice and line are in the FSM data)
