"""The dependency between the domain services and storage points one way.

`bot.storage` (the SQL adapter) maps the domain's records (`bot.case_records`,
`bot.inbox.model`) and implements `bot.unit_of_work.UnitOfWork`; the domain services
below take that protocol and never import `bot.storage` when they are imported.
Type-only imports under `if TYPE_CHECKING:` are allowed (they never run).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Domain services and records that must load without the SQL adapter.
DOMAIN = [
    *sorted(p for p in (ROOT / "bot" / "inbox").glob("*.py")),
    ROOT / "bot" / "erasure.py",
    ROOT / "bot" / "retention.py",
    ROOT / "bot" / "checkup_counts.py",
    ROOT / "bot" / "case_records.py",
    ROOT / "bot" / "clock.py",
    ROOT / "bot" / "unit_of_work.py",
    ROOT / "bot" / "directory" / "services.py",
    ROOT / "bot" / "delivery" / "escalation.py",
    ROOT / "bot" / "delivery" / "outbox.py",
    # The case model and its preparation (bot.intake.submit still calls bot.storage.services.record_case).
    ROOT / "bot" / "intake" / "case.py",
    ROOT / "bot" / "intake" / "flow.py",
    ROOT / "bot" / "intake" / "prepare.py",
    ROOT / "bot" / "triage.py",
    ROOT / "bot" / "handoff.py",
]


def _module(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def runtime_imports(path: Path) -> list[str]:
    """Modules a file imports when it is loaded: module level, outside `if TYPE_CHECKING:`."""
    found: list[str] = []
    body = list(ast.parse(path.read_text(encoding="utf-8")).body)
    while body:
        node = body.pop(0)
        if isinstance(node, ast.If) and not _is_type_checking(node):
            body += node.body + node.orelse
        elif isinstance(node, ast.Try):
            body += node.body + node.orelse + node.finalbody + [s for h in node.handlers for s in h.body]
        elif isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append(node.module)
    return found


@pytest.mark.parametrize("path", DOMAIN, ids=_module)
def test_domain_modules_do_not_import_storage_at_module_level(path: Path) -> None:
    storage = [m for m in runtime_imports(path) if m == "bot.storage" or m.startswith("bot.storage.")]
    assert storage == [], f"{_module(path)} imports {storage}; take bot.unit_of_work.UnitOfWork instead"


def test_the_rule_sees_a_storage_import(tmp_path: Path) -> None:
    """The checker itself: a runtime import is found, a TYPE_CHECKING one is not."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from typing import TYPE_CHECKING\n"
        "from bot.storage.uow import SqlUnitOfWork\n"
        "if TYPE_CHECKING:\n    from bot.storage.orm import cases\n",
        encoding="utf-8",
    )
    assert runtime_imports(sample) == ["typing", "bot.storage.uow"]


def test_importing_the_domain_services_loads_no_storage_module() -> None:
    """Transitively too: a fresh interpreter importing every module above has no bot.storage loaded."""
    modules = [_module(p) for p in DOMAIN]
    code = (
        f"import importlib, sys\nfor m in {modules!r}: importlib.import_module(m)\n"
        "print(sorted(m for m in sys.modules if m == 'bot.storage' or m.startswith('bot.storage.')))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_storage_maps_the_domain_records() -> None:
    """The other direction is the intended one: the ORM imports the records it maps."""
    imports = runtime_imports(ROOT / "bot" / "storage" / "orm.py")
    assert "bot.case_records" in imports and "bot.inbox.model" in imports
