"""Access as a table: every command, every callback prefix and every HTTP route, tried as each kind of
caller, against the one table of tests/bot/access_table.py, which SECURITY.md shows as it is.

The commands and prefixes are read from the real dispatcher's routers (their `Command` and
`CallbackData.filter()` filters), the routes from the real aiohttp application with the webhook mounted:
a handler or route the table does not name fails here. Each button is pressed with well-formed data no
button showed (tests/bot/access_walk.py); a policy id is the parent's child's. Before each try the
dialogs are forgotten and a blocked user's line of the day is due again, so every cell stands alone."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy import insert, update

from bot.factory.app import BotApp
from bot.factory.web import NOTIFICATIONS_PATH, create_web
from bot.runners.webhook import mount_webhook
from bot.web.telegram_webhook import SECRET_HEADER
from bot.web.webapp import PREFIX as WEBAPP_PREFIX
from bot.web.webapp.sessions import COOKIE, CSRF_FIELD
from core.actors import STAFF_COMMANDS, Role, can
from core.db.models import BlockedUser, ChildLink
from core.web_sessions import SessionKeys, WebSession
from emulators.telegram import TgGroup, TgUser
from emulators.telegram.webapp import sign_init_data
from tests.bot import access_table
from tests.bot.access_table import ACTORS, BUTTONS, CALLERS, COMMANDS, ROUTES
from tests.bot.access_walk import callback_classes, forged, registered_commands, registered_prefixes, web_routes
from tests.bot.cabinet_fixtures import (
    IVANOV,
    IVANOVA,
    POLICIES,
    SEMENOVA,
    SHMOLINA,
    import_samples,
    person_id,
    register,
)
from tests.bot.desk.helpers import ADMIN, SUPPORT
from tests.bot.payment_fixtures import FOREIGN, TRUSTED, paying
from tests.harness import BotHarness

SECURITY = Path(__file__).resolve().parents[2] / "SECURITY.md"
GROUP = TgGroup(-1001234567890, "Семья")
STAFF = TgGroup(-1009999999999, "Поддержка", is_forum=True)
STRANGER, ALEXEY = 7001, "АМ012345689/13"  # Иванов's son, added by him as his child
METRICS_TOKEN, WEBHOOK_SECRET = "metrics-token-for-tests", "webhook-secret_1"
NOON = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def sample_path(path: str) -> str:
    """A page's path with its parameters filled: an id is 1; a kind is a request's kind on the user's pages
    and a queue item's on the desk's; a file's format is csv; a desk's money action is marking paid."""
    kind = "question" if path.startswith(f"{WEBAPP_PREFIX}/desk/") else "curator"
    filled = {"{fmt}": "csv", "{kind}": kind, "{action}": "paid"}
    return re.sub(r"\{\w+\}", lambda name: filled.get(name.group(0), "1"), path)


# Each actor: the Telegram id, and the group it speaks in (None: its private chat with the bot).
WHO: dict[str, tuple[int, TgGroup | None]] = {
    "unregistered": (STRANGER, None),
    "registered": (SHMOLINA, None),
    "relative": (IVANOVA, None),
    "parent": (IVANOV, None),
    "support": (SUPPORT, None),
    "admin": (ADMIN, None),
    "blocked": (SEMENOVA, None),
    "group": (SHMOLINA, GROUP),
    "staff chat: support": (SUPPORT, STAFF),
    "staff chat: no role": (STRANGER, STAFF),
}
ROLES = {"support": Role.SUPPORT, "admin": Role.ADMIN}  # the private-chat actors' roles; the rest are users


def test_the_table_names_every_actor_and_security_md_shows_it() -> None:
    assert list(WHO) == list(ACTORS)
    text = SECURITY.read_text(encoding="utf-8")
    assert access_table.render() in text, "SECURITY.md's table differs: run `python -m tests.bot.access_table`"


def test_the_desk_commands_follow_the_roles_of_core() -> None:
    """Where the table and core/actors.py say the same thing, they agree: a desk command is served to a
    role exactly when core gives that role its capability, else it is the unknown-command answer; no desk
    button does anything for a user."""
    for command, capability in (*STAFF_COMMANDS, ("admin", None)):
        row = dict(zip(ACTORS, COMMANDS[f"/{command}"].split(), strict=True))
        for actor in ("unregistered", "registered", "relative", "parent", "support", "admin"):
            role = ROLES.get(actor, Role.USER)
            allowed = role is not Role.USER if capability is None else can(role, capability)
            assert row[actor] == ("served" if allowed else "unknown"), (command, actor)
    # The desk's buttons (bot/callbacks/desk*.py): to anyone without a staff role, an old button.
    for prefix, cls in callback_classes().items():
        if cls.__module__.startswith("bot.callbacks.desk"):
            row = dict(zip(ACTORS, BUTTONS[prefix].split(), strict=True))
            assert all(row[actor] == "stale" for actor in ("unregistered", "registered", "relative", "parent")), prefix


@pytest.fixture
async def world(emulator, sms_gateway, smtp_sink, sqlite_url):
    async with paying(
        emulator,
        sms_gateway,
        smtp_sink,
        sqlite_url,
        staff_chat_id=STAFF.id,
        metrics_token=METRICS_TOKEN,
        webhook_secret=WEBHOOK_SECRET,
        private_views="webapp",  # the Mini App's pages are routes too
        webapp_base_url="http://127.0.0.1",
    ) as w:
        h = w.harness
        await import_samples(h.engine)
        for telegram_id in (SHMOLINA, IVANOVA, IVANOV, SEMENOVA):
            await register(h.engine, telegram_id, POLICIES[telegram_id])
        parent, child = await person_id(h.engine, "123/14"), await person_id(h.engine, ALEXEY)
        async with h.engine.begin() as conn:
            await conn.execute(insert(ChildLink).values(child_person_id=child, parent_person_id=parent, added_at=NOON))
            await conn.execute(insert(BlockedUser).values(telegram_id=SEMENOVA, blocked_at=NOON, blocked_by=ADMIN))
        await h.feed(h.emulator.group_joined(STAFF, TgUser(SUPPORT), status="administrator"), STAFF.id)
        h.emulator._group_chat(GROUP)  # the bot is in a group it was added to before it left groups
        w.child = child
        yield w


def init_data_for(h: BotHarness, telegram_id: int) -> str:
    return sign_init_data(h.settings.require_token(), telegram_id, h.container.clock.now())


async def outcome(h: BotHarness, who: str, make) -> str:
    """One try as `who` (`make(user, group)` makes the update), reduced to the table's word."""
    telegram_id, group = WHO[who]
    h.dp.storage.storage.clear()  # every dialog forgotten (the in-memory FSM)
    if who == "blocked":  # the line of the day is due again
        async with h.engine.begin() as conn:
            await conn.execute(update(BlockedUser).values(noticed_on=None))
    answers = len(h.emulator.callback_answers)
    user = TgUser(telegram_id, "Анна", language_code="ru")
    replies = await h.feed(make(user, group), group.id if group else telegram_id)
    answer = h.emulator.callback_answers[answers:]
    popup = (answer[-1].get("text") or "") if answer else ""
    return judge(h, [m.text for m in replies], popup)


def judge(h: BotHarness, texts: list[str], popup: str) -> str:
    words = {h.i18n.get(key, "ru"): word for key, word in access_table.REFUSALS.items()}
    for text in (*texts, popup):
        if text in words:
            return words[text]
    return "served" if texts or popup else "silent"


async def test_every_command_and_button_as_every_actor(world) -> None:
    h = world.harness
    assert {c.lstrip("/") for c in COMMANDS} == registered_commands(h.dp), "a command is not in the table"
    assert set(BUTTONS) == registered_prefixes(h.dp) == set(callback_classes()), "a prefix is not in the table"
    under = {}  # each chat's bot message the presses are made under
    for telegram_id, group in WHO.values():
        chat_id = group.id if group else telegram_id
        if chat_id not in under:
            h.emulator.user_message(TgUser(telegram_id), "hi", group=group)  # the chat exists: the user wrote
            under[chat_id] = (await h.bot.send_message(chat_id, "old")).message_id

    def send(text: str):
        def update(user: TgUser, group: TgGroup | None) -> dict:
            return h.emulator.user_message(user, text, group=group)

        return update

    def press(data: str):
        def update(user: TgUser, group: TgGroup | None) -> dict:
            return h.emulator.user_press(user, under[group.id if group else user.id], data, forged=True, group=group)

        return update

    classes = callback_classes()
    tries = {command: send(command) for command in COMMANDS}
    tries |= {prefix: press(forged(classes[prefix], world.child)) for prefix in BUTTONS}
    seen = {row: [await outcome(h, who, update) for who in WHO] for row, update in tries.items()}
    expected = {**COMMANDS, **BUTTONS}
    differ = [f'    "{row}": "{" ".join(cells)}",' for row, cells in seen.items() if " ".join(cells) != expected[row]]
    assert not differ, "rows that differ from the table, as seen:\n" + "\n".join(differ)


async def test_every_route_as_every_caller(world) -> None:
    """The bot's aiohttp application with the webhook mounted, as `run` serves it in webhook mode."""
    h = world.harness
    app = BotApp(h.container, h.i18n, h.bot, None, create_web(h.container, h.i18n, h.dp.storage), h.dp)
    mount_webhook(app)
    assert web_routes(app.web) == set(ROUTES), "a route is missing from the table"
    runner = web.AppRunner(app.web, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    base = f"http://127.0.0.1:{runner.addresses[0][1]}"
    update_ = h.emulator.user_message(TgUser(STRANGER, "Анна", language_code="ru"), "/help")
    notification = {"type": "notification", "event": "payment.succeeded", "object": {"id": "nobody-1"}}
    tries = {
        "anyone": ({}, None),
        "wrong credential": (
            {"Authorization": "Bearer wrong", SECRET_HEADER: "wrong", "X-Forwarded-For": TRUSTED},
            FOREIGN,
        ),
        "right credential": ({"Authorization": f"Bearer {METRICS_TOKEN}", SECRET_HEADER: WEBHOOK_SECRET}, TRUSTED),
    }
    # The pages: no session; a forged cookie and forged initData; a session of a person with no account
    # (its form with that session's CSRF token). Ids in paths are 1: nobody's of this caller.
    signed = init_data_for(h, STRANGER)
    session = SessionKeys(h.settings.require_token()).issue(
        WebSession(STRANGER, None, "ru", h.container.clock.now() + timedelta(minutes=5))
    )
    pages = {
        "anyone": ({}, {}),
        "wrong credential": ({"Cookie": f"{COOKIE}=forged.{session[-8:]}"}, {"init_data": signed[:-4] + "0000"}),
        "right credential": (
            {"Cookie": f"{COOKIE}={session}"},
            {"init_data": signed, CSRF_FIELD: SessionKeys(h.settings.require_token()).csrf(session)},
        ),
    }
    seen = {}
    try:
        for route in ROUTES:
            method, path = route.split(" ", 1)
            cells = []
            for caller in CALLERS:
                headers, source = tries[caller]
                body = notification if path == NOTIFICATIONS_PATH else update_ if method == "POST" else None
                form = None
                if path.startswith(WEBAPP_PREFIX):
                    headers, form = pages[caller]
                    body, source = None, None
                    path = sample_path(path)
                    path += "/app.js" if path.endswith("/static") else ""
                connector = aiohttp.TCPConnector(local_addr=(source or "127.0.0.1", 0))
                async with (
                    aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=10)) as session_,
                    session_.request(
                        method, base + path, headers=headers, json=body, data=form if method == "POST" else None
                    ) as response,
                ):
                    cells.append(str(response.status))
            seen[route] = cells
    finally:
        await runner.cleanup()
    differ = [f'    "{row}": "{" ".join(cells)}",' for row, cells in seen.items() if " ".join(cells) != ROUTES[row]]
    assert not differ, "routes that differ from the table, as seen:\n" + "\n".join(differ)
