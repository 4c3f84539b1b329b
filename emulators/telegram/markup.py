"""reply_markup validation: inline and reply keyboards checked as Telegram checks them."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from core.web_sessions import webapp_origin_allowed
from emulators.telegram.protocol import ApiError, _Args, _bad


def _parse_reply_markup(args: _Args) -> dict | None:
    """Validate reply_markup like telegram-bot-api + Telegram; the normalized JSON or None."""
    markup = args.parsed("reply_markup", "can't parse reply keyboard markup JSON object")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise _bad("object expected as reply markup")
    keyboard = markup.get("keyboard")
    if keyboard is not None:
        rows = _rows(keyboard, 'Field "keyboard" must be an Array of Arrays')
        if any(rows):
            normalized = [[_keyboard_button(button) for button in row] for row in rows]
            extra = {
                k: markup[k]
                for k in (
                    "resize_keyboard",
                    "one_time_keyboard",
                    "is_persistent",
                    "input_field_placeholder",
                    "selective",
                )
                if k in markup
            }
            return {"keyboard": normalized, **extra}
    inline = markup.get("inline_keyboard")
    if inline is not None:
        rows = _rows(inline, 'Field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays')
        if any(rows):
            return {"inline_keyboard": [[_inline_button(button) for button in row] for row in rows]}
    if markup.get("remove_keyboard") or markup.get("hide_keyboard"):
        return {"remove_keyboard": True, **({"selective": markup["selective"]} if "selective" in markup else {})}
    if markup.get("force_reply"):
        return {"force_reply": True}
    return None  # e.g. {"inline_keyboard": []}: Telegram sends the message without markup


def _rows(value: Any, error: str) -> list[list]:
    if not isinstance(value, list) or not all(isinstance(row, list) for row in value):
        raise _bad(error)
    return value


def _button_text(button: Any, what: str) -> str:
    if not isinstance(button, dict):
        raise _bad(
            f"can't parse {what}: {'InlineKeyboardButton' if 'inline' in what else 'KeyboardButton'} must be an Object"
        )
    if "text" not in button:
        raise _bad(f"can't parse {what}: Can't find field \"text\"")
    if not isinstance(button["text"], str):
        raise _bad(f'can\'t parse {what}: Field "text" must be of type String')
    return button["text"]


def _keyboard_button(button: Any) -> dict:
    if isinstance(button, str):
        button = {"text": button}
    text = _button_text(button, "keyboard button")
    if not text.strip():
        raise _bad("BUTTON_TEXT_INVALID")
    return button


# Inline button kinds in the order telegram-bot-api looks for them.
_INLINE_KINDS = (
    "url",
    "callback_data",
    "callback_game",
    "pay",
    "switch_inline_query",
    "switch_inline_query_chosen_chat",
    "switch_inline_query_current_chat",
    "login_url",
    "web_app",
    "copy_text",
)


def _inline_button(button: Any) -> dict:
    text = _button_text(button, "inline keyboard button")
    kinds = [k for k in _INLINE_KINDS if k in button and (k not in ("url", "callback_data") or button[k] != "")]
    if not kinds:
        raise _bad("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
    if len(kinds) > 1:
        # Telegram silently keeps the first; a button meant as both is a bug worth reporting.
        raise _bad(f"can't parse inline keyboard button: exactly one of {kinds} must be used (emulator check)")
    kind = kinds[0]
    value = button[kind]
    if kind in ("url", "callback_data") and not isinstance(value, str):
        raise _bad(f'can\'t parse inline keyboard button: Field "{kind}" must be of type String')
    if not text.strip():
        raise _bad("BUTTON_TEXT_INVALID")
    if kind == "callback_data" and not 1 <= len(value.encode("utf-8")) <= 64:
        raise _bad("BUTTON_DATA_INVALID")
    if kind == "url":
        _check_button_url(value)
    if kind == "web_app":
        url = value.get("url", "") if isinstance(value, dict) else ""
        if not webapp_origin_allowed(_origin(url)):  # https; plain http only on loopback (tests, the sandbox)
            raise _bad(f"inline keyboard button Web App URL '{url}' is invalid: Only HTTPS links are allowed")
    return {"text": text, kind: value}


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _check_button_url(url: str) -> None:
    def invalid(reason: str) -> ApiError:
        return _bad(f"inline keyboard button URL '{url}' is invalid: {reason}")

    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise invalid("Wrong port number specified in the URL") from None
    scheme = parts.scheme.lower()
    if scheme == "tg":
        if not (parts.netloc or parts.path):
            raise invalid("Wrong tg URL")
        return
    if scheme not in ("http", "https"):
        raise invalid("Unsupported URL protocol")
    host = parts.hostname or ""
    # Telegram refuses hosts that cannot be public (no dot: localhost, intranet names).
    if not host or ("." not in host and ":" not in host) or host.endswith("."):
        raise invalid("Wrong HTTP URL")
