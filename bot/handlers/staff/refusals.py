"""What the desk answers a caller whose role the use case refused (a role revoked while this replica's
cache still had it): exactly what anyone else gets — the unknown-command answer, the stale-button alert."""

from aiogram.types import Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext

from bot.screens import refuse


async def refused_command(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("unknown-command"))


def refused_press(callback_answer: CallbackAnswer, i18n: I18nContext) -> None:
    refuse(callback_answer, i18n, "button-stale")
