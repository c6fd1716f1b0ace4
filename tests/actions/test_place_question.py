"""The intake's "where is your workplace?": matched in the (sample) directory, buttons when
several areas fit, Not sure, and corrected at the read-back."""

from __future__ import annotations

from actions.intake import ActionAskConfirm
from actions.intake_form import ValidateCaseForm
from actions.prompts import ASK_ACTIONS

READY = {"intake_status": "ready", "case_reference": "SSN-2612-PLC001"}


def asking(answers, **changes):
    slots = answers["accused"] | {"intake_status": "active", "work_area": None, "consent_share": None,
                                  "consent_transcript": None, "name": None, "contact": None, "membership_number": None}
    return slots | changes


def test_the_question_offers_not_sure(tracker, run):
    result = run(ASK_ACTIONS["work_area"](), tracker({}, ""))
    assert "town, local authority or postcode" in result.text
    assert result.button_titles == ["Not sure"]


def test_a_postcode_finds_its_branch_and_the_form_moves_on(tracker, run, answers):
    result = run(ValidateCaseForm(), tracker(asking(answers), "NT4 7AB", ask="work_area"))
    assert result.slots["work_area"] == {"said": "NT4 7AB", "destination_id": "branch-northtown", "area": "NT4"}
    assert result.slots["requested_slot"] == "consent_share"


def test_several_areas_that_fit_are_offered_as_buttons(tracker, run, answers):
    result = run(ValidateCaseForm(), tracker(asking(answers), "north", ask="work_area"))
    assert result.slots["work_area"] is None and result.slots["requested_slot"] == "work_area"
    assert result.text == "A few places fit that. Which one is it?"
    assert result.button_titles == ["Northtown", "Northam"]  # the question asked again has Not sure
    assert result.slots.get("form_failures") is None  # asking which is not a failed answer

    chosen = run(ValidateCaseForm(), tracker(asking(answers), "Northam", ask="work_area"))
    assert chosen.slots["work_area"] == {"said": "Northam", "destination_id": "branch-eastmere", "area": "Northam"}


def test_not_sure_is_kept_as_not_sure(tracker, run, answers):
    result = run(ValidateCaseForm(), tracker(asking(answers), "not sure", ask="work_area"))
    assert result.slots["work_area"] == "unknown"
    assert result.slots["requested_slot"] == "consent_share"


def test_a_place_the_directory_lacks_is_kept_and_said_at_the_readback(tracker, run, answers):
    result = run(ValidateCaseForm(), tracker(asking(answers), "Leeds", ask="work_area"))
    assert result.slots["work_area"] == {"said": "Leeds", "destination_id": None}
    shown = run(ActionAskConfirm(), tracker(answers["accused"] | result.slots | {"intake_status": "active"}, "skip"))
    assert "- Where your workplace is: Leeds (not in the NEU's list of branches)" in shown.text
    assert shown.text.endswith(
        "Who will help: NEU AdviceLine. I couldn't find \"Leeds\" in the NEU's list of branches, so it goes to the AdviceLine."
    )


def test_the_place_can_be_corrected_at_the_readback(tracker, run, answers):
    slots = answers["accused"] | READY
    result = run(ValidateCaseForm(), tracker(slots, "sorry, my school is in Southvale, not Northtown", ask="confirm"))
    assert result.slots["work_area"] == {"said": "Southvale", "destination_id": "branch-southvale", "area": "Southvale"}
    assert "Where your workplace is: Southvale" in result.text
    assert result.slots["requested_slot"] == "confirm"
    shown = run(ActionAskConfirm(), tracker(slots | result.slots, "skip"))
    assert "Who will help: Southvale NEU branch." in shown.text


def test_a_correction_that_fits_several_places_asks_again(tracker, run, answers):
    slots = answers["accused"] | READY
    result = run(ValidateCaseForm(), tracker(slots, "actually it's in north", ask="confirm"))
    assert result.slots["work_area"] is None
    assert result.slots["requested_slot"] == "work_area"


def test_a_town_the_directory_has_is_not_taken_for_danger(tracker, run, answers):
    """The learned safety classifier can read an unfamiliar one-word name ("Southvale") as danger;
    at the place question a place the directory has is an answer, not a cry for help."""
    message = tracker(asking(answers), "Southvale", "safety_crisis", 0.9, ask="work_area")
    message.latest_message["wellbeing"] = "danger"
    result = run(ValidateCaseForm(), message)
    assert "999" not in result.text and result.slots.get("safety_concern") is None
    assert result.slots["work_area"]["destination_id"] == "branch-southvale"


def test_the_written_safety_patterns_still_apply_at_the_place_question(tracker, run, answers):
    message = tracker(asking(answers), "I want to kill myself", "safety_crisis", 0.9, ask="work_area")
    message.latest_message["wellbeing"] = "danger"
    result = run(ValidateCaseForm(), message)
    assert "999" in result.text and result.slots["safety_concern"] is True


def test_an_unknown_place_still_listens_to_the_learned_classifier(tracker, run, answers):
    message = tracker(asking(answers), "Leeds", "safety_crisis", 0.9, ask="work_area")
    message.latest_message["wellbeing"] = "danger"
    assert "999" in run(ValidateCaseForm(), message).text
