"""The inbox's rules without a database: hashing, tokens, session expiry, the workflow."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.case_records import InvalidTransition
from bot.inbox.cases import CaseFilters
from bot.inbox.model import Adviser, AdviserSession
from bot.inbox.passwords import WeakPassword, check_strength, hash_password, needs_rehash, verify_password
from bot.inbox.tokens import new_token, same_token, token_hash
from bot.inbox.workflow import NotAllowed, can_read_audit, check_transition, next_statuses
from tests.support.databases import START

ADVISER = Adviser("adviser@example.org", "x", "adviser", START)
COLLEAGUE = Adviser("colleague@example.org", "x", "adviser", START)
ADMIN = Adviser("admin@example.org", "x", "admin", START)


# --- passwords ------------------------------------------------------------------


def test_passwords_are_stored_as_argon2id_hashes_that_verify() -> None:
    stored = hash_password("correct horse battery staple")
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    assert verify_password(stored, "correct horse battery staple")
    assert not verify_password(stored, "correct horse battery stapler")
    assert not needs_rehash(stored)


def test_the_same_password_hashes_differently_each_time() -> None:
    assert hash_password("correct horse battery staple") != hash_password("correct horse battery staple")


def test_an_unknown_account_or_a_broken_hash_never_verifies() -> None:
    assert not verify_password(None, "anything at all here")
    assert not verify_password("not-a-hash", "anything at all here")


@pytest.mark.parametrize(
    ("password", "problem"),
    [("short", "at least 12"), ("x" * 1025, "at most"), ("Adviser@Example.org", "email")],
)
def test_weak_passwords_are_refused(password: str, problem: str) -> None:
    with pytest.raises(WeakPassword, match=problem):
        check_strength(password, "adviser@example.org")


# --- tokens ---------------------------------------------------------------------


def test_tokens_are_long_random_and_stored_only_as_hashes() -> None:
    tokens = {new_token() for _ in range(50)}
    assert len(tokens) == 50 and all(len(t) >= 43 for t in tokens)
    token = tokens.pop()
    assert token_hash(token) == token_hash(token) and len(token_hash(token)) == 64
    assert token not in token_hash(token)


@pytest.mark.parametrize(
    ("given", "expected", "same"),
    [("abc", "abc", True), ("abc", "abd", False), ("", "", False), (None, "abc", False), ("abc", None, False)],
)
def test_csrf_tokens_compare_in_constant_time_and_never_match_when_missing(given, expected, same) -> None:
    assert same_token(given, expected) is same


# --- session expiry ---------------------------------------------------------------


def _session(last_seen_minutes_ago: float, expires_in_minutes: float) -> AdviserSession:
    return AdviserSession(
        token_hash="h",
        adviser_id=1,
        csrf_token="c",
        created_at=START - timedelta(hours=1),
        last_seen_at=START - timedelta(minutes=last_seen_minutes_ago),
        expires_at=START + timedelta(minutes=expires_in_minutes),
    )


def test_a_session_lives_while_used_and_before_its_absolute_expiry() -> None:
    idle = timedelta(minutes=30)
    assert _session(5, 60).is_live(START, idle)
    assert not _session(31, 60).is_live(START, idle), "idle too long"
    assert not _session(0, 0).is_live(START, idle), "past its absolute expiry"


def test_touching_a_session_keeps_it_alive() -> None:
    session = _session(29, 60)
    session.touch(START)
    assert session.is_live(START + timedelta(minutes=20), timedelta(minutes=30))


# --- workflow and authorisation -----------------------------------------------------


def test_the_workflow_goes_new_claimed_contacted_closed() -> None:
    assert next_statuses("new") == ("claimed",)
    assert next_statuses("claimed") == ("contacted", "new")
    assert next_statuses("contacted") == ("closed",)
    assert next_statuses("closed") == ("claimed",)


@pytest.mark.parametrize(("current", "target"), [("new", "contacted"), ("new", "closed"), ("claimed", "closed"), ("contacted", "new"), ("new", "bogus")])
def test_skipping_steps_is_refused(current: str, target: str) -> None:
    with pytest.raises(InvalidTransition):
        check_transition(current, target, ADVISER, None)


def test_anyone_may_claim_but_only_the_claimer_or_an_admin_moves_it_on() -> None:
    check_transition("new", "claimed", COLLEAGUE, None)
    check_transition("claimed", "contacted", ADVISER, "adviser@example.org")
    check_transition("claimed", "new", ADMIN, "adviser@example.org")
    with pytest.raises(NotAllowed, match="adviser@example.org"):
        check_transition("claimed", "contacted", COLLEAGUE, "adviser@example.org")
    with pytest.raises(NotAllowed):
        check_transition("contacted", "closed", COLLEAGUE, "adviser@example.org")


def test_only_admins_read_the_audit_log() -> None:
    assert can_read_audit(ADMIN) and not can_read_audit(ADVISER)


# --- filters ------------------------------------------------------------------------


def test_filters_keep_known_values_and_drop_the_rest() -> None:
    filters = CaseFilters.from_query(
        {"urgency": "urgent", "route": "<script>", "status": "claimed", "case_type": "targeted", "x": "y"}
    )
    assert filters == CaseFilters(urgency="urgent", route=None, status="claimed", case_type="targeted")
    assert filters.describe() == "urgency=urgent status=claimed case_type=targeted"
    assert CaseFilters.from_query({}).describe() is None
