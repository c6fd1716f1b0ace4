"""The list of cases, with its filters."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from markupsafe import Markup

from bot import vocabulary as v
from bot.durations import short_duration as waiting
from bot.entrypoints.web.pages.frame import h, join, layout
from bot.inbox.accounts import SignedIn
from bot.inbox.cases import CaseFilters
from bot.storage.inbox_repository import InboxRow

LIST_NOTICES = {"passed_on": "The case was passed on, with your reason, and has left your list."}


# --- the list ------------------------------------------------------------------


def list_page(
    rows: Sequence[InboxRow],
    filters: CaseFilters,
    signed: SignedIn,
    now: datetime,
    scope_name: str | None = None,
    names: dict[str, str] | None = None,
    notice: str | None = None,
) -> str:
    """`scope_name`: whose cases these are ("Northtown NEU branch"); None for an admin, who sees
    every destination's cases with a column naming each (`names`: destination id -> name)."""
    count = f"{len(rows)} case{'' if len(rows) == 1 else 's'}"
    names = None if scope_name else (names or {})
    table = _case_table(rows, now, names) if rows else h('<p class="empty">No cases match these filters.</p>')
    whose = h("Cases for {}, most urgent first, then the longest waiting.", scope_name) if scope_name else h(
        "Every destination's cases (you are an admin), most urgent first, then the longest waiting."
    )
    shown = h('<div class="notice" role="status"><p>{}</p></div>', notice) if notice else Markup("")
    body = h(
        """<h1>Cases</h1>
{notice}<p id="case-scope">{whose}</p>
{filters}
<p class="count" id="case-count">{count}</p>
{table}""",
        notice=shown,
        whose=whose,
        filters=_filters_form(filters, names),
        count=count,
        table=table,
    )
    return layout("Cases", body, signed)



def _filters_form(filters: CaseFilters, names: dict[str, str] | None = None) -> Markup:
    """`names` (admins only): a filter by destination too."""
    choices = [
        ("urgency", "Urgency", v.URGENCY.values, v.URGENCY.label_map),
        ("route", "Route", v.ROUTE.values, v.ROUTE.label_map),
        ("status", "Status", v.CASE_STATUS.values, v.CASE_STATUS.label_map),
        ("case_type", "Case type", v.CASE_TYPE.values, v.CASE_TYPE.label_map),
    ]
    if names:
        choices.append(("destination", "With", tuple(names), names))
    selects = join(
        _select(name, label, values, texts, getattr(filters, name)) for name, label, values, texts in choices
    )
    return h(
        """<form method="get" action="/inbox" class="filters" aria-label="Filter cases">
{selects}<div class="filter-buttons"><button type="submit">Apply filters</button>
<a href="/inbox">Clear</a></div></form>""",
        selects=selects,
    )


def _select(name: str, label: str, values: Sequence[str], texts: dict[str, str], chosen: str | None) -> Markup:
    options = join(
        h('<option value="{}"{}>{}</option>', v, Markup(" selected") if v == chosen else Markup(""), texts[v])
        for v in values
    )
    return h(
        '<div class="field"><label for="f-{name}">{label}</label>'
        '<select id="f-{name}" name="{name}"><option value="">Any</option>{options}</select></div>',
        name=name,
        label=label,
        options=options,
    )


def _case_table(rows: Sequence[InboxRow], now: datetime, names: dict[str, str] | None) -> Markup:
    """`names` (admins only) adds a column saying which destination has each case."""
    body = join(_case_row(row, now, names) for row in rows)
    extra = h('<th scope="col">With</th>') if names is not None else Markup("")
    return h(
        """<div class="table-wrap"><table class="cases">
<caption class="visually-hidden">Cases, most urgent first</caption>
<thead><tr><th scope="col">Reference</th><th scope="col">Urgency</th><th scope="col">Case type</th>
<th scope="col">Route</th>{extra}<th scope="col">Status</th><th scope="col">Waiting</th><th scope="col">Delivery</th></tr></thead>
<tbody>{body}</tbody></table></div>""",
        body=body,
        extra=extra,
    )


def _case_row(row: InboxRow, now: datetime, names: dict[str, str] | None = None) -> Markup:
    case = row.case
    status = v.CASE_STATUS.label(case.status)
    if row.claimed_by and case.status != "new":
        status = f"{status} ({row.claimed_by})"
    safety = h(' <span class="flag">Safety concern</span>') if case.safety_concern else Markup("")
    return h(
        """<tr class="case-row" data-reference="{ref}">
<th scope="row"><a href="/inbox/cases/{ref}">{ref}</a></th>
<td><span class="badge badge-{urgency}">{urgency_text}</span>{safety}</td>
<td>{case_type}</td><td>{route}</td>{destination}<td>{status}</td>
<td><time datetime="{created_iso}">{waiting}</time></td><td>{delivery}</td></tr>""",
        ref=case.reference,
        urgency=case.urgency,
        urgency_text=v.URGENCY.label(case.urgency),
        safety=safety,
        case_type=v.CASE_TYPE.label(case.case_type),
        route=v.ROUTE.label(case.route),
        destination=_with_cell(case.destination_id, names),
        status=status,
        created_iso=case.created_at.isoformat(),
        waiting=waiting(now - case.created_at),
        delivery=v.DELIVERY_STATE.label(row.delivery_state),
    )


def _with_cell(destination_id: str | None, names: dict[str, str] | None) -> Markup:
    if names is None:
        return Markup("")
    key = destination_id or "adviceline"
    return h('<td class="with">{}</td>', names.get(key, key))
