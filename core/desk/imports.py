"""What an admin asks of an import in the chat: `KIND [--full] [--issued-on YYYY-MM-DD]`, as on the command
line, typed after /import or as a document's caption. Pure: the words in, the request or a reason out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

KINDS = ("registry", "programs", "clinics", "deposits", "bills")


@dataclass(frozen=True, slots=True)
class ImportAsk:
    kind: str
    full: bool = False
    issued_on: date | None = None

    def options(self) -> str:
        """The request as typed: `registry --full`, `bills --issued-on 2026-12-01`."""
        words = [self.kind]
        if self.full:
            words.append("--full")
        if self.issued_on is not None:
            words += ["--issued-on", self.issued_on.isoformat()]
        return " ".join(words)


class BadAsk(ValueError):
    """`reason`: a locale key's last word (unknown-kind, unknown-option, bad-date, full-registry-only,
    issued-on-bills-only, no-kind); `value`: what was typed wrong."""

    def __init__(self, reason: str, value: str = "") -> None:
        super().__init__(reason)
        self.reason, self.value = reason, value


def parse_ask(text: str) -> ImportAsk:
    words = text.replace("—", "--").split()
    if words and words[0].lower() in ("/import", "import"):
        words = words[1:]
    if not words:
        raise BadAsk("no-kind")
    kind = words[0].lower()
    if kind not in KINDS:
        raise BadAsk("unknown-kind", words[0][:40])
    full, issued_on = False, None
    rest = iter(words[1:])
    for word in rest:
        if word == "--full":
            full = True
        elif word == "--issued-on" or word.startswith("--issued-on="):
            value = word.partition("=")[2] if "=" in word else next(rest, "")
            try:
                issued_on = date.fromisoformat(value)
            except ValueError:
                raise BadAsk("bad-date", value[:40]) from None
        else:
            raise BadAsk("unknown-option", word[:40])
    if full and kind != "registry":
        raise BadAsk("full-registry-only")
    if issued_on is not None and kind != "bills":
        raise BadAsk("issued-on-bills-only")
    return ImportAsk(kind, full, issued_on)
