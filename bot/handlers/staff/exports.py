"""/export (admins): a register back to the insurer, the same file as the command line's, sent as a document
in the admin's own private chat; in the Mini App mode, a button to its download from the desk's pages.
`/export KIND --since YYYY-MM-DD [xlsx]`; a wrong request is told with an example. Anyone else's /export
gets the unknown-command answer."""

from __future__ import annotations

import html
import tempfile
from pathlib import Path

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import FSInputFile, Message
from aiogram_i18n import I18nContext

from bot.filters import Allowed
from bot.handlers.staff.refusals import refused_command
from bot.views.kit import day, keyboard
from bot.views.pages import PageLinks, open_button
from core.actors import Capability, Forbidden, Viewer
from core.desk.exports import BadExportAsk, parse_export_ask
from core.exports import file_name
from core.services.exports import ExportService

SEND_LIMIT = 50 * 1024 * 1024  # the largest file a bot may send


async def export_command(
    message: Message,
    command: CommandObject,
    i18n: I18nContext,
    viewer: Viewer,
    exports: ExportService,
    pages: PageLinks | None,
) -> None:
    try:
        ask = parse_export_ask(command.args or "")
    except BadExportAsk as error:
        reason = i18n.get(f"desk-export-bad-{error.reason}", value=html.escape(error.value))
        await message.answer(reason + "\n" + i18n.get("desk-export-example"))
        return
    if pages is not None:  # the Mini App mode: the file (personal data) is downloaded from its page
        text = i18n.get("pages-desk-export", kind=ask.kind, since=day(i18n, ask.since))
        await message.answer(
            text, reply_markup=keyboard([open_button(i18n, pages.desk_export(ask.kind, ask.since, ask.xlsx))])
        )
        return
    with tempfile.TemporaryDirectory(prefix="export-") as folder:
        path = Path(folder) / file_name(ask.kind, ask.since, ask.xlsx)
        try:
            done = await exports.write(ask.kind, ask.since, path, caller=viewer.telegram_id)
        except Forbidden:
            await refused_command(message, i18n)
            return
        if path.stat().st_size > SEND_LIMIT:
            await message.answer(i18n.get("desk-export-too-big", kind=ask.kind, since=ask.since.isoformat()))
            return
        caption = i18n.get("desk-export-caption", kind=ask.kind, since=day(i18n, ask.since), rows=done.rows)
        await message.answer_document(FSInputFile(path, filename=path.name), caption=caption)


def create_router() -> Router:
    router = Router(name="staff-export")
    router.message.register(export_command, Command("export"), Allowed(Capability.EXPORT_REGISTERS))
    return router
