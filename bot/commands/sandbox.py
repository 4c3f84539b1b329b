"""`sandbox`: chat with the real bot in the terminal, against emulated Telegram, SMS and e-mail.

The one seam between the product and its test stand-ins (`emulators/`): nothing else in `bot/` or
`core/` imports them (tests/test_layers.py checks), so the product never depends on them.
"""

from bot.commands.base import command_parser
from core.settings import Settings

DESCRIPTION = """\
Chat with the real bot in this terminal against an emulated Telegram, YooKassa, SMS gateway and
SMTP server: no token, no network. A fresh SQLite database in a temporary folder is loaded with the
sample files (programs, clinics, registry, deposits); today is 26.11.2026 unless BOT_TODAY is set.

Type text to send it; `!N` presses button N of the latest message with buttons, `!M.N` button N of
message #M; `!help` in the sandbox lists every `!` command (contacts, files, photos, users, payments).
Popups and alerts are printed, and documents the bot sends are saved to a folder printed at the start.
With --webapp the personal and payment views are Mini App pages (PRIVATE_VIEWS=webapp), served on
loopback: the chat shows Open buttons, and `!page` prints a page's address, signed as Telegram opens it,
to open in a browser."""


def add_parser(subparsers) -> None:
    parser = command_parser(
        subparsers,
        "sandbox",
        help="chat with the bot in this terminal (offline: no token, no network, sample data)",
        description=DESCRIPTION,
    )
    parser.add_argument("--webapp", action="store_true", help="the private views as Mini App pages")
    parser.set_defaults(handler=run)


async def run(args, settings: Settings) -> int:
    # Imported here, not above: the seam stays in this function, and aiogram takes seconds to import.
    from emulators.terminal import run_sandbox

    await run_sandbox(settings, webapp=args.webapp)
    return 0
