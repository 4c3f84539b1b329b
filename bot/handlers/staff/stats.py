"""/stats (support and admins): how things stand, as `core/services/stats.py` counts it."""

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message
from aiogram_i18n import I18nContext

from bot.filters import Allowed
from bot.handlers.staff.refusals import refused_command
from bot.views.desk_stats import stats_screen
from core.actors import Capability, Forbidden, Viewer
from core.calendar import Clock
from core.services.stats import StatsService


async def stats_command(message: Message, i18n: I18nContext, viewer: Viewer, stats: StatsService, clock: Clock) -> None:
    try:
        figures = await stats.for_staff(viewer.telegram_id)
    except Forbidden:
        await refused_command(message, i18n)
        return
    await message.answer(stats_screen(i18n, figures, clock.now(), clock.zone))


def create_router() -> Router:
    router = Router(name="staff-stats")
    router.message.register(stats_command, Command("stats"), Allowed(Capability.STATS))
    return router
