"""Every audit entry the product writes names an action of the catalogue (core/audit.py), so `/audit`
can say what each one means and a typo cannot start a new kind of entry."""

import ast
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

import core
from core.audit import AuditAction
from core.db.audit import AuditRepository

CORE = Path(core.__file__).parent


def _recorded_actions() -> list[tuple[str, ast.expr]]:
    found = []
    for path in CORE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "record":
                owner = node.func.value
                if isinstance(owner, ast.Attribute) and owner.attr == "audit":
                    found.append((f"{path.relative_to(CORE)}:{node.lineno}", node.args[1]))
    return found


def _names_a_catalogued_action(expr: ast.expr) -> bool:
    """`AuditAction.X` (or a choice of them); a name or a subscript is checked when recorded (below), but a
    string written in the call is what the catalogue is there to prevent."""
    if isinstance(expr, ast.IfExp):
        return _names_a_catalogued_action(expr.body) and _names_a_catalogued_action(expr.orelse)
    if isinstance(expr, (ast.Name, ast.Subscript)):
        return True
    return (
        isinstance(expr, ast.Attribute)
        and isinstance(expr.value, ast.Name)
        and expr.value.id == "AuditAction"
        and expr.attr in AuditAction.__members__
    )


def test_every_recorded_action_is_in_the_catalogue() -> None:
    recorded = _recorded_actions()
    assert len(recorded) > 30  # the walk found the product's calls
    assert [where for where, expr in recorded if not _names_a_catalogued_action(expr)] == []


def test_actions_are_distinct_dotted_names() -> None:
    values = [action.value for action in AuditAction]
    assert len(values) == len(set(values))
    assert all(value == "consent" or value.count(".") == 1 for value in values)


def test_an_action_outside_the_catalogue_is_refused_when_recorded() -> None:
    recorded = []
    repository = AuditRepository(SimpleNamespace(add=recorded.append))
    with pytest.raises(ValueError):
        repository.record(datetime(2026, 12, 6, tzinfo=UTC), "payment.sucessful")
    repository.record(datetime(2026, 12, 6, tzinfo=UTC), "payment.succeeded")  # a stored value reads as its member
    assert [event.action for event in recorded] == [AuditAction.PAYMENT_SUCCEEDED]
