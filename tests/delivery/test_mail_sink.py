"""The local mail relay `make run` starts (devtools/mail_sink.py): notices arrive and are kept."""

from __future__ import annotations

from pathlib import Path

from bot.delivery.email import CaseNotice, SmtpSettings, send_case_notice
from devtools.mail_sink import LocalMailSink
from tests.support.net import free_port


def test_a_notice_sent_over_smtp_is_kept_in_the_file(tmp_path: Path) -> None:
    port = free_port()
    sink = LocalMailSink("127.0.0.1", port, tmp_path / "mail.jsonl").start()
    try:
        notice = CaseNotice("SSN-2612-MAIL01", "urgent", "targeted", "Southvale NEU branch",
                            "http://127.0.0.1:5058/inbox/cases/SSN-2612-MAIL01")
        send_case_notice(SmtpSettings(host="127.0.0.1", port=port), "cases@southvale.example.org", notice)
        [kept] = sink.messages()
    finally:
        sink.stop()
    assert kept["to"] == ["cases@southvale.example.org"]
    assert "SSN-2612-MAIL01" in kept["subject"] and "/inbox/cases/SSN-2612-MAIL01" in kept["text"]
