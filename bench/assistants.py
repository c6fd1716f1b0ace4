"""The two assistants under test: ours (models/current.tar.gz) and Rasa's starter (`rasa init`).

Both are started with the end-to-end tests' launcher (tests/support/stack.py:
`launch` for ours, its `Stack`/`Proc` for the starter), so the benchmark runs
exactly the processes the tests run: ours is the Rasa server, the action server,
a delivery worker and the local webhook receiver; the starter is one Rasa server
(its actions file is empty, so it has no action server). Laptop mode keeps
conversations in memory (each assistant's default); production mode puts both
on PostgreSQL (tracker store) and Redis (lock store), where replicas can share
conversations.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from bench.procs import started_at
from tests.support.net import free_port
from tests.support.stack import MODEL, ROOT, Proc, Stack, launch, production_env

RASA = str(Path(sys.executable).parent / "rasa")
TRAINING_USUALLY = "8-12 minutes on 2 idle cores, 30 or more on a busy machine"  # as scripts/common.sh says it
# Rasa's SQL tracker store and Redis lock store, read from the same variables as ours
# (endpoints.production.yml); the starter has no action server.
STARTER_PRODUCTION_ENDPOINTS = """\
tracker_store:
  type: SQL
  url: ${TRACKER_STORE_URL}
lock_store:
  type: redis
  url: ${REDIS_HOST}
  port: ${REDIS_PORT}
  password: ${REDIS_PASSWORD}
  db: ${REDIS_LOCK_DB}
  key_prefix: ${LOCK_STORE_KEY_PREFIX}
"""


@dataclass
class Training:
    """A timed training: wall-clock seconds of one CLI command, and the model it wrote."""

    seconds: float
    model: Path
    how: str


def quiet_env(**extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "PYTHONHASHSEED": "0",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        **extra,
    }


def _timed(cmd: list[str], cwd: Path, env: dict[str, str], log: Path, label: str, usual: str) -> float:
    """Wall-clock seconds of `cmd`, its output in `log`, its progress on the console
    (scripts/progress.py, as `make run` shows a training: stage, elapsed, time left)."""
    shown = [sys.executable, str(ROOT / "scripts" / "progress.py"), "--label", label, "--log", str(log),
             "--usual", usual, "--", *cmd]
    start = time.monotonic()
    subprocess.run(shown, cwd=cwd, env={**env, "LOG_LEVEL": "INFO"}, check=True, timeout=1800)
    return time.monotonic() - start


def train_starter(folder: Path, log: Path) -> Training:
    """`rasa init --no-prompt` into an empty folder: scaffolds the starter and trains it."""
    folder.mkdir(parents=True)
    env = quiet_env(RASA_CACHE_DIRECTORY=str(folder / ".rasa" / "cache"))
    seconds = _timed([RASA, "init", "--no-prompt", "--init-dir", str(folder)], folder, env, log,
                     "Training the starter assistant", "1-2 minutes on 2 cores")
    (model,) = sorted((folder / "models").glob("*.tar.gz"))
    return Training(seconds, model, "`rasa init --no-prompt` (scaffold + train), timed in this run")


def train_ours(out: Path, log: Path) -> Training:
    """A fresh `rasa train` of our data into a temporary folder, with an empty cache of its own,
    so nothing is reused from earlier trainings and models/current.tar.gz is left alone."""
    env = quiet_env(RASA_CACHE_DIRECTORY=str(out / "cache"))
    cmd = [RASA, "train", "--fixed-model-name", "bench", "--out", str(out / "models")]
    seconds = _timed(cmd, ROOT, env, log, "Training ours afresh", TRAINING_USUALLY)
    return Training(
        seconds,
        out / "models" / "bench.tar.gz",
        "fresh `rasa train` into a temporary folder (empty cache), timed in this run",
    )


def start_ours(
    tmp: Path, logs: Path, *, database_url: str, tracker_store_url: str | None = None, replicas: int = 1
) -> Stack:
    """Our whole stack; production mode (`tracker_store_url`) gets one action server per replica."""
    tmp.mkdir(parents=True, exist_ok=True)
    return launch(
        tmp,
        logs,
        database_url=database_url,
        tracker_store_url=tracker_store_url,
        rasa_replicas=replicas,
        action_replicas=replicas,
        workers=1,
        extra_env={"DELIVERY_POLL_SECONDS": "2"},  # an idle worker polling 5x a second would be noise
    )


def start_starter(
    folder: Path, model: Path, logs: Path, *, tracker_store_url: str | None = None, replicas: int = 1
) -> Stack:
    """The starter's Rasa server(s), with the starter's own credentials (Rasa's plain REST channel)."""
    logs.mkdir(parents=True, exist_ok=True)
    env = quiet_env()
    endpoints = folder / "endpoints.yml"
    if tracker_store_url:
        env.update(production_env(tracker_store_url))
        endpoints = folder / "endpoints.bench-production.yml"
        endpoints.write_text(STARTER_PRODUCTION_ENDPOINTS)
    ports = [free_port() for _ in range(replicas)]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    stack = Stack(urls[0], "", "", env, rasa_urls=urls, tracker_store_url=tracker_store_url, logs=logs)
    for i, port in enumerate(ports):
        cmd = [RASA, "run", "-m", str(model), "-i", "127.0.0.1", "-p", str(port),
               "--endpoints", str(endpoints), "--credentials", str(folder / "credentials.yml")]  # fmt: skip
        stack.specs["rasa" if i == 0 else f"rasa-{i}"] = Proc(cmd, env, f"{urls[i]}/", 300)
    return stack.start_all()


def say(url: str, sender: str, message: str) -> list[dict]:
    reply = requests.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=120)
    reply.raise_for_status()
    return reply.json()


def cold_start(stack: Stack) -> float:
    """Seconds from the first Rasa server's exec to its first answer (model load, warm-up, one turn).

    Measured right after the launcher saw the server up (it polls every 0.5 s), so
    the figure can be up to half a second long for either assistant.
    """
    replies = say(stack.rasa_urls[0], "bench-cold-start", "hello")
    answered = time.time()
    if not replies:
        raise RuntimeError("no answer to the first message")
    return answered - started_at(stack.procs["rasa"].pid)


def our_model() -> Path:
    return MODEL
