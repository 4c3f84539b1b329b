"""Servers a fault test may break: a throwaway `redis-server`, a throwaway PostgreSQL cluster, and a
loopback TCP proxy that can be cut.

The machine's shared PostgreSQL and Redis are never stopped: a test that needs one away puts a `TcpProxy`
in front of it and points the product at the proxy, or starts a `RedisServer` or a `PostgresCluster` of its
own (on a free port, in a temporary folder) and stops it. A missing `redis-server`, `initdb` or `runuser`
skips the test, or fails it with REQUIRE_SERVICES=1, as the shared servers' fixtures do
(`tests/conftest.py`).
"""

from __future__ import annotations

import asyncio
import contextlib
import glob
import os
import shutil
import socket
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.conftest import unavailable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TcpProxy:
    """127.0.0.1:`port` → `target`. `cut()` closes every connection and refuses new ones (as a server that
    went away); `restore()` listens again on the same port."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = free_port()
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)

    async def cut(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._writers):
            writer.transport.abort()  # a reset, not a polite close: the client's next read fails
        self._writers.clear()

    async def restore(self) -> None:
        await self.start()

    async def close(self) -> None:
        await self.cut()

    async def _serve(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            server_reader, server_writer = await asyncio.open_connection(*self.target)
        except OSError:
            client_writer.transport.abort()
            return
        self._writers.update((client_writer, server_writer))
        await asyncio.gather(
            self._pipe(client_reader, server_writer), self._pipe(server_reader, client_writer), return_exceptions=True
        )
        for writer in (client_writer, server_writer):
            self._writers.discard(writer)
            writer.transport.abort()

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        finally:
            writer.transport.abort()


@asynccontextmanager
async def proxy_to(host: str, port: int) -> AsyncIterator[TcpProxy]:
    proxy = TcpProxy(host, port)
    await proxy.start()
    try:
        yield proxy
    finally:
        await proxy.close()


class RedisServer:
    """`redis-server` on a free port with its files in `folder`; stopped and started again on the same port
    and folder (with `appendonly`, what was written before the stop is there after it)."""

    def __init__(self, folder: Path, *, appendonly: bool = False) -> None:
        self.folder = folder
        self.appendonly = appendonly
        self.port = free_port()
        self._process: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    async def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            unavailable("redis-server", FileNotFoundError("redis-server is not installed"))
        self._process = await asyncio.create_subprocess_exec(
            binary,
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "yes" if self.appendonly else "no",
            "--appendfsync",
            "always",
            "--dir",
            str(self.folder),
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        client = Redis.from_url(self.url, socket_connect_timeout=1, socket_timeout=1)
        try:
            for _ in range(100):
                with contextlib.suppress(Exception):
                    if await client.ping():
                        return
                await asyncio.sleep(0.05)
            raise AssertionError("the throwaway redis-server never answered")
        finally:
            await client.aclose()

    async def stop(self) -> None:
        """SIGTERM: redis-server finishes its append-only file and exits."""
        if self._process is not None and self._process.returncode is None:
            self._process.terminate()
            await asyncio.wait_for(self._process.wait(), 10)
        self._process = None


@asynccontextmanager
async def redis_server(folder: Path, *, appendonly: bool = False) -> AsyncIterator[RedisServer]:
    server = RedisServer(folder, appendonly=appendonly)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


class PostgresCluster:
    """A PostgreSQL cluster of its own: `initdb` into a temporary folder, `pg_ctl` on a free loopback port
    with its socket in that folder. `stop("immediate")` is the server killed (no checkpoint: the next start
    recovers from the WAL), `stop("fast")` a clean shutdown; `start()` again on the same port and folder.

    `initdb` refuses root, so as root every command runs as the `postgres` user (`runuser`), in a folder
    that user owns; as any other user, as that user."""

    def __init__(self) -> None:
        self.port = free_port()
        self.folder: Path | None = None
        self._as: list[str] = []
        self._bin = Path()

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{database}"

    async def init(self) -> None:
        binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version)
        runuser = shutil.which("runuser")
        if not binaries or (os.geteuid() == 0 and runuser is None):
            unavailable("initdb and runuser", FileNotFoundError("a throwaway PostgreSQL cluster cannot be made"))
        self._bin = Path(binaries[-1]).parent
        self.folder = Path(tempfile.mkdtemp(prefix="dmsbot-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
            self._as = [runuser, "-u", "postgres", "--"]
        # No fsync: a killed server is a process gone, not a machine; the kernel still has what it wrote.
        await self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8")

    async def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        await self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"), "-w", "start")

    async def stop(self, mode: str = "fast") -> None:
        await self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    async def create_database(self, name: str) -> str:
        admin = create_async_engine(self.url(), isolation_level="AUTOCOMMIT")
        try:
            async with admin.connect() as connection:
                await connection.execute(text(f'CREATE DATABASE "{name}"'))
        finally:
            await admin.dispose()
        return self.url(name)

    async def remove(self) -> None:
        if self.folder is None:
            return
        if (self.data / "postmaster.pid").exists():
            await self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder = None

    async def _run(self, program: str, *args: str) -> None:
        process = await asyncio.create_subprocess_exec(
            *self._as,
            str(self._bin / program),
            *args,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        output, _ = await asyncio.wait_for(process.communicate(), 60)
        if process.returncode != 0:
            raise AssertionError(f"{program} exited with {process.returncode}: {output.decode(errors='replace')}")


def _version(initdb: str) -> tuple[int, ...]:
    return tuple(int(part) for part in Path(initdb).parts[-3].split(".") if part.isdigit())


@asynccontextmanager
async def postgres_cluster() -> AsyncIterator[PostgresCluster]:
    """A started cluster, stopped and removed afterwards."""
    cluster = PostgresCluster()
    try:
        await cluster.init()
        await cluster.start()
        yield cluster
    finally:
        await cluster.remove()
