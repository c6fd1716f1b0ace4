"""Probing the doors of a running stack as an attacker on the same network would.

Two checks per listening port: which addresses the port is bound to (read from
the kernel's socket table, so it holds on any machine), and whether a connection
to this host's own network address, rather than loopback, gets through.
"""

from __future__ import annotations

import ipaddress
import json
import socket
import subprocess
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

from bot.delivery.client import encode_body
from bot.delivery.signing import IDEMPOTENCY_HEADER, signature_headers

LISTEN = "0A"
ROOT = Path(__file__).resolve().parents[2]


def _hex_to_address(hex_address: str) -> str:
    raw = bytes.fromhex(hex_address)
    if len(raw) == 4:
        return str(ipaddress.IPv4Address(raw[::-1]))
    words = b"".join(raw[i : i + 4][::-1] for i in range(0, 16, 4))
    address = ipaddress.IPv6Address(words)
    return str(address.ipv4_mapped or address)


def listening_addresses(port: int) -> set[str]:
    """The local addresses a TCP port is listening on, from /proc/net/tcp and tcp6."""
    found: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local, state = fields[1], fields[3]
            address, hex_port = local.rsplit(":", 1)
            if state == LISTEN and int(hex_port, 16) == port:
                found.add(_hex_to_address(address))
    return found


def only_on_loopback(port: int) -> bool:
    addresses = listening_addresses(port)
    return bool(addresses) and all(ipaddress.ip_address(a).is_loopback for a in addresses)


def outside_address() -> str | None:
    """This host's address on its network (what a neighbour would connect to), if it has one."""
    try:
        out = subprocess.run(["ip", "-4", "-o", "addr", "show", "scope", "global"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    for line in out.splitlines():
        parts = line.split()
        if "inet" in parts:
            return parts[parts.index("inet") + 1].split("/")[0]
    return None


def reachable(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=3).close()
        return True
    except OSError:
        return False


def port_of(url: str) -> int:
    port = urlsplit(url).port
    assert port, url
    return port


# --- a forged action call -------------------------------------------------------------------


def forged_tracker(sender: str, reference: str) -> dict[str, Any]:
    """A tracker made by hand: a case 'ready' to send, in a member's name of the attacker's choosing."""
    slots = {
        "intake_status": "ready",
        "case_type": "accused",
        "case_reference": reference,
        "description": "Forged: a made-up allegation about a post",
        "platforms": ["Facebook"],
        "occurred_on": "unknown",
        "process_stage": "investigation",
        "next_date": "unknown",
        "police_involved": False,
        "role": {"role": "class teacher", "is_leader": False},
        "workplace": "Forged Academy",
        "has_rep": False,
        "consent_share": True,
        "consent_transcript": False,
        "consent_given_at": "2026-11-30T10:00:00+00:00",
        "name": "Forged Member",
        "contact": {"kind": "email", "value": "forged@example.org"},
        "membership_number": "unknown",
        "requested_slot": None,
    }
    message = {"text": "/confirm_send", "intent": {"name": "confirm_send", "confidence": 1.0}, "entities": []}
    return {
        "sender_id": sender,
        "slots": slots,
        "latest_message": message,
        "events": [{"event": "user", "timestamp": time.time(), "text": "/confirm_send", "parse_data": message}],
        "paused": False,
        "followup_action": None,
        "active_loop": {},
        "latest_action_name": "action_listen",
    }


def forged_call(action: str, sender: str | None = None, reference: str | None = None) -> bytes:
    sender = sender or f"forger-{uuid.uuid4().hex[:10]}"
    reference = reference or f"NEU-F{uuid.uuid4().hex[:5].upper()}"
    call = {"next_action": action, "sender_id": sender, "tracker": forged_tracker(sender, reference),
            "domain": {}, "version": "3.6.21"}
    return json.dumps(call).encode()


def post(url: str, body: bytes, headers: dict[str, str] | None = None, **kwargs: Any) -> requests.Response:
    return requests.post(url, data=body, headers={"Content-Type": "application/json", **(headers or {})}, timeout=30, **kwargs)


def domain_actions() -> list[str]:
    """Every custom action the domain declares (what Rasa may call on the action server)."""
    import yaml

    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    return [name for name in domain["actions"] if name.startswith(("action_", "validate_"))]


# --- a delivery to the receiver ---------------------------------------------------------------


def signed_delivery(payload: dict[str, Any], secret: str, signed_at: float) -> tuple[bytes, dict[str, str]]:
    body = encode_body(payload)
    headers = {"Content-Type": "application/json", IDEMPOTENCY_HEADER: payload["reference"],
               **signature_headers(body, secret, signed_at)}
    return body, headers
