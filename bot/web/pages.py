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

from markupsafe import Markup

from bot.checkup_counts import CheckupCounts
from bot.durations import short_duration as waiting
from bot.handoff import POSTED_BY_TEXT, STAGE_TEXT
from bot.inbox.accounts import SignedIn
from bot.inbox.cases import CASE_TYPES, ROUTES, CaseFilters, CaseView
from bot.inbox.model import AuditEntry
from bot.inbox.workflow import ACTION_LABELS
from bot.storage.inbox_repository import InboxRow
from bot.storage.model import CASE_STATUSES, URGENCIES
from bot.storage.services import parse_timestamp
from bot.uk_calendar import UK_TZ

URGENCY_TEXT = {"urgent": "Urgent", "priority": "Priority", "routine": "Routine"}
ROUTE_TEXT = {"adviceline": "AdviceLine", "workplace_rep": "Workplace rep", "local_branch": "Local branch"}
CASE_TYPE_TEXT = {"accused": "Accused", "targeted": "Targeted online", "other": "Asked for a person"}
STATUS_TEXT = {"new": "New", "claimed": "Claimed", "contacted": "Contacted", "closed": "Closed"}
STATUS_NOTICES = {
    "claimed": "You have claimed this case.",
    "contacted": "Marked as contacted.",
    "closed": "Case closed.",
    "new": "Released: the case is back to new.",
}
DELIVERY_TEXT = {"pending": "Waiting to send", "in_flight": "Sending", "delivered": "Delivered", "dead": "Failed"}


def h(template: str, *args: Any, **kwargs: Any) -> Markup:
    return Markup(template).format(*args, **kwargs)


def join(parts: Iterable[Any]) -> Markup:
    return Markup("").join(parts)


def local_time(when: datetime | None) -> str:
    return when.astimezone(UK_TZ).strftime("%d %b %Y %H:%M") if when else "-"


def when(stamp: str | None) -> str | None:
    """A payload timestamp in UK time; shown as given if it does not parse."""
    if not stamp:
        return None
    try:
        return local_time(parse_timestamp(stamp))
    except ValueError:
        return stamp


def show(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "-"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


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
        h('<li><a href="/inbox/audit">Audit log</a></li><li><a href="/inbox/checkups">Check-up counts</a></li>')
        if signed.adviser.is_admin
        else Markup("")
    )
    return h(
        """<nav aria-label="Inbox"><ul class="nav">
<li><a href="/inbox">Cases</a></li>{audit}
<li class="who">Signed in as {email} ({role})</li>
<li><form method="post" action="/inbox/signout">{csrf}<button type="submit" class="link-button">Sign out</button></form></li>
</ul></nav>""",
        audit=audit,
        email=signed.adviser.email,
        role=signed.adviser.role,
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


def list_page(rows: Sequence[InboxRow], filters: CaseFilters, signed: SignedIn, now: datetime) -> str:
    count = f"{len(rows)} case{'' if len(rows) == 1 else 's'}"
    table = _case_table(rows, now) if rows else h('<p class="empty">No cases match these filters.</p>')
    body = h(
        """<h1>Cases</h1>
<p>Most urgent first, then the longest waiting.</p>
{filters}
<p class="count" id="case-count">{count}</p>
{table}""",
        filters=_filters_form(filters),
        count=count,
        table=table,
    )
    return layout("Cases", body, signed)


def _filters_form(filters: CaseFilters) -> Markup:
    selects = join(
        _select(name, label, values, texts, getattr(filters, name))
        for name, label, values, texts in (
            ("urgency", "Urgency", URGENCIES, URGENCY_TEXT),
            ("route", "Route", ROUTES, ROUTE_TEXT),
            ("status", "Status", CASE_STATUSES, STATUS_TEXT),
            ("case_type", "Case type", CASE_TYPES, CASE_TYPE_TEXT),
        )
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


def _case_table(rows: Sequence[InboxRow], now: datetime) -> Markup:
    body = join(_case_row(row, now) for row in rows)
    return h(
        """<div class="table-wrap"><table class="cases">
<caption class="visually-hidden">Cases, most urgent first</caption>
<thead><tr><th scope="col">Reference</th><th scope="col">Urgency</th><th scope="col">Case type</th>
<th scope="col">Route</th><th scope="col">Status</th><th scope="col">Waiting</th><th scope="col">Delivery</th></tr></thead>
<tbody>{body}</tbody></table></div>""",
        body=body,
    )


def _case_row(row: InboxRow, now: datetime) -> Markup:
    case = row.case
    status = STATUS_TEXT.get(case.status, case.status)
    if row.claimed_by and case.status != "new":
        status = f"{status} ({row.claimed_by})"
    safety = h(' <span class="flag">Safety concern</span>') if case.safety_concern else Markup("")
    return h(
        """<tr class="case-row" data-reference="{ref}">
<th scope="row"><a href="/inbox/cases/{ref}">{ref}</a></th>
<td><span class="badge badge-{urgency}">{urgency_text}</span>{safety}</td>
<td>{case_type}</td><td>{route}</td><td>{status}</td>
<td><time datetime="{created_iso}">{waiting}</time></td><td>{delivery}</td></tr>""",
        ref=case.reference,
        urgency=case.urgency,
        urgency_text=URGENCY_TEXT.get(case.urgency, case.urgency),
        safety=safety,
        case_type=CASE_TYPE_TEXT.get(case.case_type, case.case_type),
        route=ROUTE_TEXT.get(case.route, case.route),
        status=status,
        created_iso=case.created_at.isoformat(),
        waiting=waiting(now - case.created_at),
        delivery=DELIVERY_TEXT.get(row.delivery_state or "", "-"),
    )


# --- one case ------------------------------------------------------------------


def case_page(view: CaseView, signed: SignedIn, now: datetime, notice: str | None = None) -> str:
    p = view.payload
    sections = [
        _section("Summary", h('<p class="summary">{}</p>', p.get("summary_text", ""))),
        _section("Urgency and route", _triage(p)),
        _section("Handling", _handling(view, signed)),
        _section("Delivery to the adviser system", _delivery(view)),
        _section("Member", _member(p.get("member") or {})),
        _section("What happened", _incident(p.get("incident") or {})),
    ]
    if p.get("process"):
        sections.append(_section("Employer's process", _process(p["process"])))
    sections.append(_section("Consent and guidance", _consent(p)))
    if view.transcript:
        sections.append(_section("Transcript", _transcript(view.transcript)))
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
        urgency_text=URGENCY_TEXT.get(view.case.urgency, view.case.urgency),
        notice=shown,
        created=local_time(view.case.created_at),
        waiting=waiting(now - view.case.created_at),
        status=_status_text(view),
        sections=join(sections),
    )
    return layout(f"Case {view.case.reference}", body, signed)


def _status_text(view: CaseView) -> str:
    text = STATUS_TEXT.get(view.case.status, view.case.status)
    if view.case.status != "new" and view.claimed_by:
        text += f", claimed by {view.claimed_by}"
    return text


def _section(title: str, content: Markup) -> Markup:
    slug = title.lower().replace(" ", "-").replace("'", "")
    return h('<section aria-labelledby="s-{slug}"><h2 id="s-{slug}">{title}</h2>{content}</section>', slug=slug, title=title, content=content)


def _dl(pairs: Iterable[tuple[str, Any]]) -> Markup:
    items = join(h("<div><dt>{}</dt><dd>{}</dd></div>", label, show(value)) for label, value in pairs)
    return h('<dl class="fields">{}</dl>', items)


def _triage(p: dict[str, Any]) -> Markup:
    reasons = p.get("urgency_reasons") or []
    listed = h("<ul>{}</ul>", join(h("<li>{}</li>", r) for r in reasons)) if reasons else Markup("<p>None given.</p>")
    return h(
        "{fields}<h3>Why this urgency</h3>{reasons}",
        fields=_dl(
            [
                ("Urgency", URGENCY_TEXT.get(p.get("urgency", ""), p.get("urgency"))),
                ("Case type", CASE_TYPE_TEXT.get(p.get("case_type", ""), p.get("case_type"))),
                ("Route", ROUTE_TEXT.get(p.get("route", ""), p.get("route"))),
                ("Why this route", p.get("route_reason")),
                ("Safety concern", "YES - threats or feeling unsafe" if p.get("safety_concern") else "None mentioned"),
            ]
        ),
        reasons=listed,
    )


def _handling(view: CaseView, signed: SignedIn) -> Markup:
    claimed = _dl([("Status", STATUS_TEXT.get(view.case.status)), ("Claimed by", view.claimed_by),
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
    return h('{claimed}<div class="actions">{forms}</div>', claimed=claimed, forms=forms)


def _delivery(view: CaseView) -> Markup:
    d = view.delivery
    if d is None:
        return Markup("<p>No delivery job.</p>")
    return _dl(
        [
            ("State", DELIVERY_TEXT.get(d.state, d.state)),
            ("Attempts", d.attempts),
            ("Last HTTP status", d.last_status_code),
            ("Last error", d.last_error),
            ("Delivered at", local_time(d.delivered_at) if d.delivered_at else None),
        ]
    )


def _member(m: dict[str, Any]) -> Markup:
    role = m.get("role")
    if role and m.get("is_leader"):
        role = f"{role} (school leader)"
    return _dl(
        [
            ("Name", m.get("name")),
            ("Preferred contact", m.get("preferred_contact")),
            ("Phone", m.get("phone")),
            ("Email", m.get("email")),
            ("Membership number", m.get("membership_number")),
            ("Role", role),
            ("Workplace", m.get("workplace")),
            ("Workplace rep", m.get("has_workplace_rep")),
        ]
    )


def _incident(i: dict[str, Any]) -> Markup:
    posted_by = [POSTED_BY_TEXT.get(w, w) for w in i.get("others_involved") or []]
    return h(
        '<h3>In their words</h3><p class="member-words">{description}</p>{fields}',
        description=i.get("description", ""),
        fields=_dl(
            [
                ("Platforms", i.get("platforms")),
                ("Happened on", i.get("occurred_on")),
                ("Posted by", posted_by),
                ("Still online", i.get("still_online")),
                ("Evidence kept", i.get("evidence_kept")),
            ]
        ),
    )


def _process(proc: dict[str, Any]) -> Markup:
    next_date, days = proc.get("next_date"), proc.get("working_days_until_next_date")
    if next_date and days is not None:
        next_date = f"{next_date} ({days} working day{'' if days == 1 else 's'} away)"
    return _dl(
        [
            ("Stage", STAGE_TEXT.get(proc.get("stage") or "", proc.get("stage"))),
            ("Next date", next_date),
            ("Police involved", proc.get("police_involved")),
        ]
    )


def _consent(p: dict[str, Any]) -> Markup:
    consent = p.get("consent") or {}
    return _dl(
        [
            ("Agreed to share with NEU advisers", consent.get("share_with_union")),
            ("Agreed at", when(consent.get("given_at"))),
            ("Transcript included", bool(consent.get("include_transcript"))),
            ("Guidance already given", p.get("guidance_given")),
            ("Conversation id", p.get("conversation_id")),
        ]
    )


def _transcript(lines: Sequence[dict[str, Any]]) -> Markup:
    items = join(
        h(
            '<li class="line line-{who}"><span class="speaker">{speaker}:</span> <span class="said">{text}</span></li>',
            who="member" if line.get("from") == "member" else "assistant",
            speaker="Member" if line.get("from") == "member" else "Assistant",
            text=line.get("text", ""),
        )
        for line in lines
    )
    return h('<p>The member agreed to include the conversation.</p><ol class="transcript">{}</ol>', items)


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
