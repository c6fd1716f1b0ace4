"""Delivery of stored cases to the adviser webhook.

`client` is the HTTP adapter, `worker` the outbox worker
(`python -m bot.delivery.worker`), `fake_receiver` a local adviser endpoint
for development (`python -m bot.delivery.fake_receiver`).
"""

from bot.delivery.client import DeliveryOutcome, WebhookClient, sign, verify_signature

__all__ = ["DeliveryOutcome", "WebhookClient", "sign", "verify_signature"]
