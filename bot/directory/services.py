"""Use cases over the directory: import a file (all or nothing, audited), export, show."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime
from pathlib import Path

from bot.directory.model import ADVICELINE, BRANCH, WORKPLACE_REP, Destination, Directory
from bot.directory.yaml_file import dump_directory, parse_directory
from bot.inbox import audit
from bot.settings import PROJECT_ROOT
from bot.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

SAMPLE_FILE = PROJECT_ROOT / "directory" / "sample.yml"
DIRECTORY_IMPORTED = "directory_imported"


def describe(destinations: tuple[Destination, ...]) -> str:
    """"1 AdviceLine, 3 branches, 2 reps": what an import changed, for the audit log."""
    counts = Counter(d.kind for d in destinations)
    return (
        f"{counts[ADVICELINE]} AdviceLine, {counts[BRANCH]} branch(es), {counts[WORKPLACE_REP]} rep(s)"
    )


def import_directory(
    uow: UnitOfWork, text: str, now: datetime, actor: str | None = None, source: str = "directory file"
) -> tuple[Destination, ...]:
    """Replace the whole directory with the file's, in one transaction with its audit entry.

    Raises DirectoryFileError (nothing changed) when the file has problems. Cases
    already routed to a destination the new file drops keep their destination id;
    the delivery worker's escalation pass hands their pending ones to the AdviceLine.
    """
    destinations = parse_directory(text, source)
    with uow:
        uow.directory.replace(destinations)
        audit.record(uow, now, actor, DIRECTORY_IMPORTED, detail=f"{describe(destinations)} from {Path(source).name}"[:200])
        uow.commit()
    log.info("directory imported: %s", describe(destinations))
    return destinations


def import_if_empty(uow: UnitOfWork, path: Path, now: datetime, actor: str | None = None) -> bool:
    """Load `path` when the directory is empty (make run and tests seed the sample so)."""
    with uow:
        if uow.directory.all():
            return False
    import_directory(uow, path.read_text(encoding="utf-8"), now, actor, str(path))
    return True


def export_directory(uow: UnitOfWork) -> str:
    """The stored directory as a file in the import format."""
    with uow:
        return dump_directory(uow.directory.all())


def load_directory(uow: UnitOfWork) -> Directory:
    """The directory routing reads; an empty one still has the AdviceLine (the default)."""
    with uow:
        return uow.directory.directory()
