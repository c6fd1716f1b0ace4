"""Email notices over real SMTP (tests/support/smtp.py): what arrives, and what each failure means."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from bot.delivery.email import CaseNotice, EmailDeliveryError, SmtpSettings, case_notice, send_case_notice
from bot.settings import Settings
from tests.support.databases import build_payload
from tests.support.net import free_port

TO = "northtown-branch@example.org"
DESTINATION = "Northtown NEU branch"


def sample_case() -> dict:
    """A case full of personal details, none of which may reach an email."""
    return build_payload(
        "SSN-2612-MAIL01",
        urgency="urgent",
        member={
            "name": "Priya Quentin-Oduya",
            "membership_number": "M7654321",
            "email": "priya.q@example.net",
            "phone": "+447700900456",
            "preferred_contact": "email",
            "role": "head of year",
            "is_leader": False,
            "workplace": "Hillside Fictional Academy",
            "has_workplace_rep": False,
        },
        incident={"description": "A parent shared a doctored video of my lesson in a Facebook group.", "platforms": ["Facebook"]},
        summary_text="URGENT - targeted online. Head of year at Hillside Fictional Academy; doctored video shared.",
    )


PERSONAL = ("Priya", "Quentin-Oduya", "M7654321", "priya.q@example.net", "+447700900456", "07700900456",
            "head of year", "Hillside", "doctored video", "Facebook", "conv-ssn-2612-mail01")


def notice_for(payload: dict, smtp: SmtpSettings) -> CaseNotice:
    return case_notice(payload, DESTINATION, smtp)


def test_a_notice_takes_only_the_non_personal_facts_of_a_payload() -> None:
    notice = case_notice(sample_case(), DESTINATION, SmtpSettings(host="x", inbox_base_url="https://inbox.example.org/"))
    assert notice == CaseNotice(
        "SSN-2612-MAIL01", "urgent", "targeted", DESTINATION, "https://inbox.example.org/inbox/cases/SSN-2612-MAIL01"
    )


def test_a_notice_arrives_with_the_reference_and_no_personal_data(smtp_server) -> None:
    smtp = smtp_server.settings()
    payload = sample_case()
    send_case_notice(smtp, TO, notice_for(payload, smtp))

    assert len(smtp_server.messages) == 1
    received = smtp_server.messages[0]
    message = received.message
    assert received.mail_from == "no-reply@example.org" and received.rcpt_tos == (TO,)
    assert message["From"] == "NEU adviser inbox <no-reply@example.org>" and message["To"] == TO
    assert message["Subject"] == "[NEU case] Urgent: Targeted online - SSN-2612-MAIL01"
    assert message["Message-ID"].startswith("<case-ssn-2612-mail01.") and message["Message-ID"].endswith("@example.org>")
    assert message["Auto-Submitted"] == "auto-generated" and message["Date"]
    assert message.get_content_type() == "text/plain" and not message.is_multipart()
    text = received.text
    for line in (
        "Reference: SSN-2612-MAIL01",
        "Urgency: Urgent",
        "Case type: Targeted online",
        f"Who has the case: {DESTINATION}",
        "Open the case: https://inbox.example.org/inbox/cases/SSN-2612-MAIL01",
    ):
        assert line in text.splitlines(), line
    raw = received.raw.decode("utf-8", "replace")
    for personal in PERSONAL:
        assert personal.lower() not in raw.lower(), f"{personal!r} reached the email"


def test_the_same_notice_keeps_its_message_id(smtp_server) -> None:
    """A retry after a lost reply is recognisably the same email."""
    smtp = smtp_server.settings()
    notice = notice_for(sample_case(), smtp)
    send_case_notice(smtp, TO, notice)
    send_case_notice(smtp, TO, notice)
    first, second = (m.message["Message-ID"] for m in smtp_server.messages)
    assert first == second


@pytest.mark.parametrize("code, stage", [(451, "rcpt"), (452, "rcpt"), (421, "mail"), (451, "data")])
def test_a_4xx_refusal_is_temporary_and_the_server_coming_back_gets_it(smtp_server, code, stage) -> None:
    smtp = smtp_server.settings()
    notice = notice_for(sample_case(), smtp)
    smtp_server.refuse(code, stage)
    with pytest.raises(EmailDeliveryError) as refused:
        send_case_notice(smtp, TO, notice)
    assert refused.value.temporary is True
    assert str(code) in refused.value.message and "Priya" not in refused.value.message
    assert smtp_server.refused == 1 and smtp_server.messages == []

    smtp_server.accept()
    send_case_notice(smtp, TO, notice)
    assert len(smtp_server.messages) == 1


@pytest.mark.parametrize("code, stage", [(550, "rcpt"), (554, "data"), (550, "mail")])
def test_a_5xx_refusal_is_permanent(smtp_server, code, stage) -> None:
    smtp = smtp_server.settings()
    smtp_server.refuse(code, stage)
    with pytest.raises(EmailDeliveryError) as refused:
        send_case_notice(smtp, TO, notice_for(sample_case(), smtp))
    assert refused.value.temporary is False and str(code) in refused.value.message
    assert smtp_server.messages == []


def test_a_server_that_is_down_is_temporary_and_delivered_once_it_is_back(smtp_server) -> None:
    smtp = smtp_server.settings()
    notice = notice_for(sample_case(), smtp)
    smtp_server.stop()
    with pytest.raises(EmailDeliveryError) as down:
        send_case_notice(smtp, TO, notice)
    assert down.value.temporary is True and "ConnectionRefusedError" in down.value.message

    smtp_server.start()  # the same port
    send_case_notice(smtp, TO, notice)
    assert len(smtp_server.messages) == 1


@pytest.fixture
def silent_server() -> Iterator[int]:
    """Accepts TCP connections (the kernel's backlog) and never says a word."""
    port = free_port()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))
        sock.listen(4)
        yield port


def test_a_server_that_never_answers_times_out_as_temporary(silent_server) -> None:
    smtp = SmtpSettings(host="127.0.0.1", port=silent_server, timeout_seconds=0.5)
    started = time.monotonic()
    with pytest.raises(EmailDeliveryError) as slow:
        send_case_notice(smtp, TO, CaseNotice("SSN-2612-MAIL01", "routine", "other", DESTINATION, "https://x.example.org"))
    assert slow.value.temporary is True and "timeout" in slow.value.message
    assert time.monotonic() - started < 5


def test_without_an_smtp_host_nothing_is_tried_and_it_is_permanent() -> None:
    with pytest.raises(EmailDeliveryError) as unconfigured:
        send_case_notice(SmtpSettings(host=""), TO, CaseNotice("SSN-2612-MAIL01", "routine", "other", DESTINATION, "x"))
    assert unconfigured.value.temporary is False and "SMTP_HOST" in unconfigured.value.message


# --- STARTTLS and login ----------------------------------------------------------------------


def test_starttls_and_login_when_configured(tls_smtp_server) -> None:
    tls = tls_smtp_server
    smtp = tls.server.settings(starttls=True, user=tls.user, password=tls.password, tls_context=tls.client_context)
    send_case_notice(smtp, TO, notice_for(sample_case(), smtp))
    assert len(tls.server.messages) == 1 and tls.server.logins == [tls.user]


def test_without_starttls_a_server_that_requires_it_refuses_permanently(tls_smtp_server) -> None:
    """SMTP_STARTTLS=0 really sends in the clear: the server that insists answers 530."""
    tls = tls_smtp_server
    smtp = tls.server.settings(starttls=False)
    with pytest.raises(EmailDeliveryError) as refused:
        send_case_notice(smtp, TO, notice_for(sample_case(), smtp))
    assert refused.value.temporary is False and "530" in refused.value.message
    assert tls.server.messages == []


def test_a_wrong_password_is_permanent(tls_smtp_server) -> None:
    tls = tls_smtp_server
    smtp = tls.server.settings(starttls=True, user=tls.user, password="wrong", tls_context=tls.client_context)
    with pytest.raises(EmailDeliveryError) as refused:
        send_case_notice(smtp, TO, notice_for(sample_case(), smtp))
    assert refused.value.temporary is False and "535" in refused.value.message
    assert tls.server.messages == [] and tls.server.logins == []


def test_an_untrusted_certificate_is_refused(tls_smtp_server) -> None:
    """The default context verifies against the system's trust store, which lacks the test certificate."""
    smtp = tls_smtp_server.server.settings(starttls=True)
    with pytest.raises(EmailDeliveryError) as refused:
        send_case_notice(smtp, TO, notice_for(sample_case(), smtp))
    assert refused.value.temporary is False and "certificate" in refused.value.message


def test_starttls_to_a_server_without_it_is_refused_rather_than_sent_in_the_clear(smtp_server) -> None:
    smtp = smtp_server.settings(starttls=True)
    with pytest.raises(EmailDeliveryError) as refused:
        send_case_notice(smtp, TO, notice_for(sample_case(), smtp))
    assert refused.value.temporary is False and "STARTTLS" in refused.value.message
    assert smtp_server.messages == []


def test_a_login_without_starttls_to_a_server_without_auth_is_refused(smtp_server) -> None:
    smtp = smtp_server.settings(user="someone", password="secret")
    with pytest.raises(EmailDeliveryError) as refused:
        send_case_notice(smtp, TO, notice_for(sample_case(), smtp))
    assert refused.value.temporary is False and "AUTH" in refused.value.message


# --- settings ---------------------------------------------------------------------------------


def test_smtp_settings_come_from_the_environment(monkeypatch) -> None:
    for name, value in {
        "SMTP_HOST": "smtp.example.org", "SMTP_PORT": "587", "SMTP_STARTTLS": "1", "SMTP_USER": "relay",
        "SMTP_PASSWORD": "pw", "SMTP_FROM": "Cases <cases@example.org>", "SMTP_TIMEOUT_SECONDS": "3",
        "INBOX_BASE_URL": "https://inbox.example.org/",
    }.items():
        monkeypatch.setenv(name, value)
    smtp = Settings.from_env().smtp()
    assert (smtp.host, smtp.port, smtp.starttls, smtp.user, smtp.password) == ("smtp.example.org", 587, True, "relay", "pw")
    assert (smtp.from_address, smtp.timeout_seconds) == ("Cases <cases@example.org>", 3.0)
    assert smtp.case_link("SSN-2612-MAIL01") == "https://inbox.example.org/inbox/cases/SSN-2612-MAIL01"
    assert "pw" not in repr(smtp)


def test_smtp_defaults_point_at_the_local_inbox(monkeypatch) -> None:
    for name in ("SMTP_HOST", "SMTP_PORT", "SMTP_STARTTLS", "SMTP_USER", "INBOX_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("WEB_PORT", "6058")
    smtp = Settings.from_env().smtp()
    assert (smtp.configured, smtp.port, smtp.starttls, smtp.user) == (False, 25, False, "")
    assert smtp.inbox_base_url == "http://127.0.0.1:6058"
