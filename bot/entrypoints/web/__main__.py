"""`python -m bot.entrypoints.web [--host H] [--port P]`: the member web chat and the adviser inbox."""

from __future__ import annotations

import argparse

from bot.bootstrap import bootstrap
from bot.entrypoints.web.app import create_app
from bot.settings import get_settings
from bot.storage.uow import uow_factory


def main() -> None:
    settings = get_settings()
    parser = argparse.ArgumentParser(prog="python -m bot.entrypoints.web", description=__doc__)
    parser.add_argument("--host", default=settings.web_interface)
    parser.add_argument("--port", type=int, default=settings.web_port)
    args = parser.parse_args()
    wiring = bootstrap(settings)
    app = create_app(wiring.settings, uow_factory(wiring.sessions))
    # One worker: sessions and the audit log are in the database, so more could be
    # added later, but a laptop and the tests need one. No access log: URLs carry
    # case references, and the inbox's own audit log is the record of who saw what.
    app.run(host=args.host, port=args.port, workers=1, access_log=False, motd=False)


if __name__ == "__main__":
    main()
