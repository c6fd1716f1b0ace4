"""The REST chat channel, `POST /webhooks/rest/webhook`, hardened for members and operators.

Same URL and reply format as Rasa's built-in `rest` channel (a JSON list of
`{"recipient_id", "text", "buttons", ...}`), with three differences:

- every message gets an answer: if the turn failed (tracker store, an action,
  lock store, an error in Rasa), nothing of it is saved (see
  `rasa_addons.turns`) and the member is asked to try again in a moment, with
  the AdviceLine contacts and, if their words call for it, emergency numbers;
  a turn that went through but said nothing gets the menu and the AdviceLine;
- bad requests get a 400 (not a 500), and messages over `MAX_MESSAGE_CHARS`
  a 413, before Rasa sees them; control characters are removed from the text;
- nothing the member wrote is ever logged: Rasa's channel logs the text of a
  message that failed, and Rasa warns with the whole text of any message that
  starts with "/" but is not a button's `/intent` (so such a message reaches
  Rasa without its leading slashes, as the plain words the member typed).

Streaming (`?stream=true`) is not offered. Listed in credentials.yml.
"""

from __future__ import annotations

import inspect
import logging
import re
from asyncio import CancelledError
from collections.abc import Awaitable, Callable, Collection
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.shared.core.domain import SessionConfig
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.service_messages import no_answer_text, replies_for_failed_turn, too_long_text
from bot.settings import get_settings
from rasa_addons import action_replies
from rasa_addons.turns import begin_turn, watch_action_failures

log = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 5000
MAX_SENDER_CHARS = 128
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_COMMAND = re.compile(r"^/(?P<intent>[A-Za-z0-9_]+)(?P<entities>\{\s*\"topic\"\s*:\s*\"[a-z_]{1,64}\"\s*\})?$")
# The one button that carries a value: "Did you mean" offers a topic as /choose_topic{"topic": "<id>"}.
ENTITY_COMMANDS = frozenset({"choose_topic"})


class BadRequest(ValueError):
    """The request is not a chat message; the text says why (never echoing it)."""


def clean_text(text: str) -> str:
    """Drop control characters (keeping newlines and tabs) and unpaired surrogates."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    return _CONTROL.sub("", text)


def as_member_text(text: str, commands: Collection[str]) -> str:
    """A button's `/intent` (or `/choose_topic{"topic": ...}`) stays a command; any other text
    starting with "/" is plain words."""
    stripped = text.strip()
    if not stripped.startswith("/"):
        return text
    command = _COMMAND.match(stripped)
    if command and command["intent"] in commands and (not command["entities"] or command["intent"] in ENTITY_COMMANDS):
        return stripped
    return stripped.lstrip("/").strip()


def commands_of(request: Request) -> frozenset[str]:
    """The intents a message may name directly: the domain's, less retrieval intents
    (their answers need the response selector, which a typed command skips)."""
    agent = getattr(request.app.ctx, "agent", None)
    domain = getattr(agent, "domain", None)
    if domain is None:
        return frozenset()
    return frozenset(domain.intents) - frozenset(domain.retrieval_intents)


def apply_conversation_expiry(request: Request) -> None:
    """Use `CONVERSATION_IDLE_MINUTES` as the session expiry of the loaded model's domain.

    Rasa reads `session_expiration_time` only from domain.yml (baked into the
    model); this lets an operator change it without retraining. Idempotent and
    cheap, so it runs on every message (a newly loaded model gets it too).
    """
    domain = getattr(getattr(request.app.ctx, "agent", None), "domain", None)
    if domain is None:
        return
    minutes = get_settings().conversation_idle_minutes
    current = domain.session_config
    if current.session_expiration_time != minutes:
        domain.session_config = SessionConfig(minutes, current.carry_over_slots)


def parse_body(body: Any) -> tuple[str, str, dict[str, Any] | None, str | None]:
    """(sender, text, metadata, input_channel) from a request body, or BadRequest."""
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object")
    sender, message = body.get("sender"), body.get("message")
    if isinstance(sender, int) and not isinstance(sender, bool):
        sender = str(sender)
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
        raise BadRequest(f"'sender' must be a non-empty string of up to {MAX_SENDER_CHARS} characters")
    if clean_text(sender) != sender:
        raise BadRequest("'sender' must not contain control characters")
    if not isinstance(message, str):
        raise BadRequest("'message' must be a string")
    metadata = body.get("metadata")
    channel = body.get("input_channel")
    return (
        sender,
        clean_text(message),
        metadata if isinstance(metadata, dict) else None,
        channel if isinstance(channel, str) and channel else None,
    )


def _texts(recipient: str, texts: list[str]) -> list[dict[str, Any]]:
    return [{"recipient_id": recipient, "text": text} for text in texts]


class RestInput(InputChannel):
    """Registered as `rasa_addons.rest.RestInput` in credentials.yml; served at /webhooks/rest/."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def __init__(self) -> None:
        watch_action_failures()
        action_replies.install()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        module = inspect.getmodule(self)
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", module.__name__ if module else None)

        @webhook.route("/", methods=["GET"])
        async def health(_request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                sender, text, metadata, channel = parse_body(_json(request))
            except BadRequest as exc:
                return response.json({"error": "bad_request", "message": str(exc)}, status=400)
            if len(text) > MAX_MESSAGE_CHARS:
                reply = _texts(sender, [too_long_text(MAX_MESSAGE_CHARS)])
                return response.json(reply, status=413)
            text = as_member_text(text, commands_of(request))
            apply_conversation_expiry(request)
            return response.json(await self.handle(on_new_message, sender, text, metadata, channel))

        return webhook

    async def handle(
        self,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        sender: str,
        text: str,
        metadata: dict[str, Any] | None,
        channel: str | None,
    ) -> list[dict[str, Any]]:
        """Run one turn; if it failed the member is told to try again; if it said nothing, where to go."""
        turn = begin_turn()
        collector = CollectingOutputChannel()
        message = UserMessage(text, collector, sender, input_channel=channel or self.name(), metadata=metadata)
        try:
            await on_new_message(message)
        except CancelledError:
            turn.fail("timed out")
        except Exception as exc:  # a lock store or Rasa failure must still get the member an answer
            turn.fail(type(exc).__name__)
            log.error("message not handled (%s)", type(exc).__name__, exc_info=log.isEnabledFor(logging.DEBUG))
        if turn.failed:
            log.warning("turn not completed (%s): asked the member to try again", ", ".join(turn.failures))
            return _texts(sender, replies_for_failed_turn(text))
        if not collector.messages:
            log.info("turn produced no reply: offered the menu and the AdviceLine")
            return _texts(sender, [no_answer_text()])
        return collector.messages


def _json(request: Request) -> Any:
    try:
        return request.json
    except Exception:  # Sanic raises its own error for a body that is not JSON
        return None
