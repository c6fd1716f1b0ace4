"""`make run` reads `.env` under the real environment, as bot.settings does: the environment wins."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def loaded(env_file: Path, environment: dict[str, str], names: list[str]) -> dict[str, str]:
    """What a child of scripts/common.sh's load_env_file sees for `names`."""
    script = f'set -euo pipefail; . scripts/common.sh; load_env_file "{env_file}"; ' + "; ".join(
        f'echo "{n}=${{{n}-<unset>}}"' for n in names
    )
    base = {k: v for k, v in os.environ.items() if k not in names}
    out = subprocess.run(["bash", "-c", script], cwd=ROOT, env={**base, **environment}, capture_output=True, text=True, check=True)
    return dict(line.split("=", 1) for line in out.stdout.splitlines())


def test_the_environment_wins_and_the_file_fills_in_the_rest(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text('# comment\nCHECKUP_COUNTS=0\nWEB_PORT=5058\nGREETING="two words"\nEMPTY_IN_FILE=\n')
    seen = loaded(env_file, {"CHECKUP_COUNTS": "1", "EMPTY_IN_FILE": "set by the operator"},
                  ["CHECKUP_COUNTS", "WEB_PORT", "GREETING", "EMPTY_IN_FILE"])
    assert seen == {"CHECKUP_COUNTS": "1", "WEB_PORT": "5058", "GREETING": "two words", "EMPTY_IN_FILE": "set by the operator"}


def test_an_empty_environment_value_still_counts_as_set(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("CHAT_LIMITS_REDIS_URL=redis://file/0\n")
    assert loaded(env_file, {"CHAT_LIMITS_REDIS_URL": ""}, ["CHAT_LIMITS_REDIS_URL"]) == {"CHAT_LIMITS_REDIS_URL": ""}
