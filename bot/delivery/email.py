"""Email notices to a destination: "a case is waiting for you in the inbox", over SMTP.

An email crosses systems the union does not control and sits in mailboxes for
years, so a notice carries NO personal data: no name, contact, description,
workplace or school. Only the reference, urgency, case type, who has the case and
the link to it in the inbox, where the adviser signs in to read the rest. The
lines come from `bot.inbox.presenter.notice_fields`, with the inbox's own words.

`send_case_notice` raises `EmailDeliveryError(message, temporary)` so the outbox
can retry (temporary: 4xx, connection refused or dropped, timeouts) or give up
and escalate (permanent: 5xx, a misconfiguration). Its message is built from
reply codes and exception classes only, never from what the server echoed.
"""

from __future__ import annotations

import hashlib
import logging
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from typing import Any
from urllib.parse import quote

from bot import vocabulary
from bot.inbox.presenter import notice_fields

log = logging.getLogger(__name__)

SUBJECT_PREFIX = "[NEU case]"


class EmailDeliveryError(Exception):
    """A notice was not accepted. `temporary`: try again later; otherwise give up (dead)."""

    def __init__(self, message: str, temporary: bool) -> None:
        super().__init__(message)
        self.message = message
        self.temporary = temporary


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how notices are sent (SMTP_* in the environment, see .env.example).

    `tls_context` is for tests and unusual set-ups only (a private CA); by default
    STARTTLS verifies the server's certificate against the system's trust store.
    """

    host: str
    port: int = 25
    starttls: bool = False
    user: str = ""
    password: str = field(default="", repr=False)
    from_address: str = "NEU adviser inbox <no-reply@example.org>"
    inbox_base_url: str = "http://127.0.0.1:5058"
    timeout_seconds: float = 10.0
    tls_context: ssl.SSLContext | None = field(default=None, repr=False, compare=False)

    @property
    def configured(self) -> bool:
        return bool(self.host)

    def case_link(self, reference: str) -> str:
        """The case in the inbox; the adviser signs in there (the link itself opens nothing)."""
        return f"{self.inbox_base_url.rstrip('/')}/inbox/cases/{quote(reference, safe='')}"


@dataclass(frozen=True)
class CaseNotice:
    """What a notice says. `urgency` and `case_type` are schema values ("urgent", "accused");
    the email shows their labels."""

    reference: str
    urgency: str
    case_type: str
    destination_name: str
    link: str


def case_notice(payload: Mapping[str, Any], destination_name: str, smtp: SmtpSettings) -> CaseNotice:
    """The notice for a stored handoff payload: picks the four non-personal facts and
    nothing else, so the worker never has to choose what may go into an email."""
    reference = str(payload["reference"])
    return CaseNotice(
        reference=reference,
        urgency=str(payload.get("urgency", "")),
        case_type=str(payload.get("case_type", "")),
        destination_name=destination_name,
        link=smtp.case_link(reference),
    )


# --- the message ------------------------------------------------------------------------


def subject(notice: CaseNotice) -> str:
    return (
        f"{SUBJECT_PREFIX} {vocabulary.URGENCY.label(notice.urgency)}: "
        f"{vocabulary.CASE_TYPE.label(notice.case_type)} - {notice.reference}"
    )


def body(notice: CaseNotice) -> str:
    lines = [f"{field.label}: {field.value}" for field in _fields(notice)]
    return "\n".join(
        [
            f"A case has been handed to {notice.destination_name} through the NEU assistant.",
            "",
            *lines,
            "",
            "Sign in to the NEU adviser inbox with the link above to read the case and claim it.",
            "This email carries no personal details on purpose: they are only in the inbox.",
            "Please do not reply to this email.",
            "",
        ]
    )


def _fields(notice: CaseNotice) -> tuple:
    return notice_fields(notice.reference, notice.urgency, notice.case_type, notice.destination_name, notice.link)


def build_message(smtp: SmtpSettings, to: str, notice: CaseNotice) -> EmailMessage:
    """Plain text. The Message-ID is the same for every attempt at the same notice, so a
    mail system that saw a copy already (a retry after a lost reply) can drop the second."""
    message = EmailMessage()
    message["From"] = smtp.from_address
    message["To"] = to
    message["Subject"] = subject(notice)
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = message_id(smtp, to, notice.reference)
    message["Auto-Submitted"] = "auto-generated"
    message["X-NEU-Case-Reference"] = notice.reference
    message.set_content(body(notice))
    return message


def message_id(smtp: SmtpSettings, to: str, reference: str) -> str:
    domain = parseaddr(smtp.from_address)[1].rpartition("@")[2] or "localhost"
    recipient = hashlib.sha256(to.strip().lower().encode()).hexdigest()[:12]
    return f"<case-{reference.lower()}.{recipient}@{domain}>"


# --- sending ---------------------------------------------------------------------------


def send_case_notice(smtp: SmtpSettings, to: str, notice: CaseNotice) -> None:
    """One attempt to hand the notice to the SMTP server; raises EmailDeliveryError."""
    if not smtp.configured:
        raise EmailDeliveryError("email not configured (SMTP_HOST is empty)", temporary=False)
    message = build_message(smtp, to, notice)
    try:
        with smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout_seconds) as client:
            _start(client, smtp)
            refused = client.send_message(message, to_addrs=[to])
    except EmailDeliveryError:
        raise
    except smtplib.SMTPRecipientsRefused as exc:
        raise _refused(exc) from None
    except smtplib.SMTPResponseException as exc:
        raise _by_code(exc.smtp_code, type(exc).__name__) from None
    except smtplib.SMTPNotSupportedError as exc:  # no STARTTLS (SMTP_STARTTLS=1) or no AUTH (SMTP_USER set)
        raise EmailDeliveryError(f"SMTP server lacks what the settings need: {exc}", temporary=False) from None
    except ssl.SSLCertVerificationError:
        raise EmailDeliveryError("the SMTP server's certificate was not trusted", temporary=False) from None
    except TimeoutError:
        raise EmailDeliveryError("SMTP timeout", temporary=True) from None
    except smtplib.SMTPServerDisconnected as exc:  # smtplib reports a read timeout as a disconnection
        what = "SMTP timeout" if "timed out" in str(exc) else "SMTP server closed the connection"
        raise EmailDeliveryError(what, temporary=True) from None
    except (OSError, smtplib.SMTPException) as exc:  # refused, reset, dropped, DNS, TLS handshake
        raise EmailDeliveryError(f"SMTP connection failed ({type(exc).__name__})", temporary=True) from None
    if refused:  # only with several recipients; kept for completeness
        raise _refused(smtplib.SMTPRecipientsRefused(refused))
    log.info("email notice for case %s accepted by the SMTP server", notice.reference)


def _start(client: smtplib.SMTP, smtp: SmtpSettings) -> None:
    """EHLO, STARTTLS when configured (then EHLO again, as smtplib requires), login when a user is set."""
    client.ehlo()
    if smtp.starttls:
        client.starttls(context=smtp.tls_context or ssl.create_default_context())
        client.ehlo()
    if smtp.user:
        client.login(smtp.user, smtp.password)


def _refused(exc: smtplib.SMTPRecipientsRefused) -> EmailDeliveryError:
    codes = [code for code, _reply in exc.recipients.values()]
    code = max(codes) if codes else 550
    return _by_code(code, "recipient refused")


def _by_code(code: int, what: str) -> EmailDeliveryError:
    """4xx: the server asks us to come back later; 5xx (and anything else): it will not take it."""
    return EmailDeliveryError(f"SMTP {code} ({what})", temporary=400 <= code < 500)
