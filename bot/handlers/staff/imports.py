"""/import (admins): a CSV/XLSX file loaded from the chat through the same import service as the command
line, with the upload limits. The file comes as a document whose caption is `KIND [options]`, or after
`/import KIND [options]` (kept in the member's desk storage, never their own dialog's state).

The import runs as a task: the update's handler returns at once, a progress message is edited every few
seconds, the result (the command line's summary; the rejected rows as a report document when they do not
fit a message) comes when it is done. One import of a kind at a time, across replicas (`import_runs`).
Anyone else's /import gets the unknown-command answer; their documents go where they went before.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import tempfile
from collections.abc import Callable
from datetime import tzinfo
from pathlib import Path

from aiogram import Bot, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, Document, Message
from aiogram_i18n import I18nContext
from aiogram_i18n.cores import BaseCore

from bot.filters import Allowed, a_document
from bot.handlers.staff.dialogs import desk_data, desk_update
from bot.handlers.staff.refusals import refused_command
from bot.views.pages import PageLinks
from core.actors import Capability, Forbidden, Viewer
from core.calendar import Clock
from core.desk.imports import BadAsk, ImportAsk, parse_ask
from core.infra.outages import storage_refusal
from core.services.desk_imports import HEARTBEAT_S, Busy, DeskImportService
from core.services.importing.limits import UPLOAD
from core.services.importing.progress import ImportProgress
from core.services.importing.reader import ImportRefused
from core.services.importing.report import ImportResult
from core.services.importing.service import ImportService

log = logging.getLogger(__name__)

ASK_KEY = "import"  # the desk storage's entry: the /import request waiting for its file
TEXT_ROOM = 3500  # a result longer than this goes as a report document (a message holds 4096)
RUNNING: set[asyncio.Task] = set()  # the imports under way in this process (kept from the collector)

Say = Callable[..., str]


def _say(i18n: I18nContext) -> Say:
    core, locale = i18n.core, i18n.locale
    return lambda key, **values: core.get(key, locale, **values)


async def import_command(
    message: Message, command: CommandObject, state: FSMContext, bot: Bot, i18n: I18nContext, viewer: Viewer
) -> None:
    try:
        ask = parse_ask(command.args or "")
    except BadAsk as error:
        await message.answer(_bad_ask(_say(i18n), error))
        return
    await desk_update(state.storage, bot.id, viewer.telegram_id, **{ASK_KEY: ask.options()})
    await message.answer(i18n.get("desk-import-send-file", ask=ask.options()))


async def import_document(
    message: Message,
    state: FSMContext,
    bot: Bot,
    i18n: I18nContext,
    viewer: Viewer,
    clock: Clock,
    imports: ImportService,
    desk_imports: DeskImportService,
    pages: PageLinks | None,
) -> None:
    document = message.document
    assert document is not None
    waiting = (await desk_data(state.storage, bot.id, viewer.telegram_id)).get(ASK_KEY)
    text = message.caption or waiting
    if not text:
        raise SkipHandler  # a document with nothing asked: as anyone's
    say = _say(i18n)
    try:
        ask = parse_ask(text)
    except BadAsk as error:
        await message.answer(_bad_ask(say, error))
        return
    if waiting:
        await desk_update(state.storage, bot.id, viewer.telegram_id, **{ASK_KEY: None})
    if document.file_size is not None and document.file_size > UPLOAD.file_bytes:
        await message.answer(say("desk-import-too-big", kind=ask.kind))
        return
    try:
        run_id = await desk_imports.begin(viewer.telegram_id, ask.kind, chat_id=message.chat.id, language=i18n.locale)
    except Forbidden:
        await refused_command(message, i18n)
        return
    except Busy as busy:
        at = busy.started_at.astimezone(clock.zone).strftime("%d.%m.%Y %H:%M")
        await message.answer(say("desk-import-busy", kind=ask.kind, who=str(busy.started_by), at=at))
        return
    shown = await message.answer(
        say("desk-import-started", ask=ask.options(), name=html.escape(document.file_name or ""))
    )
    task = asyncio.create_task(
        _run(bot, shown, document, ask, say, viewer.telegram_id, run_id, imports, desk_imports, pages is not None),
        name=f"import-{ask.kind}-{run_id}",
    )
    RUNNING.add(task)
    task.add_done_callback(RUNNING.discard)


async def _run(
    bot: Bot,
    shown: Message,
    document: Document,
    ask: ImportAsk,
    say: Say,
    telegram_id: int,
    run_id: int,
    imports: ImportService,
    desk_imports: DeskImportService,
    counts_only: bool,
) -> None:
    """`counts_only` (the Mini App mode): the result's counts, not its rows' issues (they quote values)."""
    beating = asyncio.create_task(_beat(desk_imports, run_id))
    result: ImportResult | None = None
    status = "failed"
    try:
        with tempfile.TemporaryDirectory(prefix="import-") as folder:
            try:
                content = await _download(bot, document)
            except _TooBig:
                status = "refused"
                await _edit(shown, say("desk-import-too-big", kind=ask.kind))
                return
            report = Path(folder) / f"{ask.kind}-issues.csv"

            async def progress(p: ImportProgress) -> None:
                if not p.done:
                    percent = round(p.fraction * 100)
                    await _edit(shown, say("desk-import-progress", ask=ask.options(), rows=p.rows, percent=percent))

            try:
                async with _writer(imports):
                    result = await imports.run(
                        ask.kind,
                        content,
                        filename=document.file_name,
                        limits=UPLOAD,
                        full=ask.full,
                        issued_on=ask.issued_on,
                        progress=progress,
                        report_to=report,
                    )
            except ImportRefused as refused:
                status = "refused"
                await _edit(shown, say("desk-import-refused", ask=ask.options(), reason=html.escape(str(refused))))
                return
            status = "done"
            await _show_result(bot, shown, ask, say, result, counts_only)
    except asyncio.CancelledError:  # the process stops: told as interrupted, never as done
        status = "interrupted"
        with contextlib.suppress(Exception):
            await _edit(shown, say("desk-import-stopped", ask=ask.options()))
        raise
    except Exception as error:
        log.exception("import %s (run %s) failed", ask.kind, run_id)
        if (refusal := storage_refusal(error)) is not None:  # not ours, and trying again will not help
            await _edit(shown, say("desk-import-no-storage", ask=ask.options(), reason=refusal.value))
        else:
            await _edit(shown, say("desk-import-failed", ask=ask.options()))
    finally:
        beating.cancel()
        try:
            await desk_imports.finish(run_id, telegram_id, ask.kind, result, status)
        except Exception:
            log.exception("import run %s: the end not recorded", run_id)


_SQLITE_WRITER = asyncio.Lock()  # SQLite takes one writer: imports of different kinds wait their turn


def _writer(imports: ImportService) -> contextlib.AbstractAsyncContextManager:
    if imports.engine.dialect.name == "sqlite":
        return _SQLITE_WRITER
    return contextlib.nullcontext()


class _TooBig(Exception):
    pass


async def _download(bot: Bot, document: Document) -> bytes:
    try:
        file = await bot.get_file(document.file_id)
    except TelegramBadRequest as error:
        if "too big" in error.message.lower():
            raise _TooBig from None
        raise
    assert file.file_path is not None
    buffer = await bot.download_file(file.file_path)
    assert buffer is not None
    return buffer.read()


async def _beat(desk_imports: DeskImportService, run_id: int) -> None:
    while True:
        await asyncio.sleep(HEARTBEAT_S)
        try:
            await desk_imports.beat(run_id)
        except Exception:
            log.exception("import run %s: heartbeat", run_id)


async def _edit(shown: Message, text: str) -> None:
    try:
        await shown.edit_text(text)
    except TelegramAPIError as error:  # "message is not modified", a deleted message: nothing to do
        log.debug("import progress not shown: %s", error)


async def _show_result(
    bot: Bot, shown: Message, ask: ImportAsk, say: Say, result: ImportResult, counts_only: bool
) -> None:
    counts = say(
        "desk-import-summary",
        imported=result.imported,
        updated=result.updated,
        unchanged=result.unchanged,
        rejected=result.rejected,
    )
    if result.kind == "bills":
        counts += "\n" + say("desk-import-invoices", count=result.invoices_issued)
    head = say("desk-import-done", ask=ask.options()) + "\n" + counts
    if counts_only:
        issues = len(result.lines()) + result.more
        await _edit(shown, head + ("\n\n" + say("pages-desk-import-issues", count=issues) if issues else ""))
        return
    lines = [html.escape(line) for line in result.lines()]
    text = "\n\n".join([head, "\n".join(lines)]) if lines else head
    if len(text) <= TEXT_ROOM or result.report_file is None or not result.report_file.exists():
        await _edit(shown, text if len(text) <= TEXT_ROOM else head)
        return
    await _edit(shown, head + "\n\n" + say("desk-import-see-report", count=len(lines) + result.more))
    content = result.report_file.read_bytes()
    await bot.send_document(
        shown.chat.id,
        BufferedInputFile(content, filename=result.report_file.name),
        caption=say("desk-import-report-caption", ask=ask.options()),
    )


def _bad_ask(say: Say, error: BadAsk) -> str:
    return say(f"desk-import-bad-{error.reason}", value=html.escape(error.value)) + "\n" + say("desk-import-example")


async def tell_interrupted(bot: Bot, desk_imports: DeskImportService, i18n_core: BaseCore, zone: tzinfo) -> None:
    """On start: imports cut off by the last stop are marked so, and whoever started them is told."""
    for run in await desk_imports.interrupted():
        at = run.started_at.astimezone(zone).strftime("%d.%m.%Y %H:%M")
        text = i18n_core.get("desk-import-interrupted", run.language, kind=run.kind, at=at)
        try:
            await bot.send_message(run.chat_id, text)
        except TelegramAPIError as error:
            log.warning("import run %s: the interruption not told: %s", run.run_id, error)


async def stop_imports() -> None:
    """The process stops: the imports under way are cancelled, each told and recorded as interrupted."""
    tasks = list(RUNNING)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def create_router() -> Router:
    router = Router(name="staff-import")
    router.message.register(import_command, Command("import"), Allowed(Capability.IMPORT_FILES))
    router.message.register(import_document, a_document, Allowed(Capability.IMPORT_FILES))
    return router
