"""`deliveries`, `retry`, `migrate`: the outbox's jobs, sending dead ones again, the schema."""

from __future__ import annotations

import argparse
from typing import Any

from bot.case_records import (
    DELIVERY_STATES,
    URGENCIES,
    InvalidTransition,
)
from bot.entrypoints.cli.context import Context, normalise_reference, show, table, when_due
from bot.storage import migrate
from bot.storage.engine import normalise_url
from bot.storage.services import retry_all_dead, retry_dead


def cmd_deliveries(args: argparse.Namespace, ctx: Context) -> int:
    with ctx.uow() as uow:
        jobs = uow.deliveries.list(args.state)
    if not jobs:
        ctx.print("No deliveries.")
        return 0
    rows = [
        [
            d.case_reference,
            URGENCIES[d.urgency_rank] if d.urgency_rank < len(URGENCIES) else str(d.urgency_rank),
            f"{d.destination_id}/{d.channel}",
            d.state,
            str(d.attempts),
            when_due(d.next_attempt_at, ctx.now) if d.state == "pending" else "-",
            show(d.last_status_code),
            d.last_error or "-",
        ]
        for d in jobs
    ]
    ctx.print(
        table(
            ["REFERENCE", "URGENCY", "TO", "STATE", "ATTEMPTS", "NEXT ATTEMPT", "LAST STATUS", "LAST ERROR"], rows
        )
    )
    return 0


def cmd_retry(args: argparse.Namespace, ctx: Context) -> int:
    if args.all_dead:
        references = retry_all_dead(ctx.uow(), ctx.now)
        ctx.print(
            f"Requeued {len(references)} dead deliveries{': ' if references else '.'}{', '.join(references)}"
        )
        return 0
    reference = normalise_reference(args.reference)
    try:
        retry_dead(ctx.uow(), reference, ctx.now)
    except LookupError:
        return ctx.fail(f"No delivery for reference {reference}.")
    except InvalidTransition as exc:
        return ctx.fail(f"{reference}: {exc}.")
    ctx.print(f"{reference}: dead -> pending (attempts reset); the worker will send it shortly.")
    return 0


def cmd_migrate(_args: argparse.Namespace, ctx: Context) -> int:
    migrate.upgrade(ctx.database_url)
    shown = normalise_url(ctx.database_url).render_as_string(hide_password=True)
    ctx.print(f"Database schema is up to date: {shown}")
    return 0


def add_deliveries_parsers(commands: Any) -> None:
    """`deliveries`, `retry` and `migrate`: the outbox and the schema."""
    deliveries = commands.add_parser("deliveries", help="delivery jobs and their state")
    deliveries.add_argument("--state", choices=DELIVERY_STATES)
    deliveries.set_defaults(handler=cmd_deliveries)

    retry = commands.add_parser("retry", help="send dead deliveries again")
    target = retry.add_mutually_exclusive_group(required=True)
    target.add_argument("reference", nargs="?")
    target.add_argument("--all-dead", action="store_true")
    retry.set_defaults(handler=cmd_retry)

    commands.add_parser("migrate", help="upgrade the database schema").set_defaults(handler=cmd_migrate)
