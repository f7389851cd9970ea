"""The core knows nothing of Telegram: only the Telegram layer (``handlers/``) imports PTB."""

from __future__ import annotations

import ast
from pathlib import Path

import bot

CORE = Path(bot.__file__).parent
TELEGRAM_LAYER = ("telegram", "handlers")
# The composition root: ``briefbot run`` starts the Telegram layer, in this function only.
ENTRY_POINT = ("bot/cli/main.py", "_run")


def _imports(tree: ast.AST) -> list[tuple[str, int]]:
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module, node.lineno))
    return found


def _lines_of(tree: ast.AST, function: str) -> range:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == function:
            return range(node.lineno, (node.end_lineno or node.lineno) + 1)
    raise AssertionError(f"{function} not found")


def _telegram_imports_in(tree: ast.AST) -> list[tuple[str, int]]:
    return [(m, line) for m, line in _imports(tree) if m.split(".")[0] in TELEGRAM_LAYER]


def _telegram_imports(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    hits = _telegram_imports_in(tree)
    relative = path.relative_to(CORE.parent).as_posix()
    if relative == ENTRY_POINT[0]:
        allowed = _lines_of(tree, ENTRY_POINT[1])
        hits = [
            (m, line) for m, line in hits if not (m.startswith("handlers.") and line in allowed)
        ]
    return hits


def test_no_core_module_imports_telegram_or_handlers() -> None:
    offenders = {
        path.relative_to(CORE.parent).as_posix(): hits
        for path in sorted(CORE.rglob("*.py"))
        if (hits := _telegram_imports(path))
    }
    assert offenders == {}


def test_the_check_sees_imports_inside_functions() -> None:
    tree = ast.parse("def f():\n    from telegram import Bot\n    import handlers.app\n")
    assert _telegram_imports_in(tree) == [("telegram", 2), ("handlers.app", 3)]
