"""The queue's rules: who sees which kinds, and what a staff member may do with an item by who holds it."""

import pytest

from core.actors import Capability, Role
from core.desk.queue import TOPIC_KINDS, ItemAction, ItemKind, allowed, item_actions, needs, visible_kinds

ME, OTHER = 9002, 9001
A = ItemAction


def test_kinds_and_the_capability_each_needs() -> None:
    assert needs(ItemKind.DISPUTE) is Capability.ANSWER_DISPUTES
    assert {needs(k) for k in ItemKind if k is not ItemKind.DISPUTE} == {Capability.ANSWER_REQUESTS}
    assert visible_kinds(Role.SUPPORT) == visible_kinds(Role.ADMIN) == tuple(ItemKind)  # the table: both
    assert visible_kinds(Role.USER) == ()


@pytest.mark.parametrize(
    ("kind", "taker", "is_open", "expected"),
    [
        (ItemKind.QUESTION, None, True, (A.TAKE,)),
        (ItemKind.QUESTION, OTHER, True, (A.TAKE_OVER,)),
        (ItemKind.QUESTION, ME, True, (A.ANSWER, A.CLOSE, A.RELEASE)),
        (ItemKind.REQUEST, ME, True, (A.ANSWER, A.CLOSE, A.RELEASE)),
        (ItemKind.DISPUTE, ME, True, (A.ACCEPT, A.REJECT, A.RELEASE)),
        (ItemKind.ANOMALY, ME, True, (A.CHECKED, A.RELEASE)),
        (ItemKind.REFUND, ME, True, (A.CHECKED, A.RELEASE)),
        (ItemKind.REFUND, None, True, (A.TAKE,)),
        (ItemKind.DISPUTE, None, False, ()),  # answered: nothing left to do
        (ItemKind.REQUEST, ME, False, ()),
    ],
)
def test_what_a_member_may_do(kind: ItemKind, taker: int | None, is_open: bool, expected: tuple) -> None:
    for role in (Role.SUPPORT, Role.ADMIN):
        assert item_actions(role, kind, taker, ME, is_open) == expected
        assert all(allowed(role, kind, taker, ME, is_open, action) for action in expected)
    assert item_actions(Role.USER, kind, taker, ME, is_open) == ()


def test_only_the_holder_answers() -> None:
    assert not allowed(Role.ADMIN, ItemKind.QUESTION, OTHER, ME, True, A.ANSWER)
    assert not allowed(Role.ADMIN, ItemKind.DISPUTE, None, ME, True, A.ACCEPT)
    assert not allowed(Role.SUPPORT, ItemKind.QUESTION, ME, ME, True, A.TAKE)
    assert not allowed(Role.ADMIN, ItemKind.DISPUTE, ME, ME, True, A.CLOSE)  # a dispute ends only with a verdict
    assert not allowed(Role.ADMIN, ItemKind.QUESTION, OTHER, ME, True, A.CLOSE)


def test_topics_are_for_the_kinds_with_a_user_to_answer() -> None:
    assert {ItemKind.REQUEST, ItemKind.QUESTION, ItemKind.DISPUTE} == TOPIC_KINDS
