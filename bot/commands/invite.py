"""`invite POLICY` prints a personal deep link; `invite --all-unregistered --out FILE.csv` writes
policy, e-mail and link for everyone not registered yet, for the insurer's mail merge."""

from __future__ import annotations

from pathlib import Path

from bot.commands.base import EXIT_OK, UsageError, command_parser
from bot.factory.cli import command_container
from core.errors import InputError
from core.files import write_table
from core.services.invites import deep_link
from core.settings import Settings

DESCRIPTION = """\
Print a personal registration link (https://t.me/BOT?start=...) for one policy, or write the policy,
e-mail and link of every adult with no account whose policy is neither expired nor removed to a CSV
or XLSX file, for the insurer's mail merge. A link works once, for 30 days.

The bot's username comes from BOT_USERNAME, or is asked of Telegram with BOT_TOKEN."""


def add_parser(subparsers) -> None:
    parser = command_parser(subparsers, "invite", help="make personal registration links", description=DESCRIPTION)
    parser.add_argument("policy", nargs="?", help="policy number of one person")
    parser.add_argument("--all-unregistered", action="store_true", help="a link for everyone not registered yet")
    parser.add_argument("--out", help="CSV (or .xlsx) file to write (with --all-unregistered)")
    parser.set_defaults(handler=run)


async def bot_username(settings: Settings) -> str:
    if settings.bot_username:
        return settings.bot_username
    if not settings.bot_token:
        raise UsageError("BOT_USERNAME is not set (and there is no BOT_TOKEN to ask Telegram)")
    # Imported here: aiogram takes seconds to import, and the other commands need none of it.
    from aiogram.exceptions import TelegramAPIError

    from bot.factory.telegram import create_bot

    bot = create_bot(settings)
    try:
        return (await bot.get_me()).username
    except (TelegramAPIError, OSError) as exc:
        raise UsageError(f"BOT_USERNAME is not set and Telegram could not be asked ({type(exc).__name__})") from None
    finally:
        await bot.session.close()


async def run(args, settings: Settings) -> int:
    if bool(args.policy) == bool(args.all_unregistered) or (args.all_unregistered and not args.out):
        raise UsageError("usage: invite POLICY | invite --all-unregistered --out FILE.csv")
    username = await bot_username(settings)
    async with command_container(settings) as container:
        if args.policy:
            try:
                invite = await container.invites.for_policy(args.policy)
            except InputError:
                invite = None
            if invite is None:
                raise UsageError(f"no insured person with policy number {args.policy}")
            print(deep_link(username, invite.token))
            return EXIT_OK
        invites = await container.invites.for_all_unregistered()
    try:
        # Neutralised (core/files): an e-mail such as "=1+2@example.ru" is valid, and no formula.
        rows = ([i.policy_number, i.email or "", deep_link(username, i.token)] for i in invites)
        write_table(Path(args.out), ["policy_number", "email", "link"], rows)
    except OSError as exc:
        raise UsageError(f"cannot write {args.out}: {exc.strerror}") from None
    print(f"{len(invites)} links written to {args.out}")
    return EXIT_OK
