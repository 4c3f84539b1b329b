"""The registers' queries (`core/exports.py` says what their rows are): one statement per kind, its columns
in the order the row builders take them, joins and aggregates done by the database, so that rows can be
streamed in chunks whatever their number.

A row is kept when any of the moments something happened to it is on or after `--since` (`_EVENTS`): those
its columns show (created, settled, answered, …) and, where the table keeps it, its last change
(`updated_at`), so that an export since the last one misses no change (a payment cancelled, a refund
failed, an invoice become overdue). Deadlines and due dates are not events.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Select, case, func, literal_column, or_, select
from sqlalchemy.orm import aliased

from core.db.models import (
    AccessRestriction,
    Account,
    Dispute,
    FranchiseActivation,
    InsuredPerson,
    Invoice,
    Payment,
    PaymentInvoice,
    Refund,
    RefundInvoice,
    UserRequest,
)

CHUNK = 1000  # rows fetched at a time


def register_query(kind: str, since: date, since_at: datetime, dialect: str) -> Select:
    """`since_at`: where `since` starts for a timestamp (core.exports.since_moment)."""
    kept = or_(*(moment >= (since if isinstance(moment.type, Date) else since_at) for moment in _EVENTS[kind]))
    return _QUERIES[kind](dialect).where(kept).order_by(*_ORDER[kind])


def _numbers(link, owner_column, owner, dialect: str):
    """The numbers of the invoices a payment or refund covers, in the order they were issued, space-separated."""
    if dialect == "postgresql":
        return (
            select(func.string_agg(Invoice.number, literal_column("' '")).aggregate_order_by(Invoice.id))
            .join(link, link.invoice_id == Invoice.id)
            .where(owner_column == owner)
            .scalar_subquery()
        )
    # SQLite before 3.44 knows no ORDER BY inside an aggregate: group_concat follows its subquery's order.
    ordered = (
        select(Invoice.number)
        .join(link, link.invoice_id == Invoice.id)
        .where(owner_column == owner)
        .order_by(Invoice.id)
        .correlate(owner.table)  # a subquery in FROM is not correlated by itself
        .subquery()
    )
    return select(func.group_concat(ordered.c.number, literal_column("' '"))).scalar_subquery()


def _payments(dialect: str) -> Select:
    return (
        select(
            Payment.id,
            Payment.provider_id,
            Payment.created_at,
            Payment.status,
            Payment.settled_at,  # set when it succeeded, and only then
            Payment.amount_kopecks,
            Payment.refunded_kopecks,
            _numbers(PaymentInvoice, PaymentInvoice.payment_id, Payment.id, dialect),
            InsuredPerson.policy_number,
        )
        .join(InsuredPerson, InsuredPerson.id == Payment.payer_person_id)
        .where(Payment.kind != "binding")  # a card check charges nothing
    )


def _refunds(dialect: str) -> Select:
    # A refund's row changes no more once it succeeded: its last change is when.
    succeeded_at = case((Refund.status == "succeeded", Refund.updated_at))
    return select(
        Refund.id,
        Refund.provider_id,
        Refund.payment_id,
        Refund.created_at,
        succeeded_at,
        Refund.status,
        Refund.amount_kopecks,
        _numbers(RefundInvoice, RefundInvoice.refund_id, Refund.id, dialect),
        Refund.reason,
        Refund.requested_by_telegram_id,
    )


def _invoices(dialect: str) -> Select:
    insured, payer = aliased(InsuredPerson), aliased(InsuredPerson)
    return (
        select(
            Invoice.number,
            Invoice.issued_on,
            insured.policy_number,
            payer.policy_number,
            Invoice.copay_kopecks,
            Invoice.deposit_used_kopecks,
            Invoice.credited_kopecks,
            Invoice.due_on,
            Invoice.status,
            Invoice.paid_at,
            Invoice.paid_how,
            Invoice.offline_reference,
            Invoice.cancelled_at,
            Invoice.cancel_reason,
        )
        .join(insured, insured.id == Invoice.person_id)
        .outerjoin(payer, payer.id == Invoice.payer_person_id)  # none: a minor waiting for a parent
    )


def _activations(dialect: str) -> Select:
    person, by = aliased(InsuredPerson), aliased(InsuredPerson)
    return (
        select(
            FranchiseActivation.consented_at,
            person.policy_number,
            FranchiseActivation.effective_from,
            by.policy_number,  # none once the account that consented is gone
            FranchiseActivation.terms_version,
        )
        .join(person, person.id == FranchiseActivation.person_id)
        .outerjoin(Account, Account.id == FranchiseActivation.consented_by_account_id)
        .outerjoin(by, by.id == Account.insured_person_id)
    )


def _suspensions(dialect: str) -> Select:
    return select(
        AccessRestriction.since,
        InsuredPerson.policy_number,
        AccessRestriction.rule,
        AccessRestriction.invoice_numbers,
        AccessRestriction.restored_on,
    ).join(InsuredPerson, InsuredPerson.id == AccessRestriction.person_id)


def _disputes(dialect: str) -> Select:
    return select(
        Dispute.opened_at,
        Dispute.id,
        Invoice.number,
        Dispute.bill_line_id,
        Dispute.reason,
        Dispute.deadline,
        Dispute.status,
        Dispute.answered_at,
        Dispute.answer,
    ).join(Invoice, Invoice.id == Dispute.invoice_id)


def _requests(dialect: str) -> Select:
    return select(
        UserRequest.created_at,
        UserRequest.id,
        UserRequest.kind,
        InsuredPerson.policy_number,  # none: a question to support, asked before registering
        UserRequest.status,
        UserRequest.replied_at,
    ).outerjoin(InsuredPerson, InsuredPerson.id == UserRequest.person_id)


_QUERIES = {
    "payments": _payments,
    "refunds": _refunds,
    "invoices": _invoices,
    "activations": _activations,
    "suspensions": _suspensions,
    "disputes": _disputes,
    "requests": _requests,
}
_EVENTS = {
    "payments": (Payment.created_at, Payment.settled_at, Payment.updated_at),
    "refunds": (Refund.created_at, Refund.updated_at),
    "invoices": (Invoice.issued_on, Invoice.created_at, Invoice.paid_at, Invoice.cancelled_at, Invoice.updated_at),
    "activations": (FranchiseActivation.consented_at, FranchiseActivation.effective_from),
    "suspensions": (AccessRestriction.since, AccessRestriction.restored_on),
    "disputes": (Dispute.opened_at, Dispute.answered_at),
    "requests": (UserRequest.created_at, UserRequest.replied_at, UserRequest.updated_at),
}
_ORDER = {
    "payments": (Payment.id,),
    "refunds": (Refund.id,),
    "invoices": (Invoice.id,),
    "activations": (FranchiseActivation.consented_at, FranchiseActivation.person_id),
    "suspensions": (AccessRestriction.id,),
    "disputes": (Dispute.id,),
    "requests": (UserRequest.id,),
}
