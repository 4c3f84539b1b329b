"""What a registered user's everyday screens cost the database: `/menu` nothing at all (the viewer
comes from the per-process cache), a policy card under its list nothing either (the list's rows, kept
until the next commit), and after a commit one statement, one trip to SQLite's thread."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, update

from bot.callbacks.cabinet import PolicyCb
from core.db.models import Account
from tests.bot.cabinet_fixtures import IVANOV, cabinet_chat, import_samples, person_id
from tests.core.test_sqlite_driver import trips


@contextmanager
def statements(engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


async def test_menu_of_a_registered_user_reads_nothing(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV)
    await chat.send("/menu")  # the first update of the process loads the viewer
    with statements(harness.engine) as seen:
        for _ in range(3):
            menu = (await chat.send("/menu"))[0]
    assert menu.button("Мои полисы")
    assert seen == []


async def test_policy_card_reads_the_lists_rows_and_once_more_after_a_commit(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV)
    earlier = (await chat.send("/policies"))[0]
    listing = (await chat.send("/policies"))[0]
    own = await person_id(harness.engine, "123/14")
    assert PolicyCb(person_id=own).pack() in [b["callback_data"] for b in listing.buttons()]
    with statements(harness.engine) as seen:
        card = (await chat.press("123/14", listing))[0]
    assert "Иванов Иван Иванович" in card.text and "Франшиза" in card.text
    assert seen == []  # the list's row of that policy

    async with harness.engine.begin() as conn:  # any commit in this process: the kept rows go
        await conn.execute(update(Account).where(Account.telegram_id == -1).values(autopay=False))
    with statements(harness.engine) as seen, trips() as trips_made:
        again = (await chat.press("123/14", earlier))[0]
    assert again.text == card.text
    assert len(seen) == 1, seen
    if harness.engine.dialect.name == "sqlite":  # the statement is one trip, the read's end none
        assert len(trips_made) == 1, trips_made
    with statements(harness.engine) as seen:
        await chat.press("Мои полисы", again)
        await chat.press("123/14", again)
    assert len(seen) == 1, seen  # the list; the card again from its row


async def test_a_clinic_page_is_two_statements_after_the_choice_of_policy(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV)
    choice = (await chat.send("/clinics"))[0]
    with statements(harness.engine) as seen:
        page = (await chat.press("123/14", choice))[0]
    assert "Клиники" in page.text
    # the names of the program's clinics, the page's clinics; the ownership check reads the choice's rows
    assert len(seen) == 2, seen
