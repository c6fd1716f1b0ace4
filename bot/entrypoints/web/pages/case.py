"""One case: its details, the transcript, how it is being handled, its delivery."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from markupsafe import Markup

from bot import vocabulary as v
from bot.durations import short_duration as waiting
from bot.entrypoints.web.pages.frame import csrf_field, h, join, layout
from bot.inbox.accounts import SignedIn
from bot.inbox.cases import CaseView
from bot.inbox.presenter import LIST, PARAGRAPH, Field, Section, local_time, present_case, show
from bot.inbox.workflow import ACTION_LABELS

STATUS_NOTICES = {
    "claimed": "You have claimed this case.",
    "contacted": "Marked as contacted.",
    "closed": "Case closed.",
    "new": "Released: the case is back to new.",
    "passed_on": "Passed on: the case is with its new destination, new again.",
}


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
