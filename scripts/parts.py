"""The stack's parts as the kernel sees them: who holds a port, whether a part is up, and why one stopped.

    python scripts/parts.py check [--command "make shell"] PART...   before anything starts: every port free?
    python scripts/parts.py wait   GROUP PART...      until every part answers (or one dies)
    python scripts/parts.py last-words LOG            what a part said before it stopped

A PART is "title|variable|offset|port|interface|url|pid|log" (scripts/stack.sh builds them;
empty fields are fine where a command does not need them). Why this exists: a newcomer's
`make run` once printed "The assistant is running" because its health check reached a
receiver an earlier run had left behind, and then died of "Address already in use" in a
log nobody reads. So every port is checked before anything starts, a taken one is named
with the variable that moves it and, when the holder is one of ours, its pid and how to
stop it; and a part counts as up only when the process answering on its port is in this
run's process group.

Linux: owners are read from /proc (/proc/net/tcp, /proc/PID/fd). Standard library only,
so it also runs before the virtual environment exists.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import socket
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from progress import Console, ConsoleGone, Stage, clock, errors_in, is_terminal  # the sibling script

ROOT = Path(__file__).resolve().parents[1]
LISTEN = "0A"
# What our parts look like on a command line (scripts/stack.sh starts them).
OUR_PARTS = {
    "devtools.fake_receiver": "the local handoff receiver",
    "rasa_addons.action_server": "an action server",
    "bot.entrypoints.worker": "a delivery worker",
    "bot.entrypoints.web": "the web chat and inbox",
    "rasa run": "a Rasa server",
    "rasa shell": "a `make shell` Rasa server",
}
UP_TIMEOUT_SECONDS = {"rasa": 300.0}
DEFAULT_UP_TIMEOUT = 90.0
LAST_WORDS_LINES = 25


# --- parts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    title: str
    variable: str = ""
    offset: int = 0
    port: int | None = None
    interface: str = "127.0.0.1"
    url: str = ""
    pid: int | None = None
    log: str = ""

    @classmethod
    def parse(cls, spec: str) -> Part:
        fields = (spec.split("|") + [""] * 8)[:8]
        title, variable, offset, port, interface, url, pid, log = fields
        return cls(title, variable, int(offset or 0), int(port) if port else None, interface or "127.0.0.1",
                   url, int(pid) if pid else None, log)

    @property
    def moved_by(self) -> str:
        """RASA_PORT, or RASA_PORT (+100 for replica 1)."""
        return f"{self.variable} (+{self.offset} for this replica)" if self.offset else self.variable


# --- the kernel's view ------------------------------------------------------------------------


def bindable(port: int, interface: str) -> bool:
    """Could a part listen here now? SO_REUSEADDR as Sanic and http.server set it, so a
    closed connection lingering in TIME_WAIT does not count as taken."""
    family = socket.AF_INET6 if ":" in interface else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((interface, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return False
            raise
    return True


def listening_sockets() -> dict[str, int]:
    """Every listening TCP socket's inode and its port, on any address (/proc/net/tcp and tcp6)."""
    sockets: dict[str, int] = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if fields[3] == LISTEN:
                sockets[fields[9]] = int(fields[1].rsplit(":", 1)[1], 16)
    return sockets


def listening_inodes(port: int) -> set[str]:
    """Socket inodes listening on PORT, on any address."""
    return {inode for inode, listening_on in listening_sockets().items() if listening_on == port}


def pids_holding(inodes: set[str]) -> set[int]:
    """Processes with one of these sockets open (only those this user may look into)."""
    wanted = {f"socket:[{inode}]" for inode in inodes}
    holders: set[int] = set()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                if os.readlink(fd) in wanted:
                    holders.add(int(proc.name))
                    break
        except OSError:
            continue
    return holders


def listeners(port: int) -> set[int]:
    return pids_holding(listening_inodes(port))


def ports_of(pids: Iterable[int]) -> set[int]:
    """Every TCP port these processes listen on (for 'every port `make run` opens')."""
    inodes = listening_sockets()
    found: set[int] = set()
    for pid in pids:
        try:
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                link = os.readlink(fd)
                if link.startswith("socket:[") and link[8:-1] in inodes:
                    found.add(inodes[link[8:-1]])
        except OSError:
            continue
    return found


@dataclass(frozen=True)
class Holder:
    """A process, described for a person."""

    pid: int

    def command(self) -> str:
        try:
            raw = Path(f"/proc/{self.pid}/cmdline").read_bytes()
        except OSError:
            return "?"
        words = [w.decode("utf-8", "replace") for w in raw.split(b"\0") if w]
        words = [Path(w).name if i == 0 or w.endswith("/rasa") else w for i, w in enumerate(words)]
        return " ".join(" ".join(words).split())[:160]

    def cwd(self) -> Path | None:
        try:
            return Path(os.readlink(f"/proc/{self.pid}/cwd"))
        except OSError:
            return None

    def group(self) -> int | None:
        try:
            stat = Path(f"/proc/{self.pid}/stat").read_text()
        except OSError:
            return None
        return int(stat.rsplit(")", 1)[1].split()[2])

    def ours(self) -> str | None:
        """Which of our parts this is, if it is one."""
        command = self.command()
        return next((what for pattern, what in OUR_PARTS.items() if pattern in command), None)


def group_members(group: int) -> set[int]:
    members: set[int] = set()
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit() and Holder(int(proc.name)).group() == group:
            members.add(int(proc.name))
    return members


# --- check: before anything starts -----------------------------------------------------------


def describe_taken(part: Part, planned: set[int], command: str) -> tuple[list[str], list[int], str | None]:
    """What to tell about a taken port, the pids of ours left behind in this checkout, and
    the VARIABLE=value that would move this run off it."""
    assert part.port is not None
    lines = [f"Port {part.port} is taken, so {part.title} cannot start there."]
    left_behind: list[int] = []
    holders = sorted(listeners(part.port))
    for pid in holders:
        holder = Holder(pid)
        what, cwd = holder.ours(), holder.cwd()
        if what and cwd == ROOT:
            lines.append(f"  It is {what} left behind by an earlier `make run` in this checkout: pid {pid} ({holder.command()}).")
            lines.append(f"  Stop it: kill {pid}")
            left_behind.append(pid)
        elif what:
            lines.append(f"  It is {what} of this assistant started from {cwd or 'another checkout'}: pid {pid} ({holder.command()}).")
            lines.append(f"  If that run is yours to stop: kill {pid}")
        else:
            lines.append(f"  It is held by pid {pid}: {holder.command()} (not part of this assistant).")
    if not holders:
        lines.append("  By a process this user cannot see (another user's, or in another network namespace).")
    alternative = free_alternative(part, planned)
    move = f"{part.variable}={alternative}" if alternative else None
    lines.append(f"  Or move this run: {move} {command}" if move else f"  Or move this run to another port with {part.moved_by}.")
    return lines, left_behind, move


def free_alternative(part: Part, planned: set[int]) -> int | None:
    """A base port for the variable that is free now (the next thousand up, then the next)."""
    assert part.port is not None
    base = part.port - part.offset
    for step in range(1000, 20001, 1000):
        candidate = base + step
        port = candidate + part.offset
        if port < 65536 and port not in planned and bindable(port, part.interface):
            return candidate
    return None


def clashes(parts: Sequence[Part]) -> list[str]:
    """Two parts of this run set to the same port (e.g. WEB_PORT=5005): one would fail to start."""
    first: dict[int, Part] = {}
    found = []
    for part in parts:
        if part.port is None:
            continue
        if part.port in first:
            other = first[part.port]
            found.append(f"Port {part.port} is set for both {other.title} ({other.moved_by}) and {part.title} "
                         f"({part.moved_by}): move one of them.")
        first.setdefault(part.port, part)
    return found


def check(parts: Sequence[Part], command: str = "make run") -> int:
    planned = {p.port for p in parts if p.port}
    taken = [p for p in parts if p.port and not bindable(p.port, p.interface)]
    both = clashes(parts)
    if both:
        print("\n".join(both) + "\nNothing was started.", file=sys.stderr)
        return 1
    if not taken:
        return 0
    left_behind: list[int] = []
    moves: dict[str, str] = {}
    for part in taken:
        lines, ours, move = describe_taken(part, planned, command)
        left_behind += ours
        if move:
            moves.setdefault(part.variable, move)
        print("\n".join(lines), file=sys.stderr)
    if len(set(left_behind)) > 1:
        print(f"Everything an earlier run left behind here: kill {' '.join(map(str, sorted(set(left_behind))))}", file=sys.stderr)
    if len(moves) > 1:
        print(f"Or move them all: {' '.join(moves.values())} {command}", file=sys.stderr)
    print("Nothing was started.", file=sys.stderr)
    return 1


# --- wait: until every part answers, and answers as ours ----------------------------------------


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except (urllib.error.URLError, OSError, ValueError):
        return False


def alive(pid: int) -> bool:
    """Running, and not a zombie waiting for scripts/run.sh to collect it."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def foreign_holders(part: Part, group: int) -> list[int]:
    """Processes answering on the part's port that this run did not start."""
    assert part.port is not None
    return sorted(pid for pid in listeners(part.port) if Holder(pid).group() != group)


def up_within(part: Part) -> float:
    """Rasa loads the model (half a minute, several on a busy machine); the rest start in seconds."""
    return UP_TIMEOUT_SECONDS.get(Path(part.log).stem.split("-")[0], DEFAULT_UP_TIMEOUT)


def wait(group: int, parts: Sequence[Part]) -> int:
    """Until each part's URL answers from a process of GROUP; fail at once if any part dies."""
    console = Console(sys.stdout, is_terminal(sys.stdout), None, stage_lines=False)
    started = time.monotonic()
    pending = [p for p in parts if p.url]
    while pending:
        elapsed = time.monotonic() - started
        dead = next((p for p in parts if p.pid and not alive(p.pid)), None)
        if dead:
            console.clear()
            return died(dead, "while starting")
        part = pending[0]
        if answers(part.url):
            stranger = foreign_holders(part, group) if part.port else []
            if stranger:
                console.clear()
                return impostor(part, stranger)
            pending.pop(0)
            continue
        if elapsed > up_within(part):
            console.clear()
            print(f"{capital(part.title)} did not answer at {part.url} within {clock(elapsed)}; its log: {part.log}",
                  file=sys.stderr)
            return 1
        console.show(elapsed, Stage(name=f"waiting for {part.title}"))
        time.sleep(0.5)
    console.clear()
    return 0


def impostor(part: Part, pids: list[int]) -> int:
    described = "; ".join(f"pid {pid} ({Holder(pid).command()})" for pid in pids)
    print(f"Port {part.port} answers, but not from {part.title} this run started: {described}.\n"
          f"  Stop that process (kill {' '.join(map(str, pids))}) or move this run with {part.moved_by}.",
          file=sys.stderr)
    return 1


def died(part: Part, when: str) -> int:
    print(f"{capital(part.title)} stopped {when}.", file=sys.stderr)
    print_last_words(Path(part.log))
    return 1


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def print_last_words(log: Path) -> None:
    """The end of a part's log, warnings left out: usually the reason it stopped."""
    try:
        text = log.read_text("utf-8", "replace")
    except OSError:
        return
    words = errors_in(text)[-LAST_WORDS_LINES:]
    if words:
        print(f"The end of its log ({log}), warnings left out:", file=sys.stderr)
        for line in words:
            print(f"  {line}", file=sys.stderr)


def _quit_quietly(number: int, _frame: object) -> None:
    """Ctrl-C while waiting: no traceback; scripts/run.sh's trap says what happens next."""
    with contextlib.suppress(OSError, ValueError):
        if is_terminal(sys.stdout):
            sys.stdout.write("\r\x1b[K")
            sys.stdout.flush()
    os._exit(128 + number)


def main(argv: Sequence[str]) -> int:
    if not argv:
        sys.exit(__doc__)
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, _quit_quietly)
    command, rest = argv[0], list(argv[1:])
    if command == "check":
        again = "make run"
        if rest[:1] == ["--command"]:
            again, rest = rest[1], rest[2:]
        return check([Part.parse(s) for s in rest], again)
    if command == "wait":
        try:
            return wait(int(rest[0]), [Part.parse(s) for s in rest[1:]])
        except ConsoleGone:
            return 128 + signal.SIGPIPE  # the console has gone: scripts/run.sh stops what it started
    if command == "last-words":
        print_last_words(Path(rest[0]))
        return 0
    sys.exit(f"unknown command {command!r}\n{__doc__}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
