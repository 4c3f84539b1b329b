"""The command line's process (`import`, `invite`, `jobs`): the container only, no Bot and no Dispatcher
(aiogram is not even imported). `migrate` needs the database URL alone."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from core.bootstrap import Container, bootstrap
from core.settings import Settings


@asynccontextmanager
async def command_container(settings: Settings) -> AsyncIterator[Container]:
    container = await bootstrap(settings)
    try:
        yield container
    finally:
        await container.close()
