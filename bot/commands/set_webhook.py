"""`set-webhook`: tell Telegram where to post updates; once per deploy, not from every replica.

The container, the Bot and the Dispatcher (the update types asked for are those its routers handle); no
worker, no web application."""

from bot.commands.base import UsageError
from bot.factory.cli import command_container
from core.settings import Settings


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("set-webhook", help="register WEBHOOK_BASE_URL + WEBHOOK_PATH with Telegram")
    parser.set_defaults(handler=run)


async def run(_args, settings: Settings) -> int:
    # aiogram takes seconds to import: only when needed
    from bot.factory.telegram import create_bot, create_dispatcher
    from bot.i18n import create_i18n_core

    if not settings.webhook_mode:
        raise UsageError("WEBHOOK_BASE_URL is not set")
    async with command_container(settings) as container:
        bot = create_bot(settings)
        try:
            url = settings.webhook_base_url.rstrip("/") + settings.webhook_path
            await bot.set_webhook(
                url,
                secret_token=settings.webhook_secret,
                allowed_updates=create_dispatcher(container, create_i18n_core()).resolve_used_update_types(),
            )
        finally:
            await bot.session.close()
    print(f"webhook set to {url}")
    return 0
