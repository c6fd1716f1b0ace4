"""The production configuration is chosen by the environment alone, and reads it as Rasa does."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from rasa.core.utils import AvailableEndpoints
from rasa.shared.exceptions import RasaException

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "ACTION_ENDPOINT_URL": "http://actions:5055/webhook",
    "ACTION_SERVER_TOKEN": "the-shared-secret",
    "TRACKER_STORE_URL": "postgresql://rasa:s3cret@db:5432/rasa_tracker",
    "REDIS_HOST": "redis",
    "REDIS_PORT": "6380",
    "REDIS_PASSWORD": "",
    "REDIS_LOCK_DB": "2",
    "LOCK_STORE_KEY_PREFIX": "neu",
}


def endpoints_file(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("ASSISTANT_ENV", "RASA_ENDPOINTS")}
    return subprocess.run(
        ["bash", "-c", ". scripts/common.sh && rasa_endpoints_file"],
        cwd=ROOT, env=clean | env, capture_output=True, text=True, timeout=30,
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "endpoints.yml"),
        ({"ASSISTANT_ENV": "development"}, "endpoints.yml"),
        ({"ASSISTANT_ENV": "production"}, "endpoints.production.yml"),
        ({"ASSISTANT_ENV": "production", "RASA_ENDPOINTS": "other.yml"}, "other.yml"),
    ],
)
def test_the_scripts_pick_the_endpoints_file_from_the_environment(env: dict[str, str], expected: str) -> None:
    assert endpoints_file(**env).stdout.strip() == expected


def test_an_unknown_environment_is_refused() -> None:
    result = endpoints_file(ASSISTANT_ENV="prod")
    assert result.returncode != 0 and "development or production" in result.stderr


def test_production_endpoints_read_every_value_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in PRODUCTION.items():
        monkeypatch.setenv(name, value)
    endpoints = AvailableEndpoints.read_endpoints(str(ROOT / "endpoints.production.yml"))
    assert endpoints.tracker_store.type == "rasa_addons.tracker_store.ResilientSQLTrackerStore"
    assert endpoints.tracker_store.url == PRODUCTION["TRACKER_STORE_URL"]
    assert endpoints.lock_store.type == "rasa_addons.lock_store.AtomicRedisLockStore"
    assert endpoints.lock_store.url == "redis"
    assert endpoints.lock_store.kwargs == {"port": "6380", "password": "", "db": "2", "key_prefix": "neu"}
    assert endpoints.action.url == PRODUCTION["ACTION_ENDPOINT_URL"]
    assert endpoints.action.headers == {"Authorization": "Bearer the-shared-secret"}


def test_production_refuses_to_start_without_its_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in PRODUCTION.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("TRACKER_STORE_URL")
    with pytest.raises(RasaException, match="TRACKER_STORE_URL"):
        AvailableEndpoints.read_endpoints(str(ROOT / "endpoints.production.yml"))


def test_the_laptop_keeps_conversations_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACTION_ENDPOINT_URL", "http://127.0.0.1:5055/webhook")
    monkeypatch.setenv("ACTION_SERVER_TOKEN", "laptop-secret")
    endpoints = AvailableEndpoints.read_endpoints(str(ROOT / "endpoints.yml"))
    assert endpoints.tracker_store.type == "rasa_addons.tracker_store.ErasingInMemoryTrackerStore"
    assert endpoints.lock_store is None
    assert endpoints.action.headers == {"Authorization": "Bearer laptop-secret"}


@pytest.mark.parametrize("name", ["endpoints.yml", "endpoints.production.yml"])
def test_rasa_will_not_start_without_the_action_server_secret(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    for key, value in PRODUCTION.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("ACTION_SERVER_TOKEN")
    with pytest.raises(RasaException, match="ACTION_SERVER_TOKEN"):
        AvailableEndpoints.read_endpoints(str(ROOT / name))


def test_make_run_writes_every_local_secret_into_env_and_fills_an_old_one(tmp_path: Path) -> None:
    """A new .env gets fresh secrets; a .env from before the action server's secret gains it."""
    root = tmp_path / "checkout"
    (root / "scripts").mkdir(parents=True)
    for name in ("scripts/common.sh", ".env.example"):
        (root / name).write_bytes((ROOT / name).read_bytes())
    script = f'. scripts/common.sh && PY={ROOT / ".venv" / "bin" / "python"} && ensure_env_file'
    clean = {k: v for k, v in os.environ.items() if k not in ("RASA_AUTH_TOKEN", "HANDOFF_WEBHOOK_SECRET", "ACTION_SERVER_TOKEN")}

    def secrets_in_env() -> dict[str, str]:
        subprocess.run(["bash", "-c", script], cwd=root, env=clean, check=True, capture_output=True, timeout=60)
        lines = dict(line.split("=", 1) for line in (root / ".env").read_text().splitlines() if "=" in line and not line.startswith("#"))
        return {k: lines[k] for k in ("RASA_AUTH_TOKEN", "HANDOFF_WEBHOOK_SECRET", "ACTION_SERVER_TOKEN")}

    first = secrets_in_env()
    assert all(len(value) >= 40 for value in first.values()) and len(set(first.values())) == 3
    assert oct((root / ".env").stat().st_mode & 0o777) == "0o600"
    old = (root / ".env").read_text().replace(f"ACTION_SERVER_TOKEN={first['ACTION_SERVER_TOKEN']}\n", "")
    (root / ".env").write_text(old)
    second = secrets_in_env()
    assert second["RASA_AUTH_TOKEN"] == first["RASA_AUTH_TOKEN"] and len(second["ACTION_SERVER_TOKEN"]) >= 40
