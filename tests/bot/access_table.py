"""Who may do what: the one table tests/bot/test_access_table.py checks and SECURITY.md shows.

`python -m tests.bot.access_table` prints the Markdown that goes into SECURITY.md (the test fails when
SECURITY.md shows anything else)."""

from __future__ import annotations

from tests.bot.access_walk import callback_classes

ACTORS = (
    "unregistered",
    "registered",
    "relative",
    "parent",
    "support",
    "admin",
    "blocked",
    "group",
    "staff chat: support",
    "staff chat: no role",
)
ABOUT_ACTORS = {
    "unregistered": "a Telegram user with no account",
    "registered": "a registered insured person",
    "relative": "an adult relative on someone's policy who registered herself",
    "parent": "a registered person who added a child's policy (the buttons name that child's policy)",
    "support": "a member of `SUPPORT_IDS`, in a private chat",
    "admin": "a member of `ADMIN_IDS`, in a private chat",
    "blocked": "a registered person an admin blocked",
    "group": "a registered person in a group the bot is in",
    "staff chat: support": "support in the staff's forum group (`STAFF_CHAT_ID`)",
    "staff chat: no role": "someone without a role in the staff's forum group",
}
# The answers that refuse, by their locale key; any other answer is the handler's own ("served").
REFUSALS = {
    "unknown-command": "unknown",
    "menu-unregistered": "register",
    "button-stale": "stale",
    "cabinet-not-yours": "not-yours",
    "desk-blocked-line": "blocked",
}
OUTCOMES = {
    "served": "the handler answered: its screen, document or popup (a refusal of its own included)",
    "unknown": "the unknown-command answer, as for a command that does not exist",
    "register": "the unregistered main menu (as a message, or an alert under a button): register first",
    "stale": "the stale-button alert, as for a button of an old screen",
    "not-yours": "the alert that the policy is not the caller's",
    "blocked": "the one line a day that access is suspended, and nothing else",
    "silent": "nothing at all (a press answered empty, so the spinner stops)",
}

# Each row: the outcome for each actor, in the order of ACTORS.
COMMANDS: dict[str, str] = {
    "/admin": "unknown unknown unknown unknown served served blocked silent silent silent",
    "/audit": "unknown unknown unknown unknown unknown served blocked silent silent silent",
    "/broadcast": "unknown unknown unknown unknown unknown served blocked silent silent silent",
    "/cancel": "served served served served served served blocked silent silent silent",
    "/clinics": "register served served served register register blocked silent silent silent",
    "/delete_me": "served served served served served served blocked silent silent silent",
    "/export": "unknown unknown unknown unknown unknown served blocked silent silent silent",
    "/find": "unknown unknown unknown unknown served served blocked silent silent silent",
    "/help": "served served served served served served blocked silent silent silent",
    "/import": "unknown unknown unknown unknown unknown served blocked silent silent silent",
    "/invoices": "register served served served register register blocked silent silent silent",
    "/language": "served served served served served served blocked silent silent silent",
    "/menu": "register served served served register register blocked silent silent silent",
    "/pay": "register served served served register register blocked silent silent silent",
    "/payments": "register served served served register register blocked silent silent silent",
    "/policies": "register served served served register register blocked silent silent silent",
    "/queue": "unknown unknown unknown unknown served served blocked silent silent silent",
    "/requests": "register served served served register register blocked silent silent silent",
    "/roles": "unknown unknown unknown unknown unknown served blocked silent silent silent",
    "/settings": "register served served served register register blocked silent silent silent",
    "/start": "served served served served served served blocked silent silent silent",
    "/stats": "unknown unknown unknown unknown served served blocked silent silent silent",
}
BUTTONS: dict[str, str] = {
    "carda": "register served served served register register blocked silent silent silent",
    "cardb": "register served served served register register blocked silent silent silent",
    "cardr": "register not-yours not-yours not-yours register register blocked silent silent silent",
    "cards": "register served served served register register blocked silent silent silent",
    "cla": "register not-yours not-yours served register register blocked silent silent silent",
    # The test runs in the Mini App mode: a clinic's card or map for a policy of his opens that policy's clinics
    # page, whatever the clinic id.
    "clc": "register not-yours not-yours served register register blocked silent silent silent",
    "clm": "register not-yours not-yours served register register blocked silent silent silent",
    "cln": "register not-yours not-yours served register register blocked silent silent silent",
    "clq": "register not-yours not-yours served register register blocked silent silent silent",
    "cls": "register not-yours not-yours served register register blocked silent silent silent",
    "consent": "stale stale stale stale stale stale blocked silent silent silent",
    "dact": "stale stale stale stale served served blocked silent silent silent",
    "dau": "stale stale stale stale stale served blocked silent silent silent",
    "dbc": "stale stale stale stale stale stale blocked silent silent silent",
    "dbr": "stale stale stale stale stale stale blocked silent silent silent",
    "del": "served served served served served served blocked silent silent silent",
    "dfind": "stale stale stale stale stale stale blocked silent silent silent",
    "dm": "stale stale stale stale stale stale blocked silent silent silent",
    "dmi": "stale stale stale stale stale stale blocked silent silent silent",
    "dmp": "stale stale stale stale stale stale blocked silent silent silent",
    "dms": "stale stale stale stale stale stale blocked silent silent silent",
    "dq": "stale stale stale stale served served blocked silent silent silent",
    "dqa": "stale stale stale stale stale stale blocked silent served silent",
    "dqd": "stale stale stale stale stale stale blocked silent silent silent",
    "dqi": "stale stale stale stale stale stale blocked silent silent silent",
    "dqm": "stale stale stale stale served served blocked silent silent silent",
    "drec": "stale stale stale stale served served blocked silent silent silent",
    "drep": "stale stale stale stale stale stale blocked silent silent silent",
    "drl": "stale stale stale stale stale stale blocked silent silent silent",
    "dsp": "register not-yours not-yours not-yours register register blocked silent silent silent",
    "dspl": "register not-yours not-yours not-yours register register blocked silent silent silent",
    "eml": "stale stale stale stale stale stale blocked silent silent silent",
    "fr": "register not-yours not-yours served register register blocked silent silent silent",
    "frok": "register not-yours not-yours served register register blocked silent silent silent",
    "frs": "register served served served register register blocked silent silent silent",
    "home": "register served served served register register blocked silent silent silent",
    "inv": "register not-yours not-yours not-yours register register blocked silent silent silent",
    "invpay": "register served served served register register blocked silent silent silent",
    "invpay1": "register served served served register register blocked silent silent silent",
    "invs": "register served served served register register blocked silent silent silent",
    "invsel": "register not-yours not-yours not-yours register register blocked silent silent silent",
    "invx": "register served served served register register blocked silent silent silent",
    "kid": "register served served served register register blocked silent silent silent",
    "kidf": "register stale stale stale register register blocked silent silent silent",
    "lang": "stale stale stale stale stale stale blocked silent silent silent",
    "memo": "register not-yours not-yours served register register blocked silent silent silent",
    "menu": "stale stale stale stale stale stale blocked silent silent silent",
    "ntf": "register served served served register register blocked silent silent silent",
    "paychk": "register served served served register register blocked silent silent silent",
    "paydue": "register served served served register register blocked silent silent silent",
    "pays": "register served served served register register blocked silent silent silent",
    "pol": "register not-yours not-yours served register register blocked silent silent silent",
    "pols": "register served served served register register blocked silent silent silent",
    "reg": "stale stale stale stale stale stale blocked silent silent silent",
    "req": "register not-yours not-yours not-yours register register blocked silent silent silent",
    "reqn": "register served served served register register blocked silent silent silent",
    "reqs": "register served served served register register blocked silent silent silent",
    "reqx": "register not-yours not-yours not-yours register register blocked silent silent silent",
    "shs": "register not-yours served not-yours register register blocked silent silent silent",
    "srep": "stale stale stale stale stale stale blocked silent silent silent",
    "sup": "served served served served served served blocked silent silent silent",
    "svc": "register not-yours not-yours served register register blocked silent silent silent",
    "svcs": "register served served served register register blocked silent silent silent",
}

CALLERS = ("anyone", "wrong credential", "right credential")
# Pages: no cookie / a forged cookie and forged initData / a session (and its CSRF token) of a person with no
# account.
# Each row: the HTTP status for each caller, in the order of CALLERS.
ROUTES: dict[str, str] = {
    "GET /healthz": "200 200 200",
    "HEAD /healthz": "200 200 200",
    "GET /metrics": "401 401 200",
    "HEAD /metrics": "401 401 200",
    "POST /yookassa/notifications": "403 403 200",
    "POST /telegram/webhook": "401 401 200",
    # The Mini App (PRIVATE_VIEWS=webapp). A page without a current session is the opening shell (200, no
    # data); with one, another person's invoice or payment is 404; a form needs its session's CSRF token.
    "POST /webapp/auth": "401 401 200",
    "GET /webapp/invoices": "200 200 200",
    "HEAD /webapp/invoices": "200 200 200",
    "GET /webapp/invoices/{invoice_id}": "200 200 404",
    "HEAD /webapp/invoices/{invoice_id}": "200 200 404",
    "POST /webapp/invoices/{invoice_id}/pay": "403 403 200",
    "GET /webapp/payments/{payment_id}": "200 200 404",
    "HEAD /webapp/payments/{payment_id}": "200 200 404",
    # Money and conversations: a download without its session (cookie or link key) is 404, it has no shell.
    "GET /webapp/payments": "200 200 200",
    "HEAD /webapp/payments": "200 200 200",
    "GET /webapp/payments.csv": "404 404 200",
    "HEAD /webapp/payments.csv": "404 404 200",
    "GET /webapp/invoices.{fmt}": "404 404 200",
    "HEAD /webapp/invoices.{fmt}": "404 404 200",
    "GET /webapp/invoices/{invoice_id}/lines.{fmt}": "404 404 404",
    "HEAD /webapp/invoices/{invoice_id}/lines.{fmt}": "404 404 404",
    "GET /webapp/cards": "200 200 200",
    "HEAD /webapp/cards": "200 200 200",
    "POST /webapp/cards/autopay": "403 403 200",
    "POST /webapp/cards/bind": "403 403 200",
    "POST /webapp/cards/{card_id}/remove": "403 403 404",
    "GET /webapp/disputes": "200 200 200",
    "HEAD /webapp/disputes": "200 200 200",
    "GET /webapp/disputes/{dispute_id}": "200 200 404",
    "HEAD /webapp/disputes/{dispute_id}": "200 200 404",
    "POST /webapp/disputes/{dispute_id}/reply": "403 403 404",
    "GET /webapp/invoices/{invoice_id}/dispute": "200 200 404",
    "HEAD /webapp/invoices/{invoice_id}/dispute": "200 200 404",
    "POST /webapp/invoices/{invoice_id}/dispute": "403 403 404",
    "GET /webapp/requests": "200 200 200",
    "HEAD /webapp/requests": "200 200 200",
    "GET /webapp/requests/new/{kind}": "200 200 200",
    "HEAD /webapp/requests/new/{kind}": "200 200 200",
    "POST /webapp/requests/new/{kind}": "403 403 200",
    "GET /webapp/requests/{request_id}": "200 200 404",
    "POST /webapp/requests/{request_id}/close": "403 403 404",
    "POST /webapp/requests/{request_id}/reply": "403 403 404",
    "HEAD /webapp/requests/{request_id}": "200 200 404",
    # Support's photo or document on a person's request or dispute page: a download (no shell), 403 without a
    # session; a file not among the caller's conversations is 404.
    "GET /webapp/requests/{request_id}/files/{message_id}": "403 403 404",
    "GET /webapp/disputes/{dispute_id}/files/{message_id}": "403 403 404",
    # The cabinet: a policy not the caller's is 404 (its memo, a download with no shell, is 403 without a
    # session); the deductible's consent form needs its CSRF token.
    "GET /webapp/policies": "200 200 200",
    "HEAD /webapp/policies": "200 200 200",
    "GET /webapp/policies/{policy_id}": "200 200 404",
    "HEAD /webapp/policies/{policy_id}": "200 200 404",
    "GET /webapp/policies/{policy_id}/memo.pdf": "403 403 404",
    "HEAD /webapp/policies/{policy_id}/memo.pdf": "403 403 404",
    "GET /webapp/policies/{policy_id}/clinics": "200 200 404",
    "HEAD /webapp/policies/{policy_id}/clinics": "200 200 404",
    "GET /webapp/franchise": "200 200 200",
    "HEAD /webapp/franchise": "200 200 200",
    "POST /webapp/franchise/{policy_id}/activate": "403 403 404",
    "GET /webapp/services": "200 200 200",
    "HEAD /webapp/services": "200 200 200",
    # Registration's "check what you typed": a person's own answers, read by the session's user, while their
    # dialog shows its review; nothing otherwise (a session of a person with no account and no dialog).
    "GET /webapp/registration/check": "200 200 200",
    "HEAD /webapp/registration/check": "200 200 200",
    # The desk's staff pages: the use case refuses a session without a staff role (403); a register that
    # is not one (the walk's `question`) is 404 before that; /desk/open without the start parameter
    # Telegram adds has nowhere to go (404).
    "GET /webapp/desk/people/{person_id}": "200 200 403",
    "HEAD /webapp/desk/people/{person_id}": "200 200 403",
    "GET /webapp/desk/queue": "200 200 403",
    "HEAD /webapp/desk/queue": "200 200 403",
    "GET /webapp/desk/queue/{kind}/{item_id}": "200 200 403",
    "HEAD /webapp/desk/queue/{kind}/{item_id}": "200 200 403",
    "POST /webapp/desk/queue/{kind}/{item_id}/take": "403 403 403",
    # The desk's money pages: an invoice's or a payment's card and its actions, refused by the use cases
    # as the record is (403 without a staff role; an action's form posted without its CSRF token: 403).
    "GET /webapp/desk/invoices/{invoice_id}": "200 200 403",
    "HEAD /webapp/desk/invoices/{invoice_id}": "200 200 403",
    "POST /webapp/desk/invoices/{invoice_id}/{action}": "403 403 403",
    "GET /webapp/desk/payments/{payment_id}": "200 200 403",
    "HEAD /webapp/desk/payments/{payment_id}": "200 200 403",
    "POST /webapp/desk/payments/{payment_id}/{action}": "403 403 403",
    # An item's answer, closing and a dispute's verdict from its page (a verdict on a kind that is no dispute:
    # 404 before the use case).
    "POST /webapp/desk/queue/{kind}/{item_id}/answer": "403 403 403",
    "POST /webapp/desk/queue/{kind}/{item_id}/close": "403 403 403",
    "POST /webapp/desk/queue/{kind}/{item_id}/verdict": "403 403 404",
    "GET /webapp/desk/exports/{kind}": "200 200 404",
    "HEAD /webapp/desk/exports/{kind}": "200 200 404",
    "GET /webapp/desk/open": "404 404 404",
    "HEAD /webapp/desk/open": "404 404 404",
    "GET /webapp/static": "200 200 200",
    "HEAD /webapp/static": "200 200 200",
}


def _table(head: str, columns: tuple[str, ...], rows: dict[str, str], names: dict[str, str] | None = None) -> list[str]:
    lines = [f"| {head} | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for row, cells in rows.items():
        label = f"`{row}` {names[row]}" if names else f"`{row}`"
        lines.append(f"| {label} | " + " | ".join(cells.split()) + " |")
    return lines


def render() -> str:
    """The Markdown of the table, as SECURITY.md carries it."""
    names = {prefix: cls.__name__ for prefix, cls in callback_classes().items()}
    lines = ["Who asks:", ""]
    lines += [f"- **{actor}**: {about}" for actor, about in ABOUT_ACTORS.items()]
    lines += ["", "What they get:", ""]
    lines += [f"- `{word}`: {about}" for word, about in OUTCOMES.items()]
    lines += ["", *_table("command", ACTORS, COMMANDS), "", *_table("button", ACTORS, BUTTONS, names)]
    lines += ["", *_table("HTTP route", CALLERS, ROUTES)]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render(), end="")
