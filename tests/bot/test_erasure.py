"""Leaving: a person who did everything the bot offers erases their account (/delete_me, or an admin's
erasure on request: one use case), and then every row of every table is read. Nothing they typed or gave
remains outside the insurer's own records; accounting keeps its amounts by ids; the audit trail and a block
stay. On SQLite with the FSM in memory, and on PostgreSQL with the FSM on Redis."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from aiogram.fsm.storage.base import StorageKey
from sqlalchemy import select

from bot.factory.telegram import create_fsm_storage
from bot.handlers.staff.dialogs import FsmDialogs
from core.db.models import (
    Account,
    AuditEvent,
    Base,
    BillLine,
    BlockedUser,
    Broadcast,
    Clinic,
    Consent,
    Dispute,
    DisputeMessage,
    FranchiseActivation,
    InsuredPerson,
    Invoice,
    LimitCounter,
    NotificationSetting,
    OutboxMessage,
    Payment,
    PaymentInvoice,
    PaymentMethod,
    Program,
    Refund,
    RefundInvoice,
    RequestMessage,
    UserRequest,
)
from core.desk.actions import AccountAction
from core.erasure import TABLES, Keeping
from tests.roots import SetClock, container, settings_for

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
BOT_ID = 42
ADMIN, LEAVING, STAYING = 9001, 730_000_001, 730_000_002
PERSON, OTHER = 501, 502
PHONE, EMAIL = "+79165550011", "leaving.person@example.org"  # what they gave (the registry has others)
TYPED = (  # what they typed: requests, a question, a reply, a dispute's reason, the names in their dialog
    "call me about the knee",
    "after six in the evening",
    "where is my money, support?",
    "my reply with the details",
    "I never had this x-ray",
    "Уходящая",
    "Анна",
    "x-ray of Уходящая.pdf",  # the name of a file support sent her in her dispute's conversation
    "my answer in the dispute",
)


def seed(pid: int, telegram_id: int, account_id: int, tag: str) -> list[object]:
    """One person's registry row and everything they did in the bot; `tag` keeps two people's keys apart."""
    at = NOW - timedelta(days=20)
    mine = pid == PERSON
    phone, email = (PHONE, EMAIL) if mine else ("+79165550099", "staying@example.org")
    person = InsuredPerson(
        id=pid,
        policy_key=f"AM{pid}",
        policy_number=f"AM {pid}",
        last_name="Уходящая" if mine else "Остающийся",
        first_name="Анна" if mine else "Пётр",
        last_name_key="уходящая",
        first_name_key="анна",
        birth_date=date(1985, 3, 15),
        phone="+79160000077" if mine else "+79160000078",
        email=f"hr.{pid}@corp.example",
        program_code="P1",
        valid_from=date(2026, 1, 1),
        valid_to=date(2027, 12, 31),
        row_hash="h",
    )
    account = Account(
        id=account_id,
        telegram_id=telegram_id,
        language="en",
        insured_person_id=pid,
        phone=phone,
        email=email,
        email_key=email,
        created_at=at,
        registered_at=at,
        services_shared_with="AM0",
        autopay=True,
    )
    consents = [Consent(account_id=account_id, kind=kind, version="1", granted=True, at=at) for kind in ("pd", "rules")]
    request = UserRequest(
        account_id=account_id,
        person_id=pid,
        kind="callback",
        text=TYPED[0] if mine else "a staying request",
        preferred_time=TYPED[1] if mine else None,
        created_at=at,
        updated_at=at,
    )
    question = UserRequest(
        id=account_id * 10,
        account_id=account_id,
        kind="support",
        text=TYPED[2] if mine else "a staying question",
        created_at=at,
        updated_at=at,
    )
    paid = Invoice(
        id=pid * 10,
        number=f"2026/11/{pid}",
        month="2026/11",
        sequence=pid,
        person_id=pid,
        payer_person_id=pid,
        issued_on=date(2026, 11, 2),
        due_on=date(2026, 12, 14),
        copay_kopecks=20_000,
        paid_kopecks=20_000,
        refunded_kopecks=5_000,
        status="paid",
        created_at=at,
        updated_at=at,
    )
    disputed = Invoice(
        id=pid * 10 + 1,
        number=f"2026/11/{pid}1",
        month="2026/11",
        sequence=pid * 10 + 1,
        person_id=pid,
        payer_person_id=pid,
        issued_on=date(2026, 11, 2),
        due_on=date(2026, 12, 14),
        copay_kopecks=30_000,
        status="disputed",
        created_at=at,
        updated_at=at,
    )
    lines = [
        BillLine(
            id=f"L{pid}{n}",
            person_id=pid,
            clinic_id="C1",
            service_date=date(2026, 10, 20),
            service_name="X-ray",
            quantity=1,
            unit_price_kopecks=100_000 + n,
            cost_kopecks=100_000 + n,
            copay_kopecks=20_000,
            content_hash="c",
            invoice_id=invoice.id,
            imported_at=at,
        )
        for n, invoice in enumerate((paid, disputed))
    ]
    contact = {"receipt": {"email": email, "phone": phone}, "amount": "200.00"}
    payment = Payment(
        id=pid * 10,
        idempotence_key=f"pay-{tag}",
        invoice_set=f"set-{tag}",
        attempt=1,
        payer_person_id=pid,
        telegram_id=telegram_id,
        amount_kopecks=20_000,
        status="succeeded",
        provider_id=f"kassa-{tag}",
        confirmation_url=f"https://kassa.example/confirm/{tag}",
        refunded_kopecks=5_000,
        request=contact,
        created_at=at,
        updated_at=at,
        settled_at=at,
    )
    binding = Payment(
        id=pid * 10 + 1,
        idempotence_key=f"bind-{tag}",
        invoice_set=f"bind-{tag}",
        attempt=1,
        payer_person_id=pid,
        telegram_id=telegram_id,
        amount_kopecks=100,
        status="canceled",
        provider_id=f"kassa-bind-{tag}",
        request=contact,
        kind="binding",
        created_at=at,
        updated_at=at,
    )
    refund = Refund(
        id=pid,
        payment_id=payment.id,
        idempotence_key=f"refund-{tag}",
        provider_id=f"kassa-refund-{tag}",
        amount_kopecks=5_000,
        reason="requested",
        status="succeeded",
        requested_by_telegram_id=ADMIN,
        request={"receipt": {"email": email}, "amount": "50.00"},
        created_at=at,
        updated_at=at,
    )
    return [
        person,
        account,
        *consents,
        NotificationSetting(account_id=account_id, kind="news", enabled=False),
        request,
        question,
        RequestMessage(request_id=question.id, from_staff=True, telegram_id=ADMIN, text="staff's answer", at=at),
        RequestMessage(
            request_id=question.id,
            from_staff=False,
            telegram_id=telegram_id,
            text=TYPED[3] if mine else "a staying reply",
            at=at,
        ),
        paid,
        disputed,
        *lines,
        Dispute(
            id=pid * 10,
            invoice_id=disputed.id,
            bill_line_id=lines[1].id,
            opened_by_account_id=account_id,
            opened_by_telegram_id=telegram_id,
            reason=TYPED[4] if mine else "a staying reason",
            opened_at=at,
            opened_on=at.date(),
            deadline=at.date() + timedelta(days=15),
        ),
        DisputeMessage(
            dispute_id=pid * 10,
            from_staff=True,
            telegram_id=ADMIN,
            text="support's message",
            at=at,
            file_kind="document",
            file_id=f"file-{tag}",
            file_name=TYPED[7] if mine else "staying.pdf",
        ),
        DisputeMessage(
            dispute_id=pid * 10, from_staff=False, telegram_id=telegram_id, text=TYPED[8] if mine else "stays", at=at
        ),
        payment,
        binding,
        PaymentInvoice(payment_id=payment.id, invoice_id=paid.id, amount_kopecks=20_000),
        PaymentMethod(
            payer_person_id=pid,
            provider_method_id=f"method-{tag}",
            binding_payment_id=binding.id,
            card_type="Visa",
            last4="4444",
            expiry_month=12,
            expiry_year=2030,
            bound_at=at,
            first6="411111",
        ),
        refund,
        RefundInvoice(refund_id=refund.id, invoice_id=paid.id, amount_kopecks=5_000),
        FranchiseActivation(
            person_id=pid,
            consented_by_account_id=account_id,
            consented_by_telegram_id=telegram_id,
            consented_at=at,
            effective_from=at.date() + timedelta(days=1),
            terms_version="1",
        ),
        OutboxMessage(telegram_id=telegram_id, kind="invoice_issued", payload={"invoice_id": paid.id}, created_at=at),
        OutboxMessage(
            telegram_id=telegram_id,
            kind="payment_succeeded",
            payload={"payment_id": payment.id},
            created_at=at,
            sent_at=at,
        ),
        OutboxMessage(telegram_id=telegram_id, kind="broadcast", created_at=at, priority=1, broadcast_id=1),
        AuditEvent(at=at, actor_telegram_id=telegram_id, action="registration.linked", details={"account": account_id}),
        AuditEvent(at=at, actor_telegram_id=telegram_id, action="payment.succeeded", object_id=str(payment.id)),
        LimitCounter(name="registration.submits", subject=str(telegram_id), window=at.date(), count=1),
    ]


async def seed_everything(root) -> None:
    async with root.uow() as uow:
        uow.session.add_all([Program(code="P1", name="Program", franchise_bp=2000)])
        uow.session.add(Clinic(id="C1", name="Clinic", city="Moscow", address="Tverskaya 1", search_key="clinic"))
        uow.session.add(
            Broadcast(
                id=1,
                created_by=ADMIN,
                language="en",
                text="News",
                segment="all",
                status="running",
                total=3,
                sent=1,
                created_at=NOW,
                queued_at=NOW,
            )
        )
        await uow.session.flush()
        for rows in (seed(PERSON, LEAVING, 1, "a"), seed(OTHER, STAYING, 2, "b")):
            for row in rows:  # in order: the foreign keys' targets first
                uow.session.add(row)
                await uow.session.flush()
        uow.session.add(BlockedUser(telegram_id=LEAVING, person_id=PERSON, blocked_at=NOW, blocked_by=ADMIN))
        await uow.commit()


def dialog_key(telegram_id: int) -> StorageKey:
    return StorageKey(bot_id=BOT_ID, chat_id=telegram_id, user_id=telegram_id)


async def pending_dialog(storage, telegram_id: int) -> None:
    """A registration in the middle: the names and the phone they typed so far."""
    await storage.set_state(dialog_key(telegram_id), "Registration:birth_date")
    await storage.set_data(dialog_key(telegram_id), {"last_name": TYPED[5], "first_name": TYPED[6], "phone": PHONE})


def _text(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)


async def leftovers(root) -> list[str]:
    """Where anything the leaving person typed or gave is still found, table by table as TABLES allows:
    the insurer's records keep theirs; ids-only tables may name the Telegram id, nothing else."""
    found = []
    async with root.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            keeping = TABLES[table.name]
            if keeping is Keeping.INSURER:
                continue
            for row in (await conn.execute(select(table))).mappings():
                for column, value in row.items():
                    if value is None:
                        continue
                    text = _text(value)
                    given = [secret for secret in (PHONE, EMAIL, *TYPED) if secret in text]
                    if keeping is not Keeping.IDS_ONLY and (value == LEAVING or str(LEAVING) in text):
                        given.append("telegram id")
                    found += [f"{table.name}.{column}: {what}" for what in given]
    return found


async def scalars(root, query) -> list:
    async with root.uow() as uow:
        return list(await uow.session.scalars(query))


async def erase(root, storage, path: str) -> None:
    dialogs = FsmDialogs(storage, BOT_ID)
    if path == "delete_me":
        assert await root.accounts.delete(LEAVING, dialogs)
    else:
        outcome = await root.desk.perform(ADMIN, PERSON, AccountAction.ERASE, dialogs=dialogs)
        assert outcome is not None and outcome.done


@pytest.fixture(params=["sqlite", "postgres"])
def tier(request) -> tuple[str, dict]:
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url"), {}
    return request.getfixturevalue("postgres_url"), {"redis_url": request.getfixturevalue("redis_url")}


def test_every_table_is_classified() -> None:
    """A new table fails here until it says what becomes of a leaving person's rows in it."""
    assert sorted(TABLES) == sorted(table.name for table in Base.metadata.sorted_tables)


@pytest.mark.parametrize("path", ["delete_me", "staff"])
async def test_erasure_leaves_nothing_they_typed_or_gave(tier, path: str) -> None:
    url, extra = tier
    settings = settings_for(url, admin_ids=[ADMIN], **extra)
    async with container(settings, clock=SetClock(NOW)) as root:
        storage, _ = create_fsm_storage(root)
        await seed_everything(root)
        for telegram_id in (LEAVING, STAYING):
            await pending_dialog(storage, telegram_id)
        before = set(await leftovers(root))  # the scan sees them while they are there
        assert {f"accounts.phone: {PHONE}", f"user_requests.text: {TYPED[0]}", f"disputes.reason: {TYPED[4]}"} <= before
        assert {f"dispute_messages.file_name: {TYPED[7]}", f"dispute_messages.text: {TYPED[8]}"} <= before
        assert {"payments.request: " + EMAIL, "outbox.telegram_id: telegram id"} <= before

        await erase(root, storage, path)

        assert await leftovers(root) == []
        kept = await scalars(root, select(DisputeMessage.text).order_by(DisputeMessage.id))
        assert kept == ["support's message", "stays"]  # the staying person's dispute's conversation
        assert await storage.get_state(dialog_key(LEAVING)) is None
        assert await storage.get_data(dialog_key(LEAVING)) == {}
        if root.redis is not None:  # no key of this run's Redis names them (the FSM's included)
            keys = [key async for key in root.redis.scan_iter(match=f"{settings.redis_prefix}:*")]
            assert [key for key in keys if str(LEAVING).encode() in key] == []

        # Accounting stays: amounts, statuses, provider ids.
        payments = await scalars(root, select(Payment).where(Payment.payer_person_id == PERSON).order_by(Payment.id))
        assert [(p.amount_kopecks, p.status, p.provider_id, p.telegram_id, p.request) for p in payments] == [
            (20_000, "succeeded", "kassa-a", None, None),
            (100, "canceled", "kassa-bind-a", None, None),
        ]
        refunds = await scalars(root, select(Refund).where(Refund.payment_id == PERSON * 10))
        assert [(r.amount_kopecks, r.status, r.provider_id, r.request) for r in refunds] == [
            (5_000, "succeeded", "kassa-refund-a", None)
        ]
        # The insurer's records stay: the registry row, the invoices and their lines, the dispute's hold.
        assert await scalars(root, select(InsuredPerson.id).order_by(InsuredPerson.id)) == [PERSON, OTHER]
        assert len(await scalars(root, select(Invoice.id).where(Invoice.person_id == PERSON))) == 2
        assert len(await scalars(root, select(BillLine.id).where(BillLine.person_id == PERSON))) == 2
        assert await scalars(root, select(Dispute.status).where(Dispute.invoice_id == PERSON * 10 + 1)) == ["open"]
        # Consents withdrawn with the time, by the account's id; the audit trail and the block stay.
        consents = await scalars(root, select(Consent).where(Consent.account_id == 1))
        assert [c.withdrawn_at for c in consents] == [NOW, NOW]
        actions = await scalars(
            root, select(AuditEvent.action).where(AuditEvent.actor_telegram_id.in_([LEAVING, ADMIN]))
        )
        assert {"registration.linked", "payment.succeeded"} <= set(actions)
        assert ("account.deleted" if path == "delete_me" else "account.erased") in actions
        assert await scalars(root, select(BlockedUser.telegram_id)) == [LEAVING]
        # Their unsent broadcast row counts as failed, so the broadcast still adds up.
        [broadcast] = await scalars(root, select(Broadcast))
        assert (broadcast.sent, broadcast.failed) == (1, 1)

        # The other person keeps everything.
        assert await scalars(root, select(Account.telegram_id)) == [STAYING]
        assert len(await scalars(root, select(UserRequest.id).where(UserRequest.account_id == 2))) == 2
        assert await scalars(root, select(PaymentMethod.payer_person_id)) == [OTHER]
        assert await scalars(root, select(Payment.telegram_id).where(Payment.payer_person_id == OTHER)) == [
            STAYING,
            STAYING,
        ]
        assert await storage.get_data(dialog_key(STAYING)) != {}
        assert len(await scalars(root, select(OutboxMessage.id).where(OutboxMessage.telegram_id == STAYING))) == 3
        assert len(await scalars(root, select(Consent.id).where(Consent.withdrawn_at.is_(None)))) == 2
        await storage.close()
