"""The notices the bot sends on its own: one frozen dataclass per kind, saying what it carries, whom it goes
to (`to`, a Telegram id) and the buttons under it. Pure data: `bot/views/notices.py` renders each kind.

A notice is stored as an outbox row (`uow.outbox.add`): its `kind` and its `payload()`, JSON of ids,
numbers, amounts in kopecks and ISO dates (names are looked up when it is sent). Rows outlive a release,
so a kind and its payload keys never change meaning: a new field gets a default (left out of the payload
while at it, and assumed for the rows written before it), a new meaning gets a new kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import MISSING, dataclass, fields
from datetime import date
from enum import Enum, StrEnum
from functools import cache
from typing import Any, ClassVar, get_args, get_origin, get_type_hints

from core.billing.cards import ExpiryNotice
from core.billing.facts import OverdueRule
from core.billing.payments import RefundReason
from core.billing.reminders import Reminder, StaffReminder
from core.billing.status import InvoiceStatus
from core.cabinet.requests import RequestKind
from core.desk.broadcasts import Screen
from core.desk.queue import ItemKind


class UnknownNotice(ValueError):
    """A kind this version cannot read or render, or a payload without what its kind needs."""


class NoticeButton(StrEnum):
    """A button under a notice; the bot's views decide its text and what it does."""

    PAY_DUE = "pay_due"  # every unpaid invoice the recipient pays, offered for one payment (as /pay)
    REPLY = "reply"  # the user replies to support's answer: back to the same request
    OPEN_ITEM = "open_item"  # staff: the queue item the notice is about
    PAY_AGAIN = "pay_again"  # the same, after a payment of the recipient's was declined


_KINDS: dict[str, type[Notice]] = {}


@dataclass(frozen=True, kw_only=True)
class Notice:
    """A kind is a subclass naming its stored kind: `class InvoiceIssued(Notice, kind="invoice_issued")`."""

    kind: ClassVar[str]
    buttons: ClassVar[tuple[NoticeButton, ...]] = ()
    to: int  # the recipient's Telegram id

    def __init_subclass__(cls, kind: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if kind is None:  # a base of several kinds (PaymentNotice)
            return
        if kind in _KINDS:
            raise TypeError(f"notice kind {kind!r} defined twice")
        cls.kind = kind
        _KINDS[kind] = cls

    def payload(self) -> dict[str, Any]:
        """What the outbox row stores; a field at its default is left out."""
        stored = {}
        for name, _, default in _schema(type(self)):
            value = getattr(self, name)
            if default is MISSING or value != default:
                stored[name] = _dump(value)
        return stored


def notice_kinds() -> tuple[type[Notice], ...]:
    """Every kind this version knows."""
    return tuple(_KINDS.values())


def read_notice(kind: str, payload: Mapping[str, Any], to: int) -> Notice:
    """A stored row back as its notice; UnknownNotice when this version cannot read it."""
    cls = _KINDS.get(kind)
    if cls is None:
        raise UnknownNotice(kind)
    try:
        values = {
            name: _load(hint, payload[name]) if name in payload or default is MISSING else default
            for name, hint, default in _schema(cls)
        }
    except (KeyError, TypeError, ValueError) as error:
        raise UnknownNotice(f"{kind}: bad payload") from error
    return cls(to=to, **values)


@cache
def _schema(cls: type[Notice]) -> tuple[tuple[str, Any, Any], ...]:
    """(name, type, default or MISSING) of each stored field."""
    hints = get_type_hints(cls)
    return tuple((f.name, hints[f.name], f.default) for f in fields(cls) if f.name != "to")


def _dump(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_dump(item) for item in value]
    if isinstance(value, Enum):
        return value.value
    return value


def _load(hint: Any, value: Any) -> Any:
    """A JSON value as the field's type: TypeError or ValueError when it is not one."""
    args = get_args(hint)
    if type(None) in args:  # X | None
        (inner,) = (arg for arg in args if arg is not type(None))
        return None if value is None else _load(inner, value)
    if get_origin(hint) is tuple:  # tuple[X, ...]
        if not isinstance(value, list | tuple):
            raise TypeError(f"not a list: {value!r}")
        return tuple(_load(args[0], item) for item in value)
    if hint is date:
        return date.fromisoformat(value)
    if issubclass(hint, Enum):
        return hint(value)
    if not isinstance(value, hint) or (isinstance(value, bool) and hint is not bool):
        raise TypeError(f"not {hint.__name__}: {value!r}")
    return value


# --- invoices and access (to the payer)


@dataclass(frozen=True, kw_only=True)
class InvoiceIssued(Notice, kind="invoice_issued"):
    """An invoice issued, to its payer (when their settings want invoice notices)."""

    invoice: str  # its number
    person_id: int  # the insured person it bills
    total: int  # kopecks to pay
    due_on: date
    status: InvoiceStatus
    autopay: bool = False  # the saved card will be charged
    email_needed: bool = False  # autopay on, but no contact for the receipt: not charged


@dataclass(frozen=True, kw_only=True)
class InvoiceMarkedPaid(Notice, kind="invoice_marked_paid"):
    """Staff marked an invoice paid outside the bot (at the clinic's desk, by a bank transfer), to the payer."""

    invoice: str
    person_id: int
    amount: int  # kopecks received for it


@dataclass(frozen=True, kw_only=True)
class InvoiceCancelled(Notice, kind="invoice_cancelled"):
    """Staff cancelled an unpaid invoice: nothing is owed on it any more, to the payer."""

    invoice: str
    person_id: int
    amount: int  # kopecks that were left to pay


@dataclass(frozen=True, kw_only=True)
class AccessRestricted(Notice, kind="access_restricted"):
    """An insured person's access restricted for their overdue invoices, to the payer."""

    person_id: int
    rule: OverdueRule
    since: date
    invoices: tuple[str, ...]  # the overdue invoices' numbers


@dataclass(frozen=True, kw_only=True)
class AccessRestored(Notice, kind="access_restored"):
    """Nothing of an insured person's overdue any more: access restored, to the payer."""

    person_id: int
    on: date


@dataclass(frozen=True, kw_only=True)
class DisputeAnswered(Notice, kind="dispute_answered"):
    """Staff answered a dispute: to the payer and to whoever opened it."""

    person_id: int
    invoice: str
    accepted: bool
    status: InvoiceStatus  # the invoice's, after the answer
    total: int  # kopecks left to pay
    due_on: date
    dispute_id: int | None = None  # its page, in the Mini App mode (absent from the rows written before it)


@dataclass(frozen=True, kw_only=True)
class InvoiceReminder(Notice, kind="invoice_reminder"):
    """An unpaid invoice near or past its due date, to the payer (when their settings want reminders)."""

    invoice: str
    person_id: int
    reminder: Reminder
    total: int  # kopecks to pay
    due_on: date
    invoice_id: int | None = None  # its page, in the Mini App mode (absent from the rows written before it)


@dataclass(frozen=True, kw_only=True)
class PolicyEnded(Notice, kind="policy_ended"):
    """An import ended an insured person's policy, to that person."""

    person_id: int
    on: date


@dataclass(frozen=True, kw_only=True)
class DisputeDeadline(Notice, kind="dispute_deadline"):
    """An open dispute near or past its deadline, to each member of staff."""

    buttons = (NoticeButton.OPEN_ITEM,)
    dispute_id: int
    invoice: str
    deadline: date
    reminder: StaffReminder


# --- the desk's queue


@dataclass(frozen=True, kw_only=True)
class SupportAnswered(Notice, kind="support_answered"):
    """Support's written answer to a request or a question, to the asker, marked as from support. The
    words are read when it is sent (`message_id`, the conversation's row), never kept in the payload;
    `language` is the asker's when they wrote (an account that chose none gets it in that one)."""

    buttons = (NoticeButton.REPLY,)
    request: int  # its number
    request_kind: RequestKind
    message_id: int
    language: str | None = None


@dataclass(frozen=True, kw_only=True)
class QueueItemNew(Notice, kind="queue_item_new"):
    """A new item in the queue (or one the user reopened by replying), to each staff member who works on
    its kind and has not muted these notices."""

    buttons = (NoticeButton.OPEN_ITEM,)
    item: ItemKind
    item_id: int
    reopened: bool = False


@dataclass(frozen=True, kw_only=True)
class DeskTopicOpen(Notice, kind="desk_topic_open"):
    """A new request, question or dispute, to the staff's forum group (`to`: STAFF_CHAT_ID): the sender
    opens its topic (named with its number and kind only) and posts the item with the queue's buttons."""

    item: ItemKind
    item_id: int


@dataclass(frozen=True, kw_only=True)
class DeskTopicChanged(Notice, kind="desk_topic_changed"):
    """An item was taken, released, taken over, answered, closed or reopened, to the staff's forum group
    (`to`: STAFF_CHAT_ID): the sender rewrites the first message of its topic (who holds it, its status),
    opening the topic first when the item has none yet (filed before the group was set, or while Telegram
    refused)."""

    item: ItemKind
    item_id: int


@dataclass(frozen=True, kw_only=True)
class DisputeWritten(Notice, kind="dispute_written"):
    """Support wrote to a dispute's user from its topic in the staff group, the dispute still open: this
    line, then the staff member's message copied as it is (`MessageCopied`), with a Reply button."""

    buttons = (NoticeButton.REPLY,)
    dispute_id: int
    invoice: str


@dataclass(frozen=True, kw_only=True)
class StaffRemovedFromGroup(Notice, kind="staff_removed_from_group"):
    """A member whose role was revoked, to be removed from the staff's forum group (`to`: STAFF_CHAT_ID):
    banned and unbanned at once, so they are out and may be added again later."""

    user: int  # their Telegram id


@dataclass(frozen=True, kw_only=True)
class MessageCopied(Notice, kind="message_copied"):
    """A message copied as it is (a photo, a document, words) from one chat to another: the user's reply
    into their item's topic in the staff group (`item`, `item_id`: the topic), or a staff member's
    attachment from the topic to the user, after support's answer. No `message_id`: the user's reply typed on
    their item's page (the Mini App mode), which the topic is told of, never copied."""

    from_chat: int
    message_id: int | None = None
    item: ItemKind | None = None
    item_id: int | None = None
    # A copy to the user: the item it belongs to, whose page the Mini App mode opens instead of copying.
    about: ItemKind | None = None
    about_id: int | None = None


# --- broadcasts (an admin's message to a segment)


@dataclass(frozen=True, kw_only=True)
class BroadcastMessage(Notice, kind="broadcast"):
    """An admin's broadcast, to one recipient: the words are read from the broadcast when it is sent
    (never copied into a million payloads); `screen`: the bot screen its one button opens, if any. Goes
    out after every service notice, in the daytime only."""

    broadcast_id: int
    screen: Screen | None = None


@dataclass(frozen=True, kw_only=True)
class BroadcastReport(Notice, kind="broadcast_report"):
    """A broadcast has gone to all its recipients, to the admin who sent it: how many got it, how many
    had blocked the bot, how many could not be sent."""

    broadcast_id: int
    sent: int
    blocked: int
    failed: int
    language: str | None = None


# --- payments (to the payer)


@dataclass(frozen=True, kw_only=True)
class PaymentNotice(Notice):
    """What every payment's notice names."""

    payment_id: int
    amount: int  # kopecks
    invoices: tuple[str, ...]  # the numbers of the invoices it is about


@dataclass(frozen=True, kw_only=True)
class PaymentSucceeded(PaymentNotice, kind="payment_succeeded"):
    """A payment went through: `invoices` are the ones it paid, `refund` what comes back for the others."""

    refund: int  # kopecks
    card: str | None = None  # the last digits of the saved card an automatic charge used


@dataclass(frozen=True, kw_only=True)
class PaymentCanceled(PaymentNotice, kind="payment_canceled"):
    """A payment declined or abandoned: its invoices are owed again (and the button to pay them)."""

    buttons = (NoticeButton.PAY_AGAIN,)

    reason: str | None  # the provider's


@dataclass(frozen=True, kw_only=True)
class PaymentRefunded(PaymentNotice, kind="payment_refunded"):
    """A refund arrived: `amount` is the refund's."""

    reason: RefundReason


@dataclass(frozen=True, kw_only=True)
class PaymentChecking(PaymentNotice, kind="payment_checking"):
    """The provider reports something we cannot settle: staff check it."""


# --- saved cards (to the payer)


@dataclass(frozen=True, kw_only=True)
class CardBound(Notice, kind="card_bound"):
    """A card bound by its check payment."""

    card_type: str  # as the provider names it, maybe empty
    last4: str
    expiry_month: int
    expiry_year: int
    autopay: bool


@dataclass(frozen=True, kw_only=True)
class CardNotBound(Notice, kind="card_not_bound"):
    """A card's check payment declined or abandoned: nothing bound."""

    reason: str | None  # the provider's


@dataclass(frozen=True, kw_only=True)
class CardExpiring(Notice, kind="card_expiring"):
    """A saved card expires soon, or today."""

    card_type: str
    last4: str
    when: ExpiryNotice
    expires_on: date


@dataclass(frozen=True, kw_only=True)
class AutopayFailed(Notice, kind="autopay_failed"):
    """An automatic charge not made or declined: the debt, why, and the way to pay it by hand."""

    buttons = (NoticeButton.PAY_DUE,)
    invoices: tuple[str, ...]
    total: int  # kopecks owed
    reason: str | None  # the provider's, or a `core.billing.cards.ChargeSkip` (no card, card expired)
    last4: str | None  # the card it was meant for


__all__ = [
    "AccessRestored",
    "AccessRestricted",
    "AutopayFailed",
    "CardBound",
    "CardExpiring",
    "CardNotBound",
    "DisputeAnswered",
    "DisputeDeadline",
    "InvoiceIssued",
    "InvoiceReminder",
    "Notice",
    "NoticeButton",
    "PaymentCanceled",
    "PaymentChecking",
    "PaymentNotice",
    "PaymentRefunded",
    "PaymentSucceeded",
    "PolicyEnded",
    "QueueItemNew",
    "SupportAnswered",
    "UnknownNotice",
    "notice_kinds",
    "read_notice",
]
