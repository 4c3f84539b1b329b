"""/audit end to end: every entry with who, what (in words) and when, newest first, paged by buttons,
filtered by a Telegram id or a policy number; a wrong filter told with an example; every action of the
catalogue has its words in both languages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.i18n import create_i18n_core
from bot.views.desk_audit import action_key
from core.audit import AuditAction
from tests.bot.cabinet_fixtures import IVANOV, POLICIES, SHMOLINA, import_samples, register
from tests.bot.desk.helpers import ADMIN
from tests.harness import BotHarness

NEW = 7201


@pytest.mark.parametrize("language", ["ru", "en"])
def test_every_action_has_words_in_both_languages(language: str) -> None:
    core = create_i18n_core()
    words = {action: core.get(action_key(action), language) for action in AuditAction}
    assert all(text and not text.startswith("audit-action-") for text in words.values())
    assert len(set(words.values())) == len(AuditAction)  # no two actions read alike


async def record(h: BotHarness, count: int, actor: int = ADMIN) -> None:
    """`count` entries a minute apart, the last one now: language choices, say."""
    now = h.container.clock.now()
    async with h.container.uow() as uow:
        for n in range(count):
            at = now - timedelta(minutes=count - n)
            uow.audit.record(
                at, AuditAction.LANGUAGE_SET, actor=actor, object_type="account", object_id=n, language="en"
            )
        await uow.commit()


async def test_the_log_newest_first_paged_by_buttons(harness: BotHarness) -> None:
    h = harness
    await record(h, 23)
    admin = h.chat(ADMIN)
    await admin.send(f"/roles grant {NEW} support")
    await admin.press("Выдать")
    first = (await admin.send("/audit"))[0]
    assert "Журнал действий" in first.text and "Все записи: 24, новые сверху." in first.text
    entries = first.text.split("\n\n")[1:-1]
    assert len(entries) == 8 and "выдана роль сотрудника" in entries[0]  # the newest
    assert f"кто: {ADMIN} · telegram_user {NEW} · role=support, previous=user" in entries[0]
    assert "выбран язык" in entries[1] and "account 22" in entries[1]
    assert "Страница 1 из 3" in first.text and [b["text"] for b in first.buttons()] == ["Дальше ›"]
    second = (await admin.press("Дальше ›"))[0]
    assert second.message_id == first.message_id and "Страница 2 из 3" in second.text  # edited in place
    assert "account 15" in second.text.split("\n\n")[1]
    third = (await admin.press("Дальше ›"))[0]
    assert "Страница 3 из 3" in third.text and "account 0" in third.text.split("\n\n")[-2]
    assert [b["text"] for b in third.buttons()] == ["‹ Назад"]


async def test_filtered_by_a_telegram_id_or_a_policy_number(harness: BotHarness) -> None:
    h = harness
    await import_samples(h.engine)
    person = await register(h.engine, IVANOV, POLICIES[IVANOV])
    await register(h.engine, SHMOLINA, POLICIES[SHMOLINA])
    for user in (IVANOV, SHMOLINA):  # each chooses a language: an entry by their own account
        await h.chat(user).send("/language")
        await h.chat(user).press("English")
    admin = h.chat(ADMIN)
    await admin.send(f"/roles grant {NEW} support")
    await admin.press("Выдать")
    by_staff = (await admin.send(f"/audit {ADMIN}"))[0].text
    assert f"Telegram id {ADMIN}" in by_staff and "— 1, новые сверху" in by_staff
    assert "выдана роль сотрудника" in by_staff and "выбран язык" not in by_staff
    granted = (await admin.send(f"/audit {NEW}"))[0].text  # what was done to them
    assert "— 1," in granted and f"telegram_user {NEW}" in granted
    ivanov = (await admin.send(f"/audit {IVANOV}"))[0].text
    assert "— 1," in ivanov and f"кто: {IVANOV}" in ivanov and str(SHMOLINA) not in ivanov
    by_policy = (await admin.send("/audit 123-14"))[0].text  # the policy in another form: the same person
    assert f"Застрахованный #{person}" in by_policy and f"кто: {IVANOV}" in by_policy and "— 1," in by_policy
    assert "Застрахованного с таким номером полиса нет" in (await admin.send("/audit АМ999/99"))[0].text
    wrong = (await admin.send("/audit 12$$"))[0].text
    assert "В номере полиса бывают только" in wrong and "Пример: /audit" in wrong
    nothing = (await admin.send("/audit 424242"))[0].text
    assert "— 0," in nothing and "Записей нет." in nothing


async def test_the_log_in_english(harness: BotHarness) -> None:
    h = harness
    admin = h.chat(ADMIN, language_code="en")
    await admin.send(f"/roles grant {NEW} admin")
    await admin.press("Grant")
    await admin.send(f"/roles revoke {NEW}")
    await admin.press("Revoke")
    text = (await admin.send("/audit"))[0].text
    assert "Audit log" in text and "All entries: 2, newest first." in text
    revoked, granted = text.split("\n\n")[1:3]
    assert "staff role revoked" in revoked and f"by: {ADMIN} · telegram_user {NEW}" in revoked
    assert "staff role granted" in granted and "role=admin" in granted
    await h.chat(7300, language_code="en").send("/help")
    async with h.container.uow() as uow:  # a job's entry: nobody acted
        uow.audit.record(datetime.now(UTC), AuditAction.BILLING_DAILY, object_type="day", object_id="2026-11-21")
        await uow.commit()
    assert "daily billing run\nby: system · day 2026-11-21" in (await admin.send("/audit"))[0].text


async def test_a_page_of_the_longest_entries_fits_one_message(harness: BotHarness) -> None:
    h = harness
    async with h.container.uow() as uow:
        for n in range(9):
            uow.audit.record(
                datetime.now(UTC),
                AuditAction.REGISTRATION_KEY_FAILED,
                actor=2**52 - 1,
                object_type="o" * 40,
                object_id="<&>" * 20,
                reason="r" * 60,
                key="&" * 300,
                other=n,
            )
        await uow.commit()
    text = (await h.chat(ADMIN).send("/audit"))[0].text  # the emulator refuses a text over 4096
    assert "Страница 1 из 2" in text and "<&><&>" in text and "…" in text
