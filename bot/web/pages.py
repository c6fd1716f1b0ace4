"""The inbox's HTML, built with MarkupSafe so that escaping is the default.

Every value goes in through `h(template, ...)`, which is `Markup.format`: any
argument that is not already Markup is escaped. Members' words (names,
descriptions, transcripts) can therefore never become markup, whatever they type.
Never build a Markup from an f-string.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

from bot import vocabulary as v
from bot.checkup_counts import CheckupCounts
from bot.directory.model import Destination
from bot.durations import short_duration as waiting
from bot.inbox.accounts import SignedIn
from bot.inbox.cases import CaseFilters, CaseView
from bot.inbox.model import AuditEntry
from bot.inbox.presenter import LIST, PARAGRAPH, Field, Section, local_time, present_case, show
from bot.inbox.workflow import ACTION_LABELS
from bot.storage.inbox_repository import InboxRow

STATUS_NOTICES = {
    "claimed": "You have claimed this case.",
    "contacted": "Marked as contacted.",
    "closed": "Case closed.",
    "new": "Released: the case is back to new.",
    "passed_on": "Passed on: the case is with its new destination, new again.",
}
LIST_NOTICES = {"passed_on": "The case was passed on, with your reason, and has left your list."}


def h(template: str, *args: Any, **kwargs: Any) -> Markup:
    return Markup(template).format(*args, **kwargs)


def join(parts: Iterable[Any]) -> Markup:
    return Markup("").join(parts)


# --- the frame -----------------------------------------------------------------


def layout(title: str, body: Markup, signed: SignedIn | None = None) -> str:
    return str(
        h(
            """<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} - NEU adviser inbox</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/inbox.css">
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<header class="top"><p class="brand">NEU adviser inbox</p>{nav}</header>
<main id="main" tabindex="-1">{body}</main>
</body>
</html>
""",
            title=title,
            nav=_nav(signed) if signed else Markup(""),
            body=body,
        )
    )


def _nav(signed: SignedIn) -> Markup:
    audit = (
        h(
            '<li><a href="/inbox/audit">Audit log</a></li><li><a href="/inbox/checkups">Check-up counts</a></li>'
            '<li><a href="/inbox/directory">Directory</a></li>'
        )
        if signed.adviser.is_admin
        else Markup("")
    )
    return h(
        """<nav aria-label="Inbox"><ul class="nav">
<li><a href="/inbox">Cases</a></li>{audit}
<li class="who">Signed in as {email} ({role}{where})</li>
<li><form method="post" action="/inbox/signout">{csrf}<button type="submit" class="link-button">Sign out</button></form></li>
</ul></nav>""",
        audit=audit,
        email=signed.adviser.email,
        role=signed.adviser.role,
        where=f", {signed.adviser.scope}" if signed.adviser.scope else "",
        csrf=csrf_field(signed.csrf_token),
    )


def csrf_field(token: str) -> Markup:
    return h('<input type="hidden" name="csrf" value="{}">', token)


def error_page(title: str, message: str, signed: SignedIn | None = None) -> str:
    return layout(title, h('<h1>{}</h1><p>{}</p><p><a href="/inbox">Back to the cases</a></p>', title, message), signed)


# --- sign in -------------------------------------------------------------------


def signin_page(csrf: str, next_path: str, error: str | None = None, email: str = "") -> str:
    alert = h('<div class="error" role="alert" id="signin-error"><p>{}</p></div>', error) if error else Markup("")
    described = h(' aria-describedby="signin-error"') if error else Markup("")
    body = h(
        """<h1>Sign in</h1>
<p>For NEU advisers. Accounts are created by an administrator.</p>
{alert}
<form method="post" action="/inbox/signin" class="signin">
{csrf}<input type="hidden" name="next" value="{next_path}">
<div class="field"><label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required value="{email}"{described}></div>
<div class="field"><label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required></div>
<button type="submit">Sign in</button>
</form>""",
        alert=alert,
        csrf=csrf_field(csrf),
        next_path=next_path,
        email=email,
        described=described,
    )
    return layout("Sign in", body)


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


# --- one case ------------------------------------------------------------------


def case_page(view: CaseView, signed: SignedIn, now: datetime, notice: str | None = None) -> str:
    """The presenter's sections, with the inbox's own two (handling, delivery) after the triage."""
    sections = []
    for section in present_case(view.payload):
        sections.append(_presented(section))
        if section.key == "triage":
            sections.append(_section("Handling", _handling(view, signed)))
            sections.append(_section("Delivery", _delivery(view)))
    shown = h('<div class="notice" role="status"><p>{}</p></div>', notice) if notice else Markup("")
    body = h(
        """<p><a href="/inbox">Back to the cases</a></p>
<h1>Case {ref} <span class="badge badge-{urgency}">{urgency_text}</span></h1>
{notice}
<p class="meta">Received {created} ({waiting} ago). Status: <strong id="case-status">{status}</strong>.
<a href="/inbox/cases/{ref}/export" download>Download as JSON (handoff v1)</a></p>
{sections}""",
        ref=view.case.reference,
        urgency=view.case.urgency,
        urgency_text=v.URGENCY.label(view.case.urgency),
        notice=shown,
        created=local_time(view.case.created_at),
        waiting=waiting(now - view.case.created_at),
        status=_status_text(view),
        sections=join(sections),
    )
    return layout(f"Case {view.case.reference}", body, signed)


def _status_text(view: CaseView) -> str:
    text = v.CASE_STATUS.label(view.case.status)
    if view.case.status != "new" and view.claimed_by:
        text += f", claimed by {view.claimed_by}"
    return text


def _section(title: str, content: Markup) -> Markup:
    slug = title.lower().replace(" ", "-").replace("'", "")
    return h('<section aria-labelledby="s-{slug}"><h2 id="s-{slug}">{title}</h2>{content}</section>', slug=slug, title=title, content=content)


def _dl(pairs: Iterable[tuple[str, Any]]) -> Markup:
    items = join(h("<div><dt>{}</dt><dd>{}</dd></div>", label, show(value)) for label, value in pairs)
    return h('<dl class="fields">{}</dl>', items)


PARAGRAPH_CLASSES = {"summary_text": "summary"}


def _presented(section: Section) -> Markup:
    """A presenter section as a definition list: one <dt>/<dd> per field (a transcript as
    the numbered conversation it is)."""
    if section.key == "transcript":
        return _section(section.title, _transcript(section.fields))
    items = join(_field(field) for field in section.fields)
    return _section(section.title, h('<dl class="fields fields-{}">{}</dl>', section.key, items))


def _transcript(lines: Iterable[Field]) -> Markup:
    items = join(
        h('<li class="line line-{who}"><span class="speaker">{speaker}:</span> <span class="said">{text}</span></li>',
          who=line.label.lower(), speaker=line.label, text=line.value)
        for line in lines
    )
    return h('<p>The member agreed to include the conversation.</p><ol class="transcript">{}</ol>', items)


def _field(field: Field) -> Markup:
    if field.style == LIST and field.items:
        value = h("<ul>{}</ul>", join(h("<li>{}</li>", item) for item in field.items))
    elif field.style == PARAGRAPH:
        value = h('<p class="{}">{}</p>', PARAGRAPH_CLASSES.get(field.key, "member-words"), field.value)
    else:
        value = h("{}", field.value)
    return h('<div data-field="{}"><dt>{}</dt><dd>{}</dd></div>', field.key, field.label, value)


def _handling(view: CaseView, signed: SignedIn) -> Markup:
    with_ = view.destination.name if view.destination else (view.case.destination_id or "adviceline")
    claimed = _dl([("With", with_), ("Status", v.CASE_STATUS.label(view.case.status)), ("Claimed by", view.claimed_by),
                   ("Claimed at", local_time(view.claim.claimed_at) if view.claim else None)])
    forms = join(
        h(
            """<form method="post" action="/inbox/cases/{ref}/status" class="inline">{csrf}
<input type="hidden" name="status" value="{target}"><button type="submit">{label}</button></form>""",
            ref=view.case.reference,
            csrf=csrf_field(signed.csrf_token),
            target=target,
            label=ACTION_LABELS.get((view.case.status, target), target),
        )
        for target in view.next_statuses
    )
    return h(
        '{claimed}<div class="actions">{forms}</div>{pass_on}',
        claimed=claimed,
        forms=forms,
        pass_on=_pass_on_form(view, signed),
    )


def _pass_on_form(view: CaseView, signed: SignedIn) -> Markup:
    """Hand the case to another destination; the reason goes to the audit log."""
    if not view.pass_on_targets:
        return Markup("")
    options = join(
        h('<option value="{}">{} ({})</option>', d.id, d.name, v.DIRECTORY_KIND.label(d.kind)) for d in view.pass_on_targets
    )
    return h(
        """<form method="post" action="/inbox/cases/{ref}/pass-on" class="pass-on">{csrf}
<h3>Pass this case on</h3>
<p>The destination you choose gets the case by its own channels, and you lose access to it.</p>
<div class="field"><label for="pass-destination">To</label>
<select id="pass-destination" name="destination" required>{options}</select></div>
<div class="field"><label for="pass-reason">Why (recorded in the audit log; no personal details)</label>
<input id="pass-reason" name="reason" type="text" maxlength="160" required></div>
<button type="submit">Pass on</button></form>""",
        ref=view.case.reference,
        csrf=csrf_field(signed.csrf_token),
        options=options,
    )


def _delivery(view: CaseView) -> Markup:
    """Every job of the case: one per destination and channel (a case passed on has several)."""
    jobs = view.deliveries or ((view.delivery,) if view.delivery else ())
    if not jobs:
        return Markup("<p>No delivery job.</p>")
    rows = join(
        h(
            "<tr><td>{to}</td><td>{by}</td><td>{state}</td><td>{attempts}</td><td>{status}</td><td>{error}</td><td>{at}</td></tr>",
            to=view.names.get(d.destination_id, d.destination_id),
            by=v.CHANNEL.label(d.channel),
            state=v.DELIVERY_STATE.label(d.state),
            attempts=d.attempts,
            status=show(d.last_status_code),
            error=show(d.last_error),
            at=local_time(d.delivered_at) if d.delivered_at else "-",
        )
        for d in jobs
    )
    return h(
        """<div class="table-wrap"><table class="deliveries"><caption class="visually-hidden">Delivery jobs, oldest first</caption>
<thead><tr><th scope="col">To</th><th scope="col">By</th><th scope="col">State</th><th scope="col">Attempts</th>
<th scope="col">Last status</th><th scope="col">Last error</th><th scope="col">Delivered at</th></tr></thead>
<tbody>{rows}</tbody></table></div>""",
        rows=rows,
    )


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
<p>Where cases go. Change it with <code>python -m bot.cli directory import FILE</code> (every import is audited).</p>
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


# --- check-up counts -------------------------------------------------------------


def checkup_counts_page(summaries: Sequence[CheckupCounts], counting: bool, signed: SignedIn) -> str:
    state = (
        "Counting is on: each finished check-up adds one to a monthly tally per question and outcome."
        if counting
        else "Counting is off (CHECKUP_COUNTS=0): check-ups store nothing, so these totals do not grow."
    )
    body = h(
        """<h1>Check-up counts</h1>
<p>Anonymous totals of the answers to the two check-ups, so the union can see which advice is most often missed.
No answer text, conversation or member is kept; stopped check-ups are not counted.</p>
<p>{state}</p>{tables}""",
        state=state,
        tables=join(_counts_table(summary) for summary in summaries),
    )
    return layout("Check-up counts", body, signed)


def _counts_table(summary: CheckupCounts) -> Markup:
    rows = join(
        h(
            "<tr><th scope=\"row\">{question}</th><td>{met}</td><td>{partly}</td><td>{missing}</td><td>{share}</td></tr>",
            question=c.item.question,
            met=c.met,
            partly=c.partly,
            missing=c.missing,
            share=f"{c.gap_share:.0%}" if c.answered else "-",
        )
        for c in summary.items
    )
    return h(
        """<h2>{title}: {completed} finished</h2>
<div class="table-wrap"><table class="counts"><caption class="visually-hidden">{title}, most often missed first</caption>
<thead><tr><th scope="col">Question</th><th scope="col">Met</th><th scope="col">Partly</th><th scope="col">Missing</th>
<th scope="col">Not fully met</th></tr></thead><tbody>{rows}</tbody></table></div>""",
        title=summary.title,
        completed=summary.completed,
        rows=rows,
    )
