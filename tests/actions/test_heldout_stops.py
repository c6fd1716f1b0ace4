"""Stops and not-stops from the held-out sets, heard by the trained model, handled by the intake form.

tests/heldout/intake_real_stop.yml holds wishes to stop (each must stop the intake, at once
or after asking first); tests/heldout/intake_not_stop.yml holds corrections, hesitations,
questions and worries that use stop-like words (none may delete anything). Each message is
parsed by models/current.tar.gz, exactly as the running assistant parses it, and the parse
goes to the case form's validation action at the question the member was looking at.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import pytest
import yaml

from actions.guided_form import STOP_CONFIRMATION, STOP_PENDING_SLOT
from actions.intake_form import ValidateCaseForm
from bot.intake.flow import FIELDS
from tests.support.answers import ANSWERS

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "current.tar.gz"
HELDOUT = ROOT / "tests" / "heldout"
READY = {"intake_status": "ready", "case_reference": "SSN-2612-STP001"}


def held_out(name: str) -> list[dict[str, str]]:
    return yaml.safe_load((HELDOUT / name).read_text(encoding="utf-8"))


REAL_STOPS, NOT_STOPS = held_out("intake_real_stop.yml"), held_out("intake_not_stop.yml")


@pytest.fixture(scope="module")
def parses() -> dict[str, dict[str, Any]]:
    """Every held-out message as the trained model hears it."""
    if not MODEL.exists():
        pytest.fail("models/current.tar.gz is missing: run `make train` (make test trains first)")
    logging.disable(logging.WARNING)
    from rasa.core.agent import Agent

    agent = Agent.load(str(MODEL))

    async def parse_all() -> dict[str, dict[str, Any]]:
        return {item["text"]: await agent.parse_message(item["text"]) for item in REAL_STOPS + NOT_STOPS}

    try:
        return asyncio.run(parse_all())
    finally:
        logging.disable(logging.NOTSET)


def track_for(field: str) -> str:
    """A track that asks this question (the read-back exists in every one)."""
    return next(t for t in ("accused", "targeted") if field == "readback" or field in ANSWERS[t] or field not in FIELDS)


def outcome(item: dict[str, str], parse: dict[str, Any], tracker, run) -> str:
    """"deleted", "asked" (do you want to stop?) or "kept"."""
    asked, track = item["asked"], track_for(item["asked"])
    answers = dict(ANSWERS[track])
    if asked == "readback":
        slots, ask = answers | READY, "confirm"
    else:
        answers.pop(asked, None)
        slots, ask = answers | {"intake_status": "active"}, asked
    intent = parse.get("intent") or {}
    t = tracker(slots, item["text"], intent.get("name"), float(intent.get("confidence") or 0.0), ask=ask)
    t.latest_message.update(parse)
    result = run(ValidateCaseForm(), t)
    if result.slots.get("intake_status") == "cancelled":
        return "deleted"
    if result.slots.get(STOP_PENDING_SLOT) or result.slots.get("requested_slot") == STOP_CONFIRMATION:
        return "asked"
    return "kept"


def test_the_held_out_sets_are_big_enough():
    assert len(REAL_STOPS) >= 30 and len(NOT_STOPS) >= 30


def test_every_real_stop_stops_the_intake_at_once_or_after_asking(parses, tracker, run):
    outcomes = {item["text"]: outcome(item, parses[item["text"]], tracker, run) for item in REAL_STOPS}
    kept = [text for text, o in outcomes.items() if o == "kept"]
    assert kept == [], f"{len(kept)} of {len(REAL_STOPS)} real stops carried on: {kept}"
    at_once = sum(o == "deleted" for o in outcomes.values())
    assert at_once >= len(REAL_STOPS) // 2, f"only {at_once} of {len(REAL_STOPS)} stopped without a question"


def test_no_correction_or_hesitation_deletes_anything(parses, tracker, run):
    outcomes = {item["text"]: outcome(item, parses[item["text"]], tracker, run) for item in NOT_STOPS}
    deleted = [text for text, o in outcomes.items() if o == "deleted"]
    assert deleted == [], f"{len(deleted)} of {len(NOT_STOPS)} not-stops deleted the case: {deleted}"
