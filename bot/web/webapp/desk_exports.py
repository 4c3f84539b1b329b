"""A register for the insurer as a download from the desk's pages: in the Mini App mode the file (personal
data) never goes through the chat. The same use case as the chat's /export and the command line, which
re-reads the caller's role (admins only) and audits the export."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from aiogram_i18n.cores import FluentRuntimeCore
from aiohttp import web

from bot.web.webapp.desk import staff_only
from bot.web.webapp.kit import PageKit, page
from bot.web.webapp.sessions import Caller
from core.desk.exports import BadExportAsk, parse_export_ask
from core.exports import file_name
from core.services.exports import ExportService

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ExportPages(PageKit):
    def __init__(self, i18n_core: FluentRuntimeCore, exports: ExportService) -> None:
        super().__init__(i18n_core)
        self.exports = exports

    def add_routes(self, router: web.UrlDispatcher) -> None:
        router.add_get("/desk/exports/{kind}", self.export, name="desk_export")

    @page
    async def export(self, request: web.Request, caller: Caller) -> web.StreamResponse:
        """`?since=YYYY-MM-DD[&format=xlsx]`, read as the chat's /export reads its words. Without a session
        the opening shell, which comes back here with one and gets the file."""
        words = [request.match_info["kind"], "--since", request.query.get("since", "")]
        try:
            ask = parse_export_ask(" ".join([*words, *(["xlsx"] if request.query.get("format") == "xlsx" else [])]))
        except BadExportAsk:
            raise web.HTTPNotFound() from None
        name = file_name(ask.kind, ask.since, ask.xlsx)
        with tempfile.TemporaryDirectory(prefix="export-") as folder:
            path = Path(folder) / name
            with staff_only():  # admins only
                await self.exports.write(ask.kind, ask.since, path, caller=caller.viewer.telegram_id)
            content = await asyncio.to_thread(path.read_bytes)
        return web.Response(
            body=content,
            content_type=XLSX if ask.xlsx else "text/csv",
            charset=None if ask.xlsx else "utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
