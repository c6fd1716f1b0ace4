"""scripts/in_group.py, which starts each part of `make run` (scripts/stack.sh): the part joins
the stack's process group, gets SIGINT back from a background job's "ignore", and is
stopped by the kernel if the script that started it is killed outright (SIGKILL), which
no trap can catch. A `sleep` stands in for a part, so these take seconds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

IN_GROUP = Path(__file__).resolve().parents[2] / "scripts" / "in_group.py"

# What scripts/stack.sh does, in miniature: a leader, then a part joining its group, both
# started the way bash starts background jobs (SIGINT ignored), then the script waits.
STACK = f"""
trap '' INT
{sys.executable} {IN_GROUP} 0 $$ sleep 300 & leader=$!
{sys.executable} {IN_GROUP} $leader $$ sleep 300 & part=$!
echo "$leader $part"
wait
"""


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _ignored(pid: int, number: int) -> bool:
    mask = next(line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("SigIgn:"))
    return bool(int(mask.split()[1], 16) & (1 << (number - 1)))


def _gone(pid: int) -> bool:
    stat = _stat(pid)
    return stat is None or stat[0] == "Z"


def start_stack() -> tuple[subprocess.Popen[str], int, int]:
    script = subprocess.Popen(["bash", "-c", STACK], stdout=subprocess.PIPE, text=True, start_new_session=True)
    assert script.stdout is not None
    leader, part = map(int, script.stdout.readline().split())
    deadline = time.monotonic() + 10
    while not all(_command(pid).startswith(b"sleep\0") for pid in (leader, part)):
        assert time.monotonic() < deadline, "the parts did not exec"
        time.sleep(0.05)
    return script, leader, part


def _command(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def test_a_part_joins_the_group_with_sigint_at_its_default() -> None:
    script, leader, part = start_stack()
    try:
        leader_stat, part_stat = _stat(leader), _stat(part)
        assert leader_stat is not None and part_stat is not None
        assert int(leader_stat[2]) == leader and int(part_stat[2]) == leader  # one group, the leader's
        assert int(part_stat[2]) != os.getpgid(script.pid)  # not the script's (the terminal's) group
        assert not _ignored(part, signal.SIGINT) and not _ignored(leader, signal.SIGINT)
        os.killpg(leader, signal.SIGTERM)  # what stop_stack does
        deadline = time.monotonic() + 10
        while not (_gone(leader) and _gone(part)):
            assert time.monotonic() < deadline, "the group did not stop"
            time.sleep(0.05)
    finally:
        os.killpg(script.pid, signal.SIGKILL)
        script.wait(10)


def test_parts_stop_when_the_script_that_started_them_is_killed_outright() -> None:
    script, leader, part = start_stack()
    try:
        script.kill()  # SIGKILL: no trap runs
        script.wait(10)
        deadline = time.monotonic() + 10
        while not (_gone(leader) and _gone(part)):
            assert time.monotonic() < deadline, "the parts outlived the script"
            time.sleep(0.05)
    finally:
        for pid in (leader, part):
            if not _gone(pid):
                os.kill(pid, signal.SIGKILL)
