"""Message text as Telegram reads it: the HTML parse mode (entities) and UTF-16 lengths."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from emulators.telegram.protocol import ApiError, _bad


def _u16(text: str) -> int:
    """Length in UTF-16 code units: Telegram measures entity offsets (and we limits) in them."""
    return len(text.encode("utf-16-le")) // 2


# --------------------------------------------------------------------------- HTML parse mode
# A port of tdlib's parse_html (td/telegram/MessageEntity.cpp) so errors read like Telegram's.

_HTML_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "s",
        "strike",
        "del",
        "u",
        "ins",
        "tg-spoiler",
        "tg-emoji",
        "span",
        "pre",
        "code",
        "blockquote",
    }
)
_HTML_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "code": "code",
    "pre": "pre",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPACE = " \t\r\n\0\v\f"  # tdlib's is_space; "\0" doubles as the end-of-text sentinel
_TRIM = " \t\r\n\v\f"


def _decode_entity(s: str, pos: int) -> tuple[str | None, int]:
    """Decode the HTML entity at s[pos] == "&" as tdlib does; (None, pos) when it is not one."""
    end = pos + 1
    if s[end] == "#":
        end += 1
        code = 0
        if s[end] == "x":
            end += 1
            while s[end] in "0123456789abcdefABCDEF":
                code = code * 16 + int(s[end], 16)
                end += 1
        else:
            while s[end] in "0123456789":
                code = code * 10 + int(s[end])
                end += 1
        if code == 0 or code >= 0x10FFFF or 0xD800 <= code <= 0xDFFF or end - pos >= 10:
            return None, pos
        char = chr(code)
    else:
        while s[end].isascii() and s[end].isalpha():
            end += 1
        char = _NAMED_ENTITIES.get(s[pos + 1 : end])
        if char is None:
            return None, pos
    if s[end] == ";":
        end += 1
    return char, end


def _html_link(url: str) -> str | None:
    """URL of an <a> entity, or None when tdlib would drop the link silently."""
    url = url.strip()
    scheme = urlsplit(url).scheme.lower() if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", url) else ""
    if scheme in ("tg", "ton", "mailto"):
        return url
    if not scheme:
        url, scheme = "http://" + url, "http"
    if scheme not in ("http", "https"):
        return None
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return None
    return url if host else None


def parse_html(text: str, *, strict_ampersand: bool = True) -> tuple[str, list[dict[str, Any]]]:
    """Plain text and entities of an HTML-formatted text; raises ApiError 400 like Telegram.

    With strict_ampersand a "&" that starts no entity is refused: the Bot API docs require it
    escaped, but tdlib keeps it literally, so that error exists only in the emulator.
    """
    src = text
    s = text + "\0"
    out: list[str] = []
    u16 = 0
    stack: list[tuple[str, str, int, int]] = []  # tag, argument, utf-16 offset, len(out)
    entities: list[dict[str, Any]] = []

    def fail(message: str) -> ApiError:
        return _bad(f"can't parse entities: {message}")

    def byte_offset(index: int) -> int:
        return len(src[:index].encode("utf-8", "surrogatepass"))

    def entity_or_literal(i: int, sink: list[str]) -> int:
        char, after = _decode_entity(s, i)
        if char is None:
            if strict_ampersand:
                raise fail(
                    f'Character "&" must be escaped as "&amp;" at byte offset {byte_offset(i)}'
                    " (the emulator is stricter than Telegram here)"
                )
            char, after = "&", i + 1
        sink.append(char)
        return after

    i = 0
    while i < len(src):
        c = s[i]
        if c == "&":
            before = len(out)
            i = entity_or_literal(i, out)
            u16 += _u16("".join(out[before:]))
            continue
        if c != "<":
            out.append(c)
            u16 += _u16(c)
            i += 1
            continue
        begin = i
        i += 1
        if s[i] != "/":
            i, tag, argument = _parse_start_tag(s, begin, i, fail, byte_offset, entity_or_literal)
            stack.append((tag, argument, u16, len(out)))
            continue
        if not stack:
            raise fail(f"Unexpected end tag at byte offset {byte_offset(begin)}")
        while s[i] not in _SPACE and s[i] != ">":
            i += 1
        end_name = s[begin + 2 : i]
        while s[i] != "\0" and s[i] in _SPACE:
            i += 1
        if s[i] != ">":
            raise fail(f"Unclosed end tag at byte offset {byte_offset(begin)}")
        i += 1
        tag, argument, start, out_start = stack.pop()
        if end_name and end_name != tag:
            raise fail(
                f'Unmatched end tag at byte offset {byte_offset(begin)}, expected "</{tag}>", found "</{end_name}>"'
            )
        if u16 > start:
            _add_html_entity(entities, tag, argument, start, u16 - start, "".join(out[out_start:]))
    if stack:
        raise fail(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    for entity in entities:
        entity.pop("_language", None)
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _parse_start_tag(s, begin, i, fail, byte_offset, entity_or_literal) -> tuple[int, str, str]:
    """Parse "<tag attr=...>" from s[i] (just after "<"); returns (index after ">", tag, argument)."""
    while s[i] not in _SPACE and s[i] != ">":
        i += 1
    if s[i] == "\0":
        raise fail(f"Unclosed start tag at byte offset {byte_offset(begin)}")
    tag = s[begin + 1 : i].lower()
    if tag not in _HTML_TAGS:
        raise fail(f'Unsupported start tag "{tag}" at byte offset {byte_offset(begin)}')
    argument = ""
    while s[i] != ">":
        while s[i] != "\0" and s[i] in _SPACE:
            i += 1
        if s[i] == ">":
            break
        name_start = i
        while s[i] not in _SPACE and s[i] != "=":
            i += 1
        name = s[name_start:i]
        if not name:
            raise fail(f'Empty attribute name in the tag "{tag}" at byte offset {byte_offset(begin)}')
        while s[i] != "\0" and s[i] in _SPACE:
            i += 1
        if s[i] != "=":
            if tag == "blockquote" and name == "expandable":
                argument = "1"
                continue
            raise fail(
                f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                f"at byte offset {byte_offset(begin)}"
            )
        i += 1
        while s[i] != "\0" and s[i] in _SPACE:
            i += 1
        if s[i] == "\0":
            raise fail(f'Unclosed start tag "{tag}" at byte offset {byte_offset(begin)}')
        if s[i] not in "'\"":
            token_start = i
            while (s[i].isascii() and s[i].isalnum()) or s[i] in ".-":
                i += 1
            value = s[token_start:i].lower()
            if s[i] not in _SPACE and s[i] != ">":
                raise fail(f"Unexpected end of name token at byte offset {byte_offset(token_start)}")
        else:
            quote = s[i]
            i += 1
            chars: list[str] = []
            while s[i] != quote and s[i] != "\0":
                if s[i] == "&":
                    i = entity_or_literal(i, chars)
                else:
                    chars.append(s[i])
                    i += 1
            if s[i] == quote:
                i += 1
            value = "".join(chars)
        if s[i] == "\0":
            raise fail(f"Unclosed start tag at byte offset {byte_offset(begin)}")
        if tag == "a" and name == "href":
            argument = value
        elif tag == "code" and name == "class" and value.startswith("language-"):
            argument = value[len("language-") :]
        elif tag == "span" and name == "class" and value.startswith("tg-"):
            argument = value[len("tg-") :]
        elif tag == "tg-emoji" and name == "emoji-id":
            argument = value
        elif tag == "blockquote" and name == "expandable":
            argument = "1"
    if tag == "span" and argument != "spoiler":
        raise fail(f'Tag "span" must have class "tg-spoiler" at byte offset {byte_offset(begin)}')
    return i + 1, tag, argument


def _add_html_entity(entities: list[dict], tag: str, argument: str, offset: int, length: int, inner: str) -> None:
    entity: dict[str, Any] = {"offset": offset, "length": length}
    if tag == "a":
        url = _html_link(argument or inner)
        if url is None:
            return
        entity.update(type="text_link", url=url)
    elif tag == "tg-emoji":
        if not argument.isdigit():
            return
        entity.update(type="custom_emoji", custom_emoji_id=argument)
    elif tag == "blockquote":
        entity["type"] = "expandable_blockquote" if argument else "blockquote"
    elif tag == "pre":
        entity["type"] = "pre"
        last = entities[-1] if entities else None
        # <pre><code class="language-x">...</code></pre> is one pre entity with a language.
        if last and last["type"] == "code" and (last["offset"], last["length"]) == (offset, length):
            entities.pop()
            if last.get("_language"):
                entity["language"] = last["_language"]
    else:
        entity["type"] = _HTML_ENTITY_TYPES[tag]
        if tag == "code" and argument:
            entity["_language"] = argument
    entities.append(entity)


def _trim(text: str, entities: list[dict]) -> tuple[str, list[dict]]:
    """Strip surrounding whitespace as Telegram does, keeping entities on the same characters."""
    stripped = text.strip(_TRIM)
    if stripped == text:
        return text, entities
    shift = _u16(text[: len(text) - len(text.lstrip(_TRIM))])
    limit = _u16(stripped)
    kept = []
    for entity in entities:
        start = max(0, entity["offset"] - shift)
        end = min(limit, entity["offset"] - shift + entity["length"])
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return stripped, kept
