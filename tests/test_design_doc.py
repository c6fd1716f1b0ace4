"""docs/design.md names real modules: every `path/to/module.py` or package path it mentions exists.

The design page is the newcomer's map of the code; a module moved or renamed without the
page changing would send them to a file that is not there.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DESIGN = ROOT / "docs" / "design.md"
TOP = ("bot", "actions", "rasa_addons", "devtools", "tests", "scripts", "spec", "data", "bench", "docs")
PATH = re.compile(rf"\b((?:{'|'.join(TOP)})/[\w/.-]*\w)")


def named_paths() -> set[str]:
    text = DESIGN.read_text(encoding="utf-8")
    return {m.group(1).rstrip(".") for m in PATH.finditer(text)}


def test_the_design_page_names_modules():
    assert len(named_paths()) >= 30


def test_every_module_the_design_page_names_exists():
    missing = sorted(p for p in named_paths() if not (ROOT / p).exists() and not (ROOT / f"{p}.py").exists())
    assert missing == [], f"docs/design.md names paths that do not exist: {missing}"


def test_it_opens_with_the_picture_of_the_layers():
    text = DESIGN.read_text(encoding="utf-8")
    assert text.index("## The layers, and the path of one case") < text.index("## Contracts between modules")
