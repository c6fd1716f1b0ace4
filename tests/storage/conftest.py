"""Storage test fixtures. They live in support.py, shared with tests/delivery."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

SUPPORT_MODULE = "neu_bot_storage_test_support"


def load_support() -> ModuleType:
    """Load support.py by path, once, whatever pytest's import mode."""
    if SUPPORT_MODULE not in sys.modules:
        spec = importlib.util.spec_from_file_location(SUPPORT_MODULE, Path(__file__).with_name("support.py"))
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[SUPPORT_MODULE] = module
        spec.loader.exec_module(module)
    return sys.modules[SUPPORT_MODULE]


load_support().load_into(globals())
