"""Every notice kind in the Mini App mode: a person's is a line with no data and an Open button to its page,
in both languages; the desk's (and a message copied into a staff topic) are left to the chat's rendering.
The stored samples are `test_notices.py`'s, as the services write them, plus the fields a later version
adds (the page's id), which older rows lack."""

from __future__ import annotations

import re

import pytest

from bot.views.notice_pages import page_notice
from bot.views.pages import PageLinks
from core.notices import notice_kinds, read_notice
from tests.bot.cabinet_fixtures import IVANOV
from tests.bot.test_notices import CORE, STORED

ORIGIN = "https://dms.example.ru"
PAGES = PageLinks(ORIGIN)
# Rendered as in the chat: staff's, the staff group's, and an admin's broadcast (the admin's words, no person's).
DESK = {
    "dispute_deadline",
    "queue_item_new",
    "desk_topic_open",
    "desk_topic_changed",
    "staff_removed_from_group",
    "broadcast",
    "broadcast_report",
}
# The page each person's kind opens, for the stored sample (rows written before a page's id: the list).
OPENS = {
    "invoice_issued": "invoices",
    "invoice_marked_paid": "invoices",
    "invoice_cancelled": "invoices",
    "invoice_reminder": "invoices",
    "access_restricted": "invoices",
    "access_restored": "policies",
    "policy_ended": "policies",
    "dispute_answered": "disputes",
    "dispute_written": "disputes/7",
    "support_answered": "requests/5",
    "payment_succeeded": "payments/12",
    "payment_canceled": "payments/12",
    "payment_refunded": "payments/12",
    "payment_checking": "payments/12",
    "card_bound": "cards",
    "card_not_bound": "cards",
    "card_expiring": "cards",
    "autopay_failed": "invoices",
}
# The samples' data as any notice would show it: numbers, amounts, card digits, dates.
DATA = re.compile(r"\d")
KINDS = pytest.mark.parametrize("kind", sorted(OPENS))


def test_every_kind_is_a_persons_or_the_desks() -> None:
    kinds = {cls.kind for cls in notice_kinds()}
    assert kinds == set(OPENS) | DESK | {"message_copied"}


@KINDS
@pytest.mark.parametrize("language", ["ru", "en"])
def test_a_persons_notice_is_a_line_without_data_and_an_open_button(kind: str, language: str) -> None:
    rendered = page_notice(CORE, read_notice(kind, STORED[kind], IVANOV), language, PAGES)
    assert rendered is not None and "{" not in rendered.text and "notice-" not in rendered.text
    assert not DATA.search(rendered.text), rendered.text
    cyrillic = any("а" <= ch.lower() <= "я" for ch in rendered.text)
    assert cyrillic == (language == "ru"), rendered.text
    ((button,),) = rendered.reply_markup.inline_keyboard
    assert button.text == ("Открыть" if language == "ru" else "Open") and button.callback_data is None
    assert button.web_app.url == f"{ORIGIN}/webapp/{OPENS[kind]}"


@pytest.mark.parametrize(
    ("kind", "added", "opens"),
    [
        ("invoice_reminder", {"invoice_id": 41}, "invoices/41"),
        ("dispute_answered", {"dispute_id": 7}, "disputes/7"),
        ("message_copied", {"item": None, "item_id": None, "about": "dispute", "about_id": 7}, "disputes/7"),
        ("message_copied", {"item": None, "item_id": None, "about": "request", "about_id": 5}, "requests/5"),
        ("message_copied", {"item": None, "item_id": None}, "requests"),
    ],
)
def test_a_notice_that_names_its_item_opens_that_items_page(kind: str, added: dict, opens: str) -> None:
    stored = {name: value for name, value in {**STORED[kind], **added}.items() if value is not None}
    rendered = page_notice(CORE, read_notice(kind, stored, IVANOV), "ru", PAGES)
    assert rendered.reply_markup.inline_keyboard[0][0].web_app.url == f"{ORIGIN}/webapp/{opens}"
    assert not DATA.search(rendered.text)


@pytest.mark.parametrize("kind", [*sorted(DESK), "message_copied"])  # the sample copy goes into a staff topic
def test_the_desks_notices_are_left_to_the_chat(kind: str) -> None:
    to = -1009999999999 if kind == "message_copied" else IVANOV
    assert page_notice(CORE, read_notice(kind, STORED[kind], to), "ru", PAGES) is None
