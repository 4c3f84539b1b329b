"""The desk's queue screens: the list (oldest first, a kind's filter, paged, masked), one item, the answer's
prompt and preview, and what an action did. Pure functions of the use case's data.

`item_text` is the one place an item's text is built: the item screen, a topic in the staff group and the
item's page (bot/web/webapp/desk.py) show it. With the Mini App's private views (`pages`, `link`) the chat
and the topic show only the item's kind, number and holder (`_headline`) and a button to its page.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from aiogram.types import InlineKeyboardButton
from aiogram_i18n import I18nContext

from bot.callbacks.desk import RecordCb
from bot.callbacks.desk_money import PaymentCardCb
from bot.callbacks.desk_queue import QueueActCb, QueueCb, QueueDraftCb, QueueItemCb, QueueMuteCb
from bot.screens import Screen
from bot.views.kit import (
    button,
    clip,
    day,
    fitting,
    keyboard,
    lines,
    moment,
    page_line,
    page_slice,
    pager,
    rub,
    variant,
)
from bot.views.pages import PageLinks, open_button
from core.desk.queue import ItemAction, ItemKind
from core.services.queue import ItemResult, QueueEntry, QueueItem, QueuePage

LIST_BUDGET = 3500  # UTF-16 units of a page's entries
ITEM_BUDGET = 3700  # of an item's text
MESSAGE_SHOWN = 700  # of one message of a conversation
ICONS = {
    ItemKind.REQUEST: "📝",
    ItemKind.QUESTION: "✉️",
    ItemKind.DISPUTE: "⚖️",
    ItemKind.ANOMALY: "⚠️",
    ItemKind.REFUND: "↩️",
}


def age(i18n: I18nContext, since: datetime, now: datetime) -> str:
    """How long an item has waited: minutes, hours or days."""
    minutes = max(0, int((now - since).total_seconds() // 60))
    if minutes < 60:
        return i18n.get("desk-queue-age-minutes", n=minutes)
    if minutes < 24 * 60:
        return i18n.get("desk-queue-age-hours", n=minutes // 60)
    return i18n.get("desk-queue-age-days", n=minutes // (24 * 60))


def _title(i18n: I18nContext, entry: QueueEntry) -> str:
    return f"{ICONS[entry.kind]} " + i18n.get(
        variant("desk-queue-title", entry.kind), number=str(entry.item_id), subject=_subject(i18n, entry)
    )


def _subject(i18n: I18nContext, entry: QueueEntry) -> str:
    if entry.kind in (ItemKind.REQUEST, ItemKind.QUESTION):
        return i18n.get(variant("request-kind", entry.subject))
    return escape(entry.subject)  # an invoice number, an anomaly's reason


def _who(i18n: I18nContext, entry: QueueEntry) -> str:
    if entry.person is None:
        return i18n.get("desk-queue-not-registered")
    return escape(entry.person) + ("" if entry.registered else " · " + i18n.get("desk-queue-not-registered"))


def _state(i18n: I18nContext, entry: QueueEntry, now: datetime) -> str:
    parts = [i18n.get("desk-queue-waits", age=age(i18n, entry.since, now))]
    if entry.reopened:
        parts.append(i18n.get("desk-queue-reopened"))
    if entry.deadline is not None:
        parts.append(i18n.get("desk-queue-due", date=day(i18n, entry.deadline)))
    if entry.late:
        parts.append(i18n.get("desk-queue-late"))
    if entry.taken is not None:
        parts.append(i18n.get("desk-queue-taken", by=str(entry.taken.by), at=moment(i18n, entry.taken.at)))
    return " · ".join(parts)


def _entry_line(i18n: I18nContext, number: int, entry: QueueEntry, now: datetime) -> str:
    return lines(f"{number}. <b>{_title(i18n, entry)}</b> · {_who(i18n, entry)}", "   " + _state(i18n, entry, now))


def queue_lines(i18n: I18nContext, page: QueuePage) -> list[str]:
    """Every entry of the queue as the list shows it: the desk's page lists them all on one page."""
    return [_entry_line(i18n, n + 1, entry, page.now) for n, entry in enumerate(page.entries)]


def queue_screen(i18n: I18nContext, page: QueuePage, number: int, pages: PageLinks | None = None) -> Screen:
    """`pages` (the Mini App mode): the count and the items' numbers, the list itself on the queue's page."""
    shown, entries = page_slice(page.entries, number)
    chosen = page.chosen
    listed = [] if pages else [_entry_line(i18n, shown.start + n + 1, e, page.now) for n, e in enumerate(entries)]
    filter_name = i18n.get(variant("desk-queue-filter", chosen or "all"))
    text = lines(
        i18n.get("desk-queue-heading", filter=filter_name, count=len(page.entries)),
        i18n.get("desk-queue-muted-line") if page.muted else "",
        page_line(i18n, shown),
        "",
        "\n".join(fitting(listed, LIST_BUDGET)) if listed or pages else i18n.get("desk-queue-empty"),
    )
    items = [
        [
            button(
                clip(f"{shown.start + n + 1}. {ICONS[e.kind]} № {e.item_id}" + (" 🔴" if e.late else ""), 40),
                QueueItemCb(kind=e.kind, item_id=e.item_id),
            )
        ]
        for n, e in enumerate(entries)
    ]
    filters = [
        button(
            ("• " if kind == chosen else "") + i18n.get(variant("desk-queue-filter", kind or "all")),
            QueueCb(kind=kind),
        )
        for kind in (None, *page.kinds)
    ]
    mute = button(i18n.get("desk-queue-unmute" if page.muted else "desk-queue-mute"), QueueMuteCb(kind=chosen))
    return text, keyboard(
        [open_button(i18n, pages.desk_queue())] if pages else [],
        *items,
        pager(i18n, shown, lambda to: QueueCb(kind=chosen, page=to)),
        filters[:3],
        filters[3:],
        [mute],
    )


def item_text(i18n: I18nContext, item: QueueItem, now: datetime) -> str:
    """The item as staff read it: what, who (masked), since when, the deadline, the user's words (escaped),
    the conversation, who holds it. The one place an item's text is built (the staff group's topics too)."""
    entry = item.entry
    head = [
        f"<b>{_title(i18n, entry)}</b>",
        i18n.get("desk-queue-who", who=_who(i18n, entry)),
        i18n.get("desk-queue-since", at=moment(i18n, entry.since), age=age(i18n, entry.since, now)),
    ]
    if entry.deadline is not None:
        late = " " + i18n.get("desk-queue-late") if entry.late else ""
        head.append(i18n.get("desk-queue-deadline", date=day(i18n, entry.deadline)) + late)
    if item.dispute is not None:
        d = item.dispute
        head.append(i18n.get("desk-queue-dispute-line", date=day(i18n, d.service_date), copay=rub(i18n, d.copay)))
    if item.refund is not None:
        r = item.refund
        head.append(
            i18n.get(
                "desk-queue-refund",
                id=str(r.refund_id),
                provider=escape(r.provider_id or "—"),
                amount=rub(i18n, r.amount),
                status=escape(r.status),
                reason=escape(r.anomaly),
            )
        )
    if item.payment is not None:
        p = item.payment
        head.append(
            i18n.get(
                "desk-queue-payment",
                id=str(p.payment_id),
                provider=escape(p.provider_id or "—"),
                amount=rub(i18n, p.amount),
                status=escape(p.status),
                reason=escape(p.anomaly),
                invoices=escape(", ".join(p.invoices) or "—"),
            )
        )
    if item.preferred_time:
        head.append(i18n.get("desk-queue-preferred-time", time=escape(item.preferred_time)))
    head.append(_holder(i18n, item))
    words = [i18n.get("desk-queue-text"), escape(clip(item.text, MESSAGE_SHOWN * 3))] if item.text else []
    said = [
        i18n.get(
            "desk-queue-said-staff" if m.from_staff else "desk-queue-said-user",
            at=moment(i18n, m.at),
            text=escape(clip(m.text, MESSAGE_SHOWN)),
        )
        for m in reversed(item.conversation)
    ]
    budget = ITEM_BUDGET - sum(len(part) + 1 for part in head + words)
    newest = list(reversed(fitting(said, max(0, budget - 100), "\n\n")))
    conversation = [i18n.get("desk-queue-conversation"), "\n\n".join(newest)] if newest else []
    return "\n".join([*head, "", *words, *(["", *conversation] if conversation else [])]).strip()


def _holder(i18n: I18nContext, item: QueueItem) -> str:
    """Closed, or who holds it (a staff member's Telegram id), or nobody."""
    taken = item.entry.taken
    if not item.is_open:
        return i18n.get("desk-queue-closed")
    if taken is not None:
        return i18n.get("desk-queue-taken-by", by=str(taken.by), at=moment(i18n, taken.at))
    return i18n.get("desk-queue-nobody")


def _headline(i18n: I18nContext, item: QueueItem) -> str:
    """In the Mini App mode, all the chat and the staff group say of an item: its kind, number and holder."""
    return lines(f"<b>{topic_name(i18n, item.entry.kind, item.entry.item_id)}</b>", _holder(i18n, item))


def item_screen(
    i18n: I18nContext, item: QueueItem, now: datetime, note: str = "", pages: PageLinks | None = None
) -> Screen:
    """`pages` (the Mini App mode): the item's number and an Open button to its page instead of its text,
    the taking and answering buttons as they are."""
    entry = item.entry
    acts = []
    for action in item.actions:
        seen = entry.taken.by if action is ItemAction.TAKE_OVER and entry.taken else 0
        label = i18n.get(variant("desk-queue-act", action), by=str(seen))
        acts.append([button(label, QueueActCb(kind=entry.kind, item_id=entry.item_id, action=action, seen=seen))])
    record = []
    if item.record:
        opened = RecordCb(person_id=item.person_id, kind=entry.kind, item_id=entry.item_id)
        record = [[button(i18n.get("desk-queue-record"), opened)]]
    paid = item.payment.payment_id if item.payment is not None and item.record else None
    if paid is not None:  # its details, and an admin's money actions on it
        record.append([button(i18n.get("desk-queue-payment-open"), PaymentCardCb(payment_id=paid))])
    back = [button(i18n.get("desk-queue-back"), QueueCb(kind=entry.kind))]
    if pages is not None:  # the payment as its page: the chat's card shows amounts
        opened = [[open_button(i18n, pages.desk_item(entry.kind.value, entry.item_id))]]
        if paid is not None:
            opened.append([open_button(i18n, pages.desk_payment(paid), i18n.get("desk-queue-payment-open"))])
        return lines(note, _headline(i18n, item)), keyboard(*acts, *opened, back)
    text = item_text(i18n, item, now)
    return lines(note, text) if note else text, keyboard(*acts, *record, back)


def topic_name(i18n: I18nContext, kind: ItemKind, item_id: int) -> str:
    """A topic's name in the staff group: the item's kind and number, nothing about the person."""
    return i18n.get("desk-topic-name", kind=i18n.get(variant("desk-queue-kind", kind)), number=str(item_id))


def topic_screen(i18n: I18nContext, item: QueueItem, now: datetime, link: str | None = None) -> Screen:
    """The item's first message in its topic: its text (`item_text`) and the queue's actions as buttons,
    for whichever staff member presses them (the use case decides for the presser): take it, or take it
    over from its taker or release it; then answer (by replying in the topic) or close it, or accept or
    reject a dispute. A closed item has none. `link` (the Mini App mode): the item's kind, number and holder
    instead of its text, and a button to its page (a plain link: a group may not carry `web_app` buttons)."""
    entry = item.entry
    text = item_text(i18n, item, now) if link is None else _headline(i18n, item)
    opened = [InlineKeyboardButton(text=i18n.get("pages-open-button"), url=link)] if link else []
    if not item.is_open:
        return text, keyboard(opened)
    taker = entry.taken.by if entry.taken else 0
    holding = [ItemAction.TAKE] if not taker else [ItemAction.TAKE_OVER, ItemAction.RELEASE]
    work = (
        [ItemAction.ACCEPT, ItemAction.REJECT]
        if entry.kind is ItemKind.DISPUTE
        else [ItemAction.ANSWER, ItemAction.CLOSE]
    )
    rows = [
        [
            button(
                i18n.get(variant("desk-queue-act", action), by=str(taker)),
                QueueActCb(
                    kind=entry.kind,
                    item_id=entry.item_id,
                    action=action,
                    seen=taker if action is ItemAction.TAKE_OVER else 0,
                ),
            )
            for action in actions
        ]
        for actions in (holding, work)
    ]
    return text, keyboard(*rows, opened)


def prompt_screen(i18n: I18nContext, kind: ItemKind, item_id: int, action: ItemAction) -> Screen:
    """Type the answer (or the comment on a dispute's verdict) as the next message."""
    drop = QueueDraftCb(kind=kind, item_id=item_id, step="drop")
    return i18n.get(variant("desk-queue-prompt", action), number=str(item_id)), keyboard(
        [button(i18n.get("desk-queue-draft-drop"), drop)]
    )


def preview_screen(
    i18n: I18nContext, kind: ItemKind, item_id: int, action: ItemAction, text: str, pages: PageLinks | None = None
) -> Screen:
    """The answer typed, to send or drop. `pages` (the Mini App mode): its length only, never its words (the
    staff chats carry numbers and links only)."""
    send = QueueDraftCb(kind=kind, item_id=item_id, step="send")
    drop = QueueDraftCb(kind=kind, item_id=item_id, step="drop")
    if pages is not None:
        shown = i18n.get(variant("pages-desk-preview", action), number=str(item_id), length=len(text))
    else:
        shown = i18n.get(variant("desk-queue-preview", action), number=str(item_id), text=escape(text))
    return shown, keyboard(
        [button(i18n.get(variant("desk-queue-send", action)), send)],
        [button(i18n.get("desk-queue-draft-drop"), drop)],
    )


def outcome_note(i18n: I18nContext, action: ItemAction, result: ItemResult) -> str:
    """One line over the item: what the action did, or why not."""
    if result.done:
        return i18n.get(variant("desk-queue-done", action))
    return i18n.get(variant("desk-queue-refused", result.reason if result.reason in _REASONS else "other"))


def gone_screen(i18n: I18nContext, kind: ItemKind | None) -> Screen:
    return i18n.get("desk-queue-gone"), keyboard([button(i18n.get("desk-queue-back"), QueueCb(kind=kind))])


_REASONS = ("not_found", "taken", "not_held", "changed")
