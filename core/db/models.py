"""Tables. Money is integer kopecks; percentages are integer hundredths of a percent."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator):
    """An aware UTC datetime on every backend (SQLite would hand back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime: use Clock.now()")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Program(Base):
    __tablename__ = "programs"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    franchise_bp: Mapped[int] = mapped_column(Integer, default=0)  # 20 % = 2000
    due_days: Mapped[int] = mapped_column(Integer, default=30)
    due_day_kind: Mapped[str] = mapped_column(String(10), default="working")  # working | calendar
    overdue_rule: Mapped[str] = mapped_column(String(10), default="franchise")  # franchise | emergency
    emergency_only: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str] = mapped_column(Text, default="")


clinic_programs = Table(
    "clinic_programs",
    Base.metadata,
    Column("clinic_id", ForeignKey("clinics.id", ondelete="CASCADE"), primary_key=True),
    Column("program_code", ForeignKey("programs.code", ondelete="CASCADE"), primary_key=True, index=True),
)


class Clinic(Base):
    __tablename__ = "clinics"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    city: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(300))
    search_key: Mapped[str] = mapped_column(String(500))  # casefolded name + city, for substring search
    latitude: Mapped[float | None] = mapped_column(default=None)
    longitude: Mapped[float | None] = mapped_column(default=None)
    phone: Mapped[str | None] = mapped_column(String(100), default=None)
    booking_url: Mapped[str | None] = mapped_column(String(500), default=None)
    franchise: Mapped[bool] = mapped_column(Boolean, default=False)
    programs: Mapped[list[Program]] = relationship(secondary=clinic_programs, lazy="selectin")


class InsuredPerson(Base):
    """One row of the employer's list (the registry), keyed by the canonical policy number."""

    __tablename__ = "insured_people"
    __table_args__ = (
        Index("ix_insured_people_name_birth", "last_name_key", "first_name_key", "birth_date"),
        Index("ix_insured_people_birth_date", "birth_date"),  # names typed in Latin: by birth date
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    policy_key: Mapped[str] = mapped_column(String(40), unique=True)
    policy_number: Mapped[str] = mapped_column(String(60))  # as printed, for display
    last_name: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(100))
    patronymic: Mapped[str] = mapped_column(String(100), default="")
    last_name_key: Mapped[str] = mapped_column(String(100))
    first_name_key: Mapped[str] = mapped_column(String(100))
    patronymic_key: Mapped[str] = mapped_column(String(100), default="")
    birth_date: Mapped[date] = mapped_column(Date)
    phone: Mapped[str | None] = mapped_column(String(16), index=True, default=None)  # E.164
    email: Mapped[str | None] = mapped_column(String(254), default=None)
    email_key: Mapped[str | None] = mapped_column(String(254), index=True, default=None)
    category: Mapped[str] = mapped_column(String(10), default="employee")  # employee | relative
    holder_policy_key: Mapped[str | None] = mapped_column(String(40), index=True, default=None)
    personnel_number: Mapped[str | None] = mapped_column(String(40), default=None)
    personnel_key: Mapped[str | None] = mapped_column(String(40), index=True, default=None)
    contract_number: Mapped[str] = mapped_column(String(60), default="")
    employer: Mapped[str] = mapped_column(String(200), default="")
    program_code: Mapped[str] = mapped_column(ForeignKey("programs.code"))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date)
    removed_on: Mapped[date | None] = mapped_column(Date, default=None)  # left the list (--full import)
    row_hash: Mapped[str] = mapped_column(String(32))  # of the normalised row: "unchanged" on re-import


class Account(Base):
    """A Telegram user of the bot; linked to at most one insured person."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    language: Mapped[str | None] = mapped_column(String(5), default=None)  # None: follow Telegram's
    insured_person_id: Mapped[int | None] = mapped_column(ForeignKey("insured_people.id"), unique=True, default=None)
    phone: Mapped[str | None] = mapped_column(String(16), unique=True, default=None)
    email: Mapped[str | None] = mapped_column(String(254), default=None)
    email_key: Mapped[str | None] = mapped_column(String(254), unique=True, default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    registered_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    # An adult relative's permission (/settings) for her holder to see the names of her services
    # (core.billing.invoices.service_names_visible): the holder's policy key it was given to, and when.
    # None: not given. Bound to that holder: a new holder in the registry gets nothing. On the account, so
    # it goes with it (/delete_me); a relative without an account has given none.
    services_shared_with: Mapped[str | None] = mapped_column(String(40), default=None)
    services_shared_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    # Automatic charges of the invoices this person pays, with the card bound last (core.services.cards).
    autopay: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Consent(Base):
    """An answer to a consent, with its text version and time. Kept when the account goes (/delete_me,
    erasure, retention): withdrawn then, by ids only, so the operator can show what was agreed and when it
    ended. `account_id` is the account's id, not a key: the account row may be gone."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(20))  # personal_data | rules | notifications
    version: Mapped[str] = mapped_column(String(20))
    granted: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)


class Deposit(Base):
    """A guarantee deposit paid by a holder for the relatives' policies."""

    __tablename__ = "deposits"

    reference: Mapped[str] = mapped_column(String(60), primary_key=True)
    holder_policy_key: Mapped[str] = mapped_column(String(40), index=True)
    amount_kopecks: Mapped[int] = mapped_column(BigInteger)
    paid_on: Mapped[date] = mapped_column(Date)


class AuditEvent(Base):
    """What happened, by whom, with ids and reason codes only (no personal data)."""

    __tablename__ = "audit_events"
    # The week's registrations and refusals (/stats): a range of `at` within each of a few actions.
    __table_args__ = (Index("ix_audit_events_action_at", "action", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    actor_telegram_id: Mapped[int | None] = mapped_column(BigInteger, index=True, default=None)
    action: Mapped[str] = mapped_column(String(40), index=True)
    object_type: Mapped[str | None] = mapped_column(String(40), default=None)
    object_id: Mapped[str | None] = mapped_column(String(60), default=None)
    reason: Mapped[str | None] = mapped_column(String(60), default=None)
    details: Mapped[dict] = mapped_column(JSON, default=dict)


class StaffRole(Base):
    """A staff role granted in the bot (/roles), revocable there; roles from the configuration are not stored."""

    __tablename__ = "staff_roles"

    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    role: Mapped[str] = mapped_column(String(10))  # core.actors.Role: support | admin
    granted_by_telegram_id: Mapped[int] = mapped_column(BigInteger)
    granted_at: Mapped[datetime] = mapped_column(UtcDateTime)


# --- one-time codes (OTP)
# Keys are HMACs (core.otp): these tables hold no phones, e-mails or codes.


class OtpCode(Base):
    """The one live code of a scope (user + channel + destination), as a digest."""

    __tablename__ = "otp_codes"

    scope_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    tries: Mapped[int] = mapped_column(Integer, default=0)


class OtpCounter(Base):
    """Codes issued per destination or per Telegram user on one day."""

    __tablename__ = "otp_counters"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True, index=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


# --- registration


class Invite(Base):
    """A personal link `t.me/<bot>?start=<token>` mailed by the insurer; single use, 30 days."""

    __tablename__ = "invites"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("insured_people.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)


# --- cabinet: children, franchise, requests, settings


class ChildLink(Base):
    """A minor relative's policy added by a registered parent (core.cabinet.children): the parent
    sees it and pays its invoices. A child has one such parent."""

    __tablename__ = "child_links"

    child_person_id: Mapped[int] = mapped_column(ForeignKey("insured_people.id", ondelete="CASCADE"), primary_key=True)
    parent_person_id: Mapped[int] = mapped_column(ForeignKey("insured_people.id", ondelete="CASCADE"), index=True)
    added_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime)


class FranchiseActivation(Base):
    """Consent to the franchise terms for one insured person, given by the payer; in force from
    `effective_from` (the next working day). Kept when the account goes: it is the consent on record."""

    __tablename__ = "franchise_activations"

    person_id: Mapped[int] = mapped_column(ForeignKey("insured_people.id", ondelete="CASCADE"), primary_key=True)
    consented_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    consented_by_telegram_id: Mapped[int | None] = mapped_column(BigInteger)  # None once erased
    consented_at: Mapped[datetime] = mapped_column(UtcDateTime)
    effective_from: Mapped[date] = mapped_column(Date)
    terms_version: Mapped[str] = mapped_column(String(20))


class UserRequest(Base):
    """A request to the insurer (core.cabinet.requests); its id is the number the user sees.
    Staff answer in `reply` (the staff side comes with the admin commands)."""

    __tablename__ = "user_requests"
    __table_args__ = (Index("ix_user_requests_account_created", "account_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    # The policy it concerns; none for a question to support (anyone may ask, registered or not).
    person_id: Mapped[int | None] = mapped_column(ForeignKey("insured_people.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20))  # callback | curator | add_clinic | personal_data | support
    status: Mapped[str] = mapped_column(String(10), index=True, default="new")  # new | answered | closed
    text: Mapped[str] = mapped_column(Text, default="")
    preferred_time: Mapped[str | None] = mapped_column(String(100), default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    reply: Mapped[str | None] = mapped_column(Text, default=None)
    replied_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    replied_by_telegram_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    # The asker's language when they wrote (ru | en): support's answer goes out in it when the account has
    # chosen none. None: rows from before it was kept.
    language: Mapped[str | None] = mapped_column(String(5), default=None)


class NotificationSetting(Base):
    """A user's choice for one kind of notification (core.cabinet.notifications); no row: the default."""

    __tablename__ = "notification_settings"

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean)


# --- billing (core.billing): bill lines, invoices, deposit uses, restrictions, the outbox


class BillLine(Base):
    """A service rendered, as a clinic billed it (`bill_line_id`); imported once, never changed.
    `service_name` is health data: never logged. `invoice_id` is NULL for a zero co-pay line (kept for
    the services history, never invoiced)."""

    __tablename__ = "bill_lines"
    __table_args__ = (Index("ix_bill_lines_person_date", "person_id", "service_date"),)

    id: Mapped[str] = mapped_column(String(60), primary_key=True)  # bill_line_id
    person_id: Mapped[int] = mapped_column(ForeignKey("insured_people.id"))
    clinic_id: Mapped[str] = mapped_column(ForeignKey("clinics.id"))
    service_date: Mapped[date] = mapped_column(Date)
    service_code: Mapped[str] = mapped_column(String(40), default="")
    service_name: Mapped[str] = mapped_column(String(500))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_kopecks: Mapped[int] = mapped_column(BigInteger)
    cost_kopecks: Mapped[int] = mapped_column(BigInteger)
    copay_kopecks: Mapped[int] = mapped_column(BigInteger)
    content_hash: Mapped[str] = mapped_column(String(32))  # of BillLine.content(): "the same line" on re-import
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), index=True, default=None)
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Invoice(Base):
    """One insured person's invoice of one bills import: `YYYY/MM/N`, N gap-free within the month
    (`invoice_counters`). The payer is fixed at issue (NULL: a minor waiting for a parent). Amounts in
    kopecks; total to pay = co-pay − deposit used − credited, never below zero (core.billing.invoices)."""

    __tablename__ = "invoices"
    __table_args__ = (
        UniqueConstraint("month", "sequence"),
        Index("ix_invoices_person_status", "person_id", "status"),
        Index("ix_invoices_status_due_on", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)  # YYYY/MM/N
    month: Mapped[str] = mapped_column(String(7))  # YYYY/MM
    sequence: Mapped[int] = mapped_column(Integer)  # N
    person_id: Mapped[int] = mapped_column(ForeignKey("insured_people.id"))
    payer_person_id: Mapped[int | None] = mapped_column(ForeignKey("insured_people.id"), index=True, default=None)
    issued_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    copay_kopecks: Mapped[int] = mapped_column(BigInteger)
    deposit_used_kopecks: Mapped[int] = mapped_column(BigInteger, default=0)
    credited_kopecks: Mapped[int] = mapped_column(BigInteger, default=0)
    paid_kopecks: Mapped[int] = mapped_column(BigInteger, default=0)
    refunded_kopecks: Mapped[int] = mapped_column(BigInteger, default=0)
    status: Mapped[str] = mapped_column(String(10))  # core.billing.status.InvoiceStatus
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # When and how it became PAID (core.billing.status.PaidHow); kept after a refund, for the registers.
    paid_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    paid_how: Mapped[str | None] = mapped_column(String(10), default=None)
    offline_reference: Mapped[str | None] = mapped_column(String(100), default=None)  # marked paid by staff
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    cancel_reason: Mapped[str | None] = mapped_column(Text, default=None)


class InvoiceCounter(Base):
    """The last N issued in a month. Its row is locked (`SELECT … FOR UPDATE`) by the transaction that
    issues, so concurrent imports number one after the other, without gaps."""

    __tablename__ = "invoice_counters"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # YYYY/MM
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class DepositUse(Base):
    """What an invoice took from a deposit: once per deposit and invoice, never beyond the amount."""

    __tablename__ = "deposit_uses"

    deposit_reference: Mapped[str] = mapped_column(ForeignKey("deposits.reference"), primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), primary_key=True, index=True)
    amount_kopecks: Mapped[int] = mapped_column(BigInteger)


class AccessRestriction(Base):
    """An insured person's access restricted by the program's `overdue_rule` from `since` (the day the
    first invoice became overdue) until `restored_on`. At most one open (not restored) per person."""

    __tablename__ = "access_restrictions"
    __table_args__ = (
        Index(
            "uq_access_restrictions_open_person",
            "person_id",
            unique=True,
            sqlite_where=text("restored_on IS NULL"),
            postgresql_where=text("restored_on IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("insured_people.id"), index=True)
    rule: Mapped[str] = mapped_column(String(10))  # franchise | emergency
    since: Mapped[date] = mapped_column(Date)
    restored_on: Mapped[date | None] = mapped_column(Date, default=None)
    invoice_numbers: Mapped[str] = mapped_column(String(500), default="")  # the overdue ones, space-separated


class Dispute(Base):
    """A line of an unpaid invoice questioned by the payer or the insured person (core.billing.disputes):
    it holds the invoice (DISPUTED) until staff answer, due by `deadline` (15 calendar days). `reason` and
    `answer` are free text (control characters stripped, at most 2 000 UTF-16 units): may be health data,
    never logged."""

    __tablename__ = "disputes"
    __table_args__ = (Index("ix_disputes_status_deadline", "status", "deadline"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    bill_line_id: Mapped[str] = mapped_column(ForeignKey("bill_lines.id"), index=True)
    opened_by_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    opened_by_telegram_id: Mapped[int | None] = mapped_column(BigInteger)  # None once erased
    reason: Mapped[str] = mapped_column(Text)
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime)
    opened_on: Mapped[date] = mapped_column(Date)  # the operator's day (Clock.today): held days count from it
    deadline: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="open")  # core.billing.disputes.DisputeStatus
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    answered_on: Mapped[date | None] = mapped_column(Date, default=None)
    answer: Mapped[str | None] = mapped_column(Text, default=None)
    answered_by_telegram_id: Mapped[int | None] = mapped_column(BigInteger, default=None)


class Payment(Base):
    """One YooKassa payment for a set of invoices (core.billing.payments). The row and its idempotence key
    are stored before the provider is called, so a retry, a second press or a restart reuse the key and
    the provider makes one payment. `provider_id` is unknown until the provider answers. Local status:
    pending → succeeded | canceled, or failed (the provider refused to create it)."""

    __tablename__ = "payments"
    __table_args__ = (Index("ix_payments_status_created_at", "status", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    idempotence_key: Mapped[str] = mapped_column(String(64), unique=True)
    invoice_set: Mapped[str] = mapped_column(String(64), index=True)  # hash of the sorted invoice ids
    attempt: Mapped[int] = mapped_column(Integer)  # 1, 2, … for the same invoice set
    payer_person_id: Mapped[int] = mapped_column(ForeignKey("insured_people.id"), index=True)
    # Who pressed Pay: told the result. None once they erased their account (nobody is told).
    telegram_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    amount_kopecks: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(10))  # pending | succeeded | canceled | failed
    provider_id: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    confirmation_url: Mapped[str | None] = mapped_column(Text, default=None)
    cancellation_reason: Mapped[str | None] = mapped_column(String(64), default=None)
    receipt_registration: Mapped[str | None] = mapped_column(String(12), default=None)
    refunded_kopecks: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    settled_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    # invoices (the payer's, through the provider's page) | binding (a card check, never captured) |
    # autopay (one invoice charged to a saved card, no page)
    kind: Mapped[str] = mapped_column(String(10), default="invoices", server_default="invoices")
    payment_method_id: Mapped[int | None] = mapped_column(Integer, default=None)  # the card an autopay charges
    # What the provider is asked (core.gateways.payments.request_data), stored before the first call and sent
    # unchanged on every retry: the key is honoured only with the same body (a contact changed meanwhile
    # would make a retry "key duplicated"). None until the first call is prepared.
    request: Mapped[dict | None] = mapped_column(JSON(none_as_null=True), default=None)
    # Why staff must look at it (amount_mismatch, unknown_after_24h): not read back any more.
    anomaly: Mapped[str | None] = mapped_column(String(20), default=None)


class PaymentMethod(Base):
    """A card the payer bound (core.services.cards): the provider's saved method and what the chat shows
    of it. Removal is local and final: the method is never charged again (a new binding makes a new row;
    binding the same card again removes the older row, so a card is listed once)."""

    __tablename__ = "payment_methods"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    payer_person_id: Mapped[int] = mapped_column(ForeignKey("insured_people.id"), index=True)
    provider_method_id: Mapped[str] = mapped_column(String(64))
    binding_payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), unique=True)
    card_type: Mapped[str] = mapped_column(String(32))
    last4: Mapped[str] = mapped_column(String(4))
    expiry_month: Mapped[int] = mapped_column(Integer)
    expiry_year: Mapped[int] = mapped_column(Integer)
    bound_at: Mapped[datetime] = mapped_column(UtcDateTime)
    removed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    # The first six digits (None for a card bound before they were kept): with the last four and the expiry,
    # what makes "the same card" (core.billing.cards.same_card), bound again in place of the older row.
    first6: Mapped[str | None] = mapped_column(String(6), default=None)


class AutopayCharge(Base):
    """An invoice's automatic charge, queued in the transaction that issued the invoice; the invoice id is
    the key, so there is at most one. `payment_id` once the payment row is stored; `skipped` says why
    none was made; `done_at` when it ended (charged, declined or skipped)."""

    __tablename__ = "autopay_charges"

    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), primary_key=True)
    payer_person_id: Mapped[int] = mapped_column(ForeignKey("insured_people.id"), index=True)
    queued_at: Mapped[datetime] = mapped_column(UtcDateTime)
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"), unique=True, default=None)
    skipped: Mapped[str | None] = mapped_column(String(16), default=None)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None, index=True)


class PaymentInvoice(Base):
    """An invoice a payment covers, and the amount it carries for it (one receipt item)."""

    __tablename__ = "payment_invoices"

    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), primary_key=True, index=True)
    amount_kopecks: Mapped[int] = mapped_column(BigInteger)


class Refund(Base):
    """Money given back from a payment: asked by staff (`requested`, recorded on its invoices) or for a
    second payment of invoices already paid (`double_payment`). Stored with its key before the call."""

    __tablename__ = "refunds"
    __table_args__ = (Index("ix_refunds_status_created_at", "status", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), index=True)
    idempotence_key: Mapped[str] = mapped_column(String(64), unique=True)
    provider_id: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    amount_kopecks: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(20))  # requested | double_payment
    status: Mapped[str] = mapped_column(String(10))  # pending | succeeded | canceled | failed
    requested_by_telegram_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    request: Mapped[dict | None] = mapped_column(
        JSON(none_as_null=True), default=None
    )  # as on Payment: sent unchanged on retries
    anomaly: Mapped[str | None] = mapped_column(String(20), default=None)  # as on Payment: not sent any more


class RefundInvoice(Base):
    """What a refund gives back per invoice (one refund receipt item)."""

    __tablename__ = "refund_invoices"

    refund_id: Mapped[int] = mapped_column(ForeignKey("refunds.id"), primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), primary_key=True, index=True)
    amount_kopecks: Mapped[int] = mapped_column(BigInteger)


class SentReminder(Base):
    """A reminder sent (its outbox row written in the same transaction): what keeps the worker from
    sending it twice, whatever the restarts and takeovers. `subject` is invoice | dispute | person."""

    __tablename__ = "sent_reminders"

    subject: Mapped[str] = mapped_column(String(10), primary_key=True)
    subject_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime)


class OutboxMessage(Base):
    """A notice to a Telegram user, written in the transaction of the change it tells about, sent later
    (`sent_at` set once delivered): nothing is lost if the process dies in between. The payload holds
    ids, numbers, amounts and dates, never service names."""

    __tablename__ = "outbox"
    # Due rows are read in this order: service notices (priority 0) before broadcast rows (1), oldest first.
    __table_args__ = (Index("ix_outbox_due", "sent_at", "priority", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(30))  # a `core.notices` kind: invoice_issued, card_bound, …
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Not picked before this instant: a sender's claim while it sends, a RetryAfter, a back-off.
    not_before: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    # Given up (the user blocked the bot, or too many failed attempts): kept, never retried.
    failed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    # 0: a service notice; 1: a broadcast row, sent only when no service notice waits.
    priority: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    # The broadcast a row belongs to (its text is read from there when it is sent); None for the rest.
    broadcast_id: Mapped[int | None] = mapped_column(ForeignKey("broadcasts.id"), index=True, default=None)


# --- the desk: named counters (rate limits) and blocked Telegram users


class LimitCounter(Base):
    """A named counter (core.limits) of one subject in one window (the operator's day): how many times
    something was done. Limits read it; staff lifting a lock reset it. The audit rows stay the trail."""

    __tablename__ = "limit_counters"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    subject: Mapped[str] = mapped_column(String(80), primary_key=True)  # a Telegram id, a pseudonymous key
    window: Mapped[date] = mapped_column(Date, primary_key=True, index=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class BlockedUser(Base):
    """A Telegram user blocked by an admin: one line a day, nothing else. Kept by Telegram id, so it
    outlives the account (/delete_me, erasure); `person_id` is the record it was set from."""

    __tablename__ = "blocked_users"

    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("insured_people.id", ondelete="SET NULL"), index=True, default=None
    )
    blocked_at: Mapped[datetime] = mapped_column(UtcDateTime)
    blocked_by: Mapped[int] = mapped_column(BigInteger)
    noticed_on: Mapped[date | None] = mapped_column(Date, default=None)  # the day the one line went out


# --- the desk's queue: who works on an item, staff who muted new-item notices, a request's conversation


class DeskClaim(Base):
    """One staff member works on a queue item at a time (core.desk.queue): who took it and when. A row
    with no taker is an item released. `kind` is a `core.desk.queue.ItemKind`, `item_id` the request's,
    dispute's or payment's id. Taken by a conditional update, so two racing takes give one taker."""

    __tablename__ = "desk_claims"

    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    item_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    taken_by: Mapped[int | None] = mapped_column(BigInteger, default=None)
    taken_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    # An anomaly checked, settled or dismissed by staff: out of the queue.
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    comment: Mapped[str | None] = mapped_column(Text, default=None)  # why an admin dismissed an anomaly


class DeskTopic(Base):
    """A queue item's topic in the staff's forum group (STAFF_CHAT_ID): the group's `message_thread_id` for
    it, and its first message (the item's text and buttons, rewritten as the item changes; None until
    posted). Written once per item, by the sender that opened the topic: one topic per item."""

    __tablename__ = "desk_topics"

    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    item_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    thread_id: Mapped[int] = mapped_column(BigInteger)
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime)
    message_id: Mapped[int | None] = mapped_column(BigInteger, default=None)

    __table_args__ = (UniqueConstraint("chat_id", "thread_id", name="uq_desk_topics_thread"),)


class DeskMute(Base):
    """A staff member who muted the notices of new queue items (/queue); no row: told."""

    __tablename__ = "desk_mutes"

    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    muted_at: Mapped[datetime] = mapped_column(UtcDateTime)


class RequestMessage(Base):
    """A request's conversation after its first text: support's answers and the user's replies. Free text
    (may be health data): never logged."""

    __tablename__ = "request_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("user_requests.id", ondelete="CASCADE"), index=True)
    from_staff: Mapped[bool] = mapped_column(Boolean)
    telegram_id: Mapped[int] = mapped_column(BigInteger)  # who wrote it
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    # support's photo or document sent with it (core.attachments): fetched by its id for the person's page
    file_kind: Mapped[str | None] = mapped_column(String(10), default=None)
    file_id: Mapped[str | None] = mapped_column(String(255), default=None)
    file_name: Mapped[str | None] = mapped_column(String(255), default=None)


class DisputeMessage(Base):
    """A dispute's conversation while it is open: support's messages from its topic in the staff group (a
    photo or a document with them, as `RequestMessage`) and the person's replies. Free text (may be health
    data): never logged; erased with the person (core.erasure)."""

    __tablename__ = "dispute_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dispute_id: Mapped[int] = mapped_column(ForeignKey("disputes.id", ondelete="CASCADE"), index=True)
    from_staff: Mapped[bool] = mapped_column(Boolean)
    telegram_id: Mapped[int] = mapped_column(BigInteger)  # who wrote it
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    file_kind: Mapped[str | None] = mapped_column(String(10), default=None)
    file_id: Mapped[str | None] = mapped_column(String(255), default=None)
    file_name: Mapped[str | None] = mapped_column(String(255), default=None)


class ImportRun(Base):
    """An import started from the chat: who, which kind, when, how it ended. At most one running per kind
    (the partial unique index is the lock every replica shares); a run still `running` whose heartbeat
    stopped was cut off by a restart and is marked `interrupted`."""

    __tablename__ = "import_runs"
    __table_args__ = (
        Index(
            "uq_import_runs_running_kind",
            "kind",
            unique=True,
            sqlite_where=text("status = 'running'"),
            postgresql_where=text("status = 'running'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(12))  # running | done | refused | failed | interrupted
    started_by: Mapped[int] = mapped_column(BigInteger)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    language: Mapped[str] = mapped_column(String(5))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    heartbeat_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class Broadcast(Base):
    """A message an admin sent to a segment (`core.desk.broadcasts`): its text and button, who and when,
    and how it stands. Its recipients are outbox rows (`broadcast_id`), counted here as they settle."""

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_by: Mapped[int] = mapped_column(BigInteger)  # the admin's Telegram id: the report goes there
    language: Mapped[str] = mapped_column(String(5))  # the admin's, for the report
    text: Mapped[str] = mapped_column(Text)
    screen: Mapped[str | None] = mapped_column(String(10), default=None)  # the button's screen, if any
    segment: Mapped[str] = mapped_column(String(10))
    segment_value: Mapped[str | None] = mapped_column(String(200), default=None)
    status: Mapped[str] = mapped_column(String(10))  # running | stopped | done
    total: Mapped[int] = mapped_column(Integer, default=0)  # recipients queued so far
    sent: Mapped[int] = mapped_column(Integer, default=0)
    blocked: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    cancelled: Mapped[int] = mapped_column(Integer, default=0)  # rows dropped by a stop
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    queued_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)  # every recipient queued
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    # Where the queuing stands, so another process can take it up after a stop: the last account id queued,
    # and when the last chunk was (a queuing whose beat stopped was cut off: `core.desk.broadcasts`).
    queued_through: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    queue_beat: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
