"""In the Mini App mode (`PRIVATE_VIEWS=webapp`) a private view is a page: the chat shows a line and a button
that opens it (`web_app`), never the view's data."""

from __future__ import annotations

from datetime import date

from aiogram.types import InlineKeyboardButton, WebAppInfo
from aiogram_i18n import I18nContext

from bot.screens import Screen
from bot.views.kit import keyboard
from bot.views.navigation import menu_button
from core.settings import Settings


class PageLinks:
    """The pages' addresses under the operator's origin."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    @classmethod
    def of(cls, settings: Settings) -> PageLinks | None:
        """None in the chat mode: the chat shows its own screens."""
        if settings.private_views == "webapp" and settings.webapp_base_url:
            return cls(settings.webapp_base_url)
        return None

    def page(self, path: str) -> str:
        """Any page by its path under `/webapp/` (e.g. `policies/12`): the addresses below name each one."""
        return f"{self.base_url}/webapp/{path}"

    # The cabinet
    def policies(self) -> str:
        return self.page("policies")

    def policy(self, policy_id: int) -> str:
        return self.page(f"policies/{policy_id}")

    def clinics(self, policy_id: int) -> str:
        return self.page(f"policies/{policy_id}/clinics")

    def franchise(self) -> str:
        return self.page("franchise")

    def services(self) -> str:
        return self.page("services")

    # Money and conversations
    def invoices(self) -> str:
        return self.page("invoices")

    def invoice(self, invoice_id: int) -> str:
        return self.page(f"invoices/{invoice_id}")

    def payments(self) -> str:
        return self.page("payments")

    def payment(self, payment_id: int) -> str:
        return self.page(f"payments/{payment_id}")

    def cards(self) -> str:
        return self.page("cards")

    def disputes(self) -> str:
        return self.page("disputes")

    def dispute(self, dispute_id: int) -> str:
        return self.page(f"disputes/{dispute_id}")

    def requests(self) -> str:
        return self.page("requests")

    def request(self, request_id: int) -> str:
        return self.page(f"requests/{request_id}")

    # Registration's "check what you typed" list
    def registration_check(self) -> str:
        return self.page("registration/check")

    # The desk (staff only)
    def desk_person(self, person_id: int) -> str:
        return self.page(f"desk/people/{person_id}")

    def desk_queue(self) -> str:
        return self.page("desk/queue")

    def desk_item(self, kind: str, item_id: int) -> str:
        return self.page(f"desk/queue/{kind}/{item_id}")

    def desk_invoice(self, invoice_id: int) -> str:
        return self.page(f"desk/invoices/{invoice_id}")

    def desk_payment(self, payment_id: int) -> str:
        return self.page(f"desk/payments/{payment_id}")

    def desk_export(self, kind: str, since: date, xlsx: bool) -> str:
        return self.page(f"desk/exports/{kind}?since={since.isoformat()}" + ("&format=xlsx" if xlsx else ""))


def open_page_screen(i18n: I18nContext, text_key: str, url: str) -> Screen:
    return i18n.get(text_key), keyboard([open_button(i18n, url)], [menu_button(i18n)])


def open_button(i18n: I18nContext, url: str, label: str | None = None) -> InlineKeyboardButton:
    """The button that opens a page as a Mini App (private chats only: Telegram refuses it in a group)."""
    return InlineKeyboardButton(text=label or i18n.get("pages-open-button"), web_app=WebAppInfo(url=url))
