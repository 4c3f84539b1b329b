"""A photo or a document support sent a person, served from the person's request or dispute page: the use
case finds it among that viewer's conversations (any other id is a 404), then the bot fetches it from
Telegram by its file id (getFile, then the file), within a timeout. Its link carries the session's download
key (`Caller.download_link`), as the other downloads, so the client's `downloadFile` fetches it too. The
file's name as sent stays on the page; the download is named by its kind only."""

from __future__ import annotations

import mimetypes
from pathlib import PurePosixPath

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram_i18n.cores import FluentRuntimeCore
from aiohttp import web

from bot.web.webapp.kit import PageKit, caller_of, path_id
from bot.web.webapp.sessions import Caller
from core.attachments import FileKind, KeptFile
from core.services.disputes import DisputeService
from core.services.requests import RequestService

FETCH_TIMEOUT = 30  # seconds, the Bot API's getFile and the file's download each
SUFFIX_MAX = 10


class ConversationFiles(PageKit):
    def __init__(
        self, i18n_core: FluentRuntimeCore, bot: Bot, requests: RequestService, disputes: DisputeService
    ) -> None:
        super().__init__(i18n_core)
        self.bot = bot
        self.requests = requests
        self.disputes = disputes

    def add_routes(self, router: web.UrlDispatcher) -> None:
        # No HEAD: answering one would fetch the whole file from Telegram only to drop it.
        router.add_get(
            "/requests/{request_id}/files/{message_id}", self.request_file, name="request_file", allow_head=False
        )
        router.add_get(
            "/disputes/{dispute_id}/files/{message_id}", self.dispute_file, name="dispute_file", allow_head=False
        )

    async def request_file(self, request: web.Request) -> web.Response:
        caller = _caller(request)
        message_id = path_id(request, "message_id")
        return await self._serve(await self.requests.file(caller.viewer, path_id(request, "request_id"), message_id))

    async def dispute_file(self, request: web.Request) -> web.Response:
        caller = _caller(request)
        message_id = path_id(request, "message_id")
        return await self._serve(await self.disputes.file(caller.viewer, path_id(request, "dispute_id"), message_id))

    async def _serve(self, file: KeptFile | None) -> web.Response:
        if file is None:
            raise web.HTTPNotFound()
        try:
            found = await self.bot.get_file(file.file_id, request_timeout=FETCH_TIMEOUT)
            content = await self.bot.download_file(found.file_path, timeout=FETCH_TIMEOUT)
        except (TelegramAPIError, TimeoutError):  # gone from Telegram, or it did not answer in time
            raise web.HTTPBadGateway() from None
        suffix = ".jpg" if file.kind is FileKind.PHOTO else _suffix(file.name)
        content_type = mimetypes.guess_type(f"file{suffix}")[0] or "application/octet-stream"
        return web.Response(
            body=content.getvalue(),
            content_type=content_type,
            headers={"Content-Disposition": f'attachment; filename="{file.kind.value}{suffix}"'},
        )


def _caller(request: web.Request) -> Caller:
    """A download has no opening shell: without a session (its cookie or its link's key) it is refused."""
    caller = caller_of(request)
    if caller is None:
        raise web.HTTPForbidden()
    return caller


def _suffix(name: str | None) -> str:
    """A document's extension, when it is a plain one (it names the download and its type)."""
    suffix = PurePosixPath(name or "").suffix.lower()
    return suffix if suffix.isascii() and suffix[1:].isalnum() and len(suffix) <= SUFFIX_MAX else ""
