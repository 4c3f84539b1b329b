"""Account actions on a person's record: what each needs (a capability of the permissions table) and
when it applies. The desk shows a button only for an action the role may take and the record allows;
the use case decides again with the role it re-reads."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from core.actors import Capability, Role, can


class AccountAction(StrEnum):
    """Values are short: they travel in callback data."""

    RESEND_INVITE = "invite"
    RESET_DIALOG = "reset"
    LIFT_LOCK = "lift"
    UNLINK = "unlink"
    BLOCK = "block"
    UNBLOCK = "unblock"
    ERASE = "erase"


NEEDS: dict[AccountAction, Capability] = {
    AccountAction.RESEND_INVITE: Capability.RESEND_INVITE,
    AccountAction.RESET_DIALOG: Capability.RESET_DIALOG,
    AccountAction.LIFT_LOCK: Capability.LIFT_LOCK,
    AccountAction.UNLINK: Capability.UNLINK_ACCOUNT,
    AccountAction.BLOCK: Capability.BLOCK_USER,
    AccountAction.UNBLOCK: Capability.BLOCK_USER,
    AccountAction.ERASE: Capability.ERASE_ACCOUNT,
}


@dataclass(frozen=True)
class RecordState:
    """What of a record the actions depend on."""

    telegram_id: int | None  # the linked account's Telegram id
    blocked: bool  # that Telegram id (or one blocked from this record) is blocked
    locked: bool  # a registration key of the person is locked today, or the account's submissions are used up
    adult: bool
    # Telegram users whose registration details matched this person within the dialog's lifetime (a day):
    # their registration dialog may be the stuck one.
    registering: bool = False


def may(role: Role, action: AccountAction) -> bool:
    return can(role, NEEDS[action])


def applies(action: AccountAction, state: RecordState) -> bool:
    """Whether the action means anything on this record now."""
    linked = state.telegram_id is not None
    match action:
        case AccountAction.RESEND_INVITE:
            return not linked and state.adult
        case AccountAction.RESET_DIALOG:
            return linked or state.registering
        case AccountAction.UNLINK | AccountAction.ERASE:
            return linked
        case AccountAction.LIFT_LOCK:
            return state.locked
        case AccountAction.BLOCK:
            return linked and not state.blocked
        case AccountAction.UNBLOCK:
            return state.blocked
    return False


def actions_for(role: Role, state: RecordState) -> tuple[AccountAction, ...]:
    """The buttons of a record, in the order of AccountAction."""
    return tuple(action for action in AccountAction if may(role, action) and applies(action, state))
