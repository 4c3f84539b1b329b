"""`run`: the bot, polling by default, webhook mode when WEBHOOK_BASE_URL is set."""

from bot.commands.base import command_parser
from core.settings import Settings

DESCRIPTION = """\
Run the bot until SIGTERM or SIGINT.

Without WEBHOOK_BASE_URL it long-polls Telegram (one process per token: Telegram refuses a second
poller); with it, it serves the webhook at WEBHOOK_BASE_URL + WEBHOOK_PATH (several replicas may).
Either way it serves /healthz, YooKassa's notifications (POST /yookassa/notifications) and, with
METRICS_TOKEN, /metrics on HTTP_HOST:HTTP_PORT.

On SQLite (the default DATABASE_URL) the database is created and migrated, and the scheduled jobs
and the notices run in this process; on PostgreSQL run `migrate` first and a `worker` beside it.

Needs BOT_TOKEN; every setting is read from the environment or ./.env (README, Configuration).
Exit status 2 with one line naming a missing or malformed setting."""


def add_parser(subparsers) -> None:
    parser = command_parser(
        subparsers,
        "run",
        help="run the bot (polling, or webhook when WEBHOOK_BASE_URL is set)",
        description=DESCRIPTION,
    )
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
