"""`python -m bot COMMAND --help` says what the command does, for every command (the README promises it)."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys

import pytest

from bot.cli import build_parser


def _commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield (*path, name), sub
                yield from _commands(sub, (*path, name))


COMMANDS = dict(_commands(build_parser()))


def _description(help_text: str) -> str:
    """What the help says besides the usage line and the lists of arguments and options."""
    paragraphs = help_text.split("\n\n")
    return "\n\n".join(
        p
        for p in paragraphs
        if not p.startswith("usage:") and not re.match(r"(options|positional arguments|\{)", p.lstrip())
    )


def test_every_command_is_checked() -> None:
    names = {" ".join(path) for path in COMMANDS}
    assert {
        "run",
        "worker",
        "migrate",
        "set-webhook",
        "import",
        "export",
        "invite",
        "jobs",
        "jobs run-daily",
        "jobs retention",
        "sandbox",
    } <= names


@pytest.mark.parametrize("path", list(COMMANDS), ids=lambda p: " ".join(p))
def test_a_commands_help_says_what_it_does(path: tuple[str, ...]) -> None:
    description = _description(COMMANDS[path].format_help())
    assert len(description.split()) >= 12, f"`python -m bot {' '.join(path)} --help` says nothing: {description!r}"


@pytest.mark.parametrize("path", list(COMMANDS), ids=lambda p: " ".join(p))
def test_every_argument_is_explained(path: tuple[str, ...]) -> None:
    for action in COMMANDS[path]._actions:
        if not isinstance(action, argparse._SubParsersAction | argparse._HelpAction):
            assert action.help, f"{' '.join(path)}: {action.dest} has no help"


def test_run_help_from_the_shell() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run", "--help"], capture_output=True, text=True, timeout=60, check=True
    )
    assert "WEBHOOK_BASE_URL" in done.stdout and "BOT_TOKEN" in done.stdout
