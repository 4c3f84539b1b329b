"""`sandbox`: chat with the real bot in the terminal, against emulated Telegram, SMS and e-mail.

The one seam between the product and its test stand-ins (`emulators/`): nothing else in `bot/` or
`core/` imports them (tests/test_layers.py checks), so the product never depends on them.
"""

from core.settings import Settings


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "sandbox", help="chat with the bot in this terminal (offline: no token, no network, sample data)"
    )
    parser.set_defaults(handler=run)


async def run(_args, settings: Settings) -> int:
    # Imported here, not above: the seam stays in this function, and aiogram takes seconds to import.
    from emulators.terminal import run_sandbox

    await run_sandbox(settings)
    return 0
