"""`.env.example` documents every variable the product reads (settings, endpoints, scripts)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTED = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))


def read_by_settings() -> set[str]:
    source = (ROOT / "bot" / "settings.py").read_text()
    return set(re.findall(r'(?:_str|_int|_float|_bool|environ\.get)\("([A-Z][A-Z0-9_]+)"', source))


def read_by_endpoints() -> set[str]:
    names: set[str] = set()
    for path in ROOT.glob("endpoints*.yml"):
        lines = [line for line in path.read_text().splitlines() if not line.lstrip().startswith("#")]
        names |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]+)\}", "\n".join(lines)))
    return names


@pytest.mark.parametrize("source", [read_by_settings, read_by_endpoints], ids=["settings", "endpoints"])
def test_every_variable_read_is_documented(source) -> None:
    read = source()
    assert read, "found nothing: the pattern no longer matches the source"
    assert read - DOCUMENTED == set()


def test_no_secret_has_a_value_in_the_example() -> None:
    text = (ROOT / ".env.example").read_text()
    for name in ("RASA_AUTH_TOKEN", "HANDOFF_WEBHOOK_SECRET", "ACTION_SERVER_TOKEN", "REDIS_PASSWORD", "CHAT_LIMITS_REDIS_URL", "SMTP_PASSWORD"):
        assert re.search(rf"^{name}=\s*$", text, re.M), f"{name} must be empty in .env.example"
