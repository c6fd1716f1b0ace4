"""`advisers add | list | disable`: accounts for the web inbox."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from bot.entrypoints.cli.context import Context, table
from bot.inbox.accounts import AccountError, create_adviser, disable_adviser, list_advisers
from bot.inbox.model import ROLES
from bot.inbox.passwords import WeakPassword


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
