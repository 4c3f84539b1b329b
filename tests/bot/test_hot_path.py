"""What a registered user's everyday screens cost the database: `/menu` nothing at all (the viewer
comes from the per-process cache), a policy card at most two statements, one trip to SQLite's thread."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from bot.callbacks.cabinet import PolicyCb
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


async def test_policy_card_is_at_most_two_statements(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV)
    listing = (await chat.send("/policies"))[0]
    own = await person_id(harness.engine, "123/14")
    assert PolicyCb(person_id=own).pack() in [b["callback_data"] for b in listing.buttons()]
    with statements(harness.engine) as seen, trips() as trips_made:
        card = (await chat.press("123/14", listing))[0]
    assert "Иванов Иван Иванович" in card.text and "Франшиза" in card.text
    assert 1 <= len(seen) <= 2, seen
    if harness.engine.dialect.name == "sqlite":  # each statement is one trip, the read's end none
        assert len(trips_made) == len(seen), trips_made


async def test_a_clinic_page_is_three_statements_with_the_ownership_check(harness) -> None:
    await import_samples(harness.engine)
    chat = await cabinet_chat(harness, IVANOV)
    choice = (await chat.send("/clinics"))[0]
    with statements(harness.engine) as seen:
        page = (await chat.press("123/14", choice))[0]
    assert "Клиники" in page.text
    # the caller's policy (the ownership check), the names of the program's clinics, the page's clinics
    assert len(seen) == 3, seen
