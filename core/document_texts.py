"""Texts that leave the chat — the items of a fiscal receipt, a payment's description at the provider —
in the operator's language (Russian), from the same `locales/` files as the bot's messages: the payments'
file, whose first lines they are. Only that file is parsed (once per process): all of `locales/` took
0.28 s, a stall of the event loop at the first payment of every replica."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fluent.runtime import FluentBundle, FluentResource

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOCUMENT_LANGUAGE = "ru"  # receipts are Russian fiscal documents, whatever the payer's chat language
DOCUMENTS_FILE = "payments.ftl"


@cache
def _bundle(locale: str) -> FluentBundle:
    bundle = FluentBundle([locale], use_isolating=False)
    bundle.add_resource(FluentResource((LOCALES_DIR / locale / DOCUMENTS_FILE).read_text(encoding="utf-8")))
    return bundle


def document_text(key: str, **args: object) -> str:
    """The message `key` in the documents' language; a missing key raises KeyError."""
    bundle = _bundle(DOCUMENT_LANGUAGE)
    if not bundle.has_message(key):
        raise KeyError(key)
    text, errors = bundle.format_pattern(bundle.get_message(key).value, args)
    if errors:
        raise ValueError(f"{key}: {errors[0]}")
    return text
