"""Disputes stored: a line of an unpaid invoice questioned from the chat, and the staff's answer.

The rules are `core.billing.disputes` (and the status graph `core.billing.status`, through
`Invoice.moved`); this module reads, stores, audits and writes the notice.

- Who may open one: anyone who sees the invoice, i.e. its payer, or the insured person themselves (a
  relative with an account questions a service on her own invoice even though the holder pays it).
  Someone else's invoice, or no such id: `not_found`, as if it did not exist.
- `open`: one transaction: the dispute row, the invoice NEW/OVERDUE → DISPUTED, an audit event. The
  invoice row is locked first and its status changed only if still what was read, so two disputes of
  one invoice at once give one dispute and one refusal.
- `answer` (the staff desk calls it; the role is re-read here, `Forbidden` without it): accepted, the line's co-pay credited
  (NEW with the smaller total, PAID when nothing is left); rejected, back to NEW or OVERDUE; either way the
  due date moves by the calendar days held. A `dispute_answered` notice goes to the payer's account (and to
  whoever opened it, when that is someone else) in the same transaction; a person left with nothing
  overdue has their access restored there and then (`core.services.access`).

- `write` (from the dispute's topic in the staff group): support's message to whoever opened it, the
  dispute still open: a line naming it with a Reply button, then the staff member's message copied as it
  is. `reply`: the user's answer to that (in the chat, or on the dispute's page), copied into the topic (from
  the page: the topic told one came) and told to staff. Both are kept in the
  dispute's conversation (`dispute_messages`: the words, and a photo's or a document's Telegram file id),
  which the dispute's page shows. Neither changes the invoice.

Refusals are data (`DisputeResult.refusal`); a reason that is empty or too long raises `InputError`
(`request.empty`, `request.too_long`), as a request's text does. The reason and the answer may be health
data: never logged nor audited, and not in the notice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Row

from core.actors import Capability, Viewer
from core.attachments import Attachment, FileKind, KeptFile
from core.audit import AuditAction
from core.billing.disputes import (
    Dispute,
    DisputeRefusal,
    DisputeRefused,
    DisputeStatus,
    accept_dispute,
    is_late,
    open_dispute,
    reject_dispute,
)
from core.billing.invoices import Invoice
from core.billing.status import InvoiceStatus, TransitionRefused
from core.cabinet.requests import MAX_TEXT, request_text
from core.calendar import Clock
from core.db import models
from core.db.invoices import StoredInvoice
from core.db.uow import UnitOfWorkFactory
from core.desk.queue import ItemKind
from core.errors import InputError
from core.free_text import strip_control
from core.notices import DisputeAnswered, DisputeWritten, MessageCopied
from core.services.access import restore_paid_up
from core.services.requests import RequestMessageRecord, local_moment
from core.services.roles import RoleDirectory
from core.services.staff_told import tell_staff

NOT_FOUND = "not_found"  # no such invoice/dispute, or not the viewer's to see
CHANGED = "changed"  # the invoice changed meanwhile (another dispute, a payment): try again
ANSWERED_EARLY = "answered_early"  # an answer dated before the dispute was opened


@dataclass(frozen=True)
class DisputeRecord:
    dispute_id: int
    invoice_id: int
    invoice_number: str
    line_id: str
    service_date: date
    reason: str  # the user's words: escape before showing
    status: DisputeStatus
    opened_on: date
    deadline: date
    late: bool  # still open past the deadline (on the day it was read)
    answered_on: date | None
    answer: str | None  # the staff's words: escape before showing


@dataclass(frozen=True)
class DisputeResult:
    """The dispute (opened or answered), or why not: `not_found`, `changed`, `answered_early` or a
    `core.billing.disputes.DisputeRefusal` value."""

    dispute: DisputeRecord | None = None
    refusal: str | None = None
    invoice_status: InvoiceStatus | None = None  # where the invoice went


class DisputeService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, roles: RoleDirectory) -> None:
        self.uow = uow
        self.clock = clock
        self.roles = roles

    async def open(self, viewer: Viewer, invoice_id: int, bill_line_id: str, reason: str) -> DisputeResult:
        if viewer.person_id is None:
            return DisputeResult(refusal=NOT_FOUND)
        today, now = self.clock.today(), self.clock.now()
        async with self.uow() as uow:
            if not await uow.invoices.of_viewer(viewer.person_id, [invoice_id]):
                return DisputeResult(refusal=NOT_FOUND)
            repo = uow.disputes
            (invoice,) = await uow.invoices.rules([invoice_id], lock=True, lines=True)
            for row in await repo.of_invoice(viewer.person_id, invoice_id):
                if _repeats(row[0], viewer, bill_line_id, reason):  # sent twice: the first one
                    return DisputeResult(_record(row, today))
            try:
                held, dispute = open_dispute(invoice.rule, bill_line_id, reason, today)
            except DisputeRefused as refused:
                return DisputeResult(refusal=str(refused.refusal))
            if not await uow.invoices.save(invoice, held, now):
                return DisputeResult(refusal=CHANGED)
            stored = models.Dispute(
                invoice_id=invoice_id,
                bill_line_id=bill_line_id,
                opened_by_account_id=viewer.account_id,
                opened_by_telegram_id=viewer.telegram_id,
                reason=dispute.reason,
                opened_at=now,
                opened_on=today,
                deadline=dispute.deadline,
                status=str(dispute.status),
            )
            await repo.insert(stored)
            await tell_staff(uow, self.roles, ItemKind.DISPUTE, stored.id, now)
            await restore_paid_up(uow, [invoice.person_id], today, now)  # a held invoice is not overdue
            uow.audit.record(
                now,
                AuditAction.DISPUTE_OPENED,
                actor=viewer.telegram_id,
                object_type="dispute",
                object_id=stored.id,
                invoice=invoice_id,
            )
            result = DisputeResult(_record(await repo.row(stored.id), today), invoice_status=held.status)
            await uow.commit()
            return result

    async def answer(
        self, staff_telegram_id: int, dispute_id: int, accepted: bool, answer_text: str, today: date | None = None
    ) -> DisputeResult:
        """Staff's answer on `today` (default the clock's). `answer_text` may be empty; too long raises
        InputError `request.too_long`."""
        text = strip_control(answer_text).strip()
        if text:
            text = request_text(text, "answer", MAX_TEXT)
        today = today or self.clock.today()
        now = self.clock.now()
        async with self.uow() as uow:
            await self.roles.require(uow, staff_telegram_id, Capability.ANSWER_DISPUTES)
            repo = uow.disputes
            found = await repo.row(dispute_id)
            if found is None:
                return DisputeResult(refusal=NOT_FOUND)
            # The invoice locked first, as `open` does.
            (invoice,) = await uow.invoices.rules([found.Dispute.invoice_id], lock=True, lines=True)
            stored = await repo.get_for_update(dispute_id)
            rule = accept_dispute if accepted else reject_dispute
            try:
                moved, answered = rule(invoice.rule, _dispute(stored, invoice.rule.number), today)
            except DisputeRefused as refused:
                return DisputeResult(refusal=str(refused.refusal))
            except TransitionRefused:
                return DisputeResult(refusal=str(DisputeRefusal.NOT_DISPUTABLE))
            except ValueError:
                return DisputeResult(refusal=ANSWERED_EARLY)
            if not await uow.invoices.save(invoice, moved, now):
                return DisputeResult(refusal=CHANGED)
            stored.status, stored.answered_at, stored.answered_on = str(answered.status), now, today
            stored.answer, stored.answered_by_telegram_id = text or None, staff_telegram_id
            await self._notify(uow, invoice, stored, moved, now)
            await restore_paid_up(uow, [invoice.person_id], today, now)  # nothing overdue left: at once
            uow.audit.record(
                now,
                AuditAction.DISPUTE_ANSWERED,
                actor=staff_telegram_id,
                object_type="dispute",
                object_id=dispute_id,
                reason=str(answered.status),
                invoice=invoice.id,
            )
            result = DisputeResult(_record(await repo.row(dispute_id), today), invoice_status=moved.status)
            await uow.commit()
            return result

    async def write(
        self,
        staff_telegram_id: int,
        dispute_id: int,
        from_chat: int,
        message_id: int,
        text: str,
        attachment: Attachment | None = None,
    ) -> bool:
        """Support's message (`message_id` in `from_chat`, the dispute's topic: its words `text`, its photo or
        document `attachment`) to whoever opened the open dispute, kept in its conversation; audited. False
        when it is not open, or its user has no account any more."""
        now = self.clock.now()
        async with self.uow() as uow:
            await self.roles.require(uow, staff_telegram_id, Capability.ANSWER_DISPUTES)
            found = await uow.disputes.row(dispute_id)
            if (
                found is None
                or found.Dispute.status != DisputeStatus.OPEN
                or found.Dispute.opened_by_account_id is None
            ):
                return False
            to = found.Dispute.opened_by_telegram_id
            said = _message(dispute_id, True, staff_telegram_id, text, now)
            if attachment is not None:
                said.file_kind, said.file_id, said.file_name = (
                    attachment.kind.value,
                    attachment.file_id,
                    attachment.name,
                )
            await uow.disputes.add_message(said)
            uow.outbox.add(DisputeWritten(to=to, dispute_id=dispute_id, invoice=found.invoice_number), now)
            copy = MessageCopied(
                to=to, from_chat=from_chat, message_id=message_id, about=ItemKind.DISPUTE, about_id=dispute_id
            )
            uow.outbox.add(copy, now)
            uow.audit.record(
                now, AuditAction.DISPUTE_WRITTEN, actor=staff_telegram_id, object_type="dispute", object_id=dispute_id
            )
            await uow.commit()
        return True

    async def may_reply(self, viewer: Viewer, dispute_id: int) -> bool:
        """The caller opened this dispute, it is still open, and there is a staff group to reply into."""
        async with self.uow() as uow:
            return await self._repliable(uow, viewer, dispute_id) is not None

    async def reply(
        self, viewer: Viewer, dispute_id: int, text: str, message_id: int | None = None, after: int | None = None
    ) -> bool:
        """The user's message on their open dispute (`text` already checked: its words or caption): kept in its
        conversation, told to staff as a reply and to its topic in the staff group (`message_id`: the message
        in their chat, copied there; None when typed on the dispute's page, whose topic is told one came);
        audited. `after`: the conversation's last message the page showed (0: none), so the same form posted
        again is refused. False when `may_reply` would say no, or the conversation moved on since `after`."""
        now = self.clock.now()
        async with self.uow() as uow:
            if after is not None:  # the dispute's row locked first: of two posts of one form, one is kept
                await uow.disputes.get_for_update(dispute_id)
            if await self._repliable(uow, viewer, dispute_id) is None:
                return False
            if after is not None and (await uow.disputes.last_message_id(dispute_id) or 0) != after:
                return False
            await uow.disputes.add_message(_message(dispute_id, False, viewer.telegram_id, text, now))
            copy = MessageCopied(
                to=self.roles.staff_chat_id,
                from_chat=viewer.telegram_id,
                message_id=message_id,
                item=ItemKind.DISPUTE,
                item_id=dispute_id,
            )
            uow.outbox.add(copy, now)
            await tell_staff(uow, self.roles, ItemKind.DISPUTE, dispute_id, now, reopened=True)
            uow.audit.record(
                now, AuditAction.DISPUTE_REPLIED, actor=viewer.telegram_id, object_type="dispute", object_id=dispute_id
            )
            await uow.commit()
        return True

    async def _repliable(self, uow, viewer: Viewer, dispute_id: int) -> Row | None:
        found = await uow.disputes.row(dispute_id)
        if (
            self.roles.staff_chat_id is None
            or found is None
            or found.Dispute.status != DisputeStatus.OPEN
            or found.Dispute.opened_by_telegram_id != viewer.telegram_id
        ):
            return None
        return found

    async def of_viewer(self, viewer: Viewer, *, open_only: bool = False) -> list[DisputeRecord]:
        """The disputes of the invoices the viewer sees, newest first (only the open ones: /requests)."""
        if viewer.person_id is None:
            return []
        today = self.clock.today()
        async with self.uow() as uow:
            rows = await uow.disputes.of_viewer(viewer.person_id, [str(DisputeStatus.OPEN)] if open_only else None)
        return [_record(row, today) for row in rows]

    async def details(self, viewer: Viewer, dispute_id: int) -> DisputeRecord | None:
        """A dispute of an invoice the viewer sees; None for any other id."""
        if viewer.person_id is None:
            return None
        async with self.uow() as uow:
            row = await uow.disputes.one_of_viewer(viewer.person_id, dispute_id)
        return None if row is None else _record(row, self.clock.today())

    async def conversation(self, viewer: Viewer, dispute_id: int) -> list[RequestMessageRecord] | None:
        """Support's messages and the replies on a dispute the viewer sees, oldest first; None for any other."""
        if viewer.person_id is None:
            return None
        async with self.uow() as uow:
            if await uow.disputes.one_of_viewer(viewer.person_id, dispute_id) is None:
                return None
            messages = await uow.disputes.messages(dispute_id)
        zone = self.clock.zone
        return [RequestMessageRecord.of(m, local_moment(m.at, zone)) for m in messages]

    async def file(self, viewer: Viewer, dispute_id: int, message_id: int) -> KeptFile | None:
        """The photo or document support sent with a message of a dispute the viewer sees; None otherwise."""
        if viewer.person_id is None:
            return None
        async with self.uow() as uow:
            if await uow.disputes.one_of_viewer(viewer.person_id, dispute_id) is None:
                return None
            message = await uow.disputes.message(dispute_id, message_id)
        if message is None or not message.from_staff or message.file_id is None:
            return None
        return KeptFile(FileKind(message.file_kind), message.file_id, message.file_name)

    async def of_invoice(self, viewer: Viewer, invoice_id: int) -> dict[str, DisputeRecord]:
        """Line id → the latest dispute of that line, for an invoice the viewer sees (else empty)."""
        if viewer.person_id is None:
            return {}
        today = self.clock.today()
        async with self.uow() as uow:
            rows = await uow.disputes.of_invoice(viewer.person_id, invoice_id)
        return {row.Dispute.bill_line_id: _record(row, today) for row in rows}  # oldest first: the latest wins

    async def _notify(self, uow, invoice: StoredInvoice, stored: models.Dispute, moved: Invoice, now) -> None:
        """The answer, to the payer and to whoever opened the dispute."""
        recipients: list[int] = []
        if invoice.payer_person_id is not None:
            found = (await uow.accounts.of_people([invoice.payer_person_id])).get(invoice.payer_person_id)
            if found is not None:
                recipients.append(found[1])
        if stored.opened_by_account_id is not None and stored.opened_by_telegram_id not in recipients:
            recipients.append(stored.opened_by_telegram_id)
        for telegram_id in recipients:
            notice = DisputeAnswered(
                to=telegram_id,
                person_id=invoice.person_id,
                invoice=invoice.rule.number,
                accepted=stored.status == "accepted",
                status=moved.status,
                total=moved.total,
                due_on=moved.due_on,
                dispute_id=stored.id,
            )
            uow.outbox.add(notice, now)


def _message(dispute_id: int, from_staff: bool, telegram_id: int, text: str, now) -> models.DisputeMessage:
    return models.DisputeMessage(
        dispute_id=dispute_id, from_staff=from_staff, telegram_id=telegram_id, text=strip_control(text), at=now
    )


def _repeats(earlier: models.Dispute, viewer: Viewer, bill_line_id: str, reason: str) -> bool:
    """The same dispute sent again (a double submit or press) while it is still open: the same person, line
    and reason (compared as it is stored). The invoice is held meanwhile, so anything else is refused."""
    same = (earlier.opened_by_account_id, earlier.bill_line_id, earlier.status) == (
        viewer.account_id,
        bill_line_id,
        DisputeStatus.OPEN,
    )
    try:
        return same and earlier.reason == request_text(reason, "reason", MAX_TEXT)
    except InputError:
        return False


def _dispute(stored: models.Dispute, number: str) -> Dispute:
    return Dispute(
        number, stored.bill_line_id, stored.reason, stored.opened_on, DisputeStatus(stored.status), stored.answered_on
    )


def _record(row: Row, today: date) -> DisputeRecord:
    stored = row.Dispute
    status = DisputeStatus(stored.status)
    return DisputeRecord(
        dispute_id=stored.id,
        invoice_id=stored.invoice_id,
        invoice_number=row.invoice_number,
        line_id=stored.bill_line_id,
        service_date=row.service_date,
        reason=stored.reason,
        status=status,
        opened_on=stored.opened_on,
        deadline=stored.deadline,
        late=is_late(_dispute(stored, row.invoice_number), today),
        answered_on=stored.answered_on,
        answer=stored.answer,
    )


__all__ = [
    "ANSWERED_EARLY",
    "CHANGED",
    "NOT_FOUND",
    "DisputeRecord",
    "DisputeResult",
    "DisputeService",
]
