"""`python -m bot run` as a real process against the emulator: polling and webhook, SQLite and PostgreSQL + Redis."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp

from emulators.telegram import TelegramEmulator, TgUser

REPO = Path(__file__).resolve().parents[2]
RU_USER = TgUser(id=5001, first_name="Иван", language_code="ru")
EN_USER = TgUser(id=5002, first_name="John", language_code="en")
STAFF = TgUser(id=5003, first_name="Анна", language_code="ru")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env(**values: str) -> dict[str, str]:
    # REDIS_PREFIX stays: the run's own (tests/conftest.py), whose keys the redis_url fixture removes.
    env = {
        k: v
        for k, v in os.environ.items()
        if k == "REDIS_PREFIX"
        or not k.startswith(("BOT_", "TELEGRAM_", "DATABASE_", "REDIS_", "WEBHOOK_", "HTTP_", "OTP_"))
    }
    env.update(values)
    return env


async def run_cli(*args: str, env: dict[str, str], cwd: Path) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    return process.returncode, out.decode(), err.decode()


@asynccontextmanager
async def bot_process(
    env: dict[str, str], cwd: Path, port: int, *, within: float = 60.0
) -> AsyncIterator[asyncio.subprocess.Process]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        await wait_healthy(port, process, within)
        yield process
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGINT)
            try:
                await asyncio.wait_for(process.wait(), 15)
            except TimeoutError:
                process.kill()
                await process.wait()


async def wait_healthy(port: int, process: asyncio.subprocess.Process, within: float = 60.0) -> None:
    """A guard against a bot that never starts, not a speed test: a loaded 2-core machine takes 30–50 s."""
    async with aiohttp.ClientSession() as http:
        for _ in range(int(within * 10)):
            if process.returncode is not None:
                output = (await process.stdout.read()).decode()
                raise AssertionError(f"bot exited with {process.returncode}:\n{output}")
            try:
                async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                    if response.status == 200:
                        assert await response.json() == {"status": "ok"}
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError("the bot's /healthz never answered")


async def greet_both(emulator: TelegramEmulator) -> None:
    for user in (RU_USER, EN_USER):
        emulator.deliver(emulator.user_message(user, "/start"))
    ru = await emulator.wait_for_messages(RU_USER.id, 1, timeout=15)
    en = await emulator.wait_for_messages(EN_USER.id, 1, timeout=15)
    assert "Здравствуйте, Иван!" in ru[0].text
    assert "Hello, John!" in en[0].text


async def test_run_without_token_is_one_line_and_exit_2(tmp_path: Path) -> None:
    code, _out, err = await run_cli("run", env=clean_env(), cwd=tmp_path)
    assert code == 2
    assert err.strip().count("\n") == 0 and "BOT_TOKEN" in err and "Traceback" not in err


async def test_malformed_setting_names_the_variable(tmp_path: Path) -> None:
    code, _, err = await run_cli("run", env=clean_env(BOT_TOKEN="123:abc", HTTP_PORT="eighty"), cwd=tmp_path)
    assert code == 2 and err.startswith("HTTP_PORT:") and "Traceback" not in err


async def test_polling_on_sqlite_answers_start(emulator: TelegramEmulator, tmp_path: Path) -> None:
    port = free_port()
    env = clean_env(
        BOT_TOKEN="123:abc",
        TELEGRAM_API_URL=emulator.base_url,
        HTTP_HOST="127.0.0.1",
        HTTP_PORT=str(port),
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/bot.sqlite3",
        ADMIN_IDS=str(STAFF.id),
        SUPPORT_IDS="5004",  # never wrote to the bot: Telegram knows no such chat, and `run` goes on
    )
    emulator.user_message(STAFF, "/help")  # the admin's chat exists before the start
    async with bot_process(env, tmp_path, port):
        await greet_both(emulator)
        # The command lists, set at the start: everyone's in both languages, the admin's own with the desk.
        assert [c["command"] for c in emulator.commands[('{"type":"default"}', "")]][:2] == ["start", "menu"]
        assert emulator.commands[('{"type":"default"}', "en")][1] == {"command": "menu", "description": "main menu"}
        assert [c["command"] for c in emulator.chat_commands(STAFF.id)][-9:] == [
            "admin",
            "find",
            "queue",
            "stats",
            "audit",
            "import",
            "export",
            "broadcast",
            "roles",
        ]
        assert emulator.chat_commands(STAFF.id, "en")[-1] == {
            "command": "roles",
            "description": "grant and revoke staff roles",
        }
        assert emulator.chat_commands(5004) is None
    assert (tmp_path / "bot.sqlite3").exists()  # created and migrated by `run` itself


async def test_polling_on_postgres_and_redis_answers_start(
    emulator: TelegramEmulator, tmp_path: Path, postgres_url: str, redis_url: str
) -> None:
    port = free_port()
    env = clean_env(
        BOT_TOKEN="123:abc",
        TELEGRAM_API_URL=emulator.base_url,
        HTTP_HOST="127.0.0.1",
        HTTP_PORT=str(port),
        DATABASE_URL=postgres_url,
        REDIS_URL=redis_url,
        OTP_SECRET="s3cret",
    )
    async with bot_process(env, tmp_path, port):
        await greet_both(emulator)


async def test_webhook_checks_the_secret_and_handles_updates(emulator: TelegramEmulator, tmp_path: Path) -> None:
    port = free_port()
    env = clean_env(
        BOT_TOKEN="123:abc",
        TELEGRAM_API_URL=emulator.base_url,
        HTTP_HOST="127.0.0.1",
        HTTP_PORT=str(port),
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/bot.sqlite3",
        WEBHOOK_BASE_URL=f"http://127.0.0.1:{port}",
        WEBHOOK_SECRET="webhook-secret_1",
    )
    async with bot_process(env, tmp_path, port):
        update = emulator.user_message(RU_USER, "/start")
        url = f"http://127.0.0.1:{port}/telegram/webhook"
        async with aiohttp.ClientSession() as http:
            async with http.post(url, json=update) as response:
                assert response.status == 401
            async with http.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}) as response:
                assert response.status == 401
        assert emulator.messages(RU_USER.id) == []
        code, _out, err = await run_cli("set-webhook", env=env, cwd=tmp_path)
        assert code == 0, err
        assert emulator.webhook["url"] == url and emulator.webhook["secret_token"] == "webhook-secret_1"
        assert emulator.commands[('{"type":"default"}', "")][0]["command"] == "start"  # set once per deploy too
        emulator.deliver(emulator.user_message(EN_USER, "/start"))  # the emulator posts it with the secret
        en = await emulator.wait_for_messages(EN_USER.id, 1, timeout=15)
        assert "Hello, John!" in en[0].text


async def test_healthz_names_what_is_down(emulator: TelegramEmulator, tmp_path: Path) -> None:
    port, nothing_there = free_port(), free_port()
    env = clean_env(
        BOT_TOKEN="123:abc",
        TELEGRAM_API_URL=emulator.base_url,
        HTTP_HOST="127.0.0.1",
        HTTP_PORT=str(port),
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/bot.sqlite3",
        REDIS_URL=f"redis://127.0.0.1:{nothing_there}/0",
        OTP_SECRET="s3cret",
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        async with aiohttp.ClientSession() as http:
            for _ in range(200):
                try:
                    async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                        status, body = response.status, await response.json()
                        break
                except aiohttp.ClientError:
                    await asyncio.sleep(0.1)
            else:
                raise AssertionError("the bot's /healthz never answered")
        assert (status, body) == (503, {"status": "unavailable", "down": ["redis"]})
    finally:
        process.kill()
        await process.wait()
