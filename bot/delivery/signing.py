"""Signing a delivery so a receiver can tell it is ours, unchanged and fresh.

The signature covers the time of signing and the body together, the pattern
Stripe and Slack use: `sha256=HMAC-SHA256(secret, "<timestamp>.<body>")`, with
the timestamp (Unix seconds) in its own header. A receiver that checks the
signature and refuses old timestamps cannot be fooled by a captured delivery
replayed later, nor by a body changed in transit. Each attempt is signed anew,
so a retry hours later is still fresh.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass

SIGNATURE_HEADER = "X-Signature-SHA256"
TIMESTAMP_HEADER = "X-Signature-Timestamp"
IDEMPOTENCY_HEADER = "Idempotency-Key"
# A signature older than this is refused: long enough for a slow network, short enough
# that a captured delivery is useless soon after.
MAX_AGE_SECONDS = 300
# Clocks on two servers differ a little; a timestamp further ahead than this is refused.
MAX_CLOCK_SKEW_SECONDS = 5


def sign(body: bytes, secret: str, timestamp: int) -> str:
    """`sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`, the value of the signature header."""
    message = str(int(timestamp)).encode("ascii") + b"." + body
    return "sha256=" + hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def signature_headers(body: bytes, secret: str, now: float) -> dict[str, str]:
    """The two headers a delivery carries, signed at `now` (Unix seconds)."""
    timestamp = int(now)
    return {TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: sign(body, secret, timestamp)}


@dataclass(frozen=True)
class Verdict:
    """Whether a delivery verifies; `problem` says why not (safe to return to the sender)."""

    ok: bool
    problem: str | None = None


def verify(body: bytes, headers: Mapping[str, str], secret: str, now: float, max_age: float = MAX_AGE_SECONDS) -> Verdict:
    """For receivers: is this body signed by `secret`, at a time no older than `max_age`?

    `headers` may use any case for its names. The comparison is constant-time.
    """
    lower = {name.lower(): value for name, value in headers.items()}
    raw_timestamp = (lower.get(TIMESTAMP_HEADER.lower()) or "").strip()
    signature = (lower.get(SIGNATURE_HEADER.lower()) or "").strip()
    if not raw_timestamp.isdigit() or not signature:
        return Verdict(False, f"{TIMESTAMP_HEADER} and {SIGNATURE_HEADER} are required")
    timestamp = int(raw_timestamp)
    if timestamp > now + MAX_CLOCK_SKEW_SECONDS:
        return Verdict(False, "the signature's timestamp is in the future")
    if now - timestamp > max_age:
        return Verdict(False, "the signature is too old")
    expected = sign(body, secret, timestamp).encode("ascii")
    if not hmac.compare_digest(expected, signature.encode("utf-8", "replace")):
        return Verdict(False, "bad signature")
    return Verdict(True)
