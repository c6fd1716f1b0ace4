"""Reading Rasa's tracker into plain values for `bot/` (the one place that knows its shape)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Tracker

from actions.case_slots import case_answers

UNDERSTOOD_NOTHING = ("nlu_fallback", "unclear")


ANSWER_PREFIX = "utter_faq/"
ERASE_ACTION = "action_delete_my_data"
FORGET_ACTIONS = (ERASE_ACTION, "action_restart")


def sent_reference(tracker: Tracker) -> str | None:
    """The reference of a case this conversation has sent (not one awaiting confirmation)."""
    return tracker.get_slot("case_reference") if tracker.get_slot("intake_status") == "sent" else None


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def slot_values(tracker: Tracker) -> dict[str, Any]:
    """The intake's answers (by bot/'s names, `actions.case_slots`), plus what the handoff
    needs from the rest of the conversation."""
    values = case_answers(tracker.slots)
    values["guidance_given"] = guidance_given(tracker)
    return values


def guidance_given(tracker: Tracker) -> list[str]:
    """Catalogue topics answered in this session, oldest first, once each.

    Read from the bot events (Rasa records `utter_faq/<topic>` on each), so the
    answers need no action of their own; a "delete what I told you" starts afresh.
    """
    topics: list[str] = []
    for event in tracker.events:
        kind = event.get("event")
        if kind == "session_started" or (kind == "action" and event.get("name") in FORGET_ACTIONS):
            topics.clear()
        elif kind == "bot":
            action = (event.get("metadata") or {}).get("utter_action") or ""
            topic = action.removeprefix(ANSWER_PREFIX) if action.startswith(ANSWER_PREFIX) else None
            if topic and topic not in topics:
                topics.append(topic)
    return topics


def latest_intent(tracker: Tracker) -> tuple[str | None, float]:
    intent = tracker.latest_message.get("intent") or {}
    return intent.get("name"), float(intent.get("confidence") or 0.0)


def latest_text(tracker: Tracker) -> str:
    return tracker.latest_message.get("text") or ""


def selected_topic(tracker: Tracker) -> str | None:
    """The catalogue topic id of the latest message, from a `faq/<id>` intent or the response selector."""
    name, _ = latest_intent(tracker)
    if name and name.startswith("faq/"):
        return name.split("/", 1)[1]
    selector = tracker.latest_message.get("response_selector") or {}
    retrieval = ((selector.get("faq") or {}).get("response") or {}).get("intent_response_key")
    if retrieval and retrieval.startswith("faq/"):
        return retrieval.split("/", 1)[1]
    return None


def transcript(tracker: Tracker) -> list[dict[str, str]]:
    """The visible conversation, oldest first, for an adviser (only used with consent)."""
    lines = []
    for event in tracker.events:
        kind, text = event.get("event"), event.get("text")
        if kind not in ("user", "bot") or not text or text.startswith("/"):
            continue
        at = datetime.fromtimestamp(event.get("timestamp") or 0, timezone.utc).isoformat()
        lines.append({"from": "member" if kind == "user" else "assistant", "text": text, "at": at})
    return lines


def consecutive_fallbacks(tracker: Tracker) -> int:
    """How many of the member's latest messages in a row were not understood."""
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        intent = (event.get("parse_data") or {}).get("intent") or {}
        if intent.get("name") not in UNDERSTOOD_NOTHING:
            break
        count += 1
    return count
