"""Which package may import which: `core` never imports `bot`; the product (`core`, `bot`) imports the
emulators, its test stand-ins, at one seam only: the sandbox command."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SANDBOX_SEAM = Path("bot/commands/sandbox.py")


def imported(package: str) -> dict[Path, set[str]]:
    """Every module of `package` → the top-level packages it imports (anywhere in it, functions too)."""
    found = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
        found[path.relative_to(ROOT)] = names
    return found


def test_core_never_imports_bot() -> None:
    assert [path for path, names in imported("core").items() if "bot" in names] == []


def test_the_product_reaches_the_emulators_through_the_sandbox_command_only() -> None:
    product = imported("core") | imported("bot")
    assert [path for path, names in product.items() if "emulators" in names] == [SANDBOX_SEAM]


def storage_reaches(package: str) -> list[tuple[Path, int, str]]:
    """Where a module outside `core/db` reaches the unit of work's session or builds a repository itself
    (storage goes one way: through the unit of work's repositories)."""
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[:2] != ("core", "db"):
            found += [(relative, line, what) for line, what in reaches(path.read_text(encoding="utf-8"))]
    return found


def reaches(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr == "session" and _named(node.value, "uow"):
            found.append((node.lineno, "uow.session"))
        elif isinstance(node, ast.Call) and _name(node.func).endswith("Repository"):
            found.append((node.lineno, _name(node.func)))
    return sorted(found)


def _named(node: ast.expr, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _name(node: ast.expr) -> str:
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""


def test_storage_is_reached_through_the_unit_of_works_repositories_only() -> None:
    assert storage_reaches("core") + storage_reaches("bot") == []


def test_the_storage_check_finds_a_session_reached_and_a_repository_built() -> None:
    module = "async def use(uow):\n    uow.session.add(1)\n    return PeopleRepository(uow.people)\n"
    assert reaches(module) == [(2, "uow.session"), (3, "PeopleRepository")]
