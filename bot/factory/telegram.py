"""The Bot and the Dispatcher, built the same way for polling, webhook, sandbox, tests and benches."""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

from aiogram import Bot, Dispatcher, methods
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import DEFAULT_DESTINY, BaseEventIsolation, BaseStorage, DefaultKeyBuilder, StorageKey
from aiogram.fsm.storage.memory import MemoryStorage, SimpleEventIsolation
from aiogram.methods.base import Response
from aiogram_i18n.cores import FluentRuntimeCore

from bot.fsm_isolation import DialogStorage
from bot.handlers import build_routers
from bot.middlewares.caller import CallerMiddleware
from bot.middlewares.held_message import ReturnedMessage, SendHeldFirst
from bot.middlewares.metrics import install as install_metrics
from bot.middlewares.press_answer import ReturnedPressAnswer
from bot.middlewares.pressed import AnsweredPress, UnderTextOnly
from bot.middlewares.use_cases import install as install_use_cases
from bot.routing import LeanDispatcher
from bot.views.pages import PageLinks
from core.bootstrap import Container
from core.settings import Settings

# aiogram validates every answer as `Response[<what the method returns>]`; pydantic caches those
# generic classes weakly, so the garbage of a busy update collects them and the next call builds them
# again (a third of a policy card's time in the benchmark). Held here, they are built once.
_RESPONSE_TYPES = tuple(
    Response[method.__returning__]
    for method in (
        methods.SendMessage,
        methods.EditMessageText,
        methods.AnswerCallbackQuery,
        methods.EditMessageReplyMarkup,
        methods.DeleteMessage,
        methods.SendDocument,
        methods.SendVenue,
        methods.GetMe,
    )
)

# An abandoned dialog expires after a day (Redis renews the TTL on writes only).
FSM_TTL_SECONDS = 24 * 3600
TELEGRAM_TIMEOUT_SECONDS = 30


def create_bot(settings: Settings, session: AiohttpSession | None = None) -> Bot:
    session = session or AiohttpSession(timeout=TELEGRAM_TIMEOUT_SECONDS)
    session.api = TelegramAPIServer.from_base(settings.telegram_api_url.rstrip("/"))
    session.middleware(SendHeldFirst())  # a message held back for the webhook's answer goes before any other
    return Bot(settings.require_token(), session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML))


class _KeyBuilder(DefaultKeyBuilder):
    """The user's own dialog keeps its keys as they always were (`…:{bot}:{chat}:{user}:state`); another
    destiny (the staff desk's storage, `StorageKey(destiny="desk")`) gets its own part before it."""

    def build(self, key: StorageKey, part: Literal["data", "state", "lock"] | None = None) -> str:
        if key.destiny == DEFAULT_DESTINY:
            return super().build(key, part)
        base = super().build(replace(key, destiny=DEFAULT_DESTINY))
        return self.separator.join(p for p in (base, key.destiny, part) if p)


def create_fsm_storage(container: Container) -> tuple[BaseStorage, BaseEventIsolation]:
    """Memory for one process; Redis (shared by replicas, survives restarts) when REDIS_URL is set."""
    if container.redis is None:
        return MemoryStorage(), SimpleEventIsolation()
    storage = DialogStorage(
        redis=container.redis,
        key_builder=_KeyBuilder(prefix=container.settings.redis_key("fsm"), with_bot_id=True),
        state_ttl=FSM_TTL_SECONDS,
        data_ttl=FSM_TTL_SECONDS,
    )
    return storage, storage.create_isolation()


def create_dispatcher(container: Container, i18n: FluentRuntimeCore) -> Dispatcher:
    """`i18n`: the process's one Fluent core, which its outbox sender shares."""
    storage, events_isolation = create_fsm_storage(container)
    # What handlers may ask for by name: the settings and the clock (filters too), and every use case of
    # the container (the handlers only: bot/middlewares/use_cases.py).
    dp = LeanDispatcher(
        storage=storage,
        events_isolation=events_isolation,
        settings=container.settings,
        clock=container.clock,
        pages=PageLinks.of(container.settings),  # None unless the private views are Mini App pages
    )
    install_use_cases(dp, container.use_cases())
    if container.settings.metrics_token:  # GET /metrics is on: count and time the updates, outermost
        install_metrics(dp, container.metrics)
    # The viewer, their language, and a blocked user's one line a day instead of anything else.
    CallerMiddleware(container.viewers, i18n, container.desk).setup(dp)
    dp.message.middleware(ReturnedMessage())  # a message's last message, in the webhook's answer
    dp.callback_query.middleware(ReturnedPressAnswer())  # a press's answer, in the webhook's answer
    dp.callback_query.middleware(UnderTextOnly())  # inner: after the answer is set up, before any handler
    dp.callback_query.middleware(AnsweredPress())  # a screen that came out as it was: said in a popup
    dp.include_routers(*build_routers())
    return dp
