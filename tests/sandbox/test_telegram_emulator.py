"""The Telegram emulator, exercised through a real aiogram Bot and Dispatcher."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramRetryAfter,
)
from aiogram.filters import CommandStart
from aiogram.types import (
    BotCommand,
    BufferedInputFile,
    CallbackQuery,
    InaccessibleMessage,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    Update,
    WebAppInfo,
)
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

from emulators.telegram import TelegramEmulator, TgUser

TOKEN = "123456:TEST-token_x"
ALICE = TgUser(id=1001, first_name="Алиса", username="alice")


@pytest.fixture
async def emu() -> AsyncIterator[TelegramEmulator]:
    emulator = TelegramEmulator()
    await emulator.start()
    emulator.webhook_retry_delay = 0.05
    yield emulator
    await emulator.stop()


@pytest.fixture(scope="module")
async def session() -> AsyncIterator[AiohttpSession]:
    """One HTTP session for the module: aiogram sleeps 0.25 s on every close."""
    session = AiohttpSession()
    yield session
    await session.close()


@pytest.fixture
def bot(emu: TelegramEmulator, session: AiohttpSession) -> Bot:
    session.api = TelegramAPIServer.from_base(emu.base_url)
    return Bot(TOKEN, session=session)


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text=t, callback_data=d)] for t, d in pairs])


def make_dispatcher() -> tuple[Dispatcher, list[str]]:
    """/start shows a menu; "yes" is answered and edits the menu; other text is echoed."""
    seen: list[str] = []
    router = Router()

    @router.message(CommandStart())
    async def start(message: Message) -> None:
        seen.append("start")
        await message.answer("<b>Меню</b>", parse_mode=ParseMode.HTML, reply_markup=keyboard(("Да", "yes")))

    @router.callback_query(F.data == "yes")
    async def yes(query: CallbackQuery) -> None:
        seen.append("yes")
        await query.answer("Принято")
        await query.message.edit_text("Вы выбрали: да")

    @router.message(F.document)
    async def document(message: Message, bot: Bot) -> None:
        content = await bot.download(message.document)
        await message.answer(f"got {message.document.file_name}: {content.read().decode()}")

    @router.message(F.text)
    async def echo(message: Message) -> None:
        seen.append(message.text)
        await message.answer(f"echo: {message.text}")

    dp = Dispatcher()
    dp.include_router(router)
    return dp, seen


async def test_get_me(bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.is_bot, me.username) == (123456, True, "dms_sandbox_bot")


async def test_bad_token_and_unknown_method_are_shaped_like_telegram(emu: TelegramEmulator) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{emu.base_url}/botnot-a-token/getMe") as response:
            assert response.status == 401
            assert await response.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
        async with http.post(f"{emu.base_url}/bot{TOKEN}/sendSticker") as response:
            assert response.status == 404
            assert (await response.json())["description"] == "Not Found: method not found"
        async with http.post(f"{emu.base_url}/bot{TOKEN}/getMe", json={}) as response:
            assert (await response.json())["result"]["id"] == 123456


async def test_polling_delivers_each_update_once(emu: TelegramEmulator, bot: Bot) -> None:
    dp, seen = make_dispatcher()
    first = emu.user_message(ALICE, "привет")
    emu.deliver(first)
    with pytest.raises(ValueError):
        emu.deliver(first)
    polling = asyncio.create_task(
        dp.start_polling(bot, handle_signals=False, close_bot_session=False, polling_timeout=1)
    )
    try:
        await emu.wait_for_messages(ALICE.id, 1)
        emu.deliver(emu.user_message(ALICE, "ещё"))
        await emu.wait_for_messages(ALICE.id, 2)
        await asyncio.sleep(0.1)  # a redelivery would show up here
    finally:
        await dp.stop_polling()
        await polling
    assert seen == ["привет", "ещё"]
    assert [m.text for m in emu.messages(ALICE.id)] == ["echo: привет", "echo: ещё"]
    assert emu.pending_updates == []  # both were confirmed by the next getUpdates offset


async def test_feed_raw_update_and_callback_press(emu: TelegramEmulator, bot: Bot) -> None:
    dp, seen = make_dispatcher()
    changes: list[tuple[int, str]] = []
    emu.on_change.append(lambda message, change: changes.append((message.message_id, change)))
    await dp.feed_raw_update(bot, emu.user_message(ALICE, "/start"))
    menu = emu.last(ALICE.id)
    assert (menu.text, menu.html) == ("Меню", "<b>Меню</b>")
    assert menu.button("Да") == {"text": "Да", "callback_data": "yes"}

    await dp.feed_raw_update(bot, emu.user_press(ALICE, menu.message_id, "yes"))
    assert seen == ["start", "yes"]
    assert emu.callback_answers[0]["text"] == "Принято"
    assert emu.callback_answers[0]["show_alert"] is False
    edited = emu.last(ALICE.id)
    assert (edited.message_id, edited.text, edited.edits) == (menu.message_id, "Вы выбрали: да", 1)
    assert edited.reply_markup is None  # an edit without reply_markup drops the keyboard, as in Telegram
    assert changes == [(menu.message_id, "new"), (menu.message_id, "edit")]
    assert [method for method, _ in emu.calls] == ["sendMessage", "answerCallbackQuery", "editMessageText"]

    with pytest.raises(LookupError):
        emu.user_press(ALICE, menu.message_id, "yes")  # the keyboard is gone now
    with pytest.raises(LookupError):
        emu.user_press(ALICE, 999, "yes")
    with pytest.raises(LookupError):
        menu.button("Нет")


async def test_callback_query_is_answered_once(emu: TelegramEmulator, bot: Bot) -> None:
    emu.user_message(ALICE, "hi")
    sent = await bot.send_message(ALICE.id, "menu", reply_markup=keyboard(("A", "a")))
    update = emu.user_press(ALICE, sent.message_id, "a")
    query_id = update["callback_query"]["id"]
    assert update["callback_query"]["message"]["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "a"
    assert await bot.answer_callback_query(query_id)
    with pytest.raises(TelegramBadRequest, match="query is too old and response timeout expired"):
        await bot.answer_callback_query(query_id)
    with pytest.raises(TelegramBadRequest, match="query ID is invalid"):
        await bot.answer_callback_query("12345")


async def test_refusals_are_kept_and_a_press_under_an_old_message_comes_inaccessible(
    emu: TelegramEmulator, bot: Bot
) -> None:
    emu.user_message(ALICE, "hi")
    with pytest.raises(TelegramBadRequest):
        await bot.send_message(ALICE.id, "<b>open", parse_mode=ParseMode.HTML)
    await bot.send_message(ALICE.id, "fine")
    [(method, args, description)] = emu.refused
    assert (method, args["text"]) == ("sendMessage", "<b>open")
    assert "Can't find end tag" in description

    update = emu.user_press(ALICE, 12345, "anything", inaccessible=True)
    message = Update.model_validate(update, context={"bot": bot}).callback_query.message
    assert isinstance(message, InaccessibleMessage) and message.message_id == 12345
    assert not emu.answered(update)
    await bot.answer_callback_query(update["callback_query"]["id"])
    assert emu.answered(update)


async def test_strictness(emu: TelegramEmulator, bot: Bot) -> None:
    with pytest.raises(TelegramBadRequest, match="Bad Request: chat not found"):
        await bot.send_message(ALICE.id, "before the user wrote")
    emu.user_message(ALICE, "/start")

    with pytest.raises(TelegramBadRequest, match="Bad Request: message is too long"):
        await bot.send_message(ALICE.id, "я" * 4097)
    await bot.send_message(ALICE.id, "я" * 4096)
    # 4096 visible characters are fine even when the markup makes the text longer
    await bot.send_message(ALICE.id, "<b>" + "я" * 4096 + "</b>", parse_mode=ParseMode.HTML)
    with pytest.raises(TelegramBadRequest, match="Bad Request: message text is empty"):
        await bot.send_message(ALICE.id, "  <b> </b> ", parse_mode=ParseMode.HTML)

    with pytest.raises(TelegramBadRequest, match="Bad Request: BUTTON_DATA_INVALID"):
        await bot.send_message(ALICE.id, "x", reply_markup=keyboard(("Долго", "д" * 32 + "x")))  # 65 bytes
    await bot.send_message(ALICE.id, "x", reply_markup=keyboard(("Ровно", "д" * 32)))  # 64 bytes
    with pytest.raises(TelegramBadRequest, match="Text buttons are unallowed in the inline keyboard"):
        await bot.send_message(
            ALICE.id, "x", reply_markup=InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="t")]])
        )
    with pytest.raises(TelegramBadRequest, match=r"inline keyboard button URL 'ftp://x\.ru' is invalid"):
        await bot.send_message(
            ALICE.id,
            "x",
            reply_markup=InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="t", url="ftp://x.ru")]]),
        )
    # A Mini App's page: https, or plain http on loopback only (the tests' and the sandbox's pages).
    for url, allowed in [
        ("https://cabinet.example.ru/webapp/invoices", True),
        ("http://127.0.0.1:8080/webapp/invoices", True),
        ("http://cabinet.example.ru/webapp/invoices", False),
    ]:
        markup = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="t", web_app=WebAppInfo(url=url))]])
        if allowed:
            await bot.send_message(ALICE.id, "x", reply_markup=markup)
        else:
            with pytest.raises(TelegramBadRequest, match=r"Web App URL .* is invalid: Only HTTPS links are allowed"):
                await bot.send_message(ALICE.id, "x", reply_markup=markup)

    for broken, reason in [
        ("<b>жирный", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", "Unmatched end tag"),
        ("<br>", 'Unsupported start tag "br" at byte offset 0'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("Tom & Jerry", 'Character "&" must be escaped'),
    ]:
        with pytest.raises(TelegramBadRequest, match="can't parse entities: ") as info:
            await bot.send_message(ALICE.id, broken, parse_mode=ParseMode.HTML)
        assert reason in info.value.message

    sent = await bot.send_message(
        ALICE.id, "<i>a</i> &amp; b", parse_mode=ParseMode.HTML, reply_markup=keyboard(("k", "k"))
    )
    assert sent.text == "a & b" and sent.entities[0].type == "italic"
    with pytest.raises(TelegramBadRequest, match="message is not modified: specified new message content"):
        await bot.edit_message_text(
            "<em>a</em> &amp; b",
            chat_id=ALICE.id,
            message_id=sent.message_id,
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard(("k", "k")),
        )
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_reply_markup(
            chat_id=ALICE.id, message_id=sent.message_id, reply_markup=keyboard(("k", "k"))
        )
    await bot.edit_message_reply_markup(chat_id=ALICE.id, message_id=sent.message_id)
    assert emu.last(ALICE.id).reply_markup is None
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("new", chat_id=ALICE.id, message_id=10_000)
    assert await bot.delete_message(ALICE.id, sent.message_id)
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await bot.delete_message(ALICE.id, sent.message_id)
    assert emu.messages(ALICE.id)[-1].deleted


async def test_reply_keyboard_and_commands(emu: TelegramEmulator, bot: Bot) -> None:
    emu.user_message(ALICE, "hi")
    markup = ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text="📱 Телефон", request_contact=True)]],
        resize_keyboard=True,
        one_time_keyboard=True,
    )
    sent = await bot.send_message(ALICE.id, "Поделитесь номером", reply_markup=markup)
    assert sent.reply_markup is None  # a Message carries inline keyboards only
    assert emu.last(ALICE.id).button("Телефон")["request_contact"] is True
    assert emu.reply_keyboard(ALICE.id)["resize_keyboard"] is True
    update = emu.user_contact(ALICE, "+79161234567")
    assert update["message"]["contact"] == {"phone_number": "+79161234567", "first_name": "Алиса", "user_id": ALICE.id}
    assert "user_id" not in emu.user_contact(ALICE, "+79160000000", contact_user_id=None)["message"]["contact"]

    await bot.set_my_commands([BotCommand(command="start", description="Начать")], language_code="ru")
    assert emu.commands == {('{"type":"default"}', "ru"): [{"command": "start", "description": "Начать"}]}
    assert [c.command for c in await bot.get_my_commands(language_code="ru")] == ["start"]
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand(command="Start", description="x")])
    await bot.delete_my_commands(language_code="ru")
    assert emu.commands == {}
    assert await bot.send_chat_action(ALICE.id, "typing")
    venue = await bot.send_venue(ALICE.id, 55.75, 37.61, "Клиника", "Москва, Тверская 1")
    assert venue.venue.title == "Клиника" and venue.location.latitude == 55.75
    assert emu.last(ALICE.id).venue == {
        "latitude": 55.75,
        "longitude": 37.61,
        "title": "Клиника",
        "address": "Москва, Тверская 1",
    }
    location = await bot.send_location(ALICE.id, 55.75, 37.61)
    assert location.location.longitude == 37.61 and emu.last(ALICE.id).kind == "location"
    assert await bot.delete_messages(ALICE.id, [venue.message_id, location.message_id, 10_000])
    assert [m.deleted for m in emu.messages(ALICE.id)[-2:]] == [True, True]


async def test_flood_limits_and_block(emu: TelegramEmulator, bot: Bot) -> None:
    emu.user_message(ALICE, "hi")
    emu.set_flood_limits(per_chat_per_second=1, global_per_second=None, burst=3)
    for n in range(3):
        await bot.send_message(ALICE.id, f"burst {n}")
    with pytest.raises(TelegramRetryAfter) as info:
        await bot.send_message(ALICE.id, "one too many")
    assert info.value.retry_after >= 1
    emu.clear_flood_limits()

    emu.block(ALICE.id)
    with pytest.raises(TelegramForbiddenError, match="Forbidden: bot was blocked by the user"):
        await bot.send_message(ALICE.id, "are you there?")
    with pytest.raises(RuntimeError):
        emu.user_message(ALICE, "I blocked you")
    emu.unblock(ALICE.id)
    await bot.send_message(ALICE.id, "welcome back")


async def test_document_round_trip(emu: TelegramEmulator, bot: Bot) -> None:
    dp, _ = make_dispatcher()
    emu.user_message(ALICE, "hi")
    sent = await bot.send_document(
        ALICE.id,
        BufferedInputFile(b"a,b\n1,2\n", filename="report.csv"),
        caption="<b>Отчёт</b>",
        parse_mode=ParseMode.HTML,
    )
    assert (sent.document.file_name, sent.document.mime_type, sent.caption) == ("report.csv", "text/csv", "Отчёт")
    assert emu.last(ALICE.id).document == ("report.csv", b"a,b\n1,2\n")
    again = await bot.send_document(ALICE.id, sent.document.file_id)
    assert again.document.file_unique_id == sent.document.file_unique_id
    assert (await bot.download(sent.document)).read() == b"a,b\n1,2\n"
    with pytest.raises(TelegramBadRequest, match="wrong file identifier"):
        await bot.send_document(ALICE.id, "no-such-file")
    with pytest.raises(TelegramBadRequest, match="message caption is too long"):
        await bot.send_document(ALICE.id, sent.document.file_id, caption="x" * 1025)

    await dp.feed_raw_update(bot, emu.user_document(ALICE, "list.csv", "ФИО;полис\n".encode()))
    assert emu.last(ALICE.id).text == "got list.csv: ФИО;полис"


async def test_webhook_delivery_with_secret_and_reply(emu: TelegramEmulator, bot: Bot) -> None:
    dp, seen = make_dispatcher()
    headers: list[str | None] = []
    failures = [1]  # the first delivery fails: the emulator must retry it

    @web.middleware
    async def spy(request: web.Request, handler):
        headers.append(request.headers.get("X-Telegram-Bot-Api-Secret-Token"))
        if failures:
            failures.pop()
            return web.Response(status=500)
        return await handler(request)

    app = web.Application(middlewares=[spy])
    # handle_in_background=False: the handler's returned method goes back in the webhook answer
    handler = SimpleRequestHandler(dp, bot, secret_token="s3cret_-X", handle_in_background=False)
    app.router.add_post("/hook", handler.handle)  # not .register(): that closes the shared session

    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    try:
        assert await bot.set_webhook(url, secret_token="s3cret_-X")
        assert emu.webhook["secret_token"] == "s3cret_-X"
        emu.deliver(emu.user_message(ALICE, "через вебхук"))
        await emu.wait_for_messages(ALICE.id, 1)
        assert emu.last(ALICE.id).text == "echo: через вебхук"
        assert headers == ["s3cret_-X", "s3cret_-X"]
        assert (await bot.get_webhook_info()).last_error_message.startswith("Wrong response from the webhook: 500")
        with pytest.raises(TelegramConflictError, match="can't use getUpdates method while webhook is active"):
            await bot.get_updates()
        assert await bot.delete_webhook()
        assert await bot.get_updates() == []
    finally:
        await runner.cleanup()
    assert seen == ["через вебхук"]


async def test_webhook_reply_in_http_answer(emu: TelegramEmulator, bot: Bot) -> None:
    router = Router()

    @router.message()
    async def answer_in_reply(message: Message):
        return message.answer("ответ в теле вебхука")

    dp = Dispatcher()
    dp.include_router(router)
    app = web.Application()
    app.router.add_post("/hook", SimpleRequestHandler(dp, bot, handle_in_background=False).handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        await bot.set_webhook(f"http://127.0.0.1:{runner.addresses[0][1]}/hook")
        emu.deliver(emu.user_message(ALICE, "hi"))
        messages = await emu.wait_for_messages(ALICE.id, 1)
        assert messages[0].text == "ответ в теле вебхука"
        assert emu.calls[-1][0] == "sendMessage"
    finally:
        await runner.cleanup()


async def test_set_webhook_validation(emu: TelegramEmulator, bot: Bot) -> None:
    with pytest.raises(TelegramBadRequest, match="secret token contains unallowed characters"):
        await bot.set_webhook("http://127.0.0.1:9/hook", secret_token="bad secret!")
    with pytest.raises(TelegramRetryAfter):  # telegram-bot-api allows one setWebhook a second
        await bot.set_webhook("http://127.0.0.1:9/hook")
    assert emu.webhook is None
    emu.set_webhook_interval = 0
    with pytest.raises(TelegramBadRequest, match="An HTTPS URL must be provided for webhook"):
        await bot.set_webhook("http://example.com/hook")
