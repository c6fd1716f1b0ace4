"""The shared failure count (form_failures) across runs of a check-up form."""

from __future__ import annotations

from actions.checkups import ActionCheckupDone, ActionStartCheckup, ValidatePolicyReviewForm

FIELD = "review_policy_exists"


def test_a_new_checkup_starts_with_no_failures(tracker, run):
    slots = {"checkup_status": "active", "checkup_kind": "policy_review", "form_failures": {FIELD: 1}}
    slots |= run(ActionCheckupDone(), tracker(slots, "not sure")).slots
    slots |= run(ActionStartCheckup(), tracker(slots, "review our policy", "start_policy_review", 0.9)).slots
    result = run(ValidatePolicyReviewForm(), tracker(slots, "banana", ask=FIELD))
    assert result.slots["form_failures"] == {FIELD: 1}
    assert "AdviceLine" not in result.text
