"""Sending the case at the read-back (Send or a bare yes): stored once, in a real migrated SQLite file."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

from actions import intake
from actions.intake import ActionSubmitCase, ActionYesNo

REFERENCE = "SSN-2611-TEST01"
HELPLINE = "Professionals Online Safety Helpline"


def ready(values: dict) -> dict:
    return values | {"intake_status": "ready", "case_reference": REFERENCE}


def test_send_stores_the_case_once_and_gives_the_reference(case_store, stored_cases, tracker, run, answers):
    slots = ready(answers["accused"])
    result = run(ActionSubmitCase(), tracker(slots, "/confirm_send", "confirm_send", 1.0))
    assert list(stored_cases()) == [REFERENCE]
    assert result.texts[0] == (
        "Thank you. I've sent your case to Northtown NEU branch, with the contact details you gave. "
        f"Your case reference is {REFERENCE}; please keep it."
    )
    assert result.texts[1] == (
        "You can contact them yourself too: 01632 960101 or secretary@northtown-neu.example.org. "
        "Please give your case reference."
    )
    meanwhile = result.texts[2]
    assert meanwhile.startswith("If you'd like to talk to someone meanwhile, you can contact the NEU AdviceLine. The AdviceLine is")
    assert "0345 811 8111" in meanwhile and meanwhile.endswith("If it becomes urgent, contact the AdviceLine. If you're in danger, call 999.")
    assert "will contact you" not in result.text
    assert len(result.texts) == 3 and HELPLINE not in result.text
    assert result.slots["intake_status"] == "sent"
    assert result.slots["case_reference"] == REFERENCE
    assert result.slots["description"] is None and result.slots["contact"] is None

    again = run(ActionSubmitCase(), tracker(slots | result.slots, "/confirm_send", "confirm_send", 1.0))
    assert again.texts == [f"Your case {REFERENCE} has already been sent. Is there anything else I can help with?"]
    assert again.events == []
    assert list(stored_cases()) == [REFERENCE]


def test_the_stored_case_carries_the_answers(case_store, stored_cases, tracker, run, answers, bot_event):
    earlier = [bot_event("About regretted posts...", "utter_faq/regret_post")]
    message = tracker(ready(answers["accused"]), "/confirm_send", "confirm_send", 1.0, sender_id="conv-42", history=earlier)
    run(ActionSubmitCase(), message)
    payload = stored_cases()[REFERENCE]
    assert payload["guidance_given"] == ["regret_post"]
    assert payload["case_type"] == "accused"
    assert payload["conversation_id"] == "conv-42"
    assert payload["member"]["name"] == "Sam Lee"
    assert payload["member"]["phone"] == "+447700900123"
    assert payload["process"]["stage"] == "investigation"
    assert payload["schema_version"] == "1.1"
    assert payload["destination"] == {"id": "branch-northtown", "kind": "local_branch", "name": "Northtown NEU branch"}
    assert payload["route"] == "local_branch"  # a rep the directory doesn't name: the branch has it
    assert "Sent to: Northtown NEU branch" in payload["summary_text"]


def test_a_workplace_with_a_named_rep_goes_to_that_rep(case_store, stored_cases, tracker, run, answers):
    slots = ready(answers["accused"] | {"workplace": "Hillside Primary School"})
    result = run(ActionSubmitCase(), tracker(slots, "/confirm_send", "confirm_send", 1.0))
    payload = stored_cases()[REFERENCE]
    assert payload["destination"]["id"] == "rep-hillside-primary"
    assert (payload["route"], payload["route_reason"]) == ("workplace_rep", "The NEU has a rep at Hillside Primary School.")
    assert "I've sent your case to Robin Ashdown, NEU rep at Hillside Primary School" in result.texts[0]
    assert "r.ashdown@hillside-primary.example.org" in result.texts[1]


@pytest.mark.parametrize(("work_area", "reason"), [
    ("unknown", "You weren't sure where your workplace is, so it goes to the AdviceLine."),
    ({"said": "Leeds", "destination_id": None}, 'I couldn\'t find "Leeds" in the NEU\'s list of branches, so it goes to the AdviceLine.'),
])
def test_not_sure_or_no_match_goes_to_the_adviceline_saying_why(work_area, reason, case_store, stored_cases, tracker, run, answers):
    slots = ready(answers["other"] | {"work_area": work_area})
    result = run(ActionSubmitCase(), tracker(slots, "/confirm_send", "confirm_send", 1.0))
    payload = stored_cases()[REFERENCE]
    assert payload["destination"] == {"id": "adviceline", "kind": "adviceline", "name": "NEU AdviceLine"}
    assert (payload["route"], payload["route_reason"]) == ("adviceline", reason)
    assert result.texts[0].startswith("Thank you. I've sent your case to NEU AdviceLine")
    assert len(result.texts) == 2 and "contact them yourself" not in result.text  # the AdviceLine's details follow


def test_a_double_press_of_send_stores_one_case(case_store, stored_cases, tracker, run, answers):
    slots = ready(answers["other"])
    first = run(ActionSubmitCase(), tracker(slots, "/confirm_send", "confirm_send", 1.0))
    second = run(ActionSubmitCase(), tracker(slots, "/confirm_send", "confirm_send", 1.0))
    assert list(stored_cases()) == [REFERENCE]
    assert REFERENCE in first.texts[0] and REFERENCE in second.texts[0]


def test_a_targeted_case_also_gets_the_safety_helpline(case_store, stored_cases, tracker, run, answers):
    result = run(ActionSubmitCase(), tracker(ready(answers["targeted"]), "/confirm_send", "confirm_send", 1.0))
    assert list(stored_cases()) == [REFERENCE]
    assert len(result.texts) == 5
    steps, helpline = result.texts[3:]
    assert steps.index("screenshots") < steps.index("report it to the platform"), "keep a copy first"
    assert HELPLINE in helpline and "0344 381 4772" in helpline and "people who work with children and young people" in helpline


@pytest.mark.parametrize("kept,first_step", [
    (True, "- Keep your screenshots and links"),
    (False, "- You said you haven't kept any: if it's still online, take screenshots now"),
])
def test_the_first_step_for_a_targeted_member_is_a_copy_of_the_evidence(kept, first_step, case_store, tracker, run, answers):
    slots = ready(answers["targeted"] | {"evidence_kept": kept})
    steps = run(ActionSubmitCase(), tracker(slots, "/confirm_send", "confirm_send", 1.0)).texts[3]
    assert steps.splitlines()[1].startswith(first_step) and "date and link" in steps.splitlines()[1]


def test_yes_at_the_readback_sends(case_store, stored_cases, tracker, run, answers):
    result = run(ActionYesNo(), tracker(ready(answers["targeted"]), "yes please", "affirm", 0.98))
    assert list(stored_cases()) == [REFERENCE]
    assert REFERENCE in result.texts[0]
    assert result.slots["intake_status"] == "sent"


def test_no_at_the_readback_sends_nothing(case_store, stored_cases, tracker, run, answers):
    result = run(ActionYesNo(), tracker(ready(answers["targeted"]), "no", "deny", 0.98))
    assert stored_cases() == {}
    assert result.events == []
    assert result.button_titles == ["Send", "Change an answer", "Cancel"]


@pytest.mark.parametrize("status", [None, "active", "editing", "cancelled"])
def test_nothing_is_stored_unless_a_case_is_awaiting_confirmation(status, case_store, stored_cases, tracker, run, answers):
    slots = answers["accused"] | {"intake_status": status}
    result = run(ActionSubmitCase(), tracker(slots, "/confirm_send", "confirm_send", 1.0))
    assert stored_cases() == {}
    assert result.events == []
    assert result.texts == [
        "There's nothing waiting to be sent. If something has happened online, tell me and I'll take the details."
    ]


def test_a_database_failure_keeps_the_answers_for_another_try(case_store, stored_cases, monkeypatch, tracker, run, answers):
    def broken(*args, **kwargs):
        raise OperationalError("x", {}, None)

    monkeypatch.setattr(intake, "submit", broken)
    slots = ready(answers["accused"])
    result = run(ActionSubmitCase(), tracker(slots, "/confirm_send", "confirm_send", 1.0))
    assert "try again in a moment" in result.text
    assert "0345 811 8111" in result.text
    assert result.slots == {"case_reference": REFERENCE}
    assert stored_cases() == {}

    monkeypatch.undo()
    retried = run(ActionSubmitCase(), tracker(slots | result.slots, "/confirm_send", "confirm_send", 1.0))
    assert REFERENCE in retried.texts[0]
