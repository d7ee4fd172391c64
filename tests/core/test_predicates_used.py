"""Every predicate in an app's ``permissions.py`` is asked somewhere: a view, a service, a
template's context, the admin. One nobody calls is a rule nobody enforces; remove it or
wire it where the check is written by hand."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    *ROOT.glob("apps/**/*.py"),
    *ROOT.glob("templates/**/*.html"),
    *ROOT.glob("apps/**/*.html"),
]


def _public_functions(module: Path) -> list[str]:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    return [
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
    ]


def _unused() -> list[str]:
    texts = {path: path.read_text(encoding="utf-8") for path in SOURCES}
    unused = []
    for module in sorted(ROOT.glob("apps/*/permissions.py")):
        for name in _public_functions(module):
            word = re.compile(rf"\b{name}\b")
            if not any(word.search(text) for path, text in texts.items() if path != module):
                unused.append(f"{module.relative_to(ROOT)}: {name}")
    return unused


def test_every_predicate_is_called_outside_its_module_and_tests() -> None:
    assert _unused() == []


def test_the_scan_finds_the_predicates() -> None:
    names = _public_functions(ROOT / "apps/catalogue/permissions.py")
    assert "can_edit_entry" in names
    assert "_is_owner" not in names
