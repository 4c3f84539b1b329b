"""What becomes of each table's rows about a person who leaves (/delete_me, or staff's erasure on request).

Every table is classified; a new table must be too (tests/core/test_erasure.py fails otherwise), so nobody
adds a place for personal data that erasure forgets."""

from __future__ import annotations

from enum import StrEnum


class Keeping(StrEnum):
    # What the bot itself collected about the person: their rows are deleted.
    ERASED = "erased"
    # What accounting must keep: amounts, ids, statuses and dates stay; their Telegram id, contacts and
    # anything they typed go.
    ANONYMISED = "anonymised"
    # The insurer's own records (the registry, bills, invoices, deposits, clinics): kept as they are.
    INSURER = "insurer record"
    # Kept, by ids and codes only: audit entries, withdrawn consents, blocks, rate-limit counters (two
    # days), one-time codes (keyed hashes, minutes), and the staff's own work.
    IDS_ONLY = "ids only"


TABLES: dict[str, Keeping] = {
    "accounts": Keeping.ERASED,  # the Telegram id, the phone and e-mail given, the language, settings
    "notification_settings": Keeping.ERASED,
    "user_requests": Keeping.ERASED,  # requests and questions to support, with their texts
    "request_messages": Keeping.ERASED,  # the conversation after a request's first text
    "payment_methods": Keeping.ERASED,  # saved cards: the provider's method id forgotten, never charged again
    "outbox": Keeping.ERASED,  # notices to their chat, sent or not
    "payments": Keeping.ANONYMISED,  # who pressed Pay, the receipt's contact
    "refunds": Keeping.ANONYMISED,  # the receipt's contact
    "disputes": Keeping.ANONYMISED,  # who opened it and the reason they typed
    "dispute_messages": Keeping.ERASED,  # the conversation of a dispute they opened (support's files' ids too)
    "franchise_activations": Keeping.ANONYMISED,  # who consented (the consent itself stays on the record)
    "consents": Keeping.IDS_ONLY,  # withdrawn, with the time
    "audit_events": Keeping.IDS_ONLY,
    "blocked_users": Keeping.IDS_ONLY,  # a block outlives the account
    "limit_counters": Keeping.IDS_ONLY,  # so leaving does not reset the day's registration limits
    "otp_codes": Keeping.IDS_ONLY,
    "otp_counters": Keeping.IDS_ONLY,
    "child_links": Keeping.IDS_ONLY,
    "autopay_charges": Keeping.IDS_ONLY,
    "payment_invoices": Keeping.IDS_ONLY,
    "refund_invoices": Keeping.IDS_ONLY,
    "sent_reminders": Keeping.IDS_ONLY,
    "desk_claims": Keeping.IDS_ONLY,
    "desk_topics": Keeping.IDS_ONLY,
    "desk_mutes": Keeping.IDS_ONLY,
    "staff_roles": Keeping.IDS_ONLY,
    "import_runs": Keeping.IDS_ONLY,
    "broadcasts": Keeping.IDS_ONLY,
    "insured_people": Keeping.INSURER,
    "invites": Keeping.INSURER,
    "programs": Keeping.INSURER,
    "clinics": Keeping.INSURER,
    "clinic_programs": Keeping.INSURER,
    "deposits": Keeping.INSURER,
    "deposit_uses": Keeping.INSURER,
    "bill_lines": Keeping.INSURER,
    "invoices": Keeping.INSURER,
    "invoice_counters": Keeping.INSURER,
    "access_restrictions": Keeping.INSURER,
}
