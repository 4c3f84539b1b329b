"""`set-webhook`: tell Telegram where to post updates, and set the command lists; once per deploy, not from
every replica.

The container, the Bot and the Dispatcher (the update types asked for are those its routers handle); no
worker, no web application."""

from bot.commands.base import UsageError, command_parser
from bot.factory.cli import command_container
from core.settings import Settings

DESCRIPTION = """\
Tell Telegram to post updates to WEBHOOK_BASE_URL + WEBHOOK_PATH (default /telegram/webhook) with
WEBHOOK_SECRET, for the update types the bot handles, and set the command lists: everyone's (Russian,
and English for `en`) and each staff member's own.

Once per deploy, from one place (`docker compose run --rm bot-a set-webhook`), not from every
replica. Needs BOT_TOKEN and WEBHOOK_BASE_URL (exit 2 without it). Prints the URL set."""


def add_parser(subparsers) -> None:
    parser = command_parser(
        subparsers,
        "set-webhook",
        help="register WEBHOOK_BASE_URL + WEBHOOK_PATH with Telegram",
        description=DESCRIPTION,
    )
    parser.set_defaults(handler=run)


async def run(_args, settings: Settings) -> int:
    # aiogram takes seconds to import: only when needed
    from bot.command_lists import set_all_lists
    from bot.factory.telegram import create_bot, create_dispatcher
    from bot.i18n import create_i18n_core

    if not settings.webhook_mode:
        raise UsageError("WEBHOOK_BASE_URL is not set")
    async with command_container(settings) as container:
        bot = create_bot(settings)
        i18n = create_i18n_core()
        try:
            url = settings.webhook_base_url.rstrip("/") + settings.webhook_path
            await bot.set_webhook(
                url,
                secret_token=settings.webhook_secret,
                allowed_updates=create_dispatcher(container, i18n).resolve_used_update_types(),
            )
            # Once per deploy too: everyone's command lists and each staff member's own.
            await set_all_lists(bot, i18n, await container.staff_roles.everyone())
        finally:
            await bot.session.close()
    print(f"webhook set to {url}")
    return 0
