"""/export end to end through the Telegram emulator, on SQLite and on PostgreSQL with Redis: an admin gets the
register as a document in the private chat (the same file as the command line writes), audited; a wrong
request is told with an example in either language; support and users get the unknown-command answer; in a
group nothing is sent anywhere."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from core.exports import columns
from emulators.telegram import TgUser
from tests.bot.desk.helpers import ADMIN, SUPPORT, UNKNOWN_EN, UNKNOWN_RU, audit_rows
from tests.bot.test_groups import GROUP, in_group, sends_to
from tests.core.register_fixtures import EXPECTED, SINCE, fill
from tests.harness import BotHarness

USER = 7001


@pytest.fixture(params=["sqlite", "postgres"])
def h(request: pytest.FixtureRequest) -> BotHarness:
    return request.getfixturevalue({"sqlite": "harness", "postgres": "harness_pg_redis"}[request.param])


async def test_an_admin_gets_the_register_as_a_document(h: BotHarness, tmp_path) -> None:
    await fill(h.engine)
    admin = h.chat(ADMIN)
    sent = (await admin.send("/export payments --since 2026-10-01"))[-1]
    assert sent.chat_id == ADMIN and sent.document is not None
    name, content = sent.document
    assert name == "payments-since-2026-10-01.csv"
    assert sent.text == "Реестр payments с 01.10.2026: 3 строки."
    header, *rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert header == list(columns("payments")) and [row[0] for row in rows] == ["1", "2", "3"]
    await h.container.exports.write("payments", SINCE, tmp_path / "cli.csv")  # what the command line writes
    assert content == (tmp_path / "cli.csv").read_bytes()

    english = h.chat(ADMIN, language_code="en")  # no language chosen: Telegram's
    sent = (await english.send("/export invoices --since 2026-10-01 xlsx"))[-1]
    name, content = sent.document
    assert name == "invoices-since-2026-10-01.xlsx"
    assert sent.text == "Register invoices since 1 Oct 2026: 4 rows."
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [r[0] for r in EXPECTED["invoices"]]
    assert [(row[1], row[4]) for row in await audit_rows(h, "export.written")] == [
        (ADMIN, {"since": "2026-10-01", "format": "csv", "rows": 3}),
        (None, {"since": "2026-10-01", "format": "csv", "rows": 3}),  # the command line's, no one's
        (ADMIN, {"since": "2026-10-01", "format": "xlsx", "rows": 4}),
    ]


async def test_a_wrong_request_is_told_with_an_example(harness: BotHarness) -> None:
    admin = harness.chat(ADMIN)
    answer = (await admin.send("/export paymnts --since 2026-10-01"))[0].text
    assert "Реестра «paymnts» нет." in answer and "/export payments --since 2026-10-01" in answer
    assert "Укажите, с какого дня" in (await admin.send("/export payments"))[0].text
    assert "«1.10.2026» — не дата" in (await admin.send("/export payments --since 1.10.2026"))[0].text
    assert (await admin.send("/export"))[0].text.startswith("Какой реестр выгрузить?")
    english = (await harness.chat(ADMIN, language_code="en").send("/export payments --since=tomorrow"))[0].text
    assert english.startswith("“tomorrow” is not a date: write it as YYYY-MM-DD.")
    assert "For example: /export payments --since 2026-10-01" in english
    assert await audit_rows(harness, "export.written") == []


@pytest.mark.parametrize("who", [SUPPORT, USER])
async def test_anyone_but_an_admin_gets_the_unknown_command_answer(harness: BotHarness, who: int) -> None:
    await fill(harness.engine)
    answer = await harness.chat(who).send("/export payments --since 2026-10-01")
    assert [(m.text, m.document) for m in answer] == [(UNKNOWN_RU, None)]
    answer = await harness.chat(who, language_code="en").send("/export payments --since 2026-10-01")
    assert [m.text for m in answer] == [UNKNOWN_EN]
    assert await audit_rows(harness, "export.written") == []


async def test_an_export_asked_in_a_group_is_sent_nowhere(harness: BotHarness) -> None:
    await fill(harness.engine)
    harness.emulator._group_chat(GROUP)  # the bot is in the group (added before it left groups)
    await in_group(harness, TgUser(ADMIN), "/export payments --since 2026-10-01")
    assert sends_to(harness, GROUP.id) == [] and harness.emulator.messages(ADMIN) == []
    assert await audit_rows(harness, "export.written") == []
