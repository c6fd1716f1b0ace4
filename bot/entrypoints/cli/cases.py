"""`cases list | show | status`: reading cases and setting their handling status."""

from __future__ import annotations

import argparse
import json
from typing import Any

from bot import vocabulary
from bot.case_records import (
    CASE_STATUSES,
    URGENCIES,
)
from bot.durations import short_duration as age
from bot.entrypoints.cli.context import Context, indent, normalise_reference, table, wrap
from bot.inbox.presenter import LIST, MISSING, PARAGRAPH, Field, Section, present_case
from bot.storage.services import set_case_status


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


def add_cases_parser(commands: Any) -> Any:
    """`cases list | show | status` (erase is added by data_protection); returns the `cases` group."""
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
    return cases
