"""The catalogue of audit actions: every entry of the audit trail names one of these.

Values are stored as they are, so they never change once released; staff read them in `/audit`, and
the action's owner is the use case that records it (by ids and reason codes only, no personal data).
"""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    # The person's own cabinet
    CONSENT = "consent"
    REGISTRATION_SUBMIT = "registration.submit"  # counted per day: the submissions limit
    REGISTRATION_KEY_FAILED = "registration.key_failed"  # counted per registry key: the per-key lock
    REGISTRATION_REFUSED = "registration.refused"
    REGISTRATION_LINKED = "registration.linked"
    LANGUAGE_SET = "language.set"
    NOTIFICATIONS_SET = "notifications.set"
    SERVICES_SHARING_SET = "services_sharing.set"
    EMAIL_CHANGED = "email.changed"
    ACCOUNT_DELETED = "account.deleted"
    CHILD_ADD = "child.add"
    INVOICE_PAYER_ADOPTED = "invoice.payer_adopted"  # a parent took over a child's unpaid invoice
    FRANCHISE_ACTIVATED = "franchise.activated"
    REQUEST_CREATED = "request.created"
    REQUEST_CLOSED = "request.closed"
    SUPPORT_ASKED = "support.asked"
    SUPPORT_REFUSED = "support.refused"
    DISPUTE_OPENED = "dispute.opened"
    # Money
    PAYMENT_STARTED = "payment.started"
    PAYMENT_SUCCEEDED = "payment.succeeded"
    PAYMENT_CANCELED = "payment.canceled"
    PAYMENT_FAILED = "payment.failed"
    PAYMENT_ANOMALY = "payment.anomaly"
    REFUND_REQUESTED = "refund.requested"
    REFUND_SUCCEEDED = "refund.succeeded"
    REFUND_CANCELED = "refund.canceled"
    REFUND_FAILED = "refund.failed"
    REFUND_ANOMALY = "refund.anomaly"
    CARD_BINDING_STARTED = "card.binding_started"
    CARD_BOUND = "card.bound"
    CARD_NOT_BOUND = "card.not_bound"
    CARD_REMOVED = "card.removed"
    CARD_AUTOPAY = "card.autopay"
    AUTOPAY_STARTED = "autopay.started"
    AUTOPAY_SKIPPED = "autopay.skipped"
    # Jobs and imports
    BILLS_IMPORT = "bills.import"
    BILLING_DAILY = "billing.daily"
    REGISTRY_KEY_COLLISION = "registry.key_collision"  # written by migration 0014: two rows now share a key
    # Staff
    DISPUTE_ANSWERED = "dispute.answered"
    ROLE_GRANTED = "role.granted"  # object: the Telegram user; details: role, previous
    ROLE_REVOKED = "role.revoked"
    DESK_FIND = "desk.find"  # the forms looked up and how many people were listed (never the text)
    RECORD_VIEWED = "record.viewed"  # one person's full record, by whom
    INVITE_RESENT = "invite.resent"  # reason: emailed | shown
    DIALOG_RESET = "dialog.reset"
    LOCK_LIFTED = "registration.lock_lifted"  # the person's key counters and the day's submissions reset
    ACCOUNT_UNLINKED = "account.unlinked"
    USER_BLOCKED = "user.blocked"
    USER_UNBLOCKED = "user.unblocked"
    ACCOUNT_ERASED = "account.erased"  # on the person's request, by staff (as /delete_me)
    ACCOUNT_EXPIRED = "account.expired"  # an unfinished registration past RETAIN_DIALOG_DAYS, erased
    # The queue (/queue): taking an item, answering it, the user's reply
    DESK_TAKEN = "desk.taken"  # object: the item (kind, id)
    DESK_RELEASED = "desk.released"
    DESK_TAKEN_OVER = "desk.taken_over"  # details: from (the previous taker)
    DESK_MUTED = "desk.muted"  # reason: on | off (new-item notices)
    ANOMALY_CHECKED = "anomaly.checked"  # a payment's (or a refund's) anomaly looked at and set aside
    DESK_CLOSED = "desk.closed"  # a request or a question closed without an answer
    # The admin's money actions (object: the invoice, or the payment; details: amounts and numbers)
    INVOICE_MARKED_PAID = "invoice.marked_paid"  # offline, with a reference (kept on the invoice)
    INVOICE_CANCELLED = "invoice.cancelled"  # with a reason (kept on the invoice)
    ANOMALY_SETTLED = "anomaly.settled"  # reason: paid | refund
    ANOMALY_DISMISSED = "anomaly.dismissed"  # with a comment (kept with the item)
    REQUEST_ANSWERED = "request.answered"  # support's written answer, sent to the user
    REQUEST_REPLIED = "request.replied"  # the user replied to an answer: the request reopens
    DISPUTE_WRITTEN = "dispute.written"  # support wrote to a dispute's user from its topic (the dispute stays open)
    DISPUTE_REPLIED = "dispute.replied"  # the user replied to it (copied into the topic)
    # Imports from the chat (/import): kind and counts, never the file's content
    IMPORT_STARTED = "import.started"  # object: the run; details: kind
    IMPORT_FINISHED = "import.finished"  # details: kind, status, the counts
    IMPORT_INTERRUPTED = "import.interrupted"  # a run cut off by a restart, found on the next start
    # Registers back to the insurer (/export, or the command line with no actor): reason the kind; details
    # since, format, rows
    EXPORT_WRITTEN = "export.written"
    # Broadcasts (/broadcast): the segment and the counts, never the text's recipients
    BROADCAST_STARTED = "broadcast.started"  # object: the broadcast; details: segment, screen, recipients
    BROADCAST_STOPPED = "broadcast.stopped"  # details: sent so far, cancelled
    BROADCAST_DONE = "broadcast.done"  # no actor: its last row settled; details: sent, blocked, failed
