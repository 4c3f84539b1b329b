"""The staff's forum group (STAFF_CHAT_ID): what the outbox sender does with the notices addressed to it.

A new request, question or dispute (`DeskTopicOpen`) gets a topic named with its kind and number only (no
personal data in a topic's name), and the item's text (`item_text`, the one place it is built) with the
queue's buttons as its first message. The topic is stored once opened, so a send retried after Telegram
failed reuses it. A member whose role was revoked (`StaffRemovedFromGroup`) is banned and unbanned: out of
the group (a failure is the sender's: retried, then given up and logged, the revoke stands).
"""

from __future__ import annotations

from aiogram import Bot
from aiogram_i18n import I18nContext
from aiogram_i18n.cores import FluentRuntimeCore

from bot.i18n import AccountLocaleManager
from bot.views.desk_queue import topic_name, topic_screen
from core.calendar import Clock
from core.language import DEFAULT_LANGUAGE
from core.notices import DeskTopicOpen, MessageCopied, Notice, StaffRemovedFromGroup
from core.services.queue import QueueService

GROUP_KINDS = frozenset({DeskTopicOpen.kind, StaffRemovedFromGroup.kind, MessageCopied.kind})


class DeskTopics:
    def __init__(self, bot: Bot, queue: QueueService, core: FluentRuntimeCore, clock: Clock) -> None:
        self.bot = bot
        self.queue = queue
        self.core = core
        self.clock = clock

    def i18n(self) -> I18nContext:
        return I18nContext(DEFAULT_LANGUAGE, self.core, AccountLocaleManager(), {})

    async def send(self, notice: Notice) -> None:
        """Sends a group notice; raises what the Bot API raised (the sender decides what follows)."""
        if isinstance(notice, DeskTopicOpen):
            await self._open(notice)
        elif isinstance(notice, StaffRemovedFromGroup):  # banned, then unbanned: out, and may come back later
            await self.bot.ban_chat_member(notice.to, notice.user)
            await self.bot.unban_chat_member(notice.to, notice.user, only_if_banned=True)
        elif isinstance(notice, MessageCopied):
            await self._copy(notice)
        else:
            raise TypeError(f"not a notice to the staff group: {notice.kind}")

    async def _copy(self, notice: MessageCopied) -> None:
        thread = None
        if notice.item is not None and notice.item_id is not None:
            thread = await self.queue.topic(notice.item, notice.item_id)
            if thread is None:
                return  # the item has no topic (opened before the group was set): nothing to copy into
        await self.bot.copy_message(notice.to, notice.from_chat, notice.message_id, message_thread_id=thread)

    async def _open(self, notice: DeskTopicOpen) -> None:
        item = await self.queue.topic_item(notice.item, notice.item_id)
        if item is None:
            return  # gone meanwhile: nothing to open
        i18n = self.i18n()
        thread = await self.queue.topic(notice.item, notice.item_id)
        if thread is None:
            topic = await self.bot.create_forum_topic(notice.to, topic_name(i18n, notice.item, notice.item_id))
            thread = topic.message_thread_id
            await self.queue.save_topic(notice.item, notice.item_id, notice.to, thread)
        text, markup = topic_screen(i18n, item, self.clock.now())
        await self.bot.send_message(notice.to, text, message_thread_id=thread, reply_markup=markup)


__all__ = ["GROUP_KINDS", "DeskTopics"]
