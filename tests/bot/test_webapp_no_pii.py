"""In the Mini App mode (`PRIVATE_VIEWS=webapp`) nothing sent to Telegram carries personal data: the chat
scenarios of registration, billing, payments, cards, the cabinet and the desk run through the real
dispatcher, the outbox sender and the Bot API emulator, then everything the emulator received (texts,
button labels, alerts, captions, files, topic names, edits) is searched for the samples' names, phones,
e-mails, birth dates, policy numbers, amounts, service names and what the scenario's users typed
(`tests/bot/pii_scan.py`). One scenario per test, so a failure names its part."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator
from datetime import date

import aiohttp
import pytest

from bot.callbacks.desk import RecordCb
from bot.callbacks.desk_money import InvoiceCardCb
from bot.desk_topics import DeskTopics
from bot.i18n import LOCALES_DIR
from bot.outbox_sender import OutboxSender
from bot.views.pages import PageLinks
from core.cabinet.requests import RequestKind
from core.desk.queue import ItemAction, ItemKind
from emulators.telegram import TgGroup, TgUser
from tests.bot.cabinet_fixtures import IVANOV, SHMOLINA, cabinet_chat, import_samples, person_id
from tests.bot.desk.test_webapp_desk_money import confirmation
from tests.bot.outbox_pass import deliver_pending
from tests.bot.payment_fixtures import Paying, issue_samples, paying
from tests.bot.pii_scan import forbidden, leaks
from tests.bot.test_autopay import EARLY_BILL, VISA, bind, issue
from tests.bot.test_registration import assert_done, by_email_instead, by_policy, enter_sms_code
from tests.bot.webapp_fixtures import ORIGIN, base, browser, csrf_of, invoice_id

SAMPLES = forbidden()
SUPPORT = 9002  # SUPPORT_IDS of the harness
ADMIN = 9001  # ADMIN_IDS
STAFF = TgGroup(-1009999999998, "Поддержка", is_forum=True)
STRANGER = 7101  # no account
WEBAPP = {"private_views": "webapp", "webapp_base_url": ORIGIN, "reminder_hours": "0-24"}


@pytest.fixture
async def world(emulator, sms_gateway, smtp_sink, sqlite_url) -> AsyncIterator[Paying]:
    """The bot in the Mini App mode taking payments and saving cards, the samples imported, no invoice yet."""
    async with paying(emulator, sms_gateway, smtp_sink, sqlite_url, yookassa_autopay=True, **WEBAPP) as world:
        await import_samples(world.harness.engine)
        yield world


async def deliver(world: Paying, *, group: bool = False) -> int:
    """The due notices sent as the worker sends them in this mode (to the staff group too, with `group`)."""
    h = world.harness
    pages = PageLinks.of(h.settings)
    topics = DeskTopics(h.bot, h.container.queue, h.i18n, h.container.clock, pages) if group else None
    pace = {"idle": 0.05, "per_chat": 0.0, "overall": 0.0, "per_group": 0.0}
    sender = OutboxSender(h.bot, h.container.outbox, h.i18n, group=topics, pages=pages, **pace)
    return await deliver_pending(sender)


def assert_clean(world: Paying, *typed: str, chat: int | None = None) -> None:
    found = leaks(world.harness.emulator, SAMPLES.plus(*typed), chat=chat)
    assert not found, "personal data sent to Telegram:\n" + "\n".join(found[:20])


def host(world: Paying) -> str:
    """The pages' server, for a link the page gives from its root (`/webapp/...`)."""
    return base(world).removesuffix("/webapp")


def page_buttons(world: Paying, chat_id: int) -> list[str]:
    """The addresses of the Open buttons in a chat."""
    return [
        button["web_app"]["url"]
        for message in world.harness.emulator.messages(chat_id)
        for button in message.buttons()
        if "web_app" in button
    ]


async def reply_on_page(client: aiohttp.ClientSession, url: str, text: str) -> None:
    """The person's reply to support typed on their item's page (`url`), with the form the page shows."""
    page = await (await client.get(url)).text()
    form = {"csrf": csrf_of(page), "after": re.search(r'name="after" value="(\d+)"', page).group(1), "text": text}
    assert (await client.post(f"{url}/reply", data=form, allow_redirects=False)).status == 303


async def told_in_topic(world: Paying, thread: int, kind: str, number: int) -> None:
    """The due notices delivered, the item's topic got one line that a message came: its number and link."""
    emulator = world.harness.emulator
    before = len(emulator.messages(STAFF.id))
    await deliver(world, group=True)
    line = [m for m in emulator.messages(STAFF.id)[before:] if m.thread_id == thread and "Новое сообщение" in m.text]
    assert len(line) == 1 and f"№ {number}" in line[0].text
    assert line[0].button("Открыть")["url"].endswith(f"?startapp={kind}-{number}")


# --- registration: each way in


async def test_registration_by_a_shared_phone_echoes_nothing(world) -> None:
    chat = world.harness.chat(IVANOV)
    typed = ("123/14", "Иванов", "Иван", "Иванович", "15.03.1985")
    await by_policy(chat, *typed)
    assert_done(await chat.share_contact("79161000001"))
    assert_clean(world, *typed)


async def test_registration_by_an_sms_code_lists_the_answers_on_a_page_only(world) -> None:
    chat = world.harness.chat(SHMOLINA)
    typed = ("AM012345678/13", "Шмолина", "Елена", "Вениаминовна", "02.07.1979", "+7 916 100-00-02")
    await by_policy(chat, *typed[:5])
    await chat.send(typed[5])
    review = (await chat.press("Проверьте, что вы ввели"))[-1]
    (opener,) = [button for button in review.buttons() if "web_app" in button]
    assert opener["web_app"]["url"] == f"{ORIGIN}/webapp/registration/check"
    assert "✏️" in " ".join(button["text"] for button in review.buttons())  # each answer still changes in the chat

    client, _ = await browser(world, SHMOLINA)
    async with client:
        page = await (await client.get(f"{base(world)}/registration/check")).text()
    assert "Шмолина" in page and "Вениаминовна" in page and "02.07.1979" in page and "+79161000002" in page
    client, _ = await browser(world, STRANGER)
    async with client:
        other = await (await client.get(f"{base(world)}/registration/check")).text()
    assert "Шмолина" not in other and "+7916" not in other

    waiting = (await chat.press("Вернуться к коду"))[-1]
    assert "указанный вами номер" in waiting.text
    assert_done(await chat.send(world.harness.sms.last_code("+79161000002")))
    client, _ = await browser(world, SHMOLINA)
    async with client:  # registered: nothing of the dialog is left to show
        done = await (await client.get(f"{base(world)}/registration/check")).text()
    assert "Шмолина" not in done
    assert_clean(world, *typed)


async def test_the_check_page_reads_the_dialog_where_replicas_keep_it(
    emulator, sms_gateway, smtp_sink, postgres_url, redis_url
) -> None:
    """On PostgreSQL with Redis (the FSM storage of production): the page finds the dialog the chat left."""
    overrides = {**WEBAPP, "redis_url": redis_url}
    async with paying(emulator, sms_gateway, smtp_sink, postgres_url, **overrides) as world:
        await import_samples(world.harness.engine)
        chat = world.harness.chat(SHMOLINA)
        await by_policy(chat, "AM012345678/13", "Шмолина", "Елена", "Вениаминовна", "02.07.1979")
        await chat.send("+7 916 100-00-02")
        await chat.press("Проверьте, что вы ввели")
        client, _ = await browser(world, SHMOLINA)
        async with client:
            page = await (await client.get(f"{base(world)}/registration/check")).text()
        assert "Шмолина" in page and "+79161000002" in page


async def test_registration_by_an_e_mail_code_echoes_nothing(world) -> None:
    chat = world.harness.chat(5003)
    typed = ("АМ012345681/13", "Семенова", "Алена", "Петровна", "30.05.1992", "+7 999 123-45-67", "Semenova@Example.RU")
    await by_policy(chat, *typed[:5])
    await chat.send(typed[5])
    await by_email_instead(chat, typed[6])
    await chat.send(world.harness.smtp.last_code("semenova@example.ru"))
    assert_done(await enter_sms_code(world.harness, chat, "+79991234567"))
    assert_clean(world, *typed)


# --- billing and payments: the notices


async def payer(world: Paying) -> None:
    """Иванов registered and his chat open (notices reach it), then the sample bills issued."""
    await (await cabinet_chat(world.harness, IVANOV)).send("/menu")
    await issue_samples(world.harness)


async def test_invoice_issued_reminders_and_restriction_notices_say_only_what_happened(world) -> None:
    await payer(world)
    await world.harness.container.billing.run_daily(date(2026, 11, 14))  # overdue: access restricted
    await world.harness.container.reminders.run()  # today, 21.11: overdue for three days and more
    assert await deliver(world) >= 3
    kinds = {kind for kind in ("invoice_issued", "invoice_reminder", "access_restricted") if await world.notices(kind)}
    assert kinds == {"invoice_issued", "invoice_reminder", "access_restricted"}
    opened = page_buttons(world, IVANOV)
    assert f"{ORIGIN}/webapp/invoices" in opened and any(url.startswith(f"{ORIGIN}/webapp/invoices/") for url in opened)
    assert_clean(world)


async def test_payment_notices_open_the_payment_page(world) -> None:
    await payer(world)
    client, _ = await browser(world, IVANOV)
    async with client:
        for number in ("2026/10/3", "2026/10/1"):
            url = f"{base(world)}/invoices/{await invoice_id(world, number)}"
            details = await (await client.get(url)).text()
            await client.post(f"{url}/pay", data={"csrf": csrf_of(details)})
    first, second = world.kassa.payments.values()
    await world.kassa.pay(first["id"])
    await world.kassa.decline(second["id"], "insufficient_funds")
    assert (await world.harness.container.payments.refund(ADMIN, 1, 10000)).refusal is None
    await world.kassa.flush()
    await deliver(world)
    for kind in ("payment_succeeded", "payment_canceled", "payment_refunded"):
        assert await world.notices(kind), kind
    assert {f"{ORIGIN}/webapp/payments/1", f"{ORIGIN}/webapp/payments/2"} <= set(page_buttons(world, IVANOV))
    assert_clean(world)


async def test_card_notices_open_the_cards_page(world) -> None:
    await payer(world)
    await bind(world, {**VISA, "last4": "2222", "expiry_month": "11", "expiry_year": "2026"})  # expires 30.11
    assert await world.harness.container.cards.expiry_notices() == 1
    method = await bind(world)
    world.kassa.decline_method(method, "insufficient_funds")
    await issue(world, EARLY_BILL, date(2026, 10, 5))
    assert (await world.harness.container.cards.charge_queued()).declined == 1
    await world.kassa.flush()
    await deliver(world)
    for kind in ("card_bound", "card_expiring", "autopay_failed"):
        assert await world.notices(kind), kind
    assert f"{ORIGIN}/webapp/cards" in page_buttons(world, IVANOV)
    assert_clean(world, "2222", "4444")


# --- the cabinet's screens (their pages come with the cabinet's and the money's Mini App work)


async def walk(world: Paying, command: str, *presses: str) -> None:
    """Иванов sends the command and presses each button named, where there is one."""
    chat = await cabinet_chat(world.harness, IVANOV)
    await issue_samples(world.harness)
    await chat.send(command)
    for label in presses:
        with contextlib.suppress(LookupError):  # the screen is an Open button now: nothing to press in the chat
            await chat.press(label)


async def test_the_policies_screens_show_no_data(world) -> None:
    await walk(world, "/policies", "123/14", "Памятка")
    assert_clean(world)


async def test_the_clinics_screens_show_no_data(world) -> None:
    await walk(world, "/clinics", "123/14")
    assert_clean(world)


async def test_the_franchise_screen_shows_no_data(world) -> None:
    await walk(world, "/policies", "123/14", "Франшиза")
    assert_clean(world)


async def test_the_services_screen_shows_no_data(world) -> None:
    await walk(world, "/policies", "123/14", "Оказанные услуги")
    assert_clean(world)


async def test_the_payments_screen_shows_no_data(world) -> None:
    await payer(world)
    viewer = await world.harness.container.viewers.get(IVANOV)
    await world.harness.container.payments.pay(viewer, [await invoice_id(world, "2026/10/3")])
    await world.kassa.pay(world.the_payment()["id"])
    await world.kassa.flush()
    chat = world.harness.chat(IVANOV)
    await chat.send("/payments")
    await chat.send("/pay")
    assert_clean(world)


async def test_the_requests_screen_shows_no_data(world) -> None:
    typed = "Перезвоните после обеда насчёт анализов"
    chat = await cabinet_chat(world.harness, IVANOV)
    viewer = await world.harness.container.viewers.get(IVANOV)
    await world.harness.container.requests.create(viewer, viewer.person_id, RequestKind.CURATOR, text=typed)
    await chat.send("/requests")
    with contextlib.suppress(LookupError):  # the list is a page: nothing to press in the chat
        await chat.press("№")
    assert_clean(world, typed)


async def test_an_open_dispute_shows_nothing_in_the_chat(world) -> None:
    typed = "Эту процедуру мне не делали"
    await payer(world)
    viewer = await world.harness.container.viewers.get(IVANOV)
    invoice = await invoice_id(world, "2026/10/1")
    assert (await world.harness.container.disputes.open(viewer, invoice, "B-0001", typed)).refusal is None
    await world.harness.chat(IVANOV).send("/invoices")
    assert_clean(world, typed)


@pytest.mark.parametrize("language", ["ru", "en"])
async def test_adding_a_child_shows_made_up_examples_and_echoes_nothing(world, language) -> None:
    """Every prompt and error reply of the child's form, in both languages: its examples are no sample
    person's, and what the parent typed (the sample son's data, and mistakes) is not repeated."""
    ru = language == "ru"
    chat = await cabinet_chat(world.harness, IVANOV, language_code=language)
    await chat.send("/policies")
    await chat.press("Добавить полис ребёнка" if ru else "Add a child's policy")
    mistakes = ("№", "Иванов2", "Иванович2", "31.02.2012")
    typed = ("АМ012345689/13", "Иванов", "Алексей", "Иванович", "03.03.2012")
    for answer in (mistakes[0], typed[0], mistakes[1], typed[1], typed[2], mistakes[2], typed[3], mistakes[3]):
        await chat.send(answer)
    done = (await chat.send(typed[4]))[-1]
    assert [button["web_app"]["url"] for button in done.buttons() if "web_app" in button] == [
        f"{ORIGIN}/webapp/policies"
    ]
    assert_clean(world, *typed, *mistakes)


@pytest.mark.parametrize("language", ["ru", "en"])
async def test_the_desk_commands_help_shows_made_up_examples(world, language) -> None:
    """/find's usage and its "nobody found", /audit's example: values no sample person has."""
    support, admin = (
        world.harness.chat(SUPPORT, language_code=language),
        world.harness.chat(ADMIN, language_code=language),
    )
    assert "/find" in (await support.send("/find"))[0].text
    assert "/find" in (await support.send("/find Неизвестнов"))[0].text
    assert "/audit" in (await admin.send("/audit !!!"))[0].text
    assert_clean(world, "Неизвестнов")


def test_no_locale_text_carries_a_sample_value() -> None:
    """The source of every message, both languages: an example taken from the samples would reach some chat."""
    found = [
        f"{path.relative_to(LOCALES_DIR)}:{number}: {hits}"
        for path in sorted(LOCALES_DIR.rglob("*.ftl"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if (hits := SAMPLES.found(line))
    ]
    assert not found, "\n".join(found)


# --- the desk: what reaches the person, and the staff's forum group


async def test_a_request_answered_by_support_reaches_the_person_as_an_open_button(world) -> None:
    asked, answer = "Прошу добавить клинику на Арбате", "Клиника добавлена в вашу программу"
    await (await cabinet_chat(world.harness, IVANOV)).send("/menu")
    viewer = await world.harness.container.viewers.get(IVANOV)
    queue = world.harness.container.queue
    record = await world.harness.container.requests.create(viewer, viewer.person_id, RequestKind.ADD_CLINIC, text=asked)
    await queue.act(SUPPORT, ItemKind.REQUEST, record.number, ItemAction.TAKE)
    assert (await queue.answer(SUPPORT, ItemKind.REQUEST, record.number, answer)).done
    await deliver(world)
    assert await world.notices("support_answered")
    assert f"{ORIGIN}/webapp/requests/{record.number}" in page_buttons(world, IVANOV)
    # The answer is on the request's page: its use case has it for the asker.
    assert (await world.harness.container.requests.details(viewer, record.number)).reply == answer
    # His reply, typed on the request's page (the chat has no Reply button in this mode): kept there, the
    # request back in the queue, nothing of it sent to Telegram.
    replied = "Клиника «Здоровье» на Арбате, 10"
    url = f"{base(world)}/requests/{record.number}"
    client, _ = await browser(world, IVANOV)
    async with client:
        await reply_on_page(client, url, replied)
        assert replied in await (await client.get(url)).text()
    assert (await world.harness.container.requests.details(viewer, record.number)).status == "new"
    await deliver(world)
    assert_clean(world, asked, answer, replied)


async def test_a_question_to_support_from_the_chat_shows_nothing_typed(world) -> None:
    asked = "Не приходит код на номер +7 916 100-00-02"
    stranger = world.harness.chat(STRANGER)
    await stranger.send("/help")
    await stranger.press("Написать в поддержку")
    await stranger.send(asked)
    assert_clean(world, asked)


async def test_a_question_asked_before_registering_is_answered_on_its_page(world) -> None:
    """Someone not registered (an account, no policy) asks support; the answer reaches them as an Open button
    and is on the question's page for their session only."""
    asked, answer = "Не приходит код на мой номер", "Попробуйте ещё раз через минуту"
    stranger = world.harness.chat(STRANGER)
    await stranger.send("/help")
    await stranger.press("Написать в поддержку")
    await stranger.send(asked)
    queue = world.harness.container.queue
    await queue.act(SUPPORT, ItemKind.QUESTION, 1, ItemAction.TAKE)
    assert (await queue.answer(SUPPORT, ItemKind.QUESTION, 1, answer)).done
    await deliver(world)
    assert page_buttons(world, STRANGER) == [f"{ORIGIN}/webapp/requests/1"]
    for who, sees in ((STRANGER, True), (SHMOLINA, False)):
        client, _ = await browser(world, who)
        async with client:
            page = await (await client.get(f"{base(world)}/requests/1")).text()
        assert (answer in page and asked in page) is sees
    assert_clean(world, asked, answer)


async def test_a_dispute_answered_reaches_the_person_as_an_open_button(world) -> None:
    reason, answer = "Эту процедуру мне не делали", "Клиника подтвердила приём"
    await payer(world)
    viewer = await world.harness.container.viewers.get(IVANOV)
    opened = await world.harness.container.disputes.open(viewer, await invoice_id(world, "2026/10/1"), "B-0001", reason)
    dispute_id = opened.dispute.dispute_id
    assert (await world.harness.container.disputes.answer(SUPPORT, dispute_id, False, answer)).refusal is None
    await deliver(world)
    assert await world.notices("dispute_answered")
    assert f"{ORIGIN}/webapp/disputes/{dispute_id}" in page_buttons(world, IVANOV)
    records = await world.harness.container.disputes.of_viewer(viewer)
    assert [record.answer for record in records] == [answer]  # on the dispute's page
    assert_clean(world, reason, answer)


async def test_the_desks_money_actions_on_pages_tell_the_chats_numbers_only(world) -> None:
    """An admin opens Иванов's invoices and payment from his record in the chat (Open buttons to their
    pages), then marks one invoice paid, cancels another and refunds the payment on those pages: the
    staff's chat and the payers' get numbers, notices and Open buttons, never an amount or what was typed."""
    reference, reason = "перевод в кассе клиники, чек 1742", "клиника выставила счёт дважды"
    await (await cabinet_chat(world.harness, SHMOLINA)).send("/menu")  # she pays 2026/10/4: told too
    await payer(world)
    container = world.harness.container
    await container.billing.run_daily(date(2026, 11, 14))
    await container.payments.pay(await container.viewers.get(IVANOV), [await invoice_id(world, "2026/10/3")])
    await world.kassa.pay(world.the_payment()["id"])
    admin = world.harness.chat(ADMIN)
    await admin.send("/find 123/14")
    await admin.press_forged(admin.last, RecordCb(person_id=await person_id(world.harness.engine, "123/14")).pack())
    own, cancelled = await invoice_id(world, "2026/10/1"), await invoice_id(world, "2026/10/4")
    opened = [button["web_app"]["url"] for button in admin.last.buttons() if "web_app" in button]
    assert {f"{ORIGIN}/webapp/desk/invoices/{own}", f"{ORIGIN}/webapp/desk/payments/1"} <= set(opened)
    await admin.press_forged(admin.last, InvoiceCardCb(invoice_id=own).pack())  # a card's button of the chat
    assert admin.last.button("Открыть")["web_app"]["url"] == f"{ORIGIN}/webapp/desk/invoices/{own}"
    client, _ = await browser(world, ADMIN)
    async with client:
        for card, action, form in (
            (f"desk/invoices/{own}", "paid", {"text": reference}),
            (f"desk/invoices/{cancelled}", "cancel", {"text": reason}),
            ("desk/payments/1", "refund", {"full": "1"}),
        ):
            csrf = csrf_of(await (await client.get(f"{base(world)}/{card}")).text())
            plan = await (await client.post(f"{base(world)}/{card}/{action}", data={"csrf": csrf, **form})).text()
            assert (await client.post(f"{base(world)}/{card}/{action}", data=confirmation(plan))).status == 200
    assert await world.statuses("2026/10/1", "2026/10/4", "2026/10/3") == ["paid", "cancelled", "refunded"]
    await deliver(world)
    for kind in ("invoice_marked_paid", "invoice_cancelled", "payment_refunded"):
        assert await world.notices(kind), kind
    assert_clean(world, reference, reason)


@pytest.fixture
async def forum(emulator, sms_gateway, smtp_sink, sqlite_url) -> AsyncIterator[Paying]:
    """The same with the staff's forum group (STAFF_CHAT_ID), the bot an admin there."""
    async with paying(emulator, sms_gateway, smtp_sink, sqlite_url, staff_chat_id=STAFF.id, **WEBAPP) as world:
        await import_samples(world.harness.engine)
        joined = emulator.group_joined(STAFF, TgUser(ADMIN), status="administrator", can_restrict_members=True)
        await world.harness.feed(joined, STAFF.id)
        yield world


async def ask_in_the_chat(world: Paying, text: str) -> int:
    """Someone not registered writes to support from /help; the topic's thread once the group has it."""
    chat = world.harness.chat(STRANGER)
    await chat.send("/help")
    await chat.press("Написать в поддержку")
    await chat.send(text)
    await deliver(world, group=True)
    (thread,) = world.harness.emulator.topics(STAFF.id)
    return thread


async def test_a_staff_answer_with_a_photo_from_the_topic_reaches_the_person_as_open_buttons(forum) -> None:
    asked, answer = "Где на карте номер полиса?", "Вот где номер"
    emulator = forum.harness.emulator
    thread = await ask_in_the_chat(forum, asked)
    photo = emulator.user_photo(TgUser(SUPPORT), b"staff-jpeg", caption=answer, group=STAFF, thread_id=thread)
    await forum.harness.feed(photo, STAFF.id)
    before = len(emulator.messages(STRANGER))
    await deliver(forum, group=True)
    told = emulator.messages(STRANGER)[before:]
    assert len(told) == 2 and all(message.kind == "text" for message in told)  # the photo is not copied
    assert all(button.get("web_app") for message in told for button in message.buttons())
    assert not [
        method for method, params in emulator.calls if method == "copyMessage" and params["chat_id"] == str(STRANGER)
    ]
    assert_clean(forum, asked, answer, chat=STRANGER)
    # The photo is kept with the answer: the person's page links it, the bot fetches it for their session only.
    client, _ = await browser(forum, STRANGER)
    async with client:
        page = await (await client.get(f"{base(forum)}/requests/1")).text()
        assert answer in page and "Скачать: Фото" in page
        link = re.search(r'href="(/webapp/requests/1/files/\d+\?key=[^"]+)"', page).group(1).replace("&amp;", "&")
        async with client.get(f"{host(forum)}{link}") as fetched:
            assert fetched.status == 200 and await fetched.read() == b"staff-jpeg"
            assert fetched.headers["Content-Type"] == "image/jpeg"
        fetches = [method for method, _ in emulator.calls if method == "getFile"]
        assert (await client.head(f"{host(forum)}{link}")).status == 405  # a HEAD fetches nothing from Telegram
        assert [method for method, _ in emulator.calls if method == "getFile"] == fetches
    path = link.split("?")[0]
    async with aiohttp.ClientSession() as anonymous:  # the link's key serves it without the cookie
        keyed, bare = await anonymous.get(f"{host(forum)}{link}"), await anonymous.get(f"{host(forum)}{path}")
        assert keyed.status == 200 and bare.status == 403
    other, _ = await browser(forum, SHMOLINA)
    async with other:
        refused = await other.get(f"{host(forum)}{path}")
        assert refused.status == 404  # another person's session: no such file
    # His reply, typed on the question's page (the chat has no Reply button in this mode): the topic is told
    # one came, with the question's number and its link; the words stay on the page.
    replied = "Номер нашёл, спасибо"
    client, _ = await browser(forum, STRANGER)
    async with client:
        await reply_on_page(client, f"{base(forum)}/requests/1", replied)
        await told_in_topic(forum, thread, "question", 1)
        assert replied in await (await client.get(f"{base(forum)}/requests/1")).text()
    assert_clean(forum, asked, answer, replied)


async def test_a_disputes_conversation_in_its_topic_is_kept_on_its_page(forum) -> None:
    """Support writes to a dispute's user from its topic (words and a document), the user replies on the
    dispute's page: nothing of it reaches Telegram from the bot; the page has all of it, the document fetched
    through the bot."""
    reason, written, replied = "Эту процедуру мне не делали", "Пришлите, пожалуйста, направление", "Направления не было"
    h, emulator = forum.harness, forum.harness.emulator
    await payer(forum)
    viewer = await h.container.viewers.get(IVANOV)
    opened = await h.container.disputes.open(viewer, await invoice_id(forum, "2026/10/1"), "B-0001", reason)
    number = opened.dispute.dispute_id
    await deliver(forum, group=True)
    (thread,) = emulator.topics(STAFF.id)
    sent = emulator.user_document(
        TgUser(SUPPORT), "акт Иванова.pdf", b"%PDF-act", "application/pdf", written, group=STAFF, thread_id=thread
    )
    await h.feed(sent, STAFF.id)
    await deliver(forum, group=True)
    told = emulator.messages(IVANOV)[-2:]  # support's line and the message's, each an Open button only
    assert [m.button("Открыть")["web_app"]["url"] for m in told] == [f"{ORIGIN}/webapp/disputes/{number}"] * 2
    # His reply, typed on the dispute's page (the chat has no Reply button in this mode): the topic is told
    # one came, with the dispute's number and its link; the words stay on the page.
    client, _ = await browser(forum, IVANOV)
    async with client:
        await reply_on_page(client, f"{base(forum)}/disputes/{number}", replied)
        await told_in_topic(forum, thread, "dispute", number)
        page = await (await client.get(f"{base(forum)}/disputes/{number}")).text()
        assert written in page and replied in page and "Скачать: Документ: акт Иванова.pdf" in page
        link = re.search(r'href="(/webapp/disputes/\d+/files/\d+\?key=[^"]+)"', page).group(1).replace("&amp;", "&")
        async with client.get(f"{host(forum)}{link}") as fetched:
            assert fetched.status == 200 and await fetched.read() == b"%PDF-act"
            assert fetched.headers["Content-Disposition"] == 'attachment; filename="document.pdf"'
        message = int(re.search(r"/files/(\d+)", link).group(1))
        for other in (message + 1, 999):  # his own reply (no file), and no such message
            refused = await client.get(f"{base(forum)}/disputes/{number}/files/{other}")
            assert refused.status == 404
        assert (await client.get(f"{base(forum)}/requests/{number}/files/{message}")).status == 404
    assert not [method for method, params in emulator.calls if method == "copyMessage"]
    assert_clean(forum, reason, written, replied, "акт Иванова")


async def test_an_answer_and_a_verdict_given_from_the_items_page_send_nothing_typed(forum) -> None:
    asked, answer, reason, comment = (
        "Где на карте номер полиса?",
        "На обороте карты, внизу",
        "Эту процедуру мне не делали",
        "Клиника подтвердила приём",
    )
    h = forum.harness
    await ask_in_the_chat(forum, asked)
    await payer(forum)
    viewer = await h.container.viewers.get(IVANOV)
    opened = await h.container.disputes.open(viewer, await invoice_id(forum, "2026/10/1"), "B-0001", reason)
    await deliver(forum, group=True)
    client, _ = await browser(forum, SUPPORT)
    async with client:
        for path, form in (
            ("question/1/answer", {"text": answer}),
            (f"dispute/{opened.dispute.dispute_id}/verdict", {"text": comment, "verdict": "reject"}),
        ):
            item = f"{base(forum)}/desk/queue/" + path.rsplit("/", 1)[0]
            page = await (await client.get(item)).text()
            await client.post(f"{item}/take", data={"csrf": csrf_of(page)})
            async with client.post(f"{base(forum)}/desk/queue/{path}", data={"csrf": csrf_of(page), **form}) as done:
                assert done.status == 200 and "✅" in await done.text()
    await deliver(forum, group=True)
    assert await forum.notices("support_answered") and await forum.notices("dispute_answered")
    assert_clean(forum, asked, answer, reason, comment)


async def test_the_staff_groups_topics_carry_numbers_only(forum) -> None:
    asked = "Не найден мой полис, проверьте пожалуйста"
    await ask_in_the_chat(forum, asked)
    assert_clean(forum, asked)


async def test_the_scanner_finds_a_sample_sent_to_the_chat(world) -> None:
    """A clean result means something: a name and an amount sent to a chat are found."""
    chat = world.harness.chat(STRANGER)
    await chat.send("/start")
    await world.harness.bot.send_message(STRANGER, "Иванов Иван, 2 600,00 ₽")
    found = leaks(world.harness.emulator, SAMPLES)
    assert any("'Иванов'" in leak for leak in found) and any("roubles" in leak for leak in found)
