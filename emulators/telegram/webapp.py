"""What Telegram hands a Mini App page: `initData`, the user and the time signed with the bot's token
(the scheme of Telegram's "Validating data received via the Mini App")."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime
from urllib.parse import urlencode


def sign_init_data(
    token: str, user_id: int, signed_at: datetime, *, first_name: str = "Test", language_code: str = "ru"
) -> str:
    fields = {
        "auth_date": str(int(signed_at.timestamp())),
        "query_id": f"AAH{user_id}",
        "user": json.dumps(
            {"id": user_id, "first_name": first_name, "language_code": language_code}, separators=(",", ":")
        ),
    }
    check = "\n".join(f"{key}={value}" for key, value in sorted(fields.items()))
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return urlencode(fields)
