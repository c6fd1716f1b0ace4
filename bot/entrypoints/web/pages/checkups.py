"""The anonymous check-up counts (admins)."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from bot.checkup_counts import CheckupCounts
from bot.entrypoints.web.pages.frame import h, join, layout
from bot.inbox.accounts import SignedIn

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
