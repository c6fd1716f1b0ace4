"""The directory of destinations (admins)."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from bot import vocabulary as v
from bot.directory.model import Destination
from bot.entrypoints.web.pages.frame import h, join, layout
from bot.inbox.accounts import SignedIn
from bot.inbox.presenter import show

# --- the directory (admins) -------------------------------------------------------


def directory_page(destinations: Sequence[Destination], signed: SignedIn) -> str:
    """Read-only: who gets cases, for which areas, by which channels. No secrets: a
    webhook shows only its host, never the name of its secret's variable."""
    rows = join(
        h(
            """<tr data-destination="{id}"><th scope="row">{name}<br><span class="id">{id}</span></th><td>{kind}</td>
<td>{areas}</td><td>{postcodes}</td><td>{workplace}</td><td>{contact}</td><td>{channels}</td></tr>""",
            id=d.id,
            name=d.name,
            kind=v.DIRECTORY_KIND.label(d.kind) + (f" (branch {d.branch_id})" if d.branch_id else ""),
            areas=show(list(d.areas)),
            postcodes=show(list(d.postcodes)),
            workplace=show(d.workplace),
            contact=show(d.contact),
            channels=show(_channels(d)),
        )
        for d in destinations
    )
    table = h(
        """<div class="table-wrap"><table class="directory"><caption class="visually-hidden">Destinations, in the directory's order</caption>
<thead><tr><th scope="col">Destination</th><th scope="col">Kind</th><th scope="col">Areas</th><th scope="col">Postcode districts</th>
<th scope="col">Workplace</th><th scope="col">Contact (told to members)</th><th scope="col">Receives cases by</th></tr></thead>
<tbody>{rows}</tbody></table></div>""",
        rows=rows,
    ) if destinations else h('<p class="empty">The directory is empty: every case goes to the AdviceLine.</p>')
    body = h(
        """<h1>Directory</h1>
<p>Where cases go. Change it with <code>python -m bot.entrypoints.cli directory import FILE</code> (every import is audited).</p>
{table}""",
        table=table,
    )
    return layout("Directory", body, signed)


def _channels(d: Destination) -> list[str]:
    shown = []
    if d.webhook_url:
        shown.append(f"{v.CHANNEL.label('webhook')} ({urlsplit(d.webhook_url).hostname or '?'})")
    if d.email:
        shown.append(f"{v.CHANNEL.label('email')} ({d.email})")
    return shown
