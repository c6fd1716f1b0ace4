"""Adviser and operator command line for the case store.

    python -m bot.entrypoints.cli cases list [--urgency urgent] [--status new]
    python -m bot.entrypoints.cli cases show NEU-ABC123 [--json]
    python -m bot.entrypoints.cli cases status NEU-ABC123 contacted
    python -m bot.entrypoints.cli deliveries [--state dead]
    python -m bot.entrypoints.cli retry NEU-ABC123 | --all-dead
    python -m bot.entrypoints.cli migrate
    python -m bot.entrypoints.cli advisers add EMAIL --role adviser|admin [--destination ID]   (password from stdin or a prompt)
    python -m bot.entrypoints.cli advisers list | disable EMAIL
    python -m bot.entrypoints.cli cases erase NEU-ABC123 --by NAME --reason TEXT
    python -m bot.entrypoints.cli retention run [--days N] [--dry-run] | counts
    python -m bot.entrypoints.cli directory import FILE [--by NAME] [--if-empty] | export [FILE] | show

Everything is read from the stored handoff payload, so what an adviser sees
here is exactly what the webhook received; `cases show` renders the one adviser
view (`bot.inbox.presenter`) that the inbox page shows too.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Sequence
from typing import TextIO

from sqlalchemy.exc import OperationalError, ProgrammingError

from bot.bootstrap import bootstrap
from bot.entrypoints.cli.advisers import add_advisers_parser
from bot.entrypoints.cli.cases import add_cases_parser
from bot.entrypoints.cli.context import Command, Context
from bot.entrypoints.cli.data_protection import add_data_protection_parsers
from bot.entrypoints.cli.deliveries import add_deliveries_parsers
from bot.entrypoints.cli.directory import add_directory_parser
from bot.settings import get_settings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot.entrypoints.cli", description="NEU handoff cases: list, read, redeliver."
    )
    parser.add_argument("--database-url", help="SQLAlchemy URL (default: DATABASE_URL / var/cases.sqlite3)")
    commands = parser.add_subparsers(dest="command", required=True)
    cases = add_cases_parser(commands)
    add_data_protection_parsers(commands, cases)
    add_deliveries_parsers(commands)
    add_advisers_parser(commands)
    add_directory_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = get_settings()
    if args.database_url:
        settings = dataclasses.replace(settings, database_url=args.database_url)
    # No logging set up: a command's output is its report; Python's last-resort handler
    # still prints warnings to stderr, as before.
    ctx = Context(bootstrap(settings, configure_logs=False), out or sys.stdout, err or sys.stderr)
    handler: Command = args.handler
    try:
        return handler(args, ctx)
    except (OperationalError, ProgrammingError) as exc:
        return ctx.fail(
            f"Database error ({type(exc.orig).__name__}); has `python -m bot.entrypoints.cli migrate` been run?"
        )
