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
