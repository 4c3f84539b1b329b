"""The record's registry values and consents in words, in the staff member's language, in the chat's record
and on its page alike (one view builds both): never the registry's "employee" nor a consent's key."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, select

from core.db.models import Account, Consent
from tests.bot.cabinet_fixtures import IVANOV, POLICIES, import_samples, person_id, register
from tests.bot.desk.helpers import ADMIN
from tests.bot.desk.test_record import open_record
from tests.bot.webapp_fixtures import base, browser, world  # noqa: F401 (a fixture)

WORDS = {
    "ru": ("Категория: сотрудник", "Обработка персональных данных (редакция 2026-11-01): дано"),
    "en": ("Category: employee", "Processing of personal data (version 2026-11-01): given"),
}
RAW = ("personal_data", "notifications v", "rules v")


async def consented(engine) -> None:
    async with engine.begin() as conn:
        account = await conn.scalar(select(Account.id).where(Account.telegram_id == IVANOV))
        at = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
        await conn.execute(
            insert(Consent),
            [
                {"account_id": account, "kind": kind, "version": "2026-11-01", "granted": True, "at": at}
                for kind in ("personal_data", "rules", "notifications")
            ],
        )


async def test_the_chats_record_says_the_category_and_consents_in_words(harness) -> None:
    await import_samples(harness.engine)
    await register(harness.engine, IVANOV, POLICIES[IVANOV])
    await consented(harness.engine)
    for language, words in WORDS.items():
        _, record = await open_record(harness, ADMIN, "123/14", language_code=language)
        assert all(w in record.text for w in words), record.text
        assert not any(raw in record.text for raw in RAW) and "Категория: employee" not in record.text


async def test_the_record_page_says_them_in_words(world) -> None:
    await register(world.harness.engine, IVANOV, POLICIES[IVANOV])
    await consented(world.harness.engine)
    await world.harness.chat(ADMIN).send("/admin")
    ivanov = await person_id(world.harness.engine, "123/14")
    for language, words in WORDS.items():
        client, _ = await browser(world, ADMIN, language_code=language)
        async with client:
            page = await (await client.get(f"{base(world)}/desk/people/{ivanov}")).text()
        assert all(w in page for w in words), page
        assert not any(raw in page for raw in RAW)
