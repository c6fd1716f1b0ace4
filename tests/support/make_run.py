"""`make run` as a person runs it, in a throwaway copy of this checkout, on free ports.

The copy (the working tree's files, with `.venv` and the trained model linked, not
copied) gets its own `.env`, `var/` and logs, so a test never touches the developer's
database, received handoffs or running stack. `make run` starts in a session of its own
(as a terminal's job would be), with SIGINT and SIGHUP at their defaults (a test runner
started in the background may have them ignored, and bash cannot trap a signal ignored
on entry), and everything it starts is found again through that session.
"""

from __future__ import annotations

import os
import re
import select
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.net import free_port

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import contextlib

import parts  # scripts/parts.py, what scripts/run.sh itself uses

ROOT = Path(__file__).resolve().parents[2]

RUNNING = "The assistant is running"
PORT_VARIABLES = ("RASA_PORT", "ACTION_PORT", "RECEIVER_PORT", "MAIL_PORT", "WEB_PORT")
# Every variable .env.example documents is dropped from the environment handed to `make
# run`, so the developer's own settings (a DATABASE_URL, a HANDOFF_WEBHOOK_URL) never leak in.
DOCUMENTED = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))


def model_is_current() -> bool:
    fingerprint = subprocess.run(["bash", "-c", ". scripts/common.sh && model_fingerprint"], cwd=ROOT,
                                 capture_output=True, text=True, check=True).stdout.strip()
    stored = ROOT / "models" / ".fingerprint"
    return (ROOT / "models" / "current.tar.gz").exists() and stored.exists() and stored.read_text().strip() == fingerprint


def copy_checkout(target: Path) -> Path:
    """The working tree's files (tracked or new, not ignored), the venv and model linked."""
    listed = subprocess.run(["git", "ls-files", "-z", "-co", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    (target / ".venv").symlink_to(ROOT / ".venv")
    (target / "models").mkdir()
    (target / "models" / "current.tar.gz").symlink_to(ROOT / "models" / "current.tar.gz")
    shutil.copy2(ROOT / "models" / ".fingerprint", target / "models" / ".fingerprint")
    return target


def _session_leader() -> None:
    """In the child: a session of its own, default SIGINT and SIGHUP (a terminal's job)."""
    os.setsid()
    for number in (signal.SIGINT, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(number, signal.SIG_DFL)


def _terminal_session_leader() -> None:
    """In the child: as above, with its standard input (a pseudo-terminal) as its controlling
    terminal, as `ssh -t host make run` makes it: closing the terminal signals make alone."""
    import fcntl
    import termios

    _session_leader()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()


def session_members(session: int) -> set[int]:
    """Live (not zombie) processes of the session."""
    found = set()
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit() and (stat := _stat(int(proc.name))) and int(stat[3]) == session and stat[0] != "Z":
            found.add(int(proc.name))
    return found


@dataclass
class MakeRun:
    """One `make run` in a copy of the checkout, its console captured."""

    checkout: Path
    ports: dict[str, int] = field(default_factory=lambda: {name: free_port() for name in PORT_VARIABLES})
    proc: subprocess.Popen[bytes] | None = None
    console: Path | None = None
    tty_master: int | None = None
    tty_reader: threading.Thread | None = None
    captured: bytearray = field(default_factory=bytearray)
    endpoint_from_ports: bool = True  # False: ACTION_ENDPOINT_URL as the copy's .env says

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in DOCUMENTED and k not in ("VERBOSE", "VIRTUAL_ENV")}
        env.update({name: str(port) for name, port in self.ports.items()})
        if self.endpoint_from_ports:
            env["ACTION_ENDPOINT_URL"] = f"http://127.0.0.1:{self.ports['ACTION_PORT']}/webhook"
        return env

    @property
    def planned_ports(self) -> set[int]:
        return set(self.ports.values())

    # --- starting, three ways of holding the console ----------------------------------

    def start_piped_to_tee(self) -> MakeRun:
        """`make run 2>&1 | tee console.log`, typed at a shell: make and tee in one process group."""
        self.console = self.checkout / "console.log"
        self.proc = subprocess.Popen(["bash", "-c", 'make run 2>&1 | tee console.log >/dev/null'], cwd=self.checkout,
                                     env=self.env(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, preexec_fn=_session_leader)
        return self

    def reader_pid(self) -> int:
        (pid,) = [pid for pid in self.members() if parts.Holder(pid).command().startswith("tee ")]
        return pid

    def start_to_file(self) -> MakeRun:
        self.console = self.checkout / "console.log"
        with self.console.open("wb") as out:
            self.proc = subprocess.Popen(["make", "run"], cwd=self.checkout, env=self.env(), stdin=subprocess.DEVNULL,
                                         stdout=out, stderr=subprocess.STDOUT, preexec_fn=_session_leader)
        return self

    def start_on_terminal(self) -> MakeRun:
        """On a pseudo-terminal, read by a thread of ours, make leading the session with it as
        its controlling terminal: 'closing the terminal' closes the master side, and the kernel
        sends SIGHUP to make alone (which only waits for scripts/run.sh)."""
        import fcntl
        import pty
        import struct
        import termios

        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))
        self.tty_master = master
        self.proc = subprocess.Popen(["make", "run"], cwd=self.checkout, env=self.env(), stdin=slave,
                                     stdout=slave, stderr=slave, preexec_fn=_terminal_session_leader)
        os.close(slave)
        self.tty_reader = threading.Thread(target=self._read_terminal, args=(master,), daemon=True)
        self.tty_reader.start()
        return self

    def _read_terminal(self, master: int) -> None:
        """Until close_terminal: a read blocked on the master would hold it open past os.close."""
        while self.tty_master is not None:
            if not select.select([master], [], [], 0.2)[0]:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.captured.extend(chunk)

    # --- looking --------------------------------------------------------------------------

    def output(self) -> str:
        if self.console is not None:
            return self.console.read_text("utf-8", "replace") if self.console.exists() else ""
        return self.captured.decode("utf-8", "replace")

    def wait_for(self, text: str, seconds: float = 420) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            out = self.output()
            if text in out:
                return out
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise AssertionError(f"make run exited ({self.proc.returncode}) before {text!r}:\n{out[-4000:]}")
            time.sleep(0.5)
        raise AssertionError(f"no {text!r} within {seconds}s:\n{self.output()[-4000:]}\n{self.logs_tail()}")

    def logs_tail(self) -> str:
        parts_logs = sorted((self.checkout / "var" / "log").glob("*.log"))
        return "\n".join(f"--- {p.name}\n{p.read_text('utf-8', 'replace')[-1500:]}" for p in parts_logs)

    @property
    def session(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def members(self) -> set[int]:
        return session_members(self.session)

    def stack_pids(self) -> set[int]:
        """The parts: processes of the session outside make's own process group."""
        return {pid for pid in self.members() if (stat := _stat(pid)) and int(stat[2]) != self.session}

    def stack_ports(self) -> set[int]:
        """Every TCP port the stack's processes listen on, whatever configured them."""
        return parts.ports_of(self.stack_pids())

    def pid_on(self, variable: str) -> int:
        (pid,) = parts.listeners(self.ports[variable])
        return pid

    # --- ending ------------------------------------------------------------------------------

    def signal_terminal_group(self, number: int) -> None:
        """What a terminal (or the shell of a closed terminal) does: the signal to the foreground job's group."""
        os.killpg(self.session, number)

    def close_terminal(self) -> None:
        """The terminal window closes: the master side of the pseudo-terminal goes away."""
        master, self.tty_master = self.tty_master, None
        assert master is not None
        if self.tty_reader is not None:
            self.tty_reader.join(5)
        os.close(master)

    def wait_exit(self, seconds: float = 90) -> int:
        assert self.proc is not None
        return self.proc.wait(seconds)

    def clean_up(self) -> None:
        """Whatever a failed test left: SIGKILL to every process of the session."""
        for pid in self.members():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        if self.tty_master is not None:
            self.close_terminal()


def lines_between(text: str, start: str, end: str) -> list[str]:
    """The console lines from the one holding `start` to the one holding `end`, both included."""
    lines = text.replace("\r\n", "\n").split("\n")
    first = next(i for i, line in enumerate(lines) if start in line)
    last = next(i for i, line in enumerate(lines) if end in line)
    return lines[first : last + 1]


def assert_all_stopped(run: MakeRun, pids: set[int], ports: set[int], seconds: float = 30) -> None:
    """Every process the run started is gone and nothing listens on any of its ports."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        alive = {pid for pid in pids if (stat := _stat(pid)) and stat[0] != "Z"}
        held = {port for port in ports if parts.listening_inodes(port)}
        if not alive and not held and not run.members():
            return
        time.sleep(0.5)
    described = {pid: parts.Holder(pid).command() for pid in alive | run.members()}
    raise AssertionError(f"left running: {described}; ports still listening: {sorted(held)}")
