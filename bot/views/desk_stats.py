"""The desk's /stats screen: the figures of `core.desk.stats` in the viewer's language — this week's
registrations and refusals, the invoices, payments and refunds with their amounts, what waits for staff,
and the outbox's backlog."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram_i18n import I18nContext

from bot.views.desk_queue import age
from bot.views.kit import day, lines, moment, rub, variant
from core.desk.stats import Figures, Tally


def _breakdown(i18n: I18nContext, prefix: str, counts: Mapping[str, int]) -> list[str]:
    return [i18n.get("desk-stats-entry", what=i18n.get(variant(prefix, code)), count=n) for code, n in counts.items()]


def _tally(i18n: I18nContext, key: str, tally: Tally) -> str:
    return i18n.get(key, count=tally.count, amount=rub(i18n, tally.kopecks))


def stats_screen(i18n: I18nContext, figures: Figures, now: datetime, zone: ZoneInfo) -> str:
    invoices, oldest = figures.invoices, figures.outbox_oldest
    backlog = i18n.get("desk-stats-outbox", count=figures.outbox_pending)
    if oldest is not None:
        since = moment(i18n, oldest.astimezone(zone))
        backlog += i18n.get("desk-stats-outbox-oldest", since=since, age=age(i18n, oldest, now))
    return lines(
        i18n.get("desk-stats-title"),
        i18n.get("desk-stats-registered", count=figures.registered),
        "\n" + i18n.get("desk-stats-week", first=day(i18n, figures.week.first), last=day(i18n, figures.week.last)),
        i18n.get("desk-stats-registrations", count=sum(figures.registrations.values())),
        *_breakdown(i18n, "desk-stats-way", figures.registrations),
        i18n.get("desk-stats-refusals", count=sum(figures.refusals.values())),
        *_breakdown(i18n, "desk-stats-reason", figures.refusals),
        "\n" + i18n.get("desk-stats-invoices"),
        _tally(i18n, "desk-stats-invoices-issued", invoices.issued),
        _tally(i18n, "desk-stats-invoices-paid", invoices.paid),
        _tally(i18n, "desk-stats-invoices-overdue", invoices.overdue),
        _tally(i18n, "desk-stats-invoices-cancelled", invoices.cancelled),
        _tally(i18n, "desk-stats-payments", figures.payments),
        _tally(i18n, "desk-stats-refunds", figures.refunds),
        "\n" + i18n.get("desk-stats-waiting"),
        i18n.get("desk-stats-disputes", open=figures.disputes_open, late=figures.disputes_late),
        i18n.get("desk-stats-requests", requests=figures.requests_open, questions=figures.questions_open),
        backlog,
    )
