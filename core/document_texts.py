"""Texts that leave the chat — the items of a fiscal receipt, a payment's description at the provider —
in the operator's language (Russian), from the same `locales/` files as the bot's messages."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fluent.runtime import FluentBundle, FluentResource

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOCUMENT_LANGUAGE = "ru"  # receipts are Russian fiscal documents, whatever the payer's chat language


@cache
def _bundle(locale: str) -> FluentBundle:
    bundle = FluentBundle([locale], use_isolating=False)
    for path in sorted((LOCALES_DIR / locale).glob("*.ftl")):
        bundle.add_resource(FluentResource(path.read_text(encoding="utf-8")))
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
