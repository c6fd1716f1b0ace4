"""Delivery of stored cases to the adviser webhook.

`client` is the HTTP adapter, `worker` the outbox worker (its process is
`python -m bot.entrypoints.worker`), `signing` the timestamped HMAC signature
that receivers verify. The local adviser endpoint for development is
`devtools.fake_receiver`, outside the core.
"""

from bot.delivery.client import DeliveryOutcome, WebhookClient
from bot.delivery.signing import sign, verify

__all__ = ["DeliveryOutcome", "WebhookClient", "sign", "verify"]
