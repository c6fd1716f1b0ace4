"""An intake through the real servers at LOG_LEVEL=INFO leaves no trace of what the member
said in any log: not their name, email, phone, workplace or their description."""

from __future__ import annotations

import uuid

import pytest
import requests

from tests.support.conversations import ACCUSED, ACCUSED_START, Member
from tests.support.stack import Stack
from tests.support.stacks import wait_until_delivered

pytestmark = pytest.mark.faults

NAME = "Perpetua Quillfeather"
EMAIL = "perpetua.quillfeather@example.org"
PHONE, PHONE_E164 = "07700 900777", "+447700900777"
WORKPLACE = "Zanzibar Lane Academy"
DESCRIPTION = "A parent complained to the head about a tweet I posted about the marmalade sports day."
PERSONAL = {"description": DESCRIPTION, "workplace": WORKPLACE, "name": NAME}
SECRETS = [
    NAME, "Quillfeather", EMAIL, "perpetua.quillfeather", WORKPLACE, "Zanzibar", DESCRIPTION, "marmalade",
    PHONE, PHONE_E164, "7700900777",
]


def answers(contact: str) -> list[tuple[str, str]]:
    """The accused intake, with this member's own details."""
    mine = PERSONAL | {"contact": contact}
    return [(question, mine.get(question, typed)) for question, typed in ACCUSED]


def test_no_personal_data_in_any_log(production_stack: Stack) -> None:
    stack = production_stack
    assert stack.env["LOG_LEVEL"] == "INFO"
    by_email = Member(stack, f"logscan-{uuid.uuid4().hex[:8]}").intake(ACCUSED_START, answers(EMAIL))
    by_phone = Member(stack, f"logscan-{uuid.uuid4().hex[:8]}").intake(ACCUSED_START, answers(PHONE))
    references = [by_email, by_phone]
    # Rasa warns with the whole text of a message starting with "/" that is not a command.
    slash = Member(stack, f"logscan-{uuid.uuid4().hex[:8]}")
    slash.say(f"/hi, I'm {NAME} from {WORKPLACE}")
    slash.say(f'/inform{{"name": "{NAME}"}}')
    # And through the web chat's proxy, as members really write.
    web = stack.specs["web"].health.removesuffix("/health")
    for message in (f"Hello, I'm {NAME}, {EMAIL}", f"I teach at {WORKPLACE}, call {PHONE}"):
        sent = requests.post(f"{web}/chat", json={"sender": f"logscanweb{uuid.uuid4().hex[:8]}", "message": message}, timeout=60)
        assert sent.status_code == 200
    assert wait_until_delivered(stack, references) == dict.fromkeys(references, 1)
    for reference in references:
        assert stack.cli("cases", "show", reference).returncode == 0  # an adviser reads the case

    assert stack.logs is not None
    logs = sorted(stack.logs.glob("*.log"))
    assert {"rasa.log", "rasa-1.log", "actions.log", "actions-1.log", "worker.log", "receiver.log", "web.log"} <= {p.name for p in logs}
    found = {
        path.name: [s for s in SECRETS if s.lower() in path.read_text(errors="replace").lower()]
        for path in logs
    }
    assert {name: hits for name, hits in found.items() if hits} == {}
    assert any(by_phone in path.read_text(errors="replace") for path in logs), "references are logged"
