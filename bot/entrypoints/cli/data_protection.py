"""`cases erase` and `retention run | counts`: erasure on request and the retention policy."""

from __future__ import annotations

import argparse
from typing import Any

from bot.entrypoints.cli.context import Context, normalise_reference, table
from bot.erasure import ErasureRefused, erase_case
from bot.retention import RetentionPolicy, run_retention
from bot.storage.tracker_events import TrackerEvents, tracker_events_for


def tracker_events(args: argparse.Namespace, ctx: Context) -> TrackerEvents | None:
    """Rasa's SQL tracker store, if one is configured (TRACKER_STORE_URL or --tracker-store-url)."""
    url = getattr(args, "tracker_store_url", None) or ctx.settings.tracker_store_url
    return tracker_events_for(url) if url else None


def cmd_cases_erase(args: argparse.Namespace, ctx: Context) -> int:
    reference = normalise_reference(args.reference)
    tracker = tracker_events(args, ctx)
    keep_count = ctx.settings.retention_anonymise
    try:
        erased = erase_case(ctx.uow(), reference, args.by, args.reason, ctx.now, tracker, keep_count=keep_count)
    except LookupError:
        return ctx.fail(f"No case with reference {reference}.")
    except ErasureRefused as exc:
        return ctx.fail(f"Not erased: {exc}.")
    ctx.print(f"{reference}: erased with its delivery record (audited as erased by {args.by.strip()}).")
    if erased.tracker_store_checked:
        ctx.print(f"Conversation: {erased.conversation_events} stored events erased from the tracker store.")
    else:
        ctx.print("Conversation: no SQL tracker store configured (TRACKER_STORE_URL); nothing stored to erase.")
    ctx.print("A copy already delivered to the adviser system must be erased there too.")
    return 0


def cmd_retention_run(args: argparse.Namespace, ctx: Context) -> int:
    settings = ctx.settings
    try:
        policy = RetentionPolicy(args.days or settings.retention_days, settings.retention_anonymise)
    except ValueError as exc:
        return ctx.fail(f"Not run: {exc}.")
    report = run_retention(ctx.uow(), policy, ctx.now, tracker_events(args, ctx), dry_run=args.dry_run)
    ctx.print(f"Retention ({policy.days} days): {report.summary()}.")
    return 0


def cmd_retention_counts(_args: argparse.Namespace, ctx: Context) -> int:
    with ctx.uow() as uow:
        counts = uow.retention.counts()
    if not counts:
        ctx.print("No anonymous counts yet.")
        return 0
    rows = [[c.month, c.case_type, c.urgency, c.route, str(c.count)] for c in counts]
    ctx.print(table(["MONTH", "CASE TYPE", "URGENCY", "ROUTE", "CASES"], rows))
    return 0


def add_data_protection_parsers(commands: Any, cases: Any) -> None:
    erase = cases.add_parser("erase", help="erase a case and its conversation on request (audited)")
    erase.add_argument("reference")
    erase.add_argument("--by", required=True, help="who is erasing it (recorded in the audit log)")
    erase.add_argument("--reason", required=True, help="why, e.g. the member's request (no personal details)")
    erase.add_argument("--tracker-store-url", help="Rasa's SQL tracker store (default: TRACKER_STORE_URL)")
    erase.set_defaults(handler=cmd_cases_erase)

    retention = commands.add_parser("retention", help="delete old cases and conversations").add_subparsers(
        dest="retention_command", required=True
    )
    run = retention.add_parser("run", help="delete what is older than RETENTION_DAYS (run daily by a scheduler)")
    run.add_argument("--days", type=int, help="override RETENTION_DAYS")
    run.add_argument("--dry-run", action="store_true", help="only say what would be deleted")
    run.add_argument("--tracker-store-url", help="Rasa's SQL tracker store (default: TRACKER_STORE_URL)")
    run.set_defaults(handler=cmd_retention_run)
    retention.add_parser("counts", help="the anonymous monthly counts kept").set_defaults(
        handler=cmd_retention_counts
    )
