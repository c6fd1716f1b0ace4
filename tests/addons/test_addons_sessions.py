"""CONVERSATION_IDLE_MINUTES decides when Rasa starts a new session, without retraining."""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from rasa.core.processor import MessageProcessor
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.settings import get_settings
from rasa_addons.rest import apply_conversation_expiry

ROOT = Path(__file__).resolve().parents[2]


def request_for(domain: Domain | None) -> SimpleNamespace:
    agent = SimpleNamespace(domain=domain) if domain else None
    return SimpleNamespace(app=SimpleNamespace(ctx=SimpleNamespace(agent=agent)))


def idle_tracker(minutes: float) -> DialogueStateTracker:
    said = time.time() - minutes * 60
    events = [ActionExecuted("action_session_start", timestamp=said - 1), SessionStarted(timestamp=said - 1),
              UserUttered("hi", timestamp=said)]
    return DialogueStateTracker.from_events("conv-idle", events)


def expired(domain: Domain, tracker: DialogueStateTracker) -> bool:
    return MessageProcessor._has_session_expired(SimpleNamespace(domain=domain), tracker)


@pytest.fixture
def idle_minutes(monkeypatch: pytest.MonkeyPatch):
    def set_to(minutes: str) -> None:
        monkeypatch.setenv("CONVERSATION_IDLE_MINUTES", minutes)
        get_settings.cache_clear()

    yield set_to
    get_settings.cache_clear()


def test_the_default_is_the_domains_hour(idle_minutes) -> None:
    idle_minutes("60")
    domain = Domain.load(str(ROOT / "domain.yml"))
    apply_conversation_expiry(request_for(domain))
    assert domain.session_config.session_expiration_time == 60
    assert not expired(domain, idle_tracker(59)) and expired(domain, idle_tracker(61))


def test_an_operator_can_shorten_it_and_slots_still_do_not_carry_over(idle_minutes) -> None:
    idle_minutes("15")
    domain = Domain.load(str(ROOT / "domain.yml"))
    apply_conversation_expiry(request_for(domain))
    assert domain.session_config.session_expiration_time == 15
    assert domain.session_config.carry_over_slots is False
    assert expired(domain, idle_tracker(16)) and not expired(domain, idle_tracker(14))


def test_before_a_model_is_loaded_nothing_happens_and_the_model_loaded_later_gets_it(idle_minutes) -> None:
    idle_minutes("15")
    request = request_for(None)
    apply_conversation_expiry(request)  # no agent yet: must not raise, nor make one up
    assert request.app.ctx.agent is None
    request.app.ctx.agent = SimpleNamespace(domain=None)  # an agent whose model is still loading
    apply_conversation_expiry(request)
    assert request.app.ctx.agent.domain is None
    request.app.ctx.agent.domain = Domain.load(str(ROOT / "domain.yml"))  # the model is loaded
    apply_conversation_expiry(request)  # the next message
    assert request.app.ctx.agent.domain.session_config.session_expiration_time == 15
