"""Local networking helpers for tests that start real servers."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A port nothing listens on (closed again at once)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
