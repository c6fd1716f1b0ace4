"""The delivery worker's process: `python -m bot.entrypoints.worker [--once] [--no-migrate]`.

Sends stored cases from the outbox to their destinations (bot.delivery.worker does
the work); this module only reads the settings, configures logging, refuses an
unsigned remote webhook, upgrades the schema and installs the signal handlers.
"""

from __future__ import annotations

import argparse
import logging
import signal
import threading
from collections.abc import Sequence
from urllib.parse import urlsplit

from bot.bootstrap import bootstrap
from bot.delivery.channels import LOOPBACK_HOSTS
from bot.delivery.worker import DeliveryWorker
from bot.settings import Settings, get_settings
from bot.storage.migrate import upgrade

log = logging.getLogger("bot.delivery.worker")


def _install_signal_handlers(stop: threading.Event) -> None:
    def _handle(signum: int, _frame: object) -> None:
        log.info("%s received: finishing the current job, then stopping", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, _handle)
    signal.signal(signal.SIGINT, _handle)


def _secret_ok(settings: Settings) -> bool:
    """Unsigned (empty-secret) delivery is tolerated only to a webhook on this machine."""
    if settings.handoff_webhook_secret:
        return True
    if urlsplit(settings.handoff_webhook_url).hostname in LOOPBACK_HOSTS:
        log.warning("HANDOFF_WEBHOOK_SECRET is empty; signing with an empty key (local webhook only)")
        return True
    log.error("HANDOFF_WEBHOOK_SECRET is empty; refusing to send cases to a remote webhook")
    return False


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.entrypoints.worker", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--once", action="store_true", help="run one pass and exit")
    parser.add_argument("--no-migrate", action="store_true", help="do not upgrade the database schema first")
    args = parser.parse_args(argv)
    wiring = bootstrap(get_settings())
    settings = wiring.settings
    if not _secret_ok(settings):
        return 2
    if not args.no_migrate:
        upgrade(settings.database_url)
    worker = DeliveryWorker.from_settings(settings, wiring.sessions)
    if args.once:
        log.info("delivery pass handled %d jobs", worker.run_once())
        return 0
    stop = threading.Event()
    _install_signal_handlers(stop)
    worker.run_forever(stop)
    return 0



if __name__ == "__main__":
    raise SystemExit(main())
