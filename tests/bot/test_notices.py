"""Every notice kind: its stored payload as earlier versions wrote it reads back as its dataclass and is
written again unchanged, and renders in both languages with its buttons; a kind or payload this version
cannot read raises UnknownNotice, and the sender counts it as a failed attempt without sending it.

A new kind fails here until it has a stored sample (`STORED`) and a renderer."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import insert, select

from bot.i18n import create_i18n_core
from bot.outbox_sender import OutboxSender
from bot.views.notices import render_notice
from core.db.models import OutboxMessage
from core.notices import InvoiceIssued, Notice, UnknownNotice, notice_kinds, read_notice
from tests.bot.cabinet_fixtures import IVANOV
from tests.bot.outbox_pass import deliver_pending

CORE = create_i18n_core()
PERSON = "Иванов Иван"

# One payload per kind, keys and values as the services have written them (ids, kopecks, ISO dates).
STORED: dict[str, dict] = {
    "invoice_issued": {"invoice": "2026/10/1", "person_id": 3, "total": 8000, "due_on": "2026-11-13", "status": "new"},
    "access_restricted": {"person_id": 3, "rule": "emergency", "since": "2026-11-14", "invoices": ["2026/10/1"]},
    "access_restored": {"person_id": 3, "on": "2026-11-20"},
    "invoice_marked_paid": {"invoice": "2026/10/1", "person_id": 3, "amount": 8000},
    "invoice_cancelled": {"invoice": "2026/10/1", "person_id": 3, "amount": 8000},
    "dispute_answered": {
        "person_id": 3,
        "invoice": "2026/10/1",
        "accepted": False,
        "status": "overdue",
        "total": 40,
        "due_on": "2026-11-20",
    },
    "invoice_reminder": {
        "invoice": "2026/10/1",
        "person_id": 3,
        "reminder": "due_soon",
        "total": 8000,
        "due_on": "2026-11-13",
    },
    "policy_ended": {"person_id": 3, "on": "2026-11-01"},
    "dispute_deadline": {"dispute_id": 7, "invoice": "2026/10/3", "deadline": "2026-11-16", "reminder": "late"},
    "payment_succeeded": {"payment_id": 12, "amount": 5000, "invoices": ["2026/11/1"], "refund": 0, "card": "4444"},
    "payment_canceled": {"payment_id": 12, "amount": 5000, "invoices": ["2026/11/1"], "reason": "card_expired"},
    "payment_refunded": {"payment_id": 12, "amount": 5000, "reason": "double_payment", "invoices": ["2026/11/1"]},
    "payment_checking": {"payment_id": 12, "amount": 5000, "invoices": ["2026/11/1", "2026/11/2"]},
    "card_bound": {"card_type": "Visa", "last4": "1111", "expiry_month": 3, "expiry_year": 2029, "autopay": True},
    "card_not_bound": {"reason": None},
    "card_expiring": {"card_type": "", "last4": "1111", "when": "today", "expires_on": "2026-11-30"},
    "autopay_failed": {"invoices": ["2026/11/1"], "total": 30000, "reason": "no_card", "last4": None},
    "support_answered": {"request": 5, "request_kind": "support", "message_id": 9, "language": "en"},
    "queue_item_new": {"item": "dispute", "item_id": 7, "reopened": True},
    "desk_topic_open": {"item": "question", "item_id": 8},
    "desk_topic_changed": {"item": "dispute", "item_id": 7},
    "dispute_written": {"dispute_id": 7, "invoice": "2026/10/3"},
    "staff_removed_from_group": {"user": 7777},
    "message_copied": {"from_chat": 7001, "message_id": 12, "item": "question", "item_id": 8},
    "broadcast": {"broadcast_id": 4, "screen": "invoices"},
    "broadcast_report": {"broadcast_id": 4, "sent": 1990, "blocked": 7, "failed": 3, "language": "en"},
}
# The words a kind carries by reference, read when it is sent (a broadcast's text), by language.
QUOTED: dict[str, dict[str, str]] = {"broadcast": {"ru": "Список клиник обновлён", "en": "The clinics were updated"}}
# Buttons a kind draws from its payload besides its fixed ones (a broadcast's screen).
EXTRA_BUTTONS = {"broadcast": 1}

KINDS = pytest.mark.parametrize("cls", notice_kinds(), ids=lambda cls: cls.kind)


def test_every_kind_has_a_stored_sample() -> None:
    assert sorted(STORED) == sorted(cls.kind for cls in notice_kinds())


@KINDS
def test_the_stored_payload_reads_back_and_is_written_unchanged(cls: type[Notice]) -> None:
    notice = read_notice(cls.kind, STORED[cls.kind], IVANOV)
    assert type(notice) is cls and notice.to == IVANOV
    assert notice.payload() == STORED[cls.kind]
    assert read_notice(cls.kind, json.loads(json.dumps(notice.payload())), IVANOV) == notice


@KINDS
@pytest.mark.parametrize("language", ["ru", "en"])
def test_every_kind_renders_in_both_languages_with_its_buttons(cls: type[Notice], language: str) -> None:
    quoted = QUOTED.get(cls.kind, {}).get(language)
    rendered = render_notice(CORE, read_notice(cls.kind, STORED[cls.kind], IVANOV), language, PERSON, quoted)
    text = rendered.text
    assert text and "{" not in text and "notice-" not in text
    cyrillic = any("а" <= ch.lower() <= "я" for ch in text.replace(PERSON, ""))
    assert cyrillic == (language == "ru"), text
    rows = rendered.reply_markup.inline_keyboard if rendered.reply_markup else []
    assert len(rows) == len(cls.buttons) + EXTRA_BUTTONS.get(cls.kind, 0)
    assert all(row[0].text and row[0].callback_data for row in rows)


def test_a_field_added_later_is_assumed_for_older_rows() -> None:
    """Invoice notices before automatic charges had no "autopay" nor "email_needed"."""
    notice = read_notice("invoice_issued", STORED["invoice_issued"], IVANOV)
    assert isinstance(notice, InvoiceIssued) and not notice.autopay and not notice.email_needed
    assert "autopay" not in notice.payload()


@pytest.mark.parametrize(
    ("kind", "payload"),
    [
        ("from_a_newer_version", {}),
        ("invoice_issued", {k: v for k, v in STORED["invoice_issued"].items() if k != "total"}),
        ("invoice_issued", {**STORED["invoice_issued"], "total": "8000"}),
        ("invoice_issued", {**STORED["invoice_issued"], "total": True}),
        ("invoice_issued", {**STORED["invoice_issued"], "due_on": "13.11.2026"}),
        ("invoice_issued", {**STORED["invoice_issued"], "status": "lost"}),
        ("autopay_failed", {**STORED["autopay_failed"], "invoices": "2026/11/1"}),
        ("card_bound", {**STORED["card_bound"], "autopay": "yes"}),
        ("card_not_bound", None),
    ],
)
def test_what_this_version_cannot_read(kind: str, payload: dict | None) -> None:
    with pytest.raises(UnknownNotice):
        read_notice(kind, payload, IVANOV)


async def test_the_sender_counts_an_unreadable_row_as_a_failed_attempt(harness) -> None:
    now = harness.container.clock.now()
    async with harness.engine.begin() as conn:
        await conn.execute(
            insert(OutboxMessage).values(telegram_id=IVANOV, kind="from_a_newer_version", created_at=now)
        )
    sender = OutboxSender(harness.bot, harness.container.outbox, harness.i18n, idle=0.05, per_chat=0.0, overall=0.0)
    assert await deliver_pending(sender) == 0
    async with harness.engine.connect() as conn:
        row = (await conn.execute(select(OutboxMessage))).one()
    assert (row.attempts, row.sent_at, row.failed_at) == (1, None, None)  # a newer version may send it later
    assert row.not_before is not None and harness.emulator.messages(IVANOV) == []


@pytest.mark.parametrize("kind", ["payment_succeeded", "payment_canceled", "payment_checking"])
def test_english_says_a_payment_for_an_amount(kind: str) -> None:
    """ "Payment No. 14 of 100.00 ₽" reads as a translation: a payment is *for* an amount."""
    text = render_notice(CORE, read_notice(kind, STORED[kind], IVANOV), "en", PERSON).text
    assert not re.search(r"No\. [\d/]+ of ", text), text
    assert re.search(r"[Pp]ayment No\. \d+( for |\))", text), text
