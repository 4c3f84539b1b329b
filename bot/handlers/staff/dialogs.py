"""The port through which the desk resets a user's stuck dialog, and erasure (the desk's or /delete_me's)
drops it: their FSM state and data in the dispatcher's storage (memory, or Redis shared by the replicas),
under the key their own chat uses."""

from aiogram.fsm.storage.base import BaseStorage, StorageKey


class FsmDialogs:
    def __init__(self, storage: BaseStorage, bot_id: int) -> None:
        self.storage = storage
        self.bot_id = bot_id

    async def reset(self, telegram_id: int) -> None:
        key = StorageKey(bot_id=self.bot_id, chat_id=telegram_id, user_id=telegram_id)  # their private chat
        await self.storage.set_state(key, None)
        await self.storage.set_data(key, {})


def desk_key(bot_id: int, telegram_id: int) -> StorageKey:
    """The staff member's desk storage: apart from their own dialog's state, which the desk never touches."""
    return StorageKey(bot_id=bot_id, chat_id=telegram_id, user_id=telegram_id, destiny="desk")


async def desk_data(storage: BaseStorage, bot_id: int, telegram_id: int) -> dict:
    return await storage.get_data(desk_key(bot_id, telegram_id))


async def desk_update(storage: BaseStorage, bot_id: int, telegram_id: int, **values: object) -> None:
    """Merges `values` into the member's desk storage (None removes an entry): the /find text and an
    answer being written live side by side."""
    key = desk_key(bot_id, telegram_id)
    data = {**await storage.get_data(key), **values}
    await storage.set_data(key, {name: value for name, value in data.items() if value is not None})
