"""The desk's screens: the staff menu, /find's masked list, one person's record in sections, the account
actions' confirmations and outcomes, and the one line a blocked user gets."""

from html import escape

from aiogram.types import InlineKeyboardMarkup
from aiogram_i18n import I18nContext

from bot.callbacks.desk import RECORD_SECTIONS, ActionCb, FindPageCb, RecordCb
from bot.callbacks.desk_money import InvoiceCardCb, PaymentCardCb
from bot.callbacks.desk_queue import QueueItemCb
from bot.views.kit import (
    BUTTON_LABEL,
    NAME_IN_LIST,
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
)
from bot.views.pages import PageLinks, open_button
from core.actors import Role, staff_commands
from core.desk.actions import AccountAction
from core.services.desk import Found, FoundPerson, Outcome, Record

Screen = tuple[str, InlineKeyboardMarkup | None]
FIND_BUDGET = 3600  # UTF-16 units of a list page's entries (the title and pager line around them)
RECORD_BUDGET = 3800  # of a record section below its title
MONEY_BUTTONS = 12  # invoices, and payments, opened from the money section (the newest)


def admin_screen(i18n: I18nContext, role: Role) -> tuple[str, InlineKeyboardMarkup | None]:
    lines = [i18n.get("desk-admin-title", role=str(role))]
    lines += [f"/{command} — {i18n.get(f'desk-command-{command}')}" for command in staff_commands(role)[1:]]
    return "\n".join(lines), None


# --- find


def find_usage(i18n: I18nContext) -> str:
    return i18n.get("desk-find-usage")


def nothing_found(i18n: I18nContext) -> str:
    return i18n.get("desk-find-nothing")


def found_screen(i18n: I18nContext, found: Found, page: int, pages: PageLinks | None = None) -> Screen:
    """The people found, masked, a page at a time; a button per person opens the record. `pages` (the Mini
    App mode): only how many, and a button per person's record number that opens the record's page."""
    shown, people = page_slice(found.people, page)
    entries = [] if pages else [_found_entry(i18n, shown.start + n + 1, person) for n, person in enumerate(people)]
    text = lines(
        i18n.get("pages-desk-find-title" if pages else "desk-find-title", count=len(found.people)),
        page_line(i18n, shown),
        "",
        "\n".join(fitting(entries, FIND_BUDGET)),
    )
    if pages:
        buttons = [
            [open_button(i18n, pages.desk_person(p.person_id), f"{shown.start + n + 1}. № {p.person_id}")]
            for n, p in enumerate(people)
        ]
    else:
        buttons = [
            [button(clip(f"{shown.start + n + 1}. {p.name}", BUTTON_LABEL), RecordCb(person_id=str(p.person_id)))]
            for n, p in enumerate(people)
        ]
    return text, keyboard(*buttons, pager(i18n, shown, lambda number: FindPageCb(page=number)))


def _found_entry(i18n: I18nContext, number: int, person: FoundPerson) -> str:
    details = [person.policy, str(person.birth_year)]
    details += [value for value in (person.phone, person.email) if value]
    marks = [i18n.get("desk-find-registered")] if person.registered else []
    if person.blocked:
        marks.append(i18n.get("desk-find-blocked"))
    return lines(
        f"{number}. <b>{escape(clip(person.name, NAME_IN_LIST))}</b>" + (f" · {', '.join(marks)}" if marks else ""),
        "   " + escape(" · ".join(details)),
    )


# --- record


def record_screen(
    i18n: I18nContext,
    record: Record,
    section: int,
    came_from: RecordCb | None = None,
    pages: PageLinks | None = None,
) -> Screen:
    """One section of the record (Telegram's 4096 limit: the record is split into sections, each clipped
    to fit), with the sections as tabs, the account actions this member may take, and back to the list:
    the queue's item it was opened from (`came_from` names it), else the last /find's results. `pages`
    (the Mini App mode): the record's number and a button that opens it as a page, the actions as they are."""
    via = {"kind": came_from.kind, "item_id": came_from.item_id} if came_from and came_from.kind else {}
    person = record.person
    actions = [
        [button(i18n.get(f"desk-action-{action.value}"), ActionCb(person_id=person.person_id, action=action))]
        for action in record.actions
    ]
    if via:
        back = [button(i18n.get("desk-queue-back-to-item"), QueueItemCb(**via))]
    else:
        back = [button(i18n.get("desk-back-to-list"), FindPageCb(page=0))]
    if pages:
        text = i18n.get("pages-desk-record", id=str(person.person_id))
        opened = [open_button(i18n, pages.desk_person(person.person_id))]
        return text, keyboard(opened, *_money_buttons(i18n, record, pages), *actions, back)
    head = _record_head(i18n, record)
    body = _SECTIONS[section](i18n, record)
    text = lines(head, "", "\n".join(fitting(body, RECORD_BUDGET)))
    tabs = [
        button(
            ("• " if number == section else "") + i18n.get(f"desk-record-tab-{name}"),
            RecordCb(person_id=person.person_id, section=number, **via),
        )
        for number, name in enumerate(RECORD_SECTIONS)
    ]
    details = _money_buttons(i18n, record, None) if RECORD_SECTIONS[section] == "money" else []
    return text, keyboard(tabs[:2], tabs[2:], *details, *actions, back)


def record_sections(i18n: I18nContext, record: Record) -> tuple[str, list[tuple[str, list[str]]]]:
    """The record's title and every section's lines by the section's name: the desk's page shows them all
    (no message limit there)."""
    return _record_head(i18n, record), [(name, _SECTIONS[n](i18n, record)) for n, name in enumerate(RECORD_SECTIONS)]


def _record_head(i18n: I18nContext, record: Record) -> str:
    return i18n.get("desk-record-title", name=escape(record.person.full_name), id=str(record.person.person_id))


def _money_buttons(i18n: I18nContext, record: Record, pages: PageLinks | None) -> list[list]:
    """The money section opens each invoice and payment (their details, and an admin's money actions): as
    cards in the chat, or (`pages`, the Mini App mode: the cards show amounts) as their pages."""
    invoices = [(f"🧾 {i.number}", i.invoice_id) for i in record.invoices[:MONEY_BUTTONS]]
    payments = [(f"💳 № {p.payment_id}", p.payment_id) for p in record.payments[:MONEY_BUTTONS]]
    if pages:
        opened = [open_button(i18n, pages.desk_invoice(n), label) for label, n in invoices]
        opened += [open_button(i18n, pages.desk_payment(n), label) for label, n in payments]
    else:
        opened = [button(label, InvoiceCardCb(invoice_id=n)) for label, n in invoices]
        opened += [button(label, PaymentCardCb(payment_id=n)) for label, n in payments]
    return [opened[n : n + 2] for n in range(0, len(opened), 2)]


def _person_section(i18n: I18nContext, record: Record) -> list[str]:
    p = record.person
    out = [
        i18n.get("desk-record-born", date=day(i18n, p.birth_date)),
        i18n.get("desk-record-policy", number=escape(p.policy_number), program=escape(p.program_code)),
        i18n.get("desk-record-validity", start=day(i18n, p.valid_from), end=day(i18n, p.valid_to))
        + (" " + i18n.get("desk-record-removed", date=day(i18n, p.removed_on)) if p.removed_on else ""),
        i18n.get("desk-record-category", category=escape(i18n.get("desk-record-category-name", category=p.category))),
    ]
    if p.personnel_number:
        out.append(i18n.get("desk-record-personnel", number=escape(p.personnel_number)))
    out.append(i18n.get("desk-record-employer", employer=escape(p.employer), contract=escape(p.contract_number)))
    out.append(i18n.get("desk-record-contacts", phone=escape(p.phone or "—"), email=escape(p.email or "—")))
    if record.relatives:
        out += ["", i18n.get("desk-record-relatives")]
        out += [
            i18n.get(
                f"desk-relation-{r.relation}",
                name=escape(r.full_name),
                number=escape(r.policy_number),
                date=day(i18n, r.birth_date),
            )
            for r in record.relatives
        ]
    out.append("")
    account = record.account
    if account is None:
        out.append(i18n.get("desk-record-no-account"))
    else:
        out.append(
            i18n.get(
                "desk-record-account",
                telegram=str(account.telegram_id),
                since=moment(i18n, account.registered_at or account.created_at),
                language=account.language or "—",
            )
        )
        out.append(
            i18n.get(
                "desk-record-account-contacts", phone=escape(account.phone or "—"), email=escape(account.email or "—")
            )
        )
    for block in record.blocks:
        out.append(
            i18n.get(
                "desk-record-blocked",
                telegram=str(block.telegram_id),
                at=moment(i18n, block.blocked_at),
                by=str(block.blocked_by),
            )
        )
    if record.consents:
        out += ["", i18n.get("desk-record-consents")]
        out += [
            i18n.get(
                "desk-record-consent",
                kind=escape(i18n.get("desk-record-consent-name", kind=c.kind)),
                version=escape(c.version),
                granted="yes" if c.granted else "no",
                at=moment(i18n, c.at),
            )
            for c in record.consents
        ]
    return out


def _registration_section(i18n: I18nContext, record: Record) -> list[str]:
    out = [i18n.get("desk-record-locks")]
    out += [
        i18n.get("desk-record-lock", kind=lock.kind, failures=lock.failures, locked="yes" if lock.locked else "no")
        for lock in record.locks
    ]
    if record.submissions_today is not None:
        out.append(i18n.get("desk-record-submissions", count=record.submissions_today))
    out += ["", i18n.get("desk-record-attempts")]
    if not record.attempts:
        out.append(i18n.get("desk-record-none"))
    out += [
        i18n.get(
            "desk-record-attempt",
            at=moment(i18n, a.at),
            action=a.action,
            reason=escape(a.reason or "—"),
            telegram=str(a.telegram_id or "—"),
            locked="yes" if a.locked else "no",
        )
        for a in record.attempts
    ]
    return out


def _money_section(i18n: I18nContext, record: Record) -> list[str]:
    out = [i18n.get("desk-record-invoices")]
    if not record.invoices:
        out.append(i18n.get("desk-record-none"))
    out += [
        i18n.get(
            "desk-record-invoice",
            number=escape(i.number),
            status=i.status,
            issued=day(i18n, i.issued_on),
            due=day(i18n, i.due_on),
            copay=rub(i18n, i.copay_kopecks),
            paid=rub(i18n, i.paid_kopecks),
            insured=str(i.insured_person_id),
            payer=str(i.payer_person_id or "—"),
        )
        for i in record.invoices
    ]
    out += ["", i18n.get("desk-record-payments")]
    if not record.payments:
        out.append(i18n.get("desk-record-none"))
    for p in record.payments:
        out.append(
            i18n.get(
                "desk-record-payment",
                id=str(p.payment_id),
                provider=escape(p.provider_id or "—"),
                kind=p.kind,
                status=p.status,
                amount=rub(i18n, p.amount_kopecks),
                at=moment(i18n, p.created_at),
            )
            + (f" ⚠️ {escape(p.anomaly)}" if p.anomaly else "")
        )
        out += [
            i18n.get(
                "desk-record-refund",
                provider=escape(r.provider_id or "—"),
                status=r.status,
                amount=rub(i18n, r.amount_kopecks),
            )
            for r in p.refunds
        ]
    return out


def _requests_section(i18n: I18nContext, record: Record) -> list[str]:
    out = [i18n.get("desk-record-requests")]
    if not record.requests:
        out.append(i18n.get("desk-record-none"))
    out += [
        i18n.get("desk-record-request", number=str(r.number), kind=r.kind, at=moment(i18n, r.created_at))
        for r in record.requests
    ]
    out += ["", i18n.get("desk-record-disputes")]
    if not record.disputes:
        out.append(i18n.get("desk-record-none"))
    out += [
        i18n.get(
            "desk-record-dispute",
            id=str(d.dispute_id),
            invoice=escape(d.invoice_number),
            deadline=day(i18n, d.deadline),
        )
        for d in record.disputes
    ]
    return out


_SECTIONS = (_person_section, _registration_section, _money_section, _requests_section)


# --- actions


def confirm_screen(i18n: I18nContext, person_id: int, action: AccountAction) -> Screen:
    """What the action will do, and a button to do it (or go back to the record)."""
    text = i18n.get(f"desk-confirm-{action.value}")
    return text, keyboard(
        [button(i18n.get("desk-confirm-yes"), ActionCb(person_id=person_id, action=action, confirmed=True))],
        [button(i18n.get("desk-confirm-no"), RecordCb(person_id=person_id))],
    )


def outcome_screen(i18n: I18nContext, person_id: int, outcome: Outcome) -> Screen:
    action = outcome.action.value
    if outcome.done and outcome.link:
        text = i18n.get("desk-done-invite-shown", link=escape(outcome.link))
    elif outcome.done and outcome.email:
        text = i18n.get("desk-done-invite-emailed", email=escape(outcome.email))
    elif outcome.done:
        text = i18n.get(f"desk-done-{action}")
    else:
        text = i18n.get(f"desk-not-done-{outcome.reason.replace('_', '-')}", email=escape(outcome.email or ""))
    return text, keyboard([button(i18n.get("desk-back-to-record"), RecordCb(person_id=person_id))])


def blocked_line(i18n: I18nContext) -> str:
    return i18n.get("desk-blocked-line")
