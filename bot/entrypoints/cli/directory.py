"""`directory import FILE | export [FILE] | show`: the directory commands."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bot.delivery.outbox import delivery_channels
from bot.directory.model import Destination
from bot.directory.outbox_view import pending_by_destination
from bot.directory.services import SAMPLE_FILE, describe, export_directory, import_directory, import_if_empty
from bot.directory.yaml_file import DirectoryFileError
from bot.entrypoints.cli.context import Context, table

KIND_LABELS = {"adviceline": "AdviceLine", "branch": "branch", "workplace_rep": "workplace rep"}


def cmd_directory_import(args: argparse.Namespace, ctx: Context) -> int:
    path = Path(args.file)
    try:
        if args.if_empty:
            if not import_if_empty(ctx.uow(), path, ctx.now, args.by):
                ctx.print("The directory already has entries; left as it is.")
                return 0
            ctx.print(f"Directory loaded from {path}.")
            return 0
        text = path.read_text(encoding="utf-8")
        imported = import_directory(ctx.uow(), text, ctx.now, args.by, str(path))
    except OSError as exc:
        return ctx.fail(f"Cannot read {path}: {exc.strerror or exc}.")
    except DirectoryFileError as exc:
        return ctx.fail(exc.report())
    ctx.print(f"Directory replaced from {path}: {describe(imported)}.")
    return 0


def cmd_directory_export(args: argparse.Namespace, ctx: Context) -> int:
    text = export_directory(ctx.uow())
    if args.file:
        Path(args.file).write_text(text, encoding="utf-8")
        ctx.print(f"Directory written to {args.file}.")
    else:
        ctx.out.write(text)
    return 0


def cmd_directory_show(_args: argparse.Namespace, ctx: Context) -> int:
    with ctx.uow() as uow:
        destinations = uow.directory.all()
        pending = pending_by_destination(uow)
    if not destinations:
        ctx.print("The directory is empty: every case goes to the AdviceLine (HANDOFF_WEBHOOK_URL).")
        return 0
    rows = [_row(d, pending.get(d.id, 0)) for d in destinations]
    ctx.print(table(["ID", "KIND", "NAME", "COVERS", "CHANNELS", "PENDING"], rows))
    return 0


def _row(destination: Destination, pending: int) -> list[str]:
    covers = [*destination.areas, *destination.postcodes]
    if destination.workplace:
        covers.insert(0, destination.workplace)
    channels = [
        "webhook (HANDOFF_WEBHOOK_URL)" if channel == "webhook" and not destination.webhook_url else channel
        for channel in delivery_channels(destination)
    ]
    return [
        destination.id,
        KIND_LABELS[destination.kind],
        destination.name,
        ", ".join(covers) or "-",
        ", ".join(channels) or "-",
        str(pending),
    ]


def add_directory_parser(commands: Any) -> None:
    directory = commands.add_parser("directory", help="where cases go: AdviceLine, branches, reps").add_subparsers(
        dest="directory_command", required=True
    )
    load = directory.add_parser("import", help="replace the whole directory with a YAML file (all or nothing)")
    load.add_argument("file", help=f"the directory file (format in the README; sample: {SAMPLE_FILE.name})")
    load.add_argument("--by", help="who is importing it, for the audit log")
    load.add_argument("--if-empty", action="store_true", help="only when the directory has no entries yet")
    load.set_defaults(handler=cmd_directory_import)
    export = directory.add_parser("export", help="the stored directory as a YAML file")
    export.add_argument("file", nargs="?", help="where to write it (default: standard output)")
    export.set_defaults(handler=cmd_directory_export)
    directory.add_parser("show", help="the destinations, what they cover and how they receive cases").set_defaults(
        handler=cmd_directory_show
    )

