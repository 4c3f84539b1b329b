"""Webhook mode: every update takes effect once, across Telegram's retries and across replicas.

Each replica is a `BotApp` made by `build_app`, serving its aiohttp app with the webhook mounted on a
loopback port, as `python -m bot run` does; the Telegram emulator is the Bot API, the SMS gateway and
the mailbox are emulators. Updates are posted the way Telegram posts them (JSON, the secret header), and
what took effect is read from the emulators: messages in the chat, SMS sent.

The replica tests need PostgreSQL and Redis (skipped without them, failures with REQUIRE_SERVICES=1);
the last ones run on the embedded default (SQLite, no Redis), where the claims live in the process.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import text

from bot.factory.app import BotApp, build_app
from bot.runners.http import serving
from bot.runners.webhook import mount_webhook
from bot.web.telegram_webhook import SECRET_HEADER, LocalUpdateClaims, TelegramWebhook
from core.db.engine import create_engine
from core.db.migrate import upgrade
from core.settings import Settings, load_settings
from emulators.sms import SmsGatewayEmulator
from emulators.smtp import SmtpSink
from emulators.telegram import SentMessage, TelegramEmulator, TgUser
from tests.bot.cabinet_fixtures import IVANOV, POLICIES, import_samples, register
from tests.bot.test_runners import bot_process, clean_env, free_port
from tests.harness import TODAY

TOKEN = "123456:TEST-token"
SECRET = "webhook-secret_1"
SHMOLINA = ("AM012345678/13", "Шмолина", "Елена", "Вениаминовна", "02.07.1979")
SHMOLINA_PHONE = "+79161000002"
ALIEV = ("T-1003", "Алиев", "Рашид", "Гасан-оглы", "11.11.1990")


@dataclass
class Replica:
    app: BotApp
    webhook: TelegramWebhook
    url: str


def bot_settings(
    emulator: TelegramEmulator,
    sms: SmsGatewayEmulator,
    smtp: SmtpSink,
    database_url: str,
    redis_url: str | None,
    **more: object,
) -> Settings:
    """A bot process's settings against the emulators, serving HTTP on a free loopback port (polling unless
    `more` names a webhook)."""
    return load_settings(
        bot_token=TOKEN,
        telegram_api_url=emulator.base_url,
        database_url=database_url,
        redis_url=redis_url,
        bot_today=TODAY,
        otp_secret="test-otp-secret",
        sms_gateway_url=sms.url,
        smtp_url=smtp.url,
        admin_ids=[],
        support_ids=[],
        http_host="127.0.0.1",
        http_port=0,
        **more,
    )


@asynccontextmanager
async def replica(
    emulator: TelegramEmulator,
    sms: SmsGatewayEmulator,
    smtp: SmtpSink,
    database_url: str,
    redis_url: str | None = None,
    **options: float,
) -> AsyncIterator[Replica]:
    settings = bot_settings(
        emulator, sms, smtp, database_url, redis_url, webhook_base_url="http://127.0.0.1", webhook_secret=SECRET
    )
    app = await build_app(settings)
    try:
        webhook = mount_webhook(app, **options)
        async with serving(app) as runner:
            port = runner.addresses[0][1]
            yield Replica(app, webhook, f"http://127.0.0.1:{port}{settings.webhook_path}")
    finally:
        await app.close()


@asynccontextmanager
async def replicas(count: int, *args: object, **options: float) -> AsyncIterator[list[Replica]]:
    async with AsyncExitStack() as stack:
        yield [await stack.enter_async_context(replica(*args, **options)) for _ in range(count)]


async def settle(replicas: Sequence[Replica]) -> None:
    """Until no replica has an update in flight."""
    while any(r.webhook.in_flight for r in replicas):
        await asyncio.gather(*(r.webhook.idle() for r in replicas))


async def post(
    http: aiohttp.ClientSession,
    to: Replica | str,
    update: dict,
    *,
    timeout: float = 10.0,
    secret: str = SECRET,
    emulator: TelegramEmulator | None = None,
) -> int:
    """As Telegram posts an update; with `emulator`, the Bot API call the answer may carry is made there, as
    Telegram makes it."""
    url = to if isinstance(to, str) else to.url
    async with http.post(
        url, json=update, headers={SECRET_HEADER: secret}, timeout=aiohttp.ClientTimeout(total=timeout)
    ) as response:
        status = response.status
        answer = await response.json() if response.content_type == "application/json" else {}
    if emulator is not None and answer:
        await emulator.perform(answer, int(TOKEN.split(":")[0]))
    return status


@dataclass
class WebhookChat:
    """A user whose updates go to the replicas in turn, as a load balancer spreads Telegram's posts."""

    emulator: TelegramEmulator
    user: TgUser
    replicas: list[Replica] | list[str]  # replicas in this process, or the URLs of bots in others
    http: aiohttp.ClientSession
    turn: int = 0
    replicas_used: list[int] = field(default_factory=list)

    def next_replica(self) -> Replica | str:
        index = self.turn % len(self.replicas)
        self.turn += 1
        self.replicas_used.append(index)
        return self.replicas[index]

    def _seen(self) -> set[tuple[int, int, bool]]:
        return {(m.message_id, m.edits, m.deleted) for m in self.emulator.messages(self.user.id)}

    async def feed(self, update: dict) -> list[SentMessage]:
        before = self._seen()
        assert await post(self.http, self.next_replica(), update, emulator=self.emulator) == 200
        if isinstance(self.replicas[0], Replica):
            await settle(self.replicas)
        else:  # another process: answered once handled (a quick step), or soon after
            for _ in range(100):
                if self._seen() != before:
                    break
                await asyncio.sleep(0.05)
        return [m for m in self.emulator.messages(self.user.id) if (m.message_id, m.edits, m.deleted) not in before]

    async def send(self, text_: str) -> list[SentMessage]:
        return await self.feed(self.emulator.user_message(self.user, text_))

    async def press(self, text_part: str) -> list[SentMessage]:
        for message in reversed(self.emulator.messages(self.user.id)):
            if message.deleted or not message.inline_markup:
                continue
            if any(text_part in b["text"] for b in message.buttons()):
                button = message.button(text_part)
                return await self.feed(self.emulator.user_press(self.user, message.message_id, button["callback_data"]))
        raise LookupError(f"no message in chat {self.user.id} has a button with {text_part!r}")


async def up_to_the_phone(chat: WebhookChat, person: Sequence[str] = SHMOLINA) -> None:
    """A registration by the policy number (Шмолина's by default), up to the question of the phone."""
    assert "персональных данных" in (await chat.send("/start"))[-1].text
    await chat.press("✅")
    await chat.press("✅")
    await chat.press("Да")
    await chat.press("номер полиса")
    *answers, birth = person
    for answer in answers:
        await chat.send(answer)
    assert "мобильного телефона" in (await chat.send(birth))[-1].text


def code_asked(messages: Sequence[SentMessage]) -> list[SentMessage]:
    return [m for m in messages if "отправили SMS" in m.text]


def incidents(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR and "incident" in r.getMessage()]


# --- two replicas on PostgreSQL and Redis


@pytest.mark.postgres
@pytest.mark.redis
async def test_registration_alternating_between_replicas_completes(
    emulator: TelegramEmulator,
    sms_gateway: SmsGatewayEmulator,
    smtp_sink: SmtpSink,
    postgres_url: str,
    redis_url: str,
) -> None:
    async with (
        replicas(2, emulator, sms_gateway, smtp_sink, postgres_url, redis_url) as both,
        aiohttp.ClientSession() as http,
    ):
        await import_samples(both[0].app.container.engine)
        chat = WebhookChat(emulator, TgUser(id=7001, first_name="Елена"), both, http)
        await up_to_the_phone(chat)
        assert code_asked(await chat.send("8 (916) 100-00-02"))
        replies = await chat.send(sms_gateway.last_code(SHMOLINA_PHONE))
        assert any("Готово" in m.text for m in replies), [m.text for m in replies]
        assert "Главное меню" in replies[-1].text
        assert set(chat.replicas_used) == {0, 1} and len(sms_gateway.texts(SHMOLINA_PHONE)) == 1


@pytest.mark.postgres
@pytest.mark.redis
async def test_the_same_update_on_both_replicas_and_twice_on_one_takes_effect_once(
    emulator: TelegramEmulator,
    sms_gateway: SmsGatewayEmulator,
    smtp_sink: SmtpSink,
    postgres_url: str,
    redis_url: str,
) -> None:
    user = TgUser(id=7002, first_name="Анна")
    async with (
        replicas(2, emulator, sms_gateway, smtp_sink, postgres_url, redis_url) as (a, b),
        aiohttp.ClientSession() as http,
    ):
        update = emulator.user_message(user, "/start")
        assert await post(http, a, update, secret="wrong") == 401  # the secret is still checked
        posts = (post(http, replica, update, emulator=emulator) for replica in (a, b, a))
        assert await asyncio.gather(*posts) == [
            200,
            200,
            200,
        ]
        await settle((a, b))
        assert await post(http, b, update, emulator=emulator) == 200  # a retry after it was handled
        await settle((a, b))
        # What one /start does: the greeting and the first consent, once.
        assert [m.text.splitlines()[0] for m in emulator.messages(user.id)] == [
            "Здравствуйте, Анна!",
            "Согласие на обработку персональных данных (1 из 3)",
        ]


@pytest.mark.postgres
@pytest.mark.redis
async def test_a_slow_update_resent_after_a_client_timeout_takes_effect_once(
    emulator: TelegramEmulator,
    sms_gateway: SmsGatewayEmulator,
    smtp_sink: SmtpSink,
    postgres_url: str,
    redis_url: str,
) -> None:
    async with (
        replicas(2, emulator, sms_gateway, smtp_sink, postgres_url, redis_url) as (a, b),
        aiohttp.ClientSession() as http,
    ):
        await import_samples(a.app.container.engine)
        chat = WebhookChat(emulator, TgUser(id=7003, first_name="Елена"), [a, b], http)
        await up_to_the_phone(chat)
        sms_gateway.delay = 3.0  # the slow SMS gateway of the probe
        phone = emulator.user_message(chat.user, "8 (916) 100-00-02")
        started = time.monotonic()
        with pytest.raises(TimeoutError):  # Telegram gives up waiting for the answer...
            await post(http, a, phone, timeout=0.3)
        for again in (b, a):  # ...and sends it again, to whichever replica
            began = time.monotonic()
            assert await post(http, again, phone, emulator=emulator) == 200
            assert time.monotonic() - began < 0.5  # at once: it is being handled
        assert time.monotonic() - started < 2.0  # all while the SMS was still on its way
        await settle((a, b))
        assert len(sms_gateway.texts(SHMOLINA_PHONE)) == 1
        assert len(code_asked(emulator.messages(chat.user.id))) == 1
        sms_gateway.delay = 0
        replies = await chat.send(sms_gateway.last_code(SHMOLINA_PHONE))  # the one code works
        assert "Главное меню" in replies[-1].text


@pytest.mark.postgres
@pytest.mark.redis
async def test_a_failing_update_is_logged_once_answered_once_and_not_retried(
    emulator: TelegramEmulator,
    sms_gateway: SmsGatewayEmulator,
    smtp_sink: SmtpSink,
    postgres_url: str,
    redis_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    user = TgUser(id=IVANOV, first_name="Иван")
    async with (
        replicas(2, emulator, sms_gateway, smtp_sink, postgres_url, redis_url) as (a, b),
        aiohttp.ClientSession() as http,
    ):
        engine = a.app.container.engine
        await import_samples(engine)
        await register(engine, IVANOV, POLICIES[IVANOV])
        async with engine.begin() as connection:  # /requests now fails inside its use case
            await connection.execute(text("DROP TABLE user_requests CASCADE"))
        poison = emulator.user_message(user, "/requests")
        with caplog.at_level(logging.ERROR):
            statuses = await asyncio.gather(post(http, a, poison), post(http, b, poison))
            await settle((a, b))
            statuses.append(await post(http, a, poison))  # Telegram has no reason to; if it did
            await settle((a, b))
        assert statuses == [200, 200, 200]  # 2xx: Telegram does not retry it
        [reply] = emulator.messages(user.id)
        incident = reply.text.split("Код обращения: ")[1].split()[0]
        [record] = incidents(caplog)
        assert incident in record.getMessage() and record.exc_info is not None


# --- the embedded default: one process, SQLite, no Redis


async def test_embedded_default_dedupes_in_the_process_and_rides_out_telegram_retries(
    emulator: TelegramEmulator,
    sms_gateway: SmsGatewayEmulator,
    smtp_sink: SmtpSink,
    sqlite_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO, logger="bot"):
        async with replica(emulator, sms_gateway, smtp_sink, sqlite_url) as one, aiohttp.ClientSession() as http:
            assert isinstance(one.webhook.claims, LocalUpdateClaims)
            assert "deduplicated in this process only" in caplog.text  # and it says so
            await import_samples(one.app.container.engine)
            chat = WebhookChat(emulator, TgUser(id=7004, first_name="Елена"), [one], http)
            await up_to_the_phone(chat)
            # Telegram itself: the emulator posts to the webhook, gives up after 0.3 s and sends it again.
            emulator.webhook_timeout, emulator.webhook_retry_delay = 0.3, 0.05
            await one.app.bot.set_webhook(one.url, secret_token=SECRET)
            sms_gateway.delay = 2.0
            phone = emulator.user_message(chat.user, "8 (916) 100-00-02")
            emulator.deliver(phone)
            for _ in range(100):
                if not emulator.pending_updates:
                    break
                await asyncio.sleep(0.05)
            assert not emulator.pending_updates  # confirmed by the second post...
            assert "Timeout" in (await one.app.bot.get_webhook_info()).last_error_message  # ...after the first
            assert one.webhook.in_flight == 1  # still sending the SMS
            assert await post(http, one, phone, emulator=emulator) == 200  # and once more, directly
            await settle([one])
            assert len(sms_gateway.texts(SHMOLINA_PHONE)) == 1
            assert len(code_asked(emulator.messages(chat.user.id))) == 1


async def test_an_update_failing_even_in_the_error_handler_is_logged_once_and_answered_200(
    emulator: TelegramEmulator,
    sms_gateway: SmsGatewayEmulator,
    smtp_sink: SmtpSink,
    sqlite_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    user = TgUser(id=7005, first_name="Анна")
    async with replica(emulator, sms_gateway, smtp_sink, sqlite_url) as one, aiohttp.ClientSession() as http:
        update = emulator.user_message(user, "/start")
        emulator.block(user.id)  # the answer fails, and so does the incident message
        with caplog.at_level(logging.ERROR):
            assert [await post(http, one, update) for _ in range(2)] == [200, 200]
            await settle([one])
        records = incidents(caplog)
        # Once: the error handler's incident, then the one that escaped it (its answer failed too), each
        # with an id of its own; the second post changed nothing.
        assert len(records) == 2 and "outside the error handler" in records[1].getMessage()
        assert len({record.getMessage().split()[1] for record in records}) == 2


async def test_stopping_finishes_the_updates_in_flight_within_the_bound(
    emulator: TelegramEmulator,
    sms_gateway: SmsGatewayEmulator,
    smtp_sink: SmtpSink,
    sqlite_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    users = TgUser(id=7006, first_name="Елена"), TgUser(id=7007, first_name="Елена")
    async with aiohttp.ClientSession() as http:
        async with replica(emulator, sms_gateway, smtp_sink, sqlite_url, answer_within=0.1) as one:
            await import_samples(one.app.container.engine)
            chat = WebhookChat(emulator, users[0], [one], http)
            await up_to_the_phone(chat)
            sms_gateway.delay = 1.0
            began = time.monotonic()
            assert await post(http, one, emulator.user_message(users[0], "8 (916) 100-00-02"), emulator=emulator) == 200
            assert time.monotonic() - began < 0.5 and one.webhook.in_flight == 1
        # Stopped: the update in flight was finished first, its SMS sent and its answer in the chat.
        assert len(sms_gateway.texts(SHMOLINA_PHONE)) == 1
        assert len(code_asked(emulator.messages(users[0].id))) == 1

        with caplog.at_level(logging.WARNING, logger="bot"):
            async with replica(
                emulator, sms_gateway, smtp_sink, sqlite_url, answer_within=0.1, drain_within=0.3
            ) as one:
                chat = WebhookChat(emulator, users[1], [one], http)
                await up_to_the_phone(chat, ALIEV)
                phone = emulator.user_message(users[1], "+7 916 100 00 03")
                sms_gateway.delay = 5.0
                assert await post(http, one, phone, emulator=emulator) == 200
                stopping = time.monotonic()
        assert time.monotonic() - stopping < 3.0  # the bound held
        assert f"update {phone['update_id']}" in caplog.text and "unfinished" in caplog.text


async def test_sigterm_finishes_the_update_in_flight_before_the_process_exits(
    emulator: TelegramEmulator,
    sms_gateway: SmsGatewayEmulator,
    tmp_path: Path,
) -> None:
    """`python -m bot run` in webhook mode, stopped as `docker stop` does, while an SMS is on its way."""
    database_url = f"sqlite+aiosqlite:///{tmp_path}/bot.sqlite3"
    await upgrade(database_url)
    engine = create_engine(database_url)
    try:
        await import_samples(engine)
    finally:
        await engine.dispose()
    port = free_port()
    env = clean_env(
        BOT_TOKEN=TOKEN,
        TELEGRAM_API_URL=emulator.base_url,
        HTTP_HOST="127.0.0.1",
        HTTP_PORT=str(port),
        DATABASE_URL=database_url,
        WEBHOOK_BASE_URL=f"http://127.0.0.1:{port}",
        WEBHOOK_SECRET=SECRET,
        SMS_GATEWAY_URL=sms_gateway.url,
        BOT_TODAY=TODAY.isoformat(),
    )
    async with bot_process(env, tmp_path, port) as process, aiohttp.ClientSession() as http:
        chat = WebhookChat(
            emulator, TgUser(id=7008, first_name="Елена"), [f"http://127.0.0.1:{port}/telegram/webhook"], http
        )
        await up_to_the_phone(chat)
        sms_gateway.delay = 2.0
        phone = emulator.user_message(chat.user, "8 (916) 100-00-02")
        assert await post(http, chat.replicas[0], phone, emulator=emulator) == 200
        assert sms_gateway.texts(SHMOLINA_PHONE) == []  # answered, the SMS still on its way
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 15) == 0
    assert len(sms_gateway.texts(SHMOLINA_PHONE)) == 1
    assert len(code_asked(emulator.messages(chat.user.id))) == 1


async def test_a_body_that_is_not_an_update_is_answered_400_and_nothing_runs(
    emulator: TelegramEmulator,
    sms_gateway: SmsGatewayEmulator,
    smtp_sink: SmtpSink,
    sqlite_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    user = TgUser(id=7008, first_name="Анна")
    deep = 50_000  # past any recursion limit of a JSON parser
    bodies = [
        b"not json",
        b"[]",
        b'{"update_id": "7"}',
        b'{"message": {}}',
        b'{"a":' * deep + b"1" + b"}" * deep,
        b"[" * deep + b"]" * deep,
        b'{"update_id": 1, "message": ' + b"[" * deep + b"]" * deep + b"}",
    ]
    async with replica(emulator, sms_gateway, smtp_sink, sqlite_url) as one, aiohttp.ClientSession() as http:
        with caplog.at_level(logging.WARNING):
            for body in bodies:
                async with http.post(
                    one.url, data=body, headers={SECRET_HEADER: SECRET, "Content-Type": "application/json"}
                ) as response:
                    assert response.status == 400, body[:20]
        assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
        assert one.webhook.in_flight == 0 and emulator.messages(user.id) == []
        assert await post(http, one, emulator.user_message(user, "/start")) == 200  # and it goes on
        await settle([one])
        assert "Здравствуйте, Анна!" in emulator.messages(user.id)[0].text


async def test_local_claims_expire_after_their_ttl() -> None:
    now = [0.0]
    claims = LocalUpdateClaims(ttl=10, clock=lambda: now[0])
    assert await claims.claim(1, 5) and not await claims.claim(1, 5)
    assert await claims.claim(2, 5)  # another bot's update 5
    now[0] = 9.9
    assert not await claims.claim(1, 5)
    now[0] = 10.0
    assert await claims.claim(1, 5)  # expired, claimed anew
    assert len(claims) == 1


async def test_a_returned_call_goes_back_in_the_webhook_answer_or_is_made_when_the_answer_could_not_wait(
    emulator: TelegramEmulator,
    sms_gateway: SmsGatewayEmulator,
    smtp_sink: SmtpSink,
    sqlite_url: str,
) -> None:
    """/menu returns its message: in time, it is the webhook's answer (Telegram performs it; the bot makes
    no call); past the wait, the bot makes the call itself once the handler ends. With no time to wait, the
    first /menu of a new replica reads its viewer from SQLite, which usually takes longer than the loop's
    turn the answer gives it; on a busy machine the read may come back within that turn, and the call is
    then the answer: either way the message is sent once."""
    user = TgUser(id=7005, first_name="Анна")
    bot_id = int(TOKEN.split(":")[0])
    async with aiohttp.ClientSession() as http:
        async with replica(emulator, sms_gateway, smtp_sink, sqlite_url) as quick:
            async with http.post(
                quick.url, json=emulator.user_message(user, "/menu"), headers={SECRET_HEADER: SECRET}
            ) as response:
                assert response.status == 200 and response.content_type == "application/json"
                answer = await response.json()
            assert answer["method"] == "sendMessage" and answer["chat_id"] == user.id
            assert answer["parse_mode"] == "HTML" and answer["reply_markup"]["inline_keyboard"]
            assert emulator.messages(user.id) == []  # the bot itself sent nothing
            await emulator.perform(answer, bot_id)
            (menu,) = emulator.messages(user.id)
            assert menu.text == answer["text"] and len(menu.buttons()) == len(
                [b for row in answer["reply_markup"]["inline_keyboard"] for b in row]
            )
        async with replica(emulator, sms_gateway, smtp_sink, sqlite_url, answer_within=0.0) as slow:
            async with http.post(
                slow.url, json=emulator.user_message(user, "/menu"), headers={SECRET_HEADER: SECRET}
            ) as response:
                assert response.status == 200
                late = await response.json()
            await settle([slow])
            if late:  # the read came back within the turn: the call is the answer, the bot made none
                assert late["method"] == "sendMessage" and len(emulator.messages(user.id)) == 1
                await emulator.perform(late, bot_id)
            assert len(emulator.messages(user.id)) == 2 and emulator.messages(user.id)[-1].text == menu.text


async def test_an_update_that_waits_on_nothing_is_answered_with_its_call_even_when_the_answer_cannot_wait(
    emulator: TelegramEmulator,
    sms_gateway: SmsGatewayEmulator,
    smtp_sink: SmtpSink,
    sqlite_url: str,
) -> None:
    """The handler runs its first step before the answer is decided: a /menu whose viewer is cached (no read,
    nothing awaited) is done by then and its call is the answer, even with no time to wait; the first /menu,
    which reads the viewer from SQLite, is usually not, and the bot makes that call itself."""
    user = TgUser(id=7006, first_name="Анна")
    async with (
        aiohttp.ClientSession() as http,
        replica(emulator, sms_gateway, smtp_sink, sqlite_url, answer_within=0.0) as one,
    ):
        answers = []
        for _ in range(2):
            async with http.post(
                one.url, json=emulator.user_message(user, "/menu"), headers={SECRET_HEADER: SECRET}
            ) as response:
                assert response.status == 200
                answers.append(await response.json())
            await settle([one])
    first, second = answers
    if first:  # a busy machine: the read came back within the loop's turn (see the test above)
        assert first["method"] == "sendMessage" and emulator.messages(user.id) == []
        assert second["method"] == "sendMessage" and second["text"] == first["text"]
    else:
        assert len(emulator.messages(user.id)) == 1  # made by the bot once the handler ended
        assert second["method"] == "sendMessage" and second["text"] == emulator.messages(user.id)[0].text


async def test_a_press_answer_goes_back_in_the_webhook_answer_after_what_its_handler_sent(
    emulator: TelegramEmulator,
    sms_gateway: SmsGatewayEmulator,
    smtp_sink: SmtpSink,
    sqlite_url: str,
) -> None:
    """A press's handler returns nothing: its answer (what stops the button's spinner) is the webhook's
    answer, made by Telegram after the screen the handler put up; the bot makes no call for it."""
    user = TgUser(id=7007, first_name="Анна")
    bot_id = int(TOKEN.split(":")[0])
    async with (
        aiohttp.ClientSession() as http,
        replica(emulator, sms_gateway, smtp_sink, sqlite_url) as one,
    ):
        async with http.post(
            one.url, json=emulator.user_message(user, "/menu"), headers={SECRET_HEADER: SECRET}
        ) as response:
            await emulator.perform(await response.json(), bot_id)
        (menu,) = emulator.messages(user.id)
        shown = [(m.message_id, m.edits) for m in emulator.messages(user.id)]
        press = emulator.user_press(user, menu.message_id, menu.buttons()[0]["callback_data"])
        async with http.post(one.url, json=press, headers={SECRET_HEADER: SECRET}) as response:
            assert response.status == 200
            answer = await response.json()
        await settle([one])
        assert answer == {"method": "answerCallbackQuery", "callback_query_id": press["callback_query"]["id"]}
        assert "answerCallbackQuery" not in [method for method, _ in emulator.calls]  # none made by the bot
        assert [(m.message_id, m.edits) for m in emulator.messages(user.id)] != shown  # the handler's screen
        await emulator.perform(answer, bot_id)
        assert emulator.callback_answers[-1]["callback_query_id"] == press["callback_query"]["id"]
