"""The privacy of refusals: a refused registration, in every way in, and a refused child, read exactly
like details that match nobody, and no code goes anywhere but to the registry's own phone.

Each registration case is typed by one user and a miss (details nobody has) by another, with the same
phone; what each then sees — the answer to the phone, to a wrong code and to "send the code again" — must
be the same, word for word and button for button. The exact reason is told only after the registry's own
phone has been proven (tests/bot/test_registration.py); the limits and key locks are in
tests/bot/test_registration_privacy.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import update

from core.db.models import Invite
from tests.bot.cabinet_fixtures import IVANOV, SHMOLINA, import_samples, register
from tests.bot.test_children import ALEXEY, ANNA, PETR, add_child, answer, audited
from tests.bot.test_registration import IVANOV_PHONE, by_email_instead, consent
from tests.harness import TODAY, BotHarness, Chat
from tests.roots import on

OTHER_PHONE = "+79160000099"  # nobody's in the registry
IVANOV_EMAIL = "ivanov@example.ru"


@dataclass(frozen=True)
class Person:
    policy: str
    personnel: str | None
    last: str
    first: str
    patronymic: str | None
    birth: str
    phone: str  # the registry's


IVANOV_ROW = Person("123/14", "T-1001", "Иванов", "Иван", "Иванович", "15.03.1985", IVANOV_PHONE)
KUZNETSOV = Person("АМ012345684/13", "T-1008", "Кузнецов", "Андрей", "Викторович", "20.02.1980", "+79161000008")
SMIRNOVA = Person("АМ012345687/13", "T-1011", "Смирнова", "Ольга", None, "18.08.2010", "+79161000011")
PETROV = Person("АМ012345685/13", "T-1009", "Петров", "Сергей", "Александрович", "01.01.1990", "+79161000009")
NOBODY = Person("999/99", "T-9999", "Никитин", "Никита", "Никитич", "01.01.1970", OTHER_PHONE)


def with_(person: Person, **changes: str) -> Person:
    return Person(**{**person.__dict__, **changes})


# Each refusal reason: the details typed and the phone given (before anything is proven). In this order:
# "already linked" and "key locked" change what the rows are for the cases after them.
CASES: dict[str, tuple[Person, str]] = {
    "wrong birth date": (with_(IVANOV_ROW, birth="16.03.1985"), IVANOV_PHONE),
    "wrong first name": (with_(IVANOV_ROW, first="Пётр"), IVANOV_PHONE),
    "wrong surname": (with_(IVANOV_ROW, last="Иваненко"), IVANOV_PHONE),
    "wrong patronymic": (with_(IVANOV_ROW, patronymic="Петрович"), IVANOV_PHONE),
    "phone not the registry's": (IVANOV_ROW, OTHER_PHONE),
    "policy expired": (KUZNETSOV, OTHER_PHONE),
    "under 18": (SMIRNOVA, OTHER_PHONE),
    "several match": (PETROV, OTHER_PHONE),  # two rows share the name and birth date
    "already linked": (IVANOV_ROW, OTHER_PHONE),  # the row is linked to another account first
    "key locked": (IVANOV_ROW, IVANOV_PHONE),  # the right details after five failures on them today
}
# The ways in; the last one answers the phone question with "Share my phone" (a Telegram-verified own
# contact, which on a match needs no code at all).
WAYS = ("policy number", "personnel number", "name and birth date", "policy number, own contact")


async def fill(chat: Chat, way: str, person: Person) -> None:
    await consent(chat)
    if way == "name and birth date":
        await chat.press("Номера полиса нет")
    else:
        await chat.press("номер полиса")
        await chat.send(person.personnel if way == "personnel number" else person.policy)
    await chat.send(person.last)
    await chat.send(person.first)
    if person.patronymic is None:
        await chat.press("Отчества нет")
    else:
        await chat.send(person.patronymic)
    await chat.send(person.birth)


async def seen_after_submission(chat: Chat, phone: str, *, shared: bool) -> list[tuple[str, list[str]]]:
    """What the user sees from the phone on: the answer to it, to a wrong code, to "send it again", to
    "prove by e-mail instead" with Иванов's e-mail (the registry's for his row), and to a wrong e-mail code."""
    replies = await (chat.share_contact(phone) if shared else chat.send(phone))
    replies += await chat.send("000000")
    replies += await chat.press("Отправить код ещё раз")
    replies += await by_email_instead(chat, IVANOV_EMAIL)
    replies += await chat.send("000000")
    return [(m.text, [b["text"] for b in m.buttons()]) for m in replies]


@pytest.fixture
async def h(moved_harness: BotHarness) -> BotHarness:
    """On a clock that stands still: "ask again in N seconds" reads the same for both users."""
    await moved_harness.load_samples()
    return moved_harness


@pytest.mark.parametrize("way", WAYS)
async def test_every_refused_registration_reads_like_a_miss(h: BotHarness, way: str) -> None:
    differ, mailed, mailed_before = [], {}, []
    for n, (reason, (person, phone)) in enumerate(CASES.items()):
        on(h.container, TODAY + timedelta(days=n))  # a day of its own: the daily caps of the phone start afresh
        if way == "personnel number" and person is PETROV:  # a number names one row: never several
            continue
        if reason == "already linked":
            await register(h.engine, 4999, IVANOV_ROW.policy)
        if reason == "key locked":
            for guess in range(5):  # five people guessing Иванов's patronymic
                chat = h.chat(3000 + guess)
                await fill(chat, way, with_(person, patronymic=f"Петрович{'а' * guess}"))
                await chat.send(OTHER_PHONE)
        refused, miss = h.chat(2100 + 2 * n), h.chat(2101 + 2 * n)
        await fill(refused, way, person)
        await fill(miss, way, NOBODY)
        shared = way.endswith("own contact")
        if await seen_after_submission(refused, phone, shared=shared) != await seen_after_submission(
            miss, phone, shared=shared
        ):
            differ.append(reason)
        mailed[reason] = {mail.to for mail in h.smtp.messages[len(mailed_before) :]}
        mailed_before = list(h.smtp.messages)
    assert differ == []
    assert h.sms.messages == []  # no code to any phone, the registry's included
    # A code by e-mail only for Иванов's exact details, and only to his own mailbox (the true owner).
    assert {reason: to for reason, to in mailed.items() if to} == {
        reason: {IVANOV_EMAIL} for reason in ("phone not the registry's", "already linked")
    }


async def test_a_used_expired_or_forged_invite_link_reads_the_same(h: BotHarness) -> None:
    used = await h.container.invites.for_policy("123/14")
    expired = await h.container.invites.for_policy("AM012345678/13")
    await register(h.engine, 4998, "123/14")
    async with h.engine.begin() as conn:
        await conn.execute(update(Invite).where(Invite.token == used.token).values(used_at=h.container.clock.now()))
        await conn.execute(
            update(Invite).where(Invite.token == expired.token).values(expires_at=h.container.clock.now())
        )
    answers = []
    for n, token in enumerate((used.token, expired.token, "A" * len(used.token))):
        chat = h.chat(2200 + n)
        answers.append([(m.text, str(m.buttons())) for m in await chat.send(f"/start {token}")])
    assert answers[0] == answers[1] == answers[2]
    assert any("недействительна" in text for text, _ in answers[0])


# --- adding a child: each refusal that would tell something about the child reads like an unknown number

ALIEV, SALTYKOV, SEMENOVA, MOROZOV = 5011, 5012, 5013, 5014
PARENTS = {
    IVANOV: "123/14",
    SHMOLINA: "AM012345678/13",
    ALIEV: "АМ012345679/13",
    SALTYKOV: "АМ012345680/13",
    SEMENOVA: "АМ012345681/13",
    MOROZOV: "АМ012345688/13",  # an employee on the other contract, К-2026/002
}
# Each reason: the parent who tries (each has a day's attempts of their own) and what they type. In this
# order: the last needs Алексей added by Иванов.
CHILD_CASES = {
    "wrong birth date": (SHMOLINA, (ALEXEY[0], ALEXEY[1], "04.03.2012")),
    "wrong patronymic": (ALIEV, (ALEXEY[0], "Иванов Алексей Петрович", ALEXEY[2])),
    "an adult": (SALTYKOV, ("АМ012345682/13", "Иванова Мария Сергеевна", "04.09.1987")),
    "another contract": (IVANOV, ANNA),
    "another holder's child": (SEMENOVA, PETR),
    "an employee's own policy": (MOROZOV, ("АМ012345687/13", "Смирнова Ольга", "18.08.2010")),
    "another parent's child": (SHMOLINA, ALEXEY),
}


async def test_every_refused_child_reads_like_an_unknown_number(harness: BotHarness) -> None:
    await import_samples(harness.engine)
    for telegram_id, policy in PARENTS.items():
        await register(harness.engine, telegram_id, policy)
    differ = []
    for reason, (parent, typed) in CHILD_CASES.items():
        if reason == "another parent's child":
            assert "добавлен" in (await add_child(harness.chat(IVANOV), *ALEXEY)).text
        chat = harness.chat(parent)
        unknown = answer(await add_child(chat, "АМ099999999/13", *typed[1:]))
        assert unknown[0].startswith("Не удалось добавить полис по этим данным"), unknown
        if answer(await add_child(chat, *typed)) != unknown:
            differ.append(reason)
    assert differ == []
    assert [reason for _, reason in await audited(harness)] == [
        *("not_found", "not_found", "not_found", "not_found", "not_found", "adult", "not_found", "other_contract"),
        *("not_found", "other_holder", "not_found", "not_relative", "added", "not_found", "taken"),
    ]  # the exact reasons, for staff
