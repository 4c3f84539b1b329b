"""`set-webhook`: tell Telegram where to post updates; once per deploy, not from every replica."""

from bot.commands.base import UsageError
from core.settings import Settings


def add_parser(subparsers) -> None:  # noqa: ANN001
    parser = subparsers.add_parser("set-webhook", help="register WEBHOOK_BASE_URL + WEBHOOK_PATH with Telegram")
    parser.set_defaults(handler=run)


async def run(_args, settings: Settings) -> int:  # noqa: ANN001
    from bot.factory.app import build_app  # aiogram takes seconds to import: only when needed

    if not settings.webhook_mode:
        raise UsageError("WEBHOOK_BASE_URL is not set")
    app = await build_app(settings)
    try:
        url = settings.webhook_base_url.rstrip("/") + settings.webhook_path
        await app.bot.set_webhook(
            url,
            secret_token=settings.webhook_secret,
            allowed_updates=app.dp.resolve_used_update_types(),
        )
    finally:
        await app.close()
    print(f"webhook set to {url}")
    return 0
