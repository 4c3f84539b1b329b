"""What an admin asks of `/export`: `KIND --since YYYY-MM-DD [xlsx]`, as on the command line (the file's
format a word instead of its name). Pure: the words in, the request or a reason out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.exports import KINDS


@dataclass(frozen=True, slots=True)
class ExportAsk:
    kind: str
    since: date
    xlsx: bool = False


class BadExportAsk(ValueError):
    """`reason`: a locale key's last word (no-kind, unknown-kind, no-since, bad-date, unknown-option);
    `value`: what was typed wrong."""

    def __init__(self, reason: str, value: str = "") -> None:
        super().__init__(reason)
        self.reason, self.value = reason, value


def parse_export_ask(text: str) -> ExportAsk:
    words = text.replace("—", "--").split()  # a phone's keyboard makes `--` a dash
    if not words:
        raise BadExportAsk("no-kind")
    kind = words[0].lower()
    if kind not in KINDS:
        raise BadExportAsk("unknown-kind", words[0][:40])
    since, xlsx = None, False
    rest = iter(words[1:])
    for word in rest:
        if word == "--since" or word.startswith("--since="):
            value = word.partition("=")[2] if "=" in word else next(rest, "")
            try:
                since = date.fromisoformat(value)
            except ValueError:
                raise BadExportAsk("bad-date", value[:40]) from None
        elif word.lower() in ("xlsx", "csv"):
            xlsx = word.lower() == "xlsx"
        else:
            raise BadExportAsk("unknown-option", word[:40])
    if since is None:
        raise BadExportAsk("no-since")
    return ExportAsk(kind, since, xlsx)
