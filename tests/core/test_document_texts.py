"""The texts that leave the chat (receipts, payment descriptions): Russian whatever the payer's language,
formatted from the payments' file alone."""

import pytest

from core.document_texts import document_text


def test_each_document_text_is_russian_and_filled_in() -> None:
    assert document_text("receipt-item", number="2026/10/7") == "Оплата счёта 2026/10/7 (франшиза ДМС)"
    assert document_text("payment-description", numbers="2026/10/7, 2026/11/2") == (
        "Оплата счетов ДМС: 2026/10/7, 2026/11/2"
    )
    assert "сумма не списывается" in document_text("binding-description")
    assert "сумма возвращается" in document_text("binding-receipt-item")


def test_a_missing_key_or_argument_is_an_error_not_a_placeholder() -> None:
    with pytest.raises(KeyError):
        document_text("pay-title-that-does-not-exist")
    with pytest.raises(ValueError):
        document_text("receipt-item")  # no $number: never a receipt saying "{$number}"
