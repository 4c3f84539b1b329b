"""Who is asking and what they may do: the caller of a use case and the capabilities of each role.

The use cases decide, whatever the front end: a staff-only use case calls `require(role, capability)`
with the role it re-read in its own transaction (see `core/services/roles.py`), so a revoked role holds
even while a cache lags. The table is the product's permissions table; nothing else grants anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    USER = "user"
    SUPPORT = "support"
    ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class Viewer:
    """The caller: a Telegram user, their account and insured person when they have them."""

    telegram_id: int
    account_id: int | None = None
    person_id: int | None = None  # the insured person the account is linked to
    language: str | None = None  # chosen in /language; None: from Telegram's language code
    role: Role = Role.USER
    blocked: bool = False  # blocked by an admin: one line a day, nothing else (bot/middlewares/caller.py)

    @property
    def registered(self) -> bool:
        return self.person_id is not None


class Capability(StrEnum):
    OWN_CABINET = "own_cabinet"  # policies, invoices, paying, disputes, requests, settings, /delete_me
    FIND_PEOPLE = "find_people"  # find a person; masked lists
    VIEW_RECORD = "view_record"  # one full record (audited)
    ANSWER_REQUESTS = "answer_requests"  # requests and questions
    ANSWER_DISPUTES = "answer_disputes"  # accept or reject
    RESEND_INVITE = "resend_invite"
    RESET_DIALOG = "reset_dialog"
    LIFT_LOCK = "lift_lock"  # a registration lock
    STATS = "stats"
    UNLINK_ACCOUNT = "unlink_account"
    BLOCK_USER = "block_user"  # and unblock
    ERASE_ACCOUNT = "erase_account"  # on the person's request
    IMPORT_FILES = "import_files"
    EXPORT_REGISTERS = "export_registers"
    MARK_PAID_OFFLINE = "mark_paid_offline"
    CANCEL_INVOICE = "cancel_invoice"
    REFUND = "refund"
    BROADCAST = "broadcast"
    GRANT_ROLES = "grant_roles"  # and revoke
    READ_AUDIT = "read_audit"


_SUPPORT = frozenset(
    {
        Capability.OWN_CABINET,
        Capability.FIND_PEOPLE,
        Capability.VIEW_RECORD,
        Capability.ANSWER_REQUESTS,
        Capability.ANSWER_DISPUTES,
        Capability.RESEND_INVITE,
        Capability.RESET_DIALOG,
        Capability.LIFT_LOCK,
        Capability.STATS,
    }
)
CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.USER: frozenset({Capability.OWN_CABINET}),
    Role.SUPPORT: _SUPPORT,
    Role.ADMIN: frozenset(Capability),
}


class Forbidden(PermissionError):
    """The caller's role does not allow this; `capability` says what was missing (no personal data)."""

    def __init__(self, role: Role, capability: Capability) -> None:
        super().__init__(f"{role} may not {capability}")
        self.role = role
        self.capability = capability


class NotYours(LookupError):
    """An id the caller may not act on (someone else's, or none such): said the same way for both."""

    def __init__(self, kind: str, object_id: int) -> None:
        super().__init__(f"{kind} {object_id} is not the caller's")
        self.kind = kind
        self.object_id = object_id


def can(role: Role, capability: Capability) -> bool:
    return capability in CAPABILITIES[role]


def require(role: Role, capability: Capability) -> None:
    if not can(role, capability):
        raise Forbidden(role, capability)


def is_staff(role: Role) -> bool:
    return role is not Role.USER


# The desk's commands in the order of the staff menu and command list, each with the capability it needs
# (`/admin` itself: any staff role). A command appears here once it is built.
STAFF_COMMANDS: tuple[tuple[str, Capability], ...] = (
    ("find", Capability.FIND_PEOPLE),
    ("queue", Capability.ANSWER_REQUESTS),
    ("stats", Capability.STATS),
    ("audit", Capability.READ_AUDIT),
    ("import", Capability.IMPORT_FILES),
    ("export", Capability.EXPORT_REGISTERS),
    ("broadcast", Capability.BROADCAST),
    ("roles", Capability.GRANT_ROLES),
)


def staff_commands(role: Role) -> tuple[str, ...]:
    """What this role may run from the desk, `/admin` first; nothing for a user."""
    if not is_staff(role):
        return ()
    return ("admin", *(command for command, capability in STAFF_COMMANDS if can(role, capability)))
