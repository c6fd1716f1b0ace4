"""A member going through a whole intake against running servers, for the fault and fuzz tests.

`Member.intake()` starts an intake, checks that each reply asks the question the
previous answer leads to, answers it, and presses Send. Messages go to the Rasa
replicas in turn (or to the one chosen). A "please try again in a moment" reply
(a turn the servers could not complete) is counted and, if the member is patient,
the same message is sent again after a pause, as a person would.
"""

from __future__ import annotations

import itertools
import re
import time
from dataclasses import dataclass, field
from typing import Any

import requests

from bot.intake.prompts import PROMPTS
from tests.support.replies import texts

TRY_AGAIN = "please try again in a moment"
REFERENCE = re.compile(r"case reference is ([A-Z0-9-]+);")
Answers = list[tuple[str, str]]

# What a member types, question by question (the order bot.intake.flow asks in).
ACCUSED: Answers = [
    ("description", "A parent complained to the head about a tweet I posted about a school trip."),
    ("platforms", "Twitter"),
    ("occurred_on", "last Tuesday"),
    ("process_stage", "An investigation"),
    ("next_date", "no date"),
    ("police_involved", "no"),
    ("role", "class teacher"),
    ("workplace", "Hillside Academy"),
    ("has_rep", "yes"),
    ("work_area", "Southvale"),  # a branch of the fictional sample directory, with a webhook
    ("consent_share", "yes"),
    ("consent_transcript", "yes"),
    ("name", "Sam Lee"),
    ("contact", "07700 900123"),
    ("membership_number", "skip"),
]
ACCUSED_START = "my head wants a meeting about a tweet"
# The shortest intake: a member who asks for a person.
OTHER: Answers = [
    ("description", "It's a bit complicated, I'd rather explain it to a person on the phone."),
    ("role", "teacher"),
    ("workplace", "Oak School"),
    ("has_rep", "not sure"),
    ("work_area", "Southvale"),
    ("consent_share", "yes"),
    ("consent_transcript", "no"),
    ("name", "Jo Patel"),
    ("contact", "+44 7700 900456"),
    ("membership_number", "skip"),
]
OTHER_START = "can i speak to someone"


def asks(replies: list[dict[str, Any]], question: str) -> bool:
    return PROMPTS[question]["text"] in texts(replies)


class ConversationBroke(AssertionError):
    """The assistant's reply did not follow from the member's last message."""


@dataclass
class Member:
    """One member's conversation with the assistant over the REST channel."""

    stack: Any
    sender: str
    replicas: tuple[int, ...] = (0, 1)
    patience: float = 0.0  # seconds to keep retrying "try again" replies (0: don't retry)
    timeout: float = 60.0
    try_again_replies: int = 0
    turns: int = 0
    _next: Any = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.use(*self.replicas)

    def use(self, *replicas: int) -> None:
        """Talk only to these Rasa replicas from now on, in turn."""
        self.replicas = replicas
        self._next = itertools.cycle(replicas)

    def say(self, text: str, replica: int | None = None) -> list[dict[str, Any]]:
        """Send one message; with patience, resend it while the servers ask to try again."""
        deadline = time.monotonic() + self.patience
        while True:
            replies = self._send(text, replica)
            if TRY_AGAIN not in texts(replies):
                return replies
            self.try_again_replies += 1
            if time.monotonic() > deadline:
                return replies
            time.sleep(1.0)

    def _send(self, text: str, replica: int | None) -> list[dict[str, Any]]:
        chosen = next(self._next) if replica is None else replica
        url = f"{self.stack.rasa_urls[chosen]}/webhooks/rest/webhook"
        self.turns += 1
        reply = requests.post(url, json={"sender": self.sender, "message": text}, timeout=self.timeout)
        assert reply.status_code == 200, f"HTTP {reply.status_code} from replica {chosen}: {reply.text[:300]}"
        body = reply.json()
        assert body, f"no reply from replica {chosen}"
        return body

    def answer(self, start: str, answers: Answers) -> list[dict[str, Any]]:
        """Start an intake and answer every question, each checked to be the expected one."""
        replies = self.say(start)
        for question, typed in answers:
            if not asks(replies, question):
                raise ConversationBroke(f"{self.sender}: expected the {question} question, got {texts(replies)[:400]}")
            replies = self.say(typed)
        return replies

    def send_case(self) -> str:
        replies = self.say("/confirm_send")
        found = REFERENCE.search(texts(replies))
        if not found:
            raise ConversationBroke(f"{self.sender}: no case reference after Send: {texts(replies)[:400]}")
        return found.group(1)

    def intake(self, start: str = OTHER_START, answers: Answers = OTHER) -> str:
        """A whole intake through to Send; returns the case reference."""
        readback = self.answer(start, answers)
        if "Here's what I'll send" not in texts(readback):
            raise ConversationBroke(f"{self.sender}: no read-back: {texts(readback)[:400]}")
        return self.send_case()
