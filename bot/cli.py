"""Adviser and operator command line for the case store.

    python -m bot.cli cases list [--urgency urgent] [--status new]
    python -m bot.cli cases show NEU-ABC123 [--json]
    python -m bot.cli cases status NEU-ABC123 contacted
    python -m bot.cli deliveries [--state dead]
    python -m bot.cli retry NEU-ABC123 | --all-dead
    python -m bot.cli migrate
    python -m bot.cli advisers add EMAIL --role adviser|admin [--destination ID]   (password from stdin or a prompt)
    python -m bot.cli advisers list | disable EMAIL
    python -m bot.cli cases erase NEU-ABC123 --by NAME --reason TEXT
    python -m bot.cli retention run [--days N] [--dry-run] | counts
    python -m bot.cli directory import FILE [--by NAME] [--if-empty] | export [FILE] | show

Everything is read from the stored handoff payload, so what an adviser sees
here is exactly what the webhook received; `cases show` renders the one adviser
view (`bot.inbox.presenter`) that the inbox page shows too.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
import textwrap
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from sqlalchemy.exc import OperationalError, ProgrammingError

from bot import vocabulary
from bot.case_records import (
    CASE_STATUSES,
    DELIVERY_STATES,
    URGENCIES,
    InvalidTransition,
)
from bot.clock import utc_now
from bot.directory.cli import add_directory_parser
from bot.durations import short_duration as age
from bot.erasure import ErasureRefused, erase_case
from bot.inbox.accounts import AccountError, create_adviser, disable_adviser, list_advisers
from bot.inbox.model import ROLES
from bot.inbox.passwords import WeakPassword
from bot.inbox.presenter import LIST, MISSING, PARAGRAPH, Field, Section, present_case
from bot.retention import RetentionPolicy, run_retention
from bot.settings import get_settings
from bot.storage import migrate
from bot.storage.engine import normalise_url, session_factory_for
from bot.storage.services import retry_all_dead, retry_dead, set_case_status
from bot.storage.tracker_events import TrackerEvents, tracker_events_for
from bot.storage.uow import SqlUnitOfWork

Command = Callable[[argparse.Namespace, "Context"], int]


class Context:
    """What every command needs: the database, the clock, the output streams."""

    def __init__(self, database_url: str, out: TextIO, err: TextIO) -> None:
        self.database_url = database_url
        self.out = out
        self.err = err
        self.now = utc_now()
        self.zone = ZoneInfo(get_settings().timezone)
        self._sessions: Any = None

    def uow(self) -> SqlUnitOfWork:
        if self._sessions is None:
            self._sessions = session_factory_for(self.database_url)
        return SqlUnitOfWork(self._sessions)

    def print(self, text: str = "") -> None:
        print(text, file=self.out)

    def fail(self, message: str) -> int:
        print(message, file=self.err)
        return 1

    def local(self, when: datetime) -> str:
        return when.astimezone(self.zone).strftime("%d %b %Y %H:%M")


# --- cases -----------------------------------------------------------------


def cmd_cases_list(args: argparse.Namespace, ctx: Context) -> int:
    with ctx.uow() as uow:
        listing = uow.cases.list(urgency=args.urgency, status=args.status)
    if not listing:
        ctx.print("No cases.")
        return 0
    rows = [
        [c.reference, c.urgency, c.route, c.case_type, c.status, age(ctx.now - c.created_at), state or "-"]
        for c, state in listing
    ]
    ctx.print(table(["REFERENCE", "URGENCY", "ROUTE", "CASE TYPE", "STATUS", "AGE", "DELIVERY"], rows))
    return 0


def cmd_cases_show(args: argparse.Namespace, ctx: Context) -> int:
    reference = normalise_reference(args.reference)
    with ctx.uow() as uow:
        case = uow.cases.get(reference)
        delivery = uow.deliveries.get(reference)
    if case is None:
        return ctx.fail(f"No case with reference {reference}.")
    payload = case.payload_dict
    if args.json:
        ctx.print(json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False))
        return 0
    state = vocabulary.DELIVERY_STATE.label(delivery.state) if delivery else "none"
    ctx.print(
        f"{case.reference}  {vocabulary.URGENCY.label(case.urgency)}  {vocabulary.CASE_TYPE.label(case.case_type)}"
        f"  status: {vocabulary.CASE_STATUS.label(case.status)}  delivery: {state}"
    )
    ctx.print(f"Created {ctx.local(case.created_at)} ({age(ctx.now - case.created_at)} ago)")
    for section in present_case(payload):
        ctx.print()
        ctx.print("\n".join(section_lines(section)))
    return 0


def cmd_cases_status(args: argparse.Namespace, ctx: Context) -> int:
    reference = normalise_reference(args.reference)
    try:
        set_case_status(ctx.uow(), reference, args.status)
    except LookupError:
        return ctx.fail(f"No case with reference {reference}.")
    ctx.print(f"{reference}: status {args.status}")
    return 0


def section_lines(section: Section) -> list[str]:
    """A presenter section as text: its title, then "  Label: value" lines; lists and
    free text go on their own indented lines under the label."""
    lines = [section.title]
    for field in section.fields:
        lines += field_lines(field)
    return lines


def field_lines(field: Field) -> list[str]:
    if field.style == LIST:
        if not field.items:
            return [f"  {field.label}: {MISSING}"]
        return [f"  {field.label}:", *(f"    - {item}" for item in field.items)]
    if field.style == PARAGRAPH:
        body = [part for line in field.value.splitlines() for part in wrap(line, 84)]
        return [f"  {field.label}:", *indent(indent(body))]
    return [f"  {field.label}: {field.value}"]


# --- deliveries ------------------------------------------------------------


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


# --- adviser accounts (the web inbox) -------------------------------------------


def cmd_advisers_add(args: argparse.Namespace, ctx: Context) -> int:
    password = read_password(ctx)
    if password is None:
        return ctx.fail("Not created: the two passwords did not match.")
    try:
        adviser = create_adviser(ctx.uow(), args.email, password, args.role, ctx.now, args.destination)
    except (AccountError, WeakPassword) as exc:
        return ctx.fail(f"Not created: {exc}.")
    sees = f"sees the cases of {adviser.destination_id}" if adviser.destination_id else "sees every destination's cases"
    ctx.print(f"Adviser account {adviser.email} created ({adviser.role}): {sees}. Sign in at /inbox on the web app.")
    return 0


def cmd_advisers_list(_args: argparse.Namespace, ctx: Context) -> int:
    accounts = list_advisers(ctx.uow())
    if not accounts:
        ctx.print("No adviser accounts.")
        return 0
    rows = [
        [a.email, a.role, a.destination_id or ("(every)" if a.is_admin else "adviceline"),
         "active" if a.active else "disabled", ctx.local(a.created_at)]
        for a in accounts
    ]
    ctx.print(table(["EMAIL", "ROLE", "DESTINATION", "STATE", "CREATED"], rows))
    return 0


def cmd_advisers_disable(args: argparse.Namespace, ctx: Context) -> int:
    try:
        disable_adviser(ctx.uow(), args.email, ctx.now)
    except (LookupError, AccountError):
        return ctx.fail(f"No adviser account for {args.email}.")
    ctx.print(f"{args.email}: disabled and signed out everywhere.")
    return 0


def read_password(ctx: Context) -> str | None:
    """Asked twice at a terminal (never echoed); otherwise the first line of stdin,
    so scripts can pipe it in without it showing in the process list."""
    if sys.stdin.isatty():
        first = getpass.getpass("Password (12 characters or more): ")
        return first if getpass.getpass("Same password again: ") == first else None
    return sys.stdin.readline().rstrip("\r\n")


# --- data protection: erasure on request, retention ----------------------------


def tracker_events(args: argparse.Namespace) -> TrackerEvents | None:
    """Rasa's SQL tracker store, if one is configured (TRACKER_STORE_URL or --tracker-store-url)."""
    url = getattr(args, "tracker_store_url", None) or get_settings().tracker_store_url
    return tracker_events_for(url) if url else None


def cmd_cases_erase(args: argparse.Namespace, ctx: Context) -> int:
    reference = normalise_reference(args.reference)
    tracker = tracker_events(args)
    keep_count = get_settings().retention_anonymise
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
    settings = get_settings()
    try:
        policy = RetentionPolicy(args.days or settings.retention_days, settings.retention_anonymise)
    except ValueError as exc:
        return ctx.fail(f"Not run: {exc}.")
    report = run_retention(ctx.uow(), policy, ctx.now, tracker_events(args), dry_run=args.dry_run)
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


# --- formatting --------------------------------------------------------------


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=False)]
    lines = [
        "  ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=False)).rstrip()
        for line in [headers, *rows]
    ]
    return "\n".join(lines)


def when_due(at: datetime, now: datetime) -> str:
    return "due" if at <= now else f"in {age(at - now)}"


def show(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "-"
    return str(value)


def wrap(text: str, width: int = 88) -> list[str]:
    return textwrap.wrap(text, width=width) or [""]


def indent(lines: list[str]) -> list[str]:
    return [f"  {line}" for line in lines]


def normalise_reference(reference: str) -> str:
    """References are upper case; accept what an adviser types."""
    return reference.strip().upper()


# --- wiring --------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot.cli", description="NEU handoff cases: list, read, redeliver."
    )
    parser.add_argument("--database-url", help="SQLAlchemy URL (default: DATABASE_URL / var/cases.sqlite3)")
    commands = parser.add_subparsers(dest="command", required=True)

    cases = commands.add_parser("cases", help="list and read cases").add_subparsers(
        dest="cases_command", required=True
    )
    listing = cases.add_parser("list", help="cases, most urgent and oldest first")
    listing.add_argument("--urgency", choices=URGENCIES)
    listing.add_argument("--status", choices=CASE_STATUSES)
    listing.set_defaults(handler=cmd_cases_list)
    show_case = cases.add_parser("show", help="the adviser view of one case")
    show_case.add_argument("reference")
    show_case.add_argument("--json", action="store_true", help="print the stored handoff payload")
    show_case.set_defaults(handler=cmd_cases_show)
    status = cases.add_parser("status", help="set a case's handling status")
    status.add_argument("reference")
    status.add_argument("status", choices=CASE_STATUSES)
    status.set_defaults(handler=cmd_cases_status)
    add_data_protection_parsers(commands, cases)

    deliveries = commands.add_parser("deliveries", help="delivery jobs and their state")
    deliveries.add_argument("--state", choices=DELIVERY_STATES)
    deliveries.set_defaults(handler=cmd_deliveries)

    retry = commands.add_parser("retry", help="send dead deliveries again")
    target = retry.add_mutually_exclusive_group(required=True)
    target.add_argument("reference", nargs="?")
    target.add_argument("--all-dead", action="store_true")
    retry.set_defaults(handler=cmd_retry)

    commands.add_parser("migrate", help="upgrade the database schema").set_defaults(handler=cmd_migrate)
    add_advisers_parser(commands)
    add_directory_parser(commands)
    return parser


def add_advisers_parser(commands: Any) -> None:
    advisers = commands.add_parser("advisers", help="adviser accounts for the web inbox").add_subparsers(
        dest="advisers_command", required=True
    )
    add = advisers.add_parser("add", help="create an account (password from stdin, or asked twice)")
    add.add_argument("email")
    add.add_argument("--role", choices=ROLES, default="adviser")
    add.add_argument(
        "--destination",
        help="the directory destination whose cases an adviser sees (default: adviceline); admins take none",
    )
    add.set_defaults(handler=cmd_advisers_add)
    advisers.add_parser("list", help="accounts and their roles").set_defaults(handler=cmd_advisers_list)
    disable = advisers.add_parser("disable", help="stop an account signing in")
    disable.add_argument("email")
    disable.set_defaults(handler=cmd_advisers_disable)


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    args = build_parser().parse_args(argv)
    ctx = Context(args.database_url or get_settings().database_url, out or sys.stdout, err or sys.stderr)
    handler: Command = args.handler
    try:
        return handler(args, ctx)
    except (OperationalError, ProgrammingError) as exc:
        return ctx.fail(
            f"Database error ({type(exc.orig).__name__}); has `python -m bot.cli migrate` been run?"
        )


if __name__ == "__main__":
    raise SystemExit(main())
