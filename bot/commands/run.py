"""`run`: the bot, polling by default, webhook mode when WEBHOOK_BASE_URL is set."""

from core.settings import Settings


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("run", help="run the bot (polling, or webhook when WEBHOOK_BASE_URL is set)")
    parser.set_defaults(handler=run)


async def run(_args, settings: Settings) -> int:
    # Imported here: aiogram takes seconds to import, and commands such as `import` need none of it.
    from bot.factory.app import build_app
    from bot.runners.polling import run_polling
    from bot.runners.webhook import run_webhook

    settings.require_token()
    app = await build_app(settings)
    try:
        await (run_webhook(app) if settings.webhook_mode else run_polling(app))
    finally:
        await app.close()
    return 0
