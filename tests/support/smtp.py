"""A real SMTP server for tests (aiosmtpd on 127.0.0.1, a free port), as a pytest fixture.

It speaks SMTP over a socket like any relay, records every message it accepts,
and can be told to misbehave the ways a real one does:

    smtp_server.refuse(451)               # answer 451 at RCPT (or stage="mail" / "data")
    smtp_server.refuse(550, stage="rcpt") # permanent refusal
    smtp_server.accept()                  # back to normal
    smtp_server.stop(); smtp_server.start()  # down, then back on the same port

`smtp_server.settings()` gives `SmtpSettings` pointing at it. With `tls=True` and
`auth=("user", "password")` (see `tls_smtp_server`), it offers STARTTLS with a
throwaway self-signed certificate, requires it, and requires that login.
"""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from bot.delivery.email import SmtpSettings
from tests.support.net import free_port

HOST = "127.0.0.1"
STAGES = ("mail", "rcpt", "data")
REPLIES = {
    421: "421 4.3.2 Service not available, closing channel",
    451: "451 4.3.0 Temporary local problem, try again later",
    452: "452 4.2.2 Mailbox full",
    550: "550 5.1.1 Mailbox unavailable",
    554: "554 5.7.1 Transaction failed",
}


@dataclass(frozen=True)
class Received:
    """One accepted message: the envelope and the parsed message."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage
    raw: bytes

    @property
    def text(self) -> str:
        return self.message.get_content() if not self.message.is_multipart() else self.raw.decode("utf-8", "replace")


class _Handler:
    """aiosmtpd hooks: refuse at the chosen stage, otherwise record at DATA."""

    def __init__(self, server: SmtpTestServer) -> None:
        self.server = server

    def _refusal(self, stage: str) -> str | None:
        with self.server.lock:
            refusal = self.server.refusal
            if refusal and refusal[1] == stage:
                self.server.refused += 1
                return REPLIES.get(refusal[0], f"{refusal[0]} refused by the test server")
        return None

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str, mail_options: list) -> str:
        refused = self._refusal("mail")
        if refused:
            return refused
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list) -> str:
        refused = self._refusal("rcpt")
        if refused:
            return refused
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        refused = self._refusal("data")
        if refused:
            return refused
        raw = envelope.original_content or envelope.content
        parsed = message_from_bytes(raw, policy=policy.default)
        with self.server.lock:
            self.server.messages.append(Received(envelope.mail_from, tuple(envelope.rcpt_tos), parsed, raw))
        return "250 Message accepted for delivery"


class SmtpTestServer:
    def __init__(self, tls: ssl.SSLContext | None = None, auth: tuple[str, str] | None = None) -> None:
        self.port = free_port()
        self.messages: list[Received] = []
        self.refusal: tuple[int, str] | None = None
        self.refused = 0
        self.logins: list[str] = []
        self.lock = threading.Lock()
        self._tls = tls
        self._auth = auth
        self._controller: Controller | None = None

    # --- control -------------------------------------------------------------------

    def start(self) -> None:
        """Listen (again) on the same port."""
        assert self._controller is None, "already running"
        kwargs: dict[str, Any] = {}
        if self._tls:
            kwargs.update(tls_context=self._tls, require_starttls=True)
        if self._auth:
            kwargs.update(authenticator=self._authenticate, auth_required=True, auth_require_tls=bool(self._tls))
        controller = Controller(_Handler(self), hostname=HOST, port=self.port, ready_timeout=10, **kwargs)
        controller.start()
        self._controller = controller

    def stop(self) -> None:
        """Stop listening: connections are refused until `start()`."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def running(self) -> bool:
        return self._controller is not None

    def refuse(self, code: int = 451, stage: str = "rcpt") -> None:
        """Answer `code` at MAIL, RCPT or DATA until `accept()`."""
        assert stage in STAGES, stage
        with self.lock:
            self.refusal = (code, stage)

    def accept(self) -> None:
        with self.lock:
            self.refusal = None

    def settings(self, **overrides: Any) -> SmtpSettings:
        values: dict[str, Any] = {
            "host": HOST,
            "port": self.port,
            "from_address": "NEU adviser inbox <no-reply@example.org>",
            "inbox_base_url": "https://inbox.example.org",
            "timeout_seconds": 5.0,
        }
        return SmtpSettings(**{**values, **overrides})

    def _authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        if isinstance(auth_data, LoginPassword) and self._auth is not None:
            ok = (auth_data.login.decode(), auth_data.password.decode()) == self._auth
            if ok:
                self.logins.append(auth_data.login.decode())
            return AuthResult(success=ok, handled=False)  # not handled: aiosmtpd answers 235 / 535
        return AuthResult(success=False, handled=False)


# --- TLS: a throwaway certificate for 127.0.0.1 -------------------------------------------


def self_signed(directory: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """(server context, client context that trusts only that certificate)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = datetime.now(timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(HOST))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "smtp-cert.pem", directory / "smtp-key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert_file, key_file)
    client = ssl.create_default_context(cafile=str(cert_file))
    return server, client


# --- fixtures ---------------------------------------------------------------------------


@pytest.fixture
def smtp_server() -> Iterator[SmtpTestServer]:
    """A plain SMTP server (no TLS, no login) on a free port."""
    server = SmtpTestServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@dataclass
class TlsSmtp:
    server: SmtpTestServer
    client_context: ssl.SSLContext
    user: str
    password: str


@pytest.fixture
def tls_smtp_server(tmp_path: Path) -> Iterator[TlsSmtp]:
    """An SMTP server that requires STARTTLS and then a login."""
    server_context, client_context = self_signed(tmp_path)
    user, password = "relay-user", "relay password for tests"
    server = SmtpTestServer(tls=server_context, auth=(user, password))
    server.start()
    try:
        yield TlsSmtp(server, client_context, user, password)
    finally:
        server.stop()
