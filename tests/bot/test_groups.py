"""Groups: the cabinet answers only in private chats. A registered user's commands and button presses in a
group where the bot is a member reach no one there; added to a group, the bot says one neutral line with
its link and leaves; the staff chat (STAFF_CHAT_ID) keeps it, silent."""

from __future__ import annotations

import pytest

from emulators.telegram import TgGroup, TgUser
from tests.bot.cabinet_fixtures import IVANOV, import_samples, register
from tests.bot.payment_fixtures import issue_samples, paying
from tests.harness import BotHarness

GROUP = TgGroup(-1001234567890, "Семья")
STAFF = TgGroup(-1009999999999, "Поддержка", is_forum=True)
COMMANDS = (
    "/start",
    "/menu",
    "/policies",
    "/clinics",
    "/invoices",
    "/pay",
    "/payments",
    "/requests",
    "/settings",
    "/language",
    "/help",
    "/cancel",
    "/delete_me",
    "/admin",
    "/find Иванов",
    "/invoices@dms_sandbox_bot",
    "/x@otherbot",
    "/unknown",
    "Иванов Иван",
    "123/14",
)


def sends_to(h: BotHarness, chat_id: int) -> list[str]:
    """Every Bot API call the bot made that names this chat (sends, edits, deletions, anything)."""
    return [method for method, args in h.emulator.calls if str(args.get("chat_id")) == str(chat_id)]


async def in_group(h: BotHarness, user: TgUser, text: str, group: TgGroup = GROUP) -> None:
    await h.feed(h.emulator.user_message(user, text, group=group), group.id)


@pytest.fixture
async def world(emulator, sms_gateway, smtp_sink, sqlite_url):
    async with paying(
        emulator, sms_gateway, smtp_sink, sqlite_url, yookassa_autopay=True, staff_chat_id=STAFF.id, admin_ids=[IVANOV]
    ) as w:
        await import_samples(w.harness.engine)
        await register(w.harness.engine, IVANOV, "123/14")
        await issue_samples(w.harness)
        yield w


async def test_added_to_a_group_the_bot_says_one_line_and_leaves(world) -> None:
    h = world.harness
    for group, language, words in ((GROUP, "ru", "только в личных"), (TgGroup(-42, "Team", "group"), "en", "private")):
        adder = TgUser(7001, "Анна", language_code=language)
        await h.feed(h.emulator.group_joined(group, adder), group.id)
        [line] = h.emulator.messages(group.id)
        assert words in line.text and "https://t.me/dms_sandbox_bot" in line.text
        assert line.reply_markup is None
        assert not h.emulator.is_member(group.id)
        assert sends_to(h, group.id) == ["sendMessage", "leaveChat"]


async def test_the_staff_chat_keeps_the_bot_and_hears_nothing(world) -> None:
    h = world.harness
    await h.feed(h.emulator.group_joined(STAFF, TgUser(IVANOV), status="administrator"), STAFF.id)
    await in_group(h, TgUser(IVANOV), "/invoices", STAFF)
    assert h.emulator.is_member(STAFF.id)
    assert sends_to(h, STAFF.id) == []


async def test_no_command_or_text_in_a_group_gets_an_answer(world) -> None:
    h = world.harness
    invite = await h.container.invites.for_policy("АМ012345678/13")  # Шмолина's, not yet registered
    member = TgUser(IVANOV, "Иван")
    h.emulator._group_chat(GROUP)  # the bot is in the group (added before this version left groups)
    for text in (*COMMANDS, f"/start {invite.token}"):
        await in_group(h, member, text)
    await in_group(h, TgUser(7002, "Гость", language_code="en"), f"/start {invite.token}")
    assert sends_to(h, GROUP.id) == []
    assert h.emulator.messages(GROUP.id) == []
    assert h.emulator.messages(IVANOV) == []  # nor was anything sent to the user instead
    # The invite was neither spent nor judged: its owner still registers with it in private.
    replies = await h.chat(7003).send(f"/start {invite.token}")
    assert not any("недействительна" in r.text or "invalid" in r.text for r in replies), [r.text for r in replies]


async def test_no_button_of_the_cabinet_works_in_a_group(world) -> None:
    h = world.harness
    chat = h.chat(IVANOV)
    # Collect the buttons of the cabinet, billing, payments and cards screens in the private chat
    # (a screen edits the one before it, so each is read as it is shown).
    seen: set[str] = set()

    def collect(replies: list) -> object:
        seen.update(b["callback_data"] for m in replies for b in m.buttons() if "callback_data" in b)
        return replies[-1]

    policies = collect(await chat.send("/policies"))
    card = collect(await chat.press("123/14", policies))
    collect(await chat.press("Карта для автосписаний", card))
    collect(await chat.press("Франшиза", collect(await chat.press("123/14", collect(await chat.send("/policies"))))))
    listing = collect(await chat.send("/invoices"))
    collect(await chat.press("☐ Выбрать", listing))
    collect(await chat.press("📄 2026/10/1", collect(await chat.send("/invoices"))))
    for command in ("/payments", "/settings", "/clinics", "/requests", "/menu"):
        collect(await chat.send(command))
    datas = sorted(seen)
    assert len(datas) >= 20, datas
    private_before = [(m.message_id, m.edits, m.deleted) for m in h.emulator.messages(IVANOV)]
    # An old bot message in the group (sent before the bot left groups), and every button pressed under it.
    h.emulator._group_chat(GROUP)
    old = await h.bot.send_message(GROUP.id, "old")
    calls_before = len(h.emulator.calls)
    answers_before = len(h.emulator.callback_answers)
    for data in datas:
        update = h.emulator.user_press(TgUser(IVANOV), old.message_id, data, forged=True, group=GROUP)
        await h.feed(update, GROUP.id)
    made = [method for method, _ in h.emulator.calls[calls_before:]]
    assert set(made) == {"answerCallbackQuery"} and len(made) == len(datas), made
    answers = h.emulator.callback_answers[answers_before:]
    assert all(not a.get("text") for a in answers), answers  # not even an alert naming a policy
    assert [m.text for m in h.emulator.messages(GROUP.id)] == ["old"]
    assert h.emulator.messages(GROUP.id)[0].edits == 0
    assert [(m.message_id, m.edits, m.deleted) for m in h.emulator.messages(IVANOV)] == private_before
