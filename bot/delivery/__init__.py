"""Delivery of stored cases to the adviser webhook.

`client` is the HTTP adapter, `worker` the outbox worker
(`python -m bot.delivery.worker`), `fake_receiver` a local adviser endpoint
for development (`python -m bot.delivery.fake_receiver`), `signing` the
timestamped HMAC signature that receivers verify.
"""

from bot.delivery.client import DeliveryOutcome, WebhookClient
from bot.delivery.signing import sign, verify

__all__ = ["DeliveryOutcome", "WebhookClient", "sign", "verify"]
