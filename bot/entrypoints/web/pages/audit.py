"""The audit log (admins)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.entrypoints.web.pages.frame import h, join, layout
from bot.inbox.accounts import SignedIn
from bot.inbox.model import AuditEntry
from bot.inbox.presenter import local_time

# --- audit ---------------------------------------------------------------------


def audit_page(entries: Sequence[AuditEntry], signed: SignedIn) -> str:
    rows = join(
        h(
            "<tr><td>{at}</td><td>{actor}</td><td>{action}</td><td>{case}</td><td>{detail}</td></tr>",
            at=local_time(e.at),
            actor=e.actor or "-",
            action=e.action.replace("_", " "),
            case=h('<a href="/inbox/cases/{0}">{0}</a>', e.case_reference) if e.case_reference else "-",
            detail=e.detail or "-",
        )
        for e in entries
    )
    body = h(
        """<h1>Audit log</h1>
<p>Every sign-in, view and change in the inbox, newest first (the latest {count}).</p>
<div class="table-wrap"><table class="audit"><caption class="visually-hidden">Audit log, newest first</caption>
<thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th>
<th scope="col">Case</th><th scope="col">Detail</th></tr></thead><tbody>{rows}</tbody></table></div>""",
        count=len(entries),
        rows=rows,
    )
    return layout("Audit log", body, signed)
