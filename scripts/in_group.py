"""Run a command inside the stack's process group, so one signal to the group stops every part.

    python scripts/in_group.py GROUP PARENT COMMAND...

GROUP is the process group to join (0: lead a new one, whose id is this process's pid);
PARENT is the pid of the script that started us (scripts/run.sh). Then, before `exec`:

- the command joins GROUP, which is not the terminal's foreground group: a Ctrl-C or a
  closed terminal reaches scripts/run.sh alone, and it stops the whole group, in order;
- SIGINT and SIGQUIT go back to their defaults: bash starts background jobs with them
  ignored, and a Python part started that way would never see a Ctrl-C
  (devtools.fake_receiver stayed running on port 5056 that way);
- the kernel is asked to send SIGTERM if PARENT dies (Linux's PR_SET_PDEATHSIG), so even a
  `kill -9` of scripts/run.sh, which no trap can catch, leaves nothing behind.

Standard library only: it runs before the virtual environment is needed.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import time

PR_SET_PDEATHSIG = 1
JOIN_SECONDS = 5.0


def join(group: int) -> None:
    """Join GROUP, retrying briefly: its leader may not have made itself leader yet (a fork race)."""
    deadline = time.monotonic() + JOIN_SECONDS
    while True:
        try:
            os.setpgid(0, group)
            return
        except PermissionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def die_with(parent: int) -> None:
    """SIGTERM when PARENT exits, whatever the way; exit at once if it already has."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not Linux: the group signal from scripts/run.sh is still the main way to stop
    if os.getppid() != parent:
        sys.exit(0)


def main(argv: list[str]) -> None:
    if len(argv) < 3:
        sys.exit(__doc__)
    group, parent, command = int(argv[0]), int(argv[1]), argv[2:]
    join(group)
    die_with(parent)
    for number in (signal.SIGINT, signal.SIGQUIT):
        signal.signal(number, signal.SIG_DFL)
    os.execvp(command[0], command)


if __name__ == "__main__":
    main(sys.argv[1:])
