"""The desk's queue (/queue): what is in it, in what order, what is late, and what a staff member may do
with an item. Pure rules over plain values; `core/services/queue.py` reads and stores.

- Items: requests (the cabinet's forms), questions to support (anyone, registered or not), open disputes
  (answer due in 15 calendar days: late past it) and payment anomalies, oldest first (the moment the item
  began to wait: a request the user reopened by replying waits from the reply).
- One staff member works on an item at a time: the taker answers it (a request or a question may also be
  closed without one: a callback made by phone) or releases it; anyone else with the capability may take it
  over (audited, naming the previous taker).
"""

from __future__ import annotations

from enum import StrEnum

from core.actors import Capability, Role, can


class ItemKind(StrEnum):
    REQUEST = "request"  # callback, curator, add a clinic, personal data
    QUESTION = "question"  # a question to support (registered or not)
    DISPUTE = "dispute"
    ANOMALY = "anomaly"  # a payment set aside for staff
    REFUND = "refund"  # a refund set aside for staff (its anomaly)


class ItemAction(StrEnum):
    TAKE = "take"
    RELEASE = "release"
    TAKE_OVER = "take_over"
    ANSWER = "answer"  # a written answer (requests, questions)
    CLOSE = "close"  # a request or a question closed without an answer
    ACCEPT = "accept"  # a dispute, with a comment
    REJECT = "reject"
    CHECKED = "checked"  # an anomaly set aside once looked at (its money actions: the admin's tools)


# The kinds that get a topic in the staff's forum group (anomalies are the admin's, with no user to answer).
TOPIC_KINDS = frozenset({ItemKind.REQUEST, ItemKind.QUESTION, ItemKind.DISPUTE})


def needs(kind: ItemKind) -> Capability:
    """The capability that works on items of this kind."""
    return Capability.ANSWER_DISPUTES if kind is ItemKind.DISPUTE else Capability.ANSWER_REQUESTS


def visible_kinds(role: Role) -> tuple[ItemKind, ...]:
    """The kinds this role sees in the queue."""
    return tuple(kind for kind in ItemKind if can(role, needs(kind)))


def item_actions(role: Role, kind: ItemKind, taker: int | None, me: int, is_open: bool) -> tuple[ItemAction, ...]:
    """What this staff member may do with the item now: take it when nobody has; answer (or accept / reject,
    or set aside) and release it when they hold it; take it over when someone else does."""
    if not is_open or not can(role, needs(kind)):
        return ()
    if taker is None:
        return (ItemAction.TAKE,)
    if taker != me:
        return (ItemAction.TAKE_OVER,)
    work = {
        ItemKind.REQUEST: (ItemAction.ANSWER, ItemAction.CLOSE),
        ItemKind.QUESTION: (ItemAction.ANSWER, ItemAction.CLOSE),
        ItemKind.DISPUTE: (ItemAction.ACCEPT, ItemAction.REJECT),
        ItemKind.ANOMALY: (ItemAction.CHECKED,),
        ItemKind.REFUND: (ItemAction.CHECKED,),
    }[kind]
    return (*work, ItemAction.RELEASE)


def allowed(role: Role, kind: ItemKind, taker: int | None, me: int, is_open: bool, action: ItemAction) -> bool:
    return action in item_actions(role, kind, taker, me, is_open)
