"""The staff's forum group (STAFF_CHAT_ID): what the outbox sender does with the notices addressed to it.

An item's topic is named with its kind and number only (no personal data in a topic's name); its first
message is the item's text (`topic_screen`, built on `item_text`, the one place it is built) with the
queue's buttons, rewritten whenever the item changes (`DeskTopicChanged`: taken, released, answered,
closed, reopened). A topic is opened by the item's first notice to the group: a new item's
`DeskTopicOpen`, or, for an item filed before the group was set (or whose opening Telegram refused until
it was given up), the notice of the next change to it or of the user's next reply. Opening is done where
it is needed rather than by a catch-up sweep: only items someone works on get a topic, and setting the
group on a long queue does not spend the group's 20 messages a minute on topics nobody reads. The topic
and its first message are stored as each is made (`desk_topics`, one row per item), so a send retried
after Telegram failed reuses them and never opens a second topic. A member whose role was revoked
(`StaffRemovedFromGroup`) is banned and unbanned: out of the group (a failure is the sender's: retried,
then given up and logged, the revoke stands). In the Mini App mode (`pages`) the first message is the
item's kind, number and holder with a link to its page, and a user's reply is told there, not copied.
"""

from __future__ import annotations

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import InlineKeyboardButton
from aiogram_i18n import I18nContext
from aiogram_i18n.cores import FluentRuntimeCore

from bot.i18n import AccountLocaleManager
from bot.views.desk_queue import topic_name, topic_screen
from bot.views.kit import keyboard
from bot.views.pages import PageLinks
from core.calendar import Clock
from core.desk.queue import ItemKind
from core.language import DEFAULT_LANGUAGE
from core.notices import DeskTopicChanged, DeskTopicOpen, MessageCopied, Notice, StaffRemovedFromGroup
from core.services.queue import QueueService

GROUP_KINDS = frozenset({DeskTopicOpen.kind, DeskTopicChanged.kind, StaffRemovedFromGroup.kind, MessageCopied.kind})


class DeskTopics:
    def __init__(
        self, bot: Bot, queue: QueueService, core: FluentRuntimeCore, clock: Clock, pages: PageLinks | None = None
    ) -> None:
        self.bot = bot
        self.queue = queue
        self.core = core
        self.clock = clock
        self.pages = pages  # the Mini App mode: the group carries the items' kinds, numbers and links only

    async def _link(self, kind: ItemKind, item_id: int) -> str | None:
        """In the Mini App mode, the item's page as the group may link it: a `startapp` link, opened by
        Telegram as the bot's Main Mini App (its URL: `/webapp/desk/open`, which goes on to the item)."""
        if self.pages is None:
            return None
        return f"https://t.me/{(await self.bot.me()).username}?startapp={kind.value}-{item_id}"

    def i18n(self) -> I18nContext:
        return I18nContext(DEFAULT_LANGUAGE, self.core, AccountLocaleManager(), {})

    async def send(self, notice: Notice) -> None:
        """Sends a group notice; raises what the Bot API raised (the sender decides what follows)."""
        if isinstance(notice, DeskTopicOpen):
            await self._thread(notice.to, notice.item, notice.item_id)
        elif isinstance(notice, DeskTopicChanged):
            await self._rewrite(notice)
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
            thread = await self._thread(notice.to, notice.item, notice.item_id)
            if thread is None:
                return  # the item is gone: nowhere to copy into
            link = await self._link(notice.item, notice.item_id)
            if link is not None:  # the user's words stay on the item's page: the topic is told they came
                await self._tell_reply(notice.to, thread, notice.item, notice.item_id, link)
                return
        if notice.message_id is None:
            return  # typed on a page, which only the Mini App mode has: nothing to copy
        await self.bot.copy_message(notice.to, notice.from_chat, notice.message_id, message_thread_id=thread)

    async def _tell_reply(self, chat_id: int, thread: int, kind: ItemKind, item_id: int, link: str) -> None:
        i18n = self.i18n()
        await self.bot.send_message(
            chat_id,
            i18n.get("pages-desk-topic-reply", item=topic_name(i18n, kind, item_id)),
            message_thread_id=thread,
            reply_markup=keyboard([InlineKeyboardButton(text=i18n.get("pages-open-button"), url=link)]),
        )

    async def _thread(self, chat_id: int, kind: ItemKind, item_id: int) -> int | None:
        """The item's topic, opened and its first message posted when missing; None when the item is gone."""
        topic = await self.queue.topic(kind, item_id)
        if topic is not None and topic.message_id is not None:
            return topic.thread_id
        item = await self.queue.topic_item(kind, item_id)
        if item is None:
            return None
        i18n = self.i18n()
        if topic is None:
            created = await self.bot.create_forum_topic(chat_id, topic_name(i18n, kind, item_id))
            await self.queue.save_topic(kind, item_id, chat_id, created.message_thread_id)
            thread = created.message_thread_id
        else:
            thread = topic.thread_id
        text, markup = topic_screen(i18n, item, self.clock.now(), await self._link(kind, item_id))
        first = await self.bot.send_message(chat_id, text, message_thread_id=thread, reply_markup=markup)
        await self.queue.save_topic_message(kind, item_id, first.message_id)
        return thread

    async def _rewrite(self, notice: DeskTopicChanged) -> None:
        topic = await self.queue.topic(notice.item, notice.item_id)
        if topic is None or topic.message_id is None:
            await self._thread(notice.to, notice.item, notice.item_id)  # opened now, showing the item as it is
            return
        item = await self.queue.topic_item(notice.item, notice.item_id)
        if item is None:
            return
        link = await self._link(notice.item, notice.item_id)
        text, markup = topic_screen(self.i18n(), item, self.clock.now(), link)
        try:
            await self.bot.edit_message_text(
                text=text, chat_id=topic.chat_id, message_id=topic.message_id, reply_markup=markup
            )
        except TelegramBadRequest as error:
            if "not modified" not in error.message:  # two changes that cancel out: nothing to rewrite
                raise


__all__ = ["GROUP_KINDS", "DeskTopics"]
