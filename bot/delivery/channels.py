"""Sending one delivery job by its channel: the destination's signed webhook, or an email notice.

The worker claims a job and hands it here with the destination it is for. A webhook
is POSTed as before (bot.delivery.client: HMAC signature, Idempotency-Key), to the
URL the directory gives, signed with the secret held in the environment variable the
directory names; the AdviceLine without a webhook of its own uses HANDOFF_WEBHOOK_URL
and HANDOFF_WEBHOOK_SECRET, as before the directory. An email is a notice with no
personal data (bot.delivery.email). Either way the answer is a DeliveryOutcome, so
retries, backoff and dead letters are the worker's, the same for both.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

from bot.delivery.client import DeliveryOutcome, WebhookClient
from bot.delivery.email import CaseNotice, EmailDeliveryError, SmtpSettings, case_notice, send_case_notice
from bot.directory.model import ADVICELINE, EMAIL, WEBHOOK, Destination
from bot.settings import Settings, secret_from_env

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


class Sender(Protocol):
    """A webhook client (tests pass fakes)."""

    def send(self, payload: Mapping[str, Any]) -> DeliveryOutcome: ...


@dataclass(frozen=True)
class Job:
    """What a claimed job needs to be sent."""

    reference: str
    channel: str
    payload: dict[str, Any]


EmailSender = Callable[[SmtpSettings, str, CaseNotice], None]
WebhookFactory = Callable[[str, str, float], Sender]


class ChannelSender:
    """One attempt at one job, by its channel, for its destination."""

    def __init__(
        self,
        settings: Settings,
        adviceline_webhook: Sender,
        *,
        smtp: SmtpSettings | None = None,
        send_email: EmailSender = send_case_notice,
        webhook_factory: WebhookFactory = WebhookClient,
        secrets: Callable[[str], str] = secret_from_env,
    ) -> None:
        self._settings = settings
        self._adviceline_webhook = adviceline_webhook
        self._smtp = smtp or settings.smtp()
        self._send_email = send_email
        self._webhook_factory = webhook_factory
        self._secrets = secrets
        self._clients: dict[tuple[str, str], Sender] = {}

    def send(self, job: Job, destination: Destination) -> DeliveryOutcome:
        if job.channel == WEBHOOK:
            return self._webhook(job, destination)
        if job.channel == EMAIL:
            return self._email(job, destination)
        return DeliveryOutcome("dead", error=f"unknown channel {job.channel!r}")

    def _webhook(self, job: Job, destination: Destination) -> DeliveryOutcome:
        if not destination.webhook_url:
            if destination.kind == ADVICELINE:
                return self._adviceline_webhook.send(job.payload)
            return DeliveryOutcome("dead", error=f"{destination.id} has no webhook in the directory")
        env_name = destination.webhook_secret_env or ""
        secret = self._secrets(env_name) if env_name else ""
        if not secret and urlsplit(destination.webhook_url).hostname not in LOOPBACK_HOSTS:
            # Unsigned delivery is tolerated only to this machine (as for HANDOFF_WEBHOOK_SECRET).
            return DeliveryOutcome("dead", error=f"webhook secret {env_name or '(none named)'} is not set")
        return self._client(destination.webhook_url, secret).send(job.payload)

    def _client(self, url: str, secret: str) -> Sender:
        key = (url, secret)
        if key not in self._clients:
            self._clients[key] = self._webhook_factory(url, secret, self._settings.handoff_timeout_seconds)
        return self._clients[key]

    def _email(self, job: Job, destination: Destination) -> DeliveryOutcome:
        if not destination.email:
            return DeliveryOutcome("dead", error=f"{destination.id} has no email address in the directory")
        notice = case_notice(job.payload, destination.name, self._smtp)
        try:
            self._send_email(self._smtp, destination.email, notice)
        except EmailDeliveryError as exc:
            return DeliveryOutcome("retry" if exc.temporary else "dead", error=exc.message[:200])
        return DeliveryOutcome("delivered")
