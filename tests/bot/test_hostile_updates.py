"""Hostile updates: generated texts, files, contacts, locations, odd update kinds, stale and forged presses
(every callback prefix the bot packs, others' ids, absurd numbers) through the real dispatcher in every
dialog state, from people, from staff and from groups. Each update must end without an incident, with every
call the bot made accepted by the emulated Telegram (which refuses what Telegram refuses), every press
answered, and nothing of another person's shown (tests/bot/hostile.py checks).

One seeded world per family; the dialog state is put back before each example (`Snapshots`), so an example
starts from a known step whatever the last one did. Deterministic (`derandomize`)."""

from __future__ import annotations

import os
from contextlib import asynccontextmanager

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from bot.desk_topics import DeskTopics
from bot.outbox_sender import OutboxSender
from core.db.models import Account, InsuredPerson, Invoice, Payment, UserRequest
from emulators.telegram import TgGroup, TgUser
from tests.bot.cabinet_fixtures import IVANOV, SHMOLINA, import_samples, register
from tests.bot.desk.helpers import ADMIN, SUPPORT
from tests.bot.hostile import TEXT, Fuzzer, Place, Snapshots, actions
from tests.bot.outbox_pass import deliver_pending
from tests.bot.payment_fixtures import issue_samples, paying

STRANGER, NEWCOMER = 7301, 7303  # not registered: two dialogs
MEMBER = 7302  # in the groups, no role
GROUP = TgGroup(-1001234500001, "Семья")
STAFF_GROUP = TgGroup(-1009999999999, "Поддержка", is_forum=True)
# Examples per family; with STEPS updates each, more than 10,000 updates in all (FUZZ_N sets all three,
# for a quick local run).
PEOPLE_EXAMPLES, STAFF_EXAMPLES, GROUP_EXAMPLES = (int(os.environ.get("FUZZ_N", n)) for n in (1550, 800, 700))
PG_EXAMPLES = int(os.environ.get("FUZZ_N", 100))  # beyond the 10,000: what PostgreSQL and Redis add
STEPS = 3  # updates per example (a press with no button to press is skipped)
# Updates each family must have fed (hypothesis runs a few more examples than asked): 10,000 in all; not
# checked on a quick local run (FUZZ_N).
FED_AT_LEAST = {"people": 5200, "staff": 2700, "groups": 2100}

# What only Шмолина's record, bills and invoices hold; Иванов's likewise, for strangers. Not the sample policy
# numbers, nor Иванов's name and birth date: the dialogs' examples show them to everyone.
SHMOLINA_OWN = ("Шмолина", "Вениаминовна", "02.07.1979", "shmolina@", "100-00-02", "1000002", "пломбой")
IVANOV_OWN = ("ivanov@", "100-00-01", "1000001", "Закапывание")

FUZZ = settings(
    deadline=None,
    derandomize=True,
    database=None,
    # Examples share one world whose database moves on, so a shrunk example would replay in another world:
    # no shrinking; a failure names the update, the user and the state.
    phases=(Phase.explicit, Phase.generate),
    # One world is seeded per test and the dialog state put back per example (a fresh database per example
    # would cost seconds); the strategies draw huge texts on purpose.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


async def invoice_numbers(h, policy: str) -> tuple[str, ...]:
    query = select(Invoice.number).join(InsuredPerson, InsuredPerson.id == Invoice.person_id)
    async with h.engine.connect() as conn:
        rows = await conn.scalars(query.where(InsuredPerson.policy_number == policy))
        return tuple(rows)


async def seeded_ids(h) -> tuple[int, ...]:
    """Ids a forged press may name: every person, invoice, payment and request of the world (others' too),
    the users' Telegram ids, the edges of a database integer."""
    async with h.engine.connect() as conn:
        found = set()
        for column in (InsuredPerson.id, Invoice.id, Payment.id, UserRequest.id):
            found |= set(await conn.scalars(select(column)))
    return (*sorted(found), 0, 1, IVANOV, SHMOLINA, ADMIN, SUPPORT, STRANGER, 2**31 - 1)


# ----------------------------------------------------------------------- people: unregistered, registering, registered


@asynccontextmanager
async def people_world(emulator, sms_gateway, smtp_sink, url: str, **overrides):
    """Иванов and Шмолина registered with their invoices; strangers at each step of registration."""
    async with paying(emulator, sms_gateway, smtp_sink, url, yookassa_autopay=True, **overrides) as world:
        h = world.harness
        await import_samples(h.engine)
        await register(h.engine, IVANOV, "123/14")
        await register(h.engine, SHMOLINA, "AM012345678/13")
        await issue_samples(h)
        shots = Snapshots(h)
        stranger = h.chat(STRANGER, first_name="Гость")
        await shots.save("new", STRANGER)
        await stranger.send("/start")
        await shots.save("consent: personal data", STRANGER)
        await stranger.press("✅")
        await shots.save("consent: rules", STRANGER)
        await stranger.press("✅")
        await shots.save("consent: notifications", STRANGER)
        await stranger.press("Да")
        await shots.save("way", STRANGER)
        await stranger.press("Номера полиса нет")
        await shots.save("personal: last name", STRANGER)
        stranger = h.chat(NEWCOMER, first_name="Гость")
        for press in ("/start", "✅", "✅", "Нет"):
            await (stranger.send(press) if press == "/start" else stranger.press(press))
        await stranger.press("номер полиса")
        for answer in ("АМ012345679/13", "Петров", "Пётр", "Петрович", "01.02.1990", "+7 916 555-44-33"):
            await shots.save("policy: a question", NEWCOMER)
            await stranger.send(answer)
        await shots.save("policy: code", NEWCOMER)

        ivanov = h.chat(IVANOV)
        await ivanov.send("/menu")
        await shots.save("registered: menu", IVANOV)
        await ivanov.send("/requests")
        await press_prefix(ivanov, "reqn:")
        await shots.save("registered: a request", IVANOV)
        await ivanov.send("/policies")
        await ivanov.press("Добавить полис ребёнка")
        await shots.save("registered: a child's policy", IVANOV)
        await ivanov.send("/settings")
        await ivanov.press("Сменить e-mail")
        await shots.save("registered: e-mail", IVANOV)
        await ivanov.send("/invoices")
        await shots.save("registered: invoices", IVANOV)
        shmolina = SHMOLINA_OWN + await invoice_numbers(h, "AM012345678/13")
        ivanov_own = IVANOV_OWN + await invoice_numbers(h, "123/14")
        fuzzer = Fuzzer(h, ids=await seeded_ids(h), watched=(SHMOLINA,))
        yield fuzzer, shots, {IVANOV: shmolina, STRANGER: shmolina + ivanov_own, NEWCOMER: shmolina + ivanov_own}


@pytest.fixture
async def people(emulator, sms_gateway, smtp_sink, sqlite_url):
    async with people_world(emulator, sms_gateway, smtp_sink, sqlite_url) as family:
        yield family
        assert "FUZZ_N" in os.environ or family[0].fed >= FED_AT_LEAST["people"], family[0]
        print(family[0])


@pytest.fixture
async def people_pg(emulator, sms_gateway, smtp_sink, postgres_url, redis_url):
    """The same on the production tier: PostgreSQL (its text refuses what SQLite keeps, a NUL), Redis's FSM."""
    async with people_world(emulator, sms_gateway, smtp_sink, postgres_url, redis_url=redis_url) as family:
        yield family
        print(family[0])


async def press_prefix(chat, prefix: str) -> None:
    """Press the first button of the chat's last message whose callback data starts with `prefix`."""
    message = chat.last
    data = next(b["callback_data"] for b in message.buttons() if b.get("callback_data", "").startswith(prefix))
    await chat.harness.feed(chat.emulator.user_press(chat.user, message.message_id, data), chat.user.id)


async def relinked(h, telegram_id: int, policy: str) -> None:
    """A forged but valid /delete_me (or an erasure) may unlink a seeded person: linked again, so the
    registered states keep being fuzzed."""
    async with h.engine.begin() as conn:
        linked = await conn.scalar(select(Account.insured_person_id).where(Account.telegram_id == telegram_id))
        if linked is not None:
            return
        await conn.execute(delete(Account).where(Account.telegram_id == telegram_id))
    await register(h.engine, telegram_id, policy)
    await h.container.viewers.forget([telegram_id])


NAMES = st.one_of(st.sampled_from(("Анна", "Ann")), TEXT.map(lambda text: text[:64]))


async def examples(
    fuzzer: Fuzzer, shots: Snapshots, data, places, secrets: dict[int, tuple[str, ...]], states: list[int] | None = None
) -> None:
    """One example: a saved dialog state (of `states`; any) put back, then STEPS updates from its user at the
    drawn places."""
    states = states or list(range(len(shots.saved)))
    label, user_id = await shots.restore(data.draw(st.sampled_from(states), label="state"))
    language = data.draw(st.sampled_from(("ru", "en", "de", "")), label="language")
    user = TgUser(user_id, data.draw(NAMES, label="first name"), language_code=language or None)
    for _ in range(STEPS):
        place = data.draw(places, label="place")
        action = data.draw(actions(fuzzer.ids), label=f"{label}: action")
        await fuzzer.feed(user, place, action, secrets=secrets.get(user_id, ()))


@given(data=st.data())
@settings(FUZZ, max_examples=PEOPLE_EXAMPLES)
async def test_people_in_every_dialog_state(people, data) -> None:
    await people_example(people, data)


@given(data=st.data())
@settings(FUZZ, max_examples=PG_EXAMPLES)
async def test_people_on_postgres_and_redis(people_pg, data) -> None:
    await people_example(people_pg, data)


async def people_example(family, data) -> None:
    fuzzer, shots, secrets = family
    await examples(fuzzer, shots, data, st.just(Place()), secrets)
    if fuzzer.deleting:
        fuzzer.deleting = False
        for telegram_id, policy in ((IVANOV, "123/14"), (SHMOLINA, "AM012345678/13")):
            await relinked(fuzzer.h, telegram_id, policy)


# ----------------------------------------------------------------------- staff, and groups


def topics_sender(h) -> OutboxSender:
    """The worker's sender with the staff group's topics, unpaced: a question's topic opened at once."""
    group = DeskTopics(h.bot, h.container.queue, h.i18n, h.container.clock)
    return OutboxSender(
        h.bot, h.container.outbox, h.i18n, group=group, idle=0.05, per_chat=0.0, overall=0.0, per_group=0.0
    )


@pytest.fixture
async def desk(request, emulator, sms_gateway, smtp_sink, sqlite_url):
    """Staff with desk dialogs pending; the staff's forum with a question's topic; a random group."""
    async with paying(emulator, sms_gateway, smtp_sink, sqlite_url, staff_chat_id=STAFF_GROUP.id) as world:
        h = world.harness
        await import_samples(h.engine)
        await register(h.engine, IVANOV, "123/14")
        await register(h.engine, SHMOLINA, "AM012345678/13")
        await issue_samples(h)
        joined = emulator.group_joined(STAFF_GROUP, TgUser(ADMIN), status="administrator", can_restrict_members=True)
        await h.feed(joined, STAFF_GROUP.id)
        await h.feed(emulator.user_message(TgUser(MEMBER), "привет", group=GROUP), GROUP.id)  # the bot is there
        stranger = h.chat(STRANGER)
        await stranger.send("/help")
        await stranger.press("Написать в поддержку")
        await stranger.send("Не могу найти свой полис")
        await deliver_pending(topics_sender(h))
        shots = Snapshots(h)
        admin, support = h.chat(ADMIN), h.chat(SUPPORT)
        for chat in (admin, support):
            await chat.send("/admin")
            await shots.save("staff: menu", chat.user.id)
        await support.press("№ 1", (await support.send("/queue"))[0])
        await support.press("Взять")
        await support.press("Ответить")
        await shots.save("support: an answer typed next", SUPPORT)
        await support.press("1. ", (await support.send("/find 123/14"))[0])
        await shots.save("support: a record", SUPPORT)
        await admin.send("/broadcast")
        await shots.save("admin: a broadcast's text typed next", ADMIN)
        await admin.send("/cancel")
        record = (await admin.press("1. ", (await admin.send("/find 123/14"))[0]))[0]
        money = (await admin.press("Счета и платежи", record))[0]
        await admin.press("Отметить оплаченным", (await admin.press("🧾", money))[0])
        await shots.save("admin: a money action's reason typed next", ADMIN)
        for member in (MEMBER, IVANOV):
            await shots.save("member", member)
        [thread] = emulator.topics(STAFF_GROUP.id)
        fuzzer = Fuzzer(h, ids=await seeded_ids(h), watched=(IVANOV, SHMOLINA, STRANGER), silent=(GROUP.id,))
        yield fuzzer, shots, thread
        family = "staff" if request.node.name.startswith("test_staff") else "groups"
        assert "FUZZ_N" in os.environ or fuzzer.fed >= FED_AT_LEAST[family], fuzzer
        print(fuzzer)


@given(data=st.data())
@settings(FUZZ, max_examples=STAFF_EXAMPLES)
async def test_staff_with_desk_dialogs_pending(desk, data) -> None:
    fuzzer, shots, _ = desk
    staff = [i for i, (_, user_id, _) in enumerate(shots.saved) if user_id in (ADMIN, SUPPORT)]
    await examples(fuzzer, shots, data, st.just(Place()), {}, states=staff)


@given(data=st.data())
@settings(FUZZ, max_examples=GROUP_EXAMPLES)
async def test_groups_from_members_and_staff(desk, data) -> None:
    fuzzer, shots, thread = desk
    places = st.sampled_from((Place(GROUP), Place(STAFF_GROUP), Place(STAFF_GROUP, thread)))
    await examples(fuzzer, shots, data, places, {})


async def test_the_checks_see_a_leak_and_a_write_to_someone_else(harness) -> None:
    """The fuzzer's checks are not vacuous: a text shown that the user did not type, or a message to a
    watched chat, fails them."""
    await import_samples(harness.engine)
    await register(harness.engine, IVANOV, "123/14")
    fuzzer, ivanov = Fuzzer(harness), TgUser(IVANOV)
    with pytest.raises(AssertionError, match="shown after"):
        await fuzzer.feed(ivanov, Place(), ("text", "/menu"), secrets=("Главное меню",))
    await fuzzer.feed(ivanov, Place(), ("text", "Главное меню"), secrets=("Главное меню",))  # typed: said back
    with pytest.raises(AssertionError, match="was written to"):
        await Fuzzer(harness, watched=(IVANOV,)).feed(ivanov, Place(), ("text", "/menu"))
