"""/import end to end through the emulator: a file sent by an admin with its kind in the caption (or after
/import KIND) is imported in the background with the upload limits; its summary replaces the progress
message, the rejected rows come as a report document when they do not fit; a bad caption is told with an
example, a file over 20 MB points to the command line, a second import of a kind already running is
refused naming who started it, an import cut off by a restart is told; support cannot import."""

from __future__ import annotations

import asyncio
import html
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, func, select, text

from bot.handlers.staff.imports import RUNNING, stop_imports, tell_interrupted
from core.db.models import ImportRun, InsuredPerson, Invoice, OutboxMessage
from core.services.importing import import_file
from emulators import SAMPLE_DATA
from tests.bot.cabinet_fixtures import IVANOV, POLICIES, register
from tests.bot.desk.helpers import ADMIN, SUPPORT, UNKNOWN_RU, audit_rows
from tests.core.test_import_service import registry
from tests.files.hostile import inline_row, sheet_of, workbook
from tests.files.test_hostile_files import bomb_in_sheet
from tests.harness import TODAY, BotHarness

REGISTRY = (SAMPLE_DATA / "registry.csv").read_bytes()


async def done() -> None:
    """Waits for the imports under way (the handler returned before they ended)."""
    while RUNNING:
        await asyncio.gather(*list(RUNNING))


async def reference(h: BotHarness) -> None:
    for kind in ("programs", "clinics"):
        await import_file(h.engine, kind, SAMPLE_DATA / f"{kind}.csv", today=TODAY)


async def count(h: BotHarness, model: type) -> int:
    async with h.engine.connect() as conn:
        return (await conn.execute(select(func.count()).select_from(model))).scalar_one()


async def test_a_registry_by_caption_is_imported_and_summed_up(harness: BotHarness) -> None:
    h = harness
    await reference(h)
    admin = h.chat(ADMIN)
    started = await admin.upload("registry.csv", REGISTRY, caption="registry")
    assert len(started) == 1 and "Загружаю registry из registry.csv" in started[0].text
    await done()
    shown = admin.last
    assert shown.message_id == started[0].message_id  # the progress message, edited
    assert "Загружено: registry" in shown.text and "новых 16, обновлено 0, без изменений 0, отклонено 0" in shown.text
    assert await count(h, InsuredPerson) == 16
    runs = await audit_rows(h, "import.started", "import.finished")
    assert [row[0] for row in runs] == ["import.started", "import.finished"]
    assert runs[1][1] == ADMIN and runs[1][4]["kind"] == "registry" and runs[1][4]["imported"] == 16
    assert "Иванов" not in str(runs)  # counts, never the content
    again = await admin.upload("registry.csv", REGISTRY, caption="registry --full")  # the lock was released
    await done()
    assert "без изменений 16" in admin.last.text and again


async def test_after_import_command_the_next_document_is_the_file_in_english(harness: BotHarness) -> None:
    h = harness
    await reference(h)
    admin = h.chat(ADMIN, language_code="en")
    asked = await admin.send("/import registry")
    assert "Send the CSV or XLSX file now" in asked[0].text
    await admin.upload("registry.csv", REGISTRY)
    await done()
    assert "imported 16, updated 0, unchanged 0, rejected 0" in admin.last.text


async def test_bills_with_issued_on_issue_invoices_and_notices(harness: BotHarness) -> None:
    h = harness
    await h.load_samples()
    await register(h.engine, IVANOV, POLICIES[IVANOV])
    admin = h.chat(ADMIN)
    await admin.upload("bills.csv", (SAMPLE_DATA / "bills.csv").read_bytes(), caption="bills --issued-on 2026-10-01")
    await done()
    assert "выставлено счетов: 5" in admin.last.text
    assert await count(h, Invoice) == 5
    async with h.engine.connect() as conn:  # the notice of Иванов's invoice, to his chat
        chats = (await conn.execute(select(OutboxMessage.telegram_id))).scalars().all()
    assert IVANOV in chats


async def test_rejected_rows_beyond_a_message_come_as_a_report_document(harness: BotHarness) -> None:
    h = harness
    await reference(h)
    admin = h.chat(ADMIN)
    header, *rows = REGISTRY.decode().splitlines()
    bad = [
        f"BAD{n}/1;Петров;Пётр;;31.02.1990;+7 916 200-00-01;;employee;;;К-1;ООО;FR20;01.01.2026;31.12.2027"
        for n in range(200)
    ]
    content = "\n".join([header, *rows, *bad]).encode()
    await admin.upload("registry.csv", content, caption="registry")
    await done()
    summary, report = h.emulator.messages(ADMIN)[-2:]
    assert "отклонено 200" in summary.text and "Замечаний: 203" in summary.text  # and 3 warnings
    assert report.document is not None and report.document[0] == "registry-issues.csv"
    assert report.document[1].count(b"\n") >= 200
    assert await count(h, InsuredPerson) == 16


async def test_a_bad_caption_is_told_with_an_example(harness: BotHarness) -> None:
    admin = harness.chat(ADMIN)
    answer = await admin.upload("registry.csv", REGISTRY, caption="regisrty --full")
    assert "Вида файла «regisrty» нет." in answer[0].text and "bills --issued-on 2026-12-01" in answer[0].text
    answer = await admin.upload("registry.csv", REGISTRY, caption="clinics --full")
    assert "--full — только для реестра" in answer[0].text
    answer = await admin.send("/import bills --issued-on 1.12.2026")
    assert "не дата" in answer[0].text
    assert await count(harness, ImportRun) == 0


async def test_a_file_over_20_mb_points_to_the_command_line(harness: BotHarness) -> None:
    admin = harness.chat(ADMIN)
    answer = await admin.upload("registry.csv", b"x" * (25 * 1024 * 1024), caption="registry")
    assert "больше 20 МБ" in answer[0].text and "python -m bot import registry FILE" in answer[0].text
    assert await count(harness, ImportRun) == 0


async def test_a_full_disk_is_told_as_the_databases_not_ours(harness: BotHarness) -> None:
    """SQLite's own page limit stands for a full disk (it answers SQLITE_FULL as when the disk runs out):
    the admin is told what stopped the import and whom to tell, not "failed on our side, try again"."""
    h = harness
    await h.load_samples()
    async with h.engine.connect() as conn:
        pages = (await conn.execute(text("PRAGMA page_count"))).scalar_one() + 8  # the lines need hundreds
    event.listen(
        h.engine.sync_engine,
        "connect",
        lambda dbapi, _record: dbapi.cursor().execute(f"PRAGMA max_page_count = {pages}"),
    )
    await h.engine.dispose()  # connections from now on have the limit
    row = "F-{:05d};123/14;C003;17.09.2026;A02.31.001;Измерение температуры в кабинете врача;1;100.00\n"
    bills = (SAMPLE_DATA / "bills.csv").read_text(encoding="utf-8").splitlines(keepends=True)[0]
    bills += "".join(row.format(n) for n in range(3000))
    admin = h.chat(ADMIN)
    await admin.upload("bills.csv", bills.encode(), caption="bills --issued-on 2026-10-01")
    await done()
    assert "остановлена: база данных не может записывать (диск заполнен)" in admin.last.text
    assert "Сообщите администраторам" in admin.last.text
    assert await count(h, Invoice) == 0
    async with h.engine.connect() as conn:
        assert (await conn.execute(select(ImportRun.status))).scalars().all() == ["failed"]


async def test_a_second_import_of_a_kind_running_is_refused_naming_who(
    harness: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = harness
    await reference(h)
    gate = asyncio.Event()
    run = h.container.imports.run

    async def held(*args: object, **kwargs: object) -> object:  # the first import still running
        await gate.wait()
        return await run(*args, **kwargs)

    monkeypatch.setattr(h.container.imports, "run", held)
    admin = h.chat(ADMIN)
    await admin.upload("registry.csv", REGISTRY, caption="registry")
    refused = await admin.upload("registry.csv", REGISTRY, caption="registry")
    assert f"Загрузка registry уже идёт: её начал {ADMIN} в 21.11.2026" in refused[0].text
    other_kind = await admin.upload("clinics.csv", (SAMPLE_DATA / "clinics.csv").read_bytes(), caption="clinics")
    assert "Загружаю clinics из clinics.csv" in other_kind[0].text  # another kind is not held
    assert await h.chat(1001).send("/menu")  # and the bot answers others meanwhile
    gate.set()
    await done()
    assert await count(h, InsuredPerson) == 16
    again = await admin.upload("registry.csv", REGISTRY, caption="registry")  # released when it ended
    assert "Загружаю" in again[0].text
    await done()


async def test_an_import_cut_off_by_a_restart_is_told_as_interrupted(harness: BotHarness) -> None:
    h = harness
    await h.chat(ADMIN).send("/admin")  # the chat Telegram knows
    long_ago = h.container.clock.now() - timedelta(minutes=5)
    async with h.container.uow() as uow:
        uow.session.add(
            ImportRun(
                kind="registry",
                status="running",
                started_by=ADMIN,
                chat_id=ADMIN,
                language="ru",
                started_at=long_ago,
                heartbeat_at=long_ago,
            )
        )
        await uow.commit()
    await tell_interrupted(h.bot, h.container.desk_imports, h.i18n, h.container.clock.zone)
    told = h.emulator.messages(ADMIN)
    assert "прервана перезапуском бота" in told[-1].text
    async with h.engine.connect() as conn:
        assert (await conn.execute(select(ImportRun.status))).scalar_one() == "interrupted"
    await tell_interrupted(h.bot, h.container.desk_imports, h.i18n, h.container.clock.zone)  # told once
    assert len(h.emulator.messages(ADMIN)) == len(told)
    assert [row[0] for row in await audit_rows(h, "import.interrupted")] == ["import.interrupted"]


async def test_an_import_stopped_with_the_process_is_told_as_interrupted(
    harness: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = harness
    never = asyncio.Event()

    async def held(*args: object, **kwargs: object) -> object:
        await never.wait()
        raise AssertionError("not reached")

    monkeypatch.setattr(h.container.imports, "run", held)
    admin = h.chat(ADMIN)
    await admin.upload("registry.csv", REGISTRY, caption="registry")
    await asyncio.sleep(0.05)  # the import under way
    await stop_imports()  # as Process.close does
    assert "прервана: бот останавливается" in admin.last.text
    async with h.engine.connect() as conn:
        assert (await conn.execute(select(ImportRun.status))).scalar_one() == "interrupted"
    finished = await audit_rows(h, "import.finished")
    assert finished[0][4]["status"] == "interrupted"


async def test_an_admins_document_with_nothing_asked_is_as_anyones(harness: BotHarness) -> None:
    admin = harness.chat(ADMIN)
    answer = await admin.upload("registry.csv", REGISTRY)  # no caption, no /import before it
    assert answer and "Загружаю" not in answer[0].text
    assert await count(harness, ImportRun) == 0


async def test_support_cannot_import(harness: BotHarness) -> None:
    support = harness.chat(SUPPORT)
    assert (await support.send("/import registry"))[0].text == UNKNOWN_RU
    await support.upload("registry.csv", REGISTRY, caption="registry")  # a document as anyone's
    await done()
    assert await count(harness, ImportRun) == 0 and await count(harness, InsuredPerson) == 0


async def test_imports_on_postgres_and_redis(harness_pg_redis, monkeypatch: pytest.MonkeyPatch) -> None:
    """The production tier: the registry by COPY, the kind's lock a PostgreSQL partial unique index, the
    /import request kept in the Redis desk storage."""
    h = harness_pg_redis
    await reference(h)
    gate = asyncio.Event()
    run = h.container.imports.run

    async def held(*args: object, **kwargs: object) -> object:
        await gate.wait()
        return await run(*args, **kwargs)

    monkeypatch.setattr(h.container.imports, "run", held)
    admin = h.chat(ADMIN)
    assert "Пришлите файл CSV или XLSX" in (await admin.send("/import registry --full"))[0].text
    await admin.upload("registry.csv", REGISTRY)
    refused = await admin.upload("registry.csv", REGISTRY, caption="registry")
    assert f"её начал {ADMIN}" in refused[0].text
    gate.set()
    await done()
    summaries = [m.text for m in h.emulator.messages(ADMIN) if m.text.startswith("Загружено")]
    assert len(summaries) == 1 and "registry --full" in summaries[0]
    assert "новых 16, обновлено 0, без изменений 0, отклонено 0" in summaries[0]
    assert await count(h, InsuredPerson) == 16
    async with h.engine.connect() as conn:
        assert (await conn.execute(select(ImportRun.status))).scalars().all() == ["done"]


async def test_the_progress_message_is_edited_while_the_import_runs(harness: BotHarness) -> None:
    h = harness
    await reference(h)
    h.container.imports.progress_every_s = 0  # every 1,000 rows, instead of every 2 seconds
    admin = h.chat(ADMIN)
    started = await admin.upload("big.csv", registry(2500), caption="registry")
    await done()
    shown = admin.last
    assert shown.message_id == started[0].message_id and shown.edits >= 2  # progress, then the summary
    assert "новых 2\xa0500" in shown.text  # grouped as Russian numbers are


async def test_an_xlsx_registry_is_imported_and_a_zip_bomb_refused(harness: BotHarness, tmp_path: Path) -> None:
    h = harness
    await reference(h)
    header, *rows = REGISTRY.decode().splitlines()
    cells = [html.escape(row).split(";") for row in rows]
    sheet = sheet_of(header.split(";"), *(inline_row(n, row) for n, row in enumerate(cells, 2)))
    admin = h.chat(ADMIN)
    await admin.upload("registry.xlsx", workbook(tmp_path / "r.xlsx", sheet).read_bytes(), caption="registry")
    await done()
    assert "новых 16" in admin.last.text
    bomb = bomb_in_sheet(tmp_path).read_bytes()  # 400 MB inflated: beyond the upload limits
    await admin.upload("bomb.xlsx", bomb, caption="registry")
    await done()
    assert "Файл не загружен (registry), ничего не записано:" in admin.last.text
    assert await count(h, InsuredPerson) == 16
