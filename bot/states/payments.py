from aiogram.fsm.state import State, StatesGroup


class ReceiptEmail(StatesGroup):
    address = State()  # Pay pressed by a payer with no phone or e-mail: the receipt's e-mail is asked
