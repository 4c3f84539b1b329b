"""Saved cards and automatic charges (YooKassa autopayments), behind YOOKASSA_AUTOPAY.

- Binding: a minimal two-stage payment (`capture: false`, `save_payment_method: true`) through the
  provider's page; once the provider holds the money (`waiting_for_capture`) the method is saved and the
  hold cancelled, so the check costs the payer nothing. The binding payment is stored with its key before
  the call, like any payment; its outcome is whether a card row points at it.
- Automatic charges: queued per invoice in the issuing transaction (`core.services.billing`), made by the
  job with the card bound last, under a key derived from the invoice alone — whatever the number of cards,
  presses, restarts or processes, the provider makes one payment per invoice. A declined charge leaves the
  invoice unpaid and a debt notice with the Pay button.
- Removing a card is local: the provider's method is forgotten and never charged again.

The rules are `core.billing.cards`; payments themselves (create, read back, settle, cancel) are
`core.services.payments`. Nothing here logs a card number, a phone or a name.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy.exc import IntegrityError

from core.audit import AuditAction
from core.billing.cards import (
    BINDING_AMOUNT,
    MAX_CARDS,
    BindingChange,
    CardPrint,
    CardTerms,
    ChargeSkip,
    autopay_key,
    binding_change,
    binding_key,
    binding_set,
    card_to_charge,
    expired,
    expires_on,
    expiry_notice,
    release_key,
    same_card,
)
from core.billing.payments import PaymentStatus, invoice_set
from core.billing.reminders import DAYTIME, daytime
from core.billing.settlement import start_payment
from core.billing.status import SELECTABLE
from core.calendar import Clock
from core.db import models
from core.db.uow import UnitOfWorkFactory
from core.gateways.payments import OutcomeUnknown, Rejected, RemotePayment
from core.notices import AutopayFailed, CardBound, CardExpiring, CardNotBound
from core.services.invoices import total_to_pay
from core.services.payments import AUTOPAY, BINDING, NotificationResult, PaymentService
from core.services.viewers import Viewer

log = logging.getLogger(__name__)


class BindRefusal(StrEnum):
    NOT_OFFERED = "not_offered"  # YOOKASSA_AUTOPAY off, or no provider configured
    NOT_REGISTERED = "not_registered"
    TOO_MANY_CARDS = "too_many_cards"
    UNREACHABLE = "unreachable"  # the provider did not answer: try again (the same binding)
    PROVIDER_REFUSED = "provider_refused"


@dataclass(frozen=True)
class SavedCard:
    card_id: int
    card_type: str  # as the provider names it: "MasterCard", "Visa", "Mir", … ("" when unknown)
    last4: str
    expiry_month: int
    expiry_year: int
    expires_on: date  # the last day of the expiry month
    bound_at: datetime  # in the operator's time zone
    expired: bool
    charged: bool  # the card automatic charges use: the one bound last


@dataclass(frozen=True)
class CardsOverview:
    offered: bool  # saved cards and automatic charges are offered (YOOKASSA_AUTOPAY and a provider)
    cards: tuple[SavedCard, ...]  # bound last first
    autopay: bool  # the payer's automatic charges are on
    binding_url: str | None  # a binding under way: its page (a second "Add a card" shows it again)
    registered: bool = True  # False: no insured person behind the account, nothing to bind or turn on


@dataclass(frozen=True)
class BindResult:
    confirmation_url: str | None = None  # the provider's page where the payer enters the card
    refusal: BindRefusal | None = None
    existing: bool = False  # a binding already under way, shown again


@dataclass(frozen=True)
class AutopayReport:
    charged: int  # charges made (or found made) at the provider this run
    declined: int
    skipped: int  # not charged: paid or disputed meanwhile, autopay turned off, no usable card
    unknown: int  # the provider did not answer: asked again next run with the same key


class CardService:
    """The payer's saved cards, their binding, and the automatic charges of issued invoices."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        payments: PaymentService,
        *,
        enabled: bool,
        hours: tuple[int, int] = DAYTIME,
    ) -> None:
        self.uow = uow
        self.clock = clock
        self.payments = payments
        self.hours = hours  # when expiry notices may be sent (REMINDER_HOURS)
        self.offered = enabled and payments.available

    # The payer's screen -------------------------------------------------------------------------------

    async def overview(self, viewer: Viewer) -> CardsOverview:
        if viewer.person_id is None:
            return CardsOverview(self.offered, (), False, None, registered=False)
        async with self.uow() as uow:
            repo = uow.cards
            cards = await repo.cards(viewer.person_id)
            account = await repo.account(viewer.person_id)
            pending = await repo.pending_binding(viewer.person_id)
        today = self.clock.today()
        shown = tuple(
            SavedCard(
                card_id=card.id,
                card_type=card.card_type,
                last4=card.last4,
                expiry_month=card.expiry_month,
                expiry_year=card.expiry_year,
                expires_on=expires_on(card.expiry_month, card.expiry_year),
                bound_at=card.bound_at.astimezone(self.clock.zone),
                expired=expired(card.expiry_month, card.expiry_year, today),
                charged=n == 0,
            )
            for n, card in enumerate(cards)
        )
        url = pending.confirmation_url if pending is not None else None
        return CardsOverview(self.offered, shown, bool(account and account.autopay), url if self.offered else None)

    async def bind(self, viewer: Viewer, *, again: bool = True) -> BindResult:
        """A binding payment for the viewer (the payer), or the one already under way."""
        if not self.offered:
            return BindResult(refusal=BindRefusal.NOT_OFFERED)
        if viewer.person_id is None:
            return BindResult(refusal=BindRefusal.NOT_REGISTERED)
        now = self.clock.now()
        existing = False
        async with self.uow() as uow:
            repo = uow.cards
            pending = await repo.pending_binding(viewer.person_id)
            if pending is not None:
                payment_id, existing = pending.id, True
            elif len(await repo.cards(viewer.person_id)) >= MAX_CARDS:
                return BindResult(refusal=BindRefusal.TOO_MANY_CARDS)
            else:
                chosen = binding_set(viewer.person_id)
                attempt = await repo.bindings(chosen) + 1
                payment = models.Payment(
                    idempotence_key=binding_key(viewer.person_id, attempt),
                    invoice_set=chosen,
                    attempt=attempt,
                    payer_person_id=viewer.person_id,
                    telegram_id=viewer.telegram_id,
                    amount_kopecks=BINDING_AMOUNT,
                    status=str(PaymentStatus.PENDING),
                    refunded_kopecks=0,
                    kind=BINDING,
                    created_at=now,
                    updated_at=now,
                )
                try:
                    await uow.payments.insert(payment)
                except IntegrityError:  # a second press got there first (the same key): show its binding
                    await uow.rollback()
                    return (
                        await self.bind(viewer, again=False) if again else BindResult(refusal=BindRefusal.UNREACHABLE)
                    )
                uow.audit.record(
                    now,
                    AuditAction.CARD_BINDING_STARTED,
                    actor=viewer.telegram_id,
                    object_type="payment",
                    object_id=payment.id,
                )
                await uow.commit()
                payment_id = payment.id
        result = await self.payments.ensure_created(payment_id, existing=existing)
        if result.payment is None:
            return BindResult(refusal=BindRefusal.PROVIDER_REFUSED)
        if result.refusal is not None or result.payment.confirmation_url is None:
            return BindResult(refusal=BindRefusal.UNREACHABLE)
        return BindResult(confirmation_url=result.payment.confirmation_url, existing=existing)

    async def remove(self, viewer: Viewer, card_id: int) -> CardsOverview | None:
        """Forget one of the viewer's cards (never charged again). None when it is not the viewer's."""
        if viewer.person_id is None:
            return None
        now = self.clock.now()
        async with self.uow() as uow:
            if not await uow.cards.remove(card_id, viewer.person_id, now):
                return None
            uow.audit.record(
                now, AuditAction.CARD_REMOVED, actor=viewer.telegram_id, object_type="card", object_id=card_id
            )
            await uow.commit()
        return await self.overview(viewer)

    async def set_autopay(self, viewer: Viewer, on: bool) -> CardsOverview:
        if viewer.person_id is not None and self.offered:
            now = self.clock.now()
            async with self.uow() as uow:
                await uow.cards.set_autopay(viewer.person_id, on)
                uow.audit.record(
                    now,
                    AuditAction.CARD_AUTOPAY,
                    actor=viewer.telegram_id,
                    object_type="person",
                    object_id=viewer.person_id,
                    on=on,
                )
                await uow.commit()
        return await self.overview(viewer)

    # A binding's outcome ------------------------------------------------------------------------------

    async def apply_binding(self, remote: RemotePayment, payment_id: int) -> NotificationResult:
        """The provider's binding payment as it is now: the card saved and the hold released, or nothing
        bound. Safe to apply any number of times."""
        now = self.clock.now()
        method = remote.payment_method
        saved = bool(method and method.saved and method.card)
        async with self.uow() as uow:
            repo, payments = uow.cards, uow.payments
            payment = await payments.get(payment_id, lock=True)
            what = binding_change(payment.status == PaymentStatus.PENDING, remote.status, saved)
            if payment.provider_id is None:
                await payments.set_created(payment.id, remote.id, remote.confirmation_url, now)
            if what == BindingChange.NONE:
                await uow.commit()
                return NotificationResult.DUPLICATE
            bound = await repo.card_of_binding(payment.id)
            if what == BindingChange.FAIL:
                if not await payments.move(
                    payment.id,
                    str(PaymentStatus.PENDING),
                    now,
                    status=str(PaymentStatus.CANCELED),
                    cancellation_reason=remote.cancellation_reason,
                ):
                    return NotificationResult.DUPLICATE
                if bound is None and await repo.account(payment.payer_person_id) is not None:  # declined, abandoned
                    uow.outbox.add(CardNotBound(to=payment.telegram_id, reason=remote.cancellation_reason), now)
                    uow.audit.record(
                        now,
                        AuditAction.CARD_NOT_BOUND,
                        object_type="payment",
                        object_id=payment.id,
                        reason=remote.cancellation_reason,
                    )
                await uow.commit()
                return NotificationResult.APPLIED
            if bound is None and await repo.account(payment.payer_person_id) is None:
                # The account was deleted (/delete_me) while its binding was under way: nothing is kept.
                uow.audit.record(
                    now, AuditAction.CARD_NOT_BOUND, object_type="payment", object_id=payment.id, reason="no_account"
                )
            elif bound is None:
                card = method.card
                bound = models.PaymentMethod(
                    payer_person_id=payment.payer_person_id,
                    provider_method_id=method.id,
                    binding_payment_id=payment.id,
                    card_type=card.card_type[:32],
                    last4=card.last4[-4:],
                    expiry_month=card.expiry_month,
                    expiry_year=card.expiry_year,
                    bound_at=now,
                    first6=card.first6[:6] if card.first6 else None,
                )
                # The same card bound again: the new binding (its saved method) takes the older row's place,
                # so the card is listed, and charged, once.
                for older in await repo.cards(payment.payer_person_id):
                    if same_card(_print(older), _print(bound)):
                        await repo.remove(older.id, payment.payer_person_id, now)
                        uow.audit.record(
                            now, AuditAction.CARD_REMOVED, object_type="card", object_id=older.id, reason="bound_again"
                        )
                await repo.insert(bound)
                await repo.set_autopay(payment.payer_person_id, True)  # what a card is bound for
                notice = CardBound(
                    to=payment.telegram_id,
                    card_type=bound.card_type,
                    last4=bound.last4,
                    expiry_month=bound.expiry_month,
                    expiry_year=bound.expiry_year,
                    autopay=True,
                )
                uow.outbox.add(notice, now)
                uow.audit.record(now, AuditAction.CARD_BOUND, object_type="card", object_id=bound.id)
            await uow.commit()
        await self._release(payment_id, remote.id)
        return NotificationResult.APPLIED

    async def _release(self, payment_id: int, provider_id: str) -> None:
        """Cancel the binding's hold (the check costs nothing); asked again with the same key by the
        read-back when the answer is lost."""
        try:
            remote = await self.payments.gateway.cancel_payment(provider_id, release_key(payment_id))
        except OutcomeUnknown:
            log.warning("binding %s: the answer to releasing the hold is unknown; read back later", payment_id)
            return
        except Rejected as refused:  # captured by someone, or gone: nothing of ours to release
            log.error("binding %s: releasing the hold refused (%s %s)", payment_id, refused.status, refused.code)
            async with self.uow() as uow:
                await uow.payments.move(
                    payment_id, str(PaymentStatus.PENDING), self.clock.now(), status=str(PaymentStatus.FAILED)
                )
                await uow.commit()
            return
        await self.apply_binding(remote, payment_id)

    # The job: automatic charges -----------------------------------------------------------------------

    async def charge_queued(self, limit: int = 100) -> AutopayReport:
        """Each queued charge made once (or its outcome read back), in queue order."""
        counts = {"charged": 0, "declined": 0, "skipped": 0, "unknown": 0}
        if not self.offered:
            return AutopayReport(**counts)
        async with self.uow() as uow:
            queued = await uow.cards.open_charges(limit)
        for invoice_id in queued:
            counts[await self._charge(invoice_id)] += 1
        return AutopayReport(**counts)

    async def _charge(self, invoice_id: int) -> str:
        payment_id = await self._stored_charge(invoice_id)
        if isinstance(payment_id, str):
            return payment_id
        result = await self.payments.read_back(payment_id)
        status = result.payment.status if result.payment is not None else PaymentStatus.FAILED
        if status == PaymentStatus.PENDING:
            return "unknown"
        now = self.clock.now()
        async with self.uow() as uow:
            await uow.cards.finish(invoice_id, now)
            await uow.commit()
        return "charged" if status == PaymentStatus.SUCCEEDED else "declined"

    async def _stored_charge(self, invoice_id: int) -> int | str:
        """The charge's payment row (stored now, with its key, when it has none yet), or why none is made."""
        today, now = self.clock.today(), self.clock.now()
        async with self.uow() as uow:
            repo, payments = uow.cards, uow.payments
            charge = await repo.charge(invoice_id, lock=True)
            if charge is None or charge.done_at is not None:
                return "skipped"
            if charge.payment_id is not None:
                return charge.payment_id
            (invoice,) = await uow.invoices.rules([invoice_id], lock=True)
            account = await repo.account(charge.payer_person_id)
            cards = await repo.cards(charge.payer_person_id)
            total = total_to_pay(invoice.copay, invoice.rule.deposit_used, invoice.credited)
            card, skip = card_to_charge((CardTerms(c.id, c.expiry_month, c.expiry_year) for c in cards), today)
            if account is None or not account.autopay:
                skip = ChargeSkip.AUTOPAY_OFF
            elif (
                invoice.payer_person_id != charge.payer_person_id or invoice.rule.status not in SELECTABLE or total <= 0
            ):
                skip = ChargeSkip.NOT_PAYABLE
            if skip is not None:
                await repo.finish(invoice_id, now, skipped=str(skip))
                if skip in (ChargeSkip.NO_CARD, ChargeSkip.CARD_EXPIRED):  # the payer counted on it: say so
                    notice = AutopayFailed(
                        to=account.telegram_id,
                        invoices=(invoice.rule.number,),
                        total=total,
                        reason=str(skip),
                        last4=cards[0].last4 if cards else None,
                    )
                    uow.outbox.add(notice, now)
                uow.audit.record(
                    now, AuditAction.AUTOPAY_SKIPPED, object_type="invoice", object_id=invoice_id, reason=str(skip)
                )
                await uow.commit()
                return "skipped"
            chosen = invoice_set([invoice_id])
            payment = models.Payment(
                idempotence_key=autopay_key(invoice_id),
                invoice_set=chosen,
                attempt=await payments.attempts(chosen) + 1,
                payer_person_id=charge.payer_person_id,
                telegram_id=account.telegram_id,
                amount_kopecks=total,
                status=str(PaymentStatus.PENDING),
                refunded_kopecks=0,
                kind=AUTOPAY,
                payment_method_id=card.card_id,
                created_at=now,
                updated_at=now,
            )
            try:
                await payments.insert(payment)
            except IntegrityError:  # another process stored it first (its key is the invoice's): it goes on
                await uow.rollback()
                return "unknown"
            if not await uow.invoices.save(invoice, start_payment(invoice.rule), now):
                return "skipped"
            payments.add(models.PaymentInvoice(payment_id=payment.id, invoice_id=invoice_id, amount_kopecks=total))
            charge.payment_id = payment.id
            uow.audit.record(
                now, AuditAction.AUTOPAY_STARTED, object_type="payment", object_id=payment.id, card=card.card_id
            )
            await uow.commit()
            return payment.id

    # The job: expiry notices --------------------------------------------------------------------------

    async def expiry_notices(self, batch: int = 1000) -> int:
        """A month before a card expires and on its last day, its payer is told (once each, in daytime)."""
        today, now = self.clock.today(), self.clock.now()
        if not self.offered or not daytime(now.astimezone(self.clock.zone), self.hours):
            return 0
        sent, after = 0, 0
        while True:
            async with self.uow() as uow:
                repo = uow.cards
                rows = await repo.cards_with_accounts(after, batch)
                for card, telegram_id in rows:
                    when = expiry_notice(card.expiry_month, card.expiry_year, today)
                    if when is None or await repo.notice_sent(card.id, str(when)):
                        continue
                    uow.reminders.mark("card", card.id, str(when), now)
                    notice = CardExpiring(
                        to=telegram_id,
                        card_type=card.card_type,
                        last4=card.last4,
                        when=when,
                        expires_on=expires_on(card.expiry_month, card.expiry_year),
                    )
                    uow.outbox.add(notice, now)
                    sent += 1
                await uow.commit()
            if len(rows) < batch:
                return sent
            after = rows[-1].PaymentMethod.id


def _print(card: models.PaymentMethod) -> CardPrint:
    return CardPrint(card.first6, card.last4, card.expiry_month, card.expiry_year, card.card_type)
