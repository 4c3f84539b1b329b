"""`sandbox`: chat with the real bot in the terminal, against emulated Telegram, SMS and e-mail."""

from core.settings import Settings


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "sandbox", help="chat with the bot in this terminal (offline: no token, no network, sample data)"
    )
    parser.set_defaults(handler=run)


async def run(_args, settings: Settings) -> int:
    from emulators.terminal import run_sandbox  # aiogram takes seconds to import: only when needed

    await run_sandbox(settings)
    return 0
