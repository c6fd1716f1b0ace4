"""Accounts and sign-in sessions on SQLite and PostgreSQL."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from bot.entrypoints import cli
from bot.inbox.accounts import (
    AccountError,
    SessionPolicy,
    authenticate,
    create_adviser,
    disable_adviser,
    remove_stale_sessions,
    sign_in,
    sign_out,
)
from bot.inbox.passwords import WeakPassword
from bot.inbox.tokens import token_hash
from tests.support.advisers import PASSWORD
from tests.support.databases import START


def actions(uow_factory) -> list[tuple[str | None, str, str | None]]:
    with uow_factory() as uow:
        return [(e.actor, e.action, e.detail) for e in reversed(uow.audit.latest())]


# --- accounts -----------------------------------------------------------------------


def test_an_account_keeps_a_hash_not_the_password(uow_factory, adviser) -> None:
    with uow_factory() as uow:
        stored = uow.advisers.by_email("adviser@example.org")
    assert stored.password_hash.startswith("$argon2id$") and PASSWORD not in stored.password_hash
    assert stored.role == "adviser" and stored.active and stored.destination_id == "adviceline"
    assert (None, "account_created", "adviser@example.org (adviser, adviceline)") in actions(uow_factory)


def test_emails_are_case_insensitive_and_unique(uow_factory, adviser) -> None:
    with pytest.raises(AccountError, match="already exists"):
        create_adviser(uow_factory(), "  ADVISER@example.org ", PASSWORD, "admin", START)


@pytest.mark.parametrize(
    ("email", "password", "role", "error"),
    [
        ("not-an-email", PASSWORD, "adviser", AccountError),
        ("a@example.org", PASSWORD, "superuser", AccountError),
        ("a@example.org", "too short", "adviser", WeakPassword),
    ],
)
def test_bad_accounts_are_refused(uow_factory, email, password, role, error) -> None:
    with pytest.raises(error):
        create_adviser(uow_factory(), email, password, role, START)
    with uow_factory() as uow:
        assert uow.advisers.list() == []


# --- signing in ----------------------------------------------------------------------


def test_sign_in_opens_a_session_stored_by_hash(uow_factory, adviser, policy) -> None:
    token, signed = sign_in(uow_factory(), "Adviser@Example.org", PASSWORD, policy, START)
    assert signed.adviser.email == "adviser@example.org" and signed.csrf_token
    assert signed.expires_at == START + policy.lifetime
    with uow_factory() as uow:
        assert uow.adviser_sessions.by_token_hash(token) is None, "the raw token must not be stored"
        assert uow.adviser_sessions.by_token_hash(token_hash(token)) is not None
    assert ("adviser@example.org", "signed_in", None) in actions(uow_factory)


@pytest.mark.parametrize(("email", "password"), [("adviser@example.org", "wrong password here"), ("nobody@example.org", PASSWORD)])
def test_wrong_credentials_give_nothing_and_are_logged(uow_factory, adviser, policy, email, password) -> None:
    assert sign_in(uow_factory(), email, password, policy, START) is None
    assert (email, "sign_in_failed", None) in actions(uow_factory)


def test_a_disabled_account_cannot_sign_in_and_loses_its_sessions(uow_factory, adviser, policy) -> None:
    token, _ = sign_in(uow_factory(), "adviser@example.org", PASSWORD, policy, START)
    disable_adviser(uow_factory(), "adviser@example.org", START)
    assert authenticate(uow_factory(), token, policy, START) is None
    assert sign_in(uow_factory(), "adviser@example.org", PASSWORD, policy, START) is None


def test_repeated_failures_lock_the_account_for_a_while(uow_factory, adviser) -> None:
    policy = SessionPolicy(max_failed_sign_ins=3)
    for _ in range(3):
        assert sign_in(uow_factory(), "adviser@example.org", "wrong password here", policy, START) is None
    assert sign_in(uow_factory(), "adviser@example.org", PASSWORD, policy, START) is None, "locked"
    assert ("adviser@example.org", "sign_in_failed", "locked out") in actions(uow_factory)
    later = START + timedelta(minutes=16)
    assert sign_in(uow_factory(), "adviser@example.org", PASSWORD, policy, later) is not None


# --- sessions -------------------------------------------------------------------------


def test_a_session_authenticates_until_it_is_idle_too_long(uow_factory, adviser, policy) -> None:
    token, _ = sign_in(uow_factory(), "adviser@example.org", PASSWORD, policy, START)
    used = START + timedelta(minutes=20)
    assert authenticate(uow_factory(), token, policy, used).adviser.email == "adviser@example.org"
    assert authenticate(uow_factory(), token, policy, used + timedelta(minutes=29)) is not None, "use keeps it alive"
    assert authenticate(uow_factory(), token, policy, used + timedelta(minutes=29 + 31)) is None
    with uow_factory() as uow:
        assert uow.adviser_sessions.by_token_hash(token_hash(token)) is None, "an expired session is deleted"


def test_a_session_ends_at_its_absolute_expiry_however_busy(uow_factory, adviser) -> None:
    policy = SessionPolicy(idle=timedelta(minutes=30), lifetime=timedelta(hours=1))
    token, _ = sign_in(uow_factory(), "adviser@example.org", PASSWORD, policy, START)
    for minutes in (20, 40, 55):
        assert authenticate(uow_factory(), token, policy, START + timedelta(minutes=minutes)) is not None
    assert authenticate(uow_factory(), token, policy, START + timedelta(minutes=61)) is None


@pytest.mark.parametrize("token", [None, "", "made-up-token"])
def test_no_or_unknown_token_is_not_signed_in(uow_factory, adviser, policy, token) -> None:
    assert authenticate(uow_factory(), token, policy, START) is None


def test_sign_out_ends_the_session(uow_factory, adviser, policy) -> None:
    token, _ = sign_in(uow_factory(), "adviser@example.org", PASSWORD, policy, START)
    sign_out(uow_factory(), token, START)
    assert authenticate(uow_factory(), token, policy, START) is None
    assert ("adviser@example.org", "signed_out", None) in actions(uow_factory)


def test_stale_sessions_are_tidied_away(uow_factory, adviser, policy) -> None:
    sign_in(uow_factory(), "adviser@example.org", PASSWORD, policy, START)
    fresh, _ = sign_in(uow_factory(), "adviser@example.org", PASSWORD, policy, START + timedelta(minutes=40))
    assert remove_stale_sessions(uow_factory(), policy, START + timedelta(minutes=45)) == 1
    assert authenticate(uow_factory(), fresh, policy, START + timedelta(minutes=45)) is not None


# --- the command line -------------------------------------------------------------------


def run_cli(database_url: str, monkeypatch, *argv: str, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["--database-url", database_url, *argv], out, err)
    return code, out.getvalue(), err.getvalue()


def test_cli_creates_lists_and_disables_accounts(database_url, uow_factory, monkeypatch, policy) -> None:
    code, out, _ = run_cli(database_url, monkeypatch, "advisers", "add", "Lead@Example.org", "--role", "admin", stdin=PASSWORD + "\n")
    assert code == 0 and "lead@example.org created (admin)" in out
    code, out, _ = run_cli(database_url, monkeypatch, "advisers", "list")
    assert code == 0 and "lead@example.org" in out and "admin" in out and "active" in out
    assert sign_in(uow_factory(), "lead@example.org", PASSWORD, policy) is not None
    code, out, _ = run_cli(database_url, monkeypatch, "advisers", "disable", "lead@example.org")
    assert code == 0 and "disabled" in out
    _, out, _ = run_cli(database_url, monkeypatch, "advisers", "list")
    assert "disabled" in out


def test_cli_refuses_a_weak_password_without_echoing_it(database_url, monkeypatch) -> None:
    code, out, err = run_cli(database_url, monkeypatch, "advisers", "add", "a@example.org", stdin="hunter2\n")
    assert code == 1 and "at least 12 characters" in err and "hunter2" not in out + err
