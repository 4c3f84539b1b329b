"""The policy memo: a PDF to show at a clinic's reception (the person, the policy, the program, the
deductible, the clinics with addresses and phones, the insurer's medical desk), in the user's language.

Built with fpdf2 and the DejaVu Sans font shipped beside this module (`fonts/`, its licence there): the
PDF core fonts have no Cyrillic."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from pathlib import Path

from aiogram_i18n import I18nContext
from fpdf import FPDF

from bot.views.kit import day, percent
from bot.views.policies import franchise_status, policy_status
from core.services.clinics import ClinicEntry
from core.services.policies import Policy

FONTS = Path(__file__).parent / "fonts"
FONT = "DejaVu"


def memo_filename(policy: Policy) -> str:
    safe = "".join(c if c.isalnum() else "-" for c in policy.policy_number).strip("-")
    return f"memo-{safe or policy.person_id}.pdf"


def memo_pdf(i18n: I18nContext, policy: Policy, clinics: list[ClinicEntry], total: int, today: date) -> bytes:
    """The memo's bytes. Texts are plain (no HTML): the PDF shows them as they are."""
    pdf = FPDF(format="A4")
    pdf.set_title(i18n.get("memo-title"))
    pdf.set_author(i18n.get("memo-author"))
    pdf.set_creation_date(datetime.combine(today, time(), tzinfo=UTC))  # the day only: no moment inside
    pdf.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_margins(15, 15, 15)
    pdf.add_page()

    def heading(text: str, size: int = 13) -> None:
        pdf.set_font(FONT, "B", size)
        pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)

    def line(text: str, size: int = 10) -> None:
        pdf.set_font(FONT, "", size)
        pdf.multi_cell(0, 5.5, text, new_x="LMARGIN", new_y="NEXT")

    program = policy.program
    heading(i18n.get("memo-title"), 16)
    line(i18n.get("memo-intro"))
    pdf.ln(3)
    line(i18n.get("memo-insured", name=policy.full_name), 12)
    line(i18n.get("memo-policy", number=policy.policy_number), 12)
    line(i18n.get("memo-program", program=program.name))
    if policy.employer or policy.contract_number:
        line(i18n.get("memo-contract", contract=policy.contract_number or "—", employer=policy.employer or "—"))
    line(i18n.get("memo-validity", start=day(i18n, policy.valid_from), end=day(i18n, policy.valid_to)))
    line(i18n.get("memo-status", status=_plain(policy_status(i18n, policy.status, program.overdue_rule))))
    pdf.ln(2)
    heading(i18n.get("memo-franchise-heading"))
    if program.franchise_bp:
        line(i18n.get("memo-franchise", percent=percent(i18n, program.franchise_bp)))
        line(i18n.get("memo-franchise-status", status=_plain(franchise_status(i18n, policy.franchise))))
        line(i18n.get(f"memo-franchise-due-{program.due_day_kind}", days=program.due_days))
    else:
        line(i18n.get("memo-franchise-none"))
    desk = [c for c in clinics if c.emergency]
    if desk:
        pdf.ln(2)
        heading(i18n.get("memo-desk-heading"))
        for clinic in desk:
            line(_clinic(i18n, clinic))
    pdf.ln(2)
    heading(i18n.get("memo-clinics-heading", count=total))
    for clinic in (c for c in clinics if not c.emergency):
        line(_clinic(i18n, clinic))
        pdf.ln(1)
    if total > len(clinics):
        line(i18n.get("memo-clinics-more", count=total - len(clinics)))
    pdf.ln(3)
    line(i18n.get("memo-footer", date=day(i18n, today)), 8)
    return bytes(pdf.output())


def _clinic(i18n: I18nContext, clinic: ClinicEntry) -> str:
    where = ", ".join(part for part in (clinic.city, clinic.address) if part)
    mark = " " + i18n.get("memo-clinic-franchise") if clinic.franchise else ""
    phone = "\n" + i18n.get("memo-clinic-phone", phone=clinic.phone) if clinic.phone else ""
    return f"{clinic.name}{mark}\n{where}{phone}"


def _plain(text: str) -> str:
    """A screen's text for the PDF: no HTML tags, no leading emoji (the font has none of them)."""
    return _LEADING_SYMBOLS.sub("", _TAGS.sub("", text))


_TAGS = re.compile(r"<[^>]+>")
_LEADING_SYMBOLS = re.compile(r"^[^\w(«\"]+")
