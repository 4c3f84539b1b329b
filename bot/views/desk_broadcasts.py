"""The screens of /broadcast: the dialog's steps, the preview (the sample itself is the notice's own
rendering, `bot/views/notices.py`, so it is the message exactly as recipients will get it) and the
progress message with its Refresh and Stop buttons."""

from __future__ import annotations

from html import escape

from aiogram_i18n import I18nContext

from bot.callbacks.desk_broadcasts import BroadcastDraftCb, BroadcastRunCb, DraftStep, RunAction
from bot.screens import Screen as ChatScreen
from bot.views.kit import button, keyboard, lines
from bot.views.notices import SCREENS, RenderedNotice, render_notice
from core.desk.broadcasts import MAX_TEXT, BroadcastStatus, Screen, Segment
from core.notices import BroadcastMessage
from core.services.broadcasts import BroadcastView, Draft


def _cancel(i18n: I18nContext) -> list:
    return [button(i18n.get("desk-broadcast-cancel"), BroadcastDraftCb(step=DraftStep.DROP))]


def ask_text(i18n: I18nContext) -> ChatScreen:
    return i18n.get("desk-broadcast-ask-text", max=MAX_TEXT), keyboard(_cancel(i18n))


def ask_screen(i18n: I18nContext) -> ChatScreen:
    rows = [
        [button(i18n.get(SCREENS[screen][0]), BroadcastDraftCb(step=DraftStep.SCREEN, screen=screen))]
        for screen in Screen
    ]
    rows.append([button(i18n.get("desk-broadcast-no-screen"), BroadcastDraftCb(step=DraftStep.SCREEN))])
    return i18n.get("desk-broadcast-ask-screen"), keyboard(*rows, _cancel(i18n))


def ask_segment(i18n: I18nContext) -> ChatScreen:
    rows = [
        [button(segment_name(i18n, segment), BroadcastDraftCb(step=DraftStep.SEGMENT, segment=segment))]
        for segment in Segment
    ]
    return i18n.get("desk-broadcast-ask-segment"), keyboard(*rows, _cancel(i18n))


def ask_value(i18n: I18nContext, segment: Segment) -> ChatScreen:
    return i18n.get(f"desk-broadcast-ask-{segment.value}"), keyboard(_cancel(i18n))


def segment_name(i18n: I18nContext, segment: Segment, value: str | None = None) -> str:
    name = i18n.get(f"desk-broadcast-segment-{segment.value}")
    return f"{name}: {escape(value)}" if value else name


def sample(i18n: I18nContext, draft: Draft) -> RenderedNotice:
    """The broadcast as a recipient reading this language will get it."""
    notice = BroadcastMessage(to=0, broadcast_id=0, screen=draft.screen)
    return render_notice(i18n.core, notice, i18n.locale, quoted=draft.text)


def preview(i18n: I18nContext, draft: Draft, recipients: int, hours: tuple[int, int]) -> ChatScreen:
    segment = segment_name(i18n, draft.segment, draft.value)
    start, end = hours
    text = lines(
        i18n.get("desk-broadcast-preview", segment=segment, count=recipients, start=start, end=end),
        "" if recipients else i18n.get("desk-broadcast-nobody"),
    )
    send = [button(i18n.get("desk-broadcast-send", count=recipients), BroadcastDraftCb(step=DraftStep.SEND))]
    return text, keyboard(send if recipients else [], _cancel(i18n))


def progress(i18n: I18nContext, view: BroadcastView) -> ChatScreen:
    counts = view.counts
    text = lines(
        i18n.get("desk-broadcast-progress", number=view.id, status=view.status.value),
        i18n.get(
            "desk-broadcast-counts",
            total=counts.total,
            sent=counts.sent,
            blocked=counts.blocked,
            failed=counts.failed,
        ),
        i18n.get("desk-broadcast-cancelled", count=view.cancelled) if view.cancelled else "",
        "" if view.queued or view.status is not BroadcastStatus.RUNNING else i18n.get("desk-broadcast-queuing"),
    )
    if view.status is not BroadcastStatus.RUNNING:
        return text, None
    row = [
        button(i18n.get("desk-broadcast-refresh"), BroadcastRunCb(broadcast_id=view.id, action=RunAction.REFRESH)),
        button(i18n.get("desk-broadcast-stop"), BroadcastRunCb(broadcast_id=view.id, action=RunAction.STOP)),
    ]
    return text, keyboard(row)
