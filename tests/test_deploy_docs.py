"""Deploying from the README: `.env.example` and the README name every setting the code reads, docker compose
cannot start two long-polling replicas, the README names YooKassa's notification URL and an import inside
the container, and only the process that sends codes warns about the development fallbacks."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.factory.app import build_app
from bot.factory.web import NOTIFICATIONS_PATH
from core.settings import Settings

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
ENV_EXAMPLE = (REPO / ".env.example").read_text(encoding="utf-8")
COMPOSE = (REPO / "docker-compose.yml").read_text(encoding="utf-8")
VARIABLES = sorted(name.upper() for name in Settings.model_fields)


@pytest.mark.parametrize("name", VARIABLES)
def test_env_example_lists_every_setting(name: str) -> None:
    assert re.search(rf"^#? ?{name}=", ENV_EXAMPLE, re.M), f"{name} is missing from .env.example"


@pytest.mark.parametrize("name", VARIABLES)
def test_the_readme_explains_every_setting(name: str) -> None:
    assert f"`{name}`" in README, f"{name} is missing from the README's Configuration"


def test_the_example_and_compose_run_webhook_replicas() -> None:
    # Copied as they are, two replicas must not both long-poll one token.
    assert re.search(r"^WEBHOOK_BASE_URL=https://", ENV_EXAMPLE, re.M)
    assert re.search(r"^WEBHOOK_SECRET=\S+", ENV_EXAMPLE, re.M)
    assert "WEBHOOK_BASE_URL: ${WEBHOOK_BASE_URL:?" in COMPOSE


def test_the_readme_names_the_notification_url_and_an_import_in_the_container() -> None:
    assert f"https://bot.example.ru{NOTIFICATIONS_PATH}" in README
    assert re.search(r'docker compose run --rm -v "\$PWD/imports:/imports" bot-a import registry /imports/', README)


def test_an_import_says_nothing_about_sms_or_e_mail(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k.upper() not in VARIABLES}
    env["DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite3'}"
    done = subprocess.run(
        [sys.executable, "-m", "bot", "import", "programs", str(REPO / "emulators/data/programs.csv")],
        cwd=tmp_path,  # no .env here
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "imported" in done.stdout
    assert "development only" not in done.stdout + done.stderr


async def test_the_bot_process_warns_about_both_fallbacks(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    settings = Settings(
        _env_file=None, bot_token="123456:TEST", database_url=f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite3'}"
    )
    with caplog.at_level(logging.WARNING):
        app = await build_app(settings)
        await app.close()
    warnings = [r.getMessage() for r in caplog.records if "development only" in r.getMessage()]
    assert len(warnings) == 2 and any("SMS_GATEWAY_URL" in w for w in warnings)
    assert any("SMTP_URL" in w for w in warnings)
