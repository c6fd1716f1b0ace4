"""One adviser view: the CLI's `cases show` and the inbox's case page say the same thing.

Both are rendered for real (the CLI's main() on the database, the page from the
inbox's own `view_case`) and read back into (section, label, value) triples, so
a label or value that differs between them, or a field only one shows, fails.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest

from bot.clock import utc_now
from bot.entrypoints import cli
from bot.entrypoints.web import pages
from bot.inbox import presenter
from bot.inbox.accounts import SignedIn
from bot.inbox.cases import view_case
from bot.storage import record_case
from tests.support.databases import START

# The page's own sections (the inbox's handling of the case, not the payload).
PAGE_ONLY = {"Handling", "Delivery"}
DESTINATION = {"id": "branch-northtown", "kind": "local_branch", "name": "Northtown NEU branch"}
Triple = tuple[str, str, str]


def flat(text: str) -> str:
    return " ".join(text.split())


class PageReader(HTMLParser):
    """Collects (section title, dt, dd) from the case page; a <ul> in a dd becomes ' | '-joined items."""

    def __init__(self) -> None:
        super().__init__()
        self.triples: list[Triple] = []
        self.section = ""
        self._into: str | None = None
        self._label = ""
        self._text: list[str] = []
        self._items: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kind = dict(attrs).get("class")
        if tag == "span" and kind in ("speaker", "said"):  # a transcript line: speaker, then what was said
            self._into, self._text = kind, []
            return
        if tag in ("h2", "dt", "dd", "li"):
            self._into, self._text = tag, []
            if tag == "dd":
                self._items = []

    def handle_data(self, data: str) -> None:
        if self._into:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        text = flat("".join(self._text))
        if tag == "span" and self._into == "speaker":
            self._label, self._into = text.removesuffix(":"), None
        elif tag == "span" and self._into == "said":
            self.triples.append((self.section, self._label, text))
            self._into = None
        elif tag == "li" and self._into is None:
            pass  # the end of a transcript line, already read
        elif tag == "h2":
            self.section, self._into = text, None
        elif tag == "dt":
            self._label, self._into = text, None
        elif tag == "li":
            self._items.append(text)
            self._into, self._text = "dd", []
        elif tag == "dd":
            value = " | ".join(self._items) if self._items else text
            self.triples.append((self.section, self._label, value))
            self._into = None


def page_triples(html: str) -> list[Triple]:
    reader = PageReader()
    reader.feed(html)
    return [t for t in reader.triples if t[0] not in PAGE_ONLY]


def cli_triples(out: str) -> list[Triple]:
    """Sections are blank-line separated: a title, "  Label: value" lines, and under a
    bare "  Label:" either "    - item" lines (a list) or "    text" lines (free text)."""
    triples: list[Triple] = []
    for block in out.split("\n\n")[1:]:
        title, *lines = block.strip("\n").splitlines()
        label, under = None, []
        for line in [*lines, "  END:"]:
            if line.startswith("    "):
                under.append(line.strip())
                continue
            if label is not None:
                items = [u[2:] for u in under if u.startswith("- ")]
                triples.append((title, label, " | ".join(items) if items and len(items) == len(under) else flat(" ".join(under))))
                label, under = None, []
            name, _, value = line.strip().partition(": ") if ": " in line else (line.strip().rstrip(":"), "", "")
            if value:
                triples.append((title, name, value))
            else:
                label = name
    return [t for t in triples if t[1] != "END"]


def signed(adviser: Any) -> SignedIn:
    return SignedIn(adviser, "csrf", START)


def both_views(uow_factory: Any, database_url: str, adviser: Any, reference: str, capsys: Any) -> tuple[str, str]:
    assert cli.main(["--database-url", database_url, "cases", "show", reference]) == 0
    out = capsys.readouterr().out
    html = pages.case_page(view_case(uow_factory(), adviser, reference), signed(adviser), utc_now())
    return out, html


ACCUSED = {
    "case_type": "accused",
    "process": {"stage": "disciplinary_hearing", "next_date": "2025-03-05", "working_days_until_next_date": 2, "police_involved": True},
    "urgency_reasons": ["disciplinary hearing in 2 working days", "police involved"],
    "guidance_given": ["regret_post", "report_content"],
    "transcript": [{"from": "member", "text": "I posted something I regret"}, {"from": "assistant", "text": "I'm sorry to hear that."}],
}


@pytest.mark.parametrize(
    "version, extra",
    [("1", {}), ("1.1", {"destination": DESTINATION})],
    ids=["schema-1", "schema-1.1-with-destination"],
)
def test_the_cli_and_the_page_show_the_same_labels_and_values(
    uow_factory, database_url, make_payload, admin, capsys, version, extra
) -> None:
    payload = make_payload("NEU-VIEW01", urgency="urgent", schema_version=version, **ACCUSED, **extra)
    payload["consent"]["include_transcript"] = True
    record_case(uow_factory(), payload, now=START)

    out, html = both_views(uow_factory, database_url, admin, "NEU-VIEW01", capsys)
    from_cli, from_page = cli_triples(out), page_triples(html)

    assert from_cli == from_page
    shown = {(section, label): value for section, label, value in from_page}
    assert shown[("Employer's process", "Stage")] == "Disciplinary hearing", "translated in both"
    assert shown[("What happened", "Happened on")] == "Fri 28 Feb 2025"
    assert shown[("Urgency and route", "Why this urgency")] == "disciplinary hearing in 2 working days | police involved"
    assert shown[("Consent and guidance", "Guidance already given")] == "A post I regret (regret_post), report_content"
    assert shown[("Transcript", "Member")] == "I posted something I regret"
    assert len(from_page) > 30, "the readers found the fields"
    if version == "1.1":
        assert shown[("Urgency and route", "Who has the case")] == "Northtown NEU branch (Local branch)"
        assert shown[("Consent and guidance", "Format")] == "handoff v1.1"
    else:
        assert ("Urgency and route", "Who has the case") not in shown
        assert shown[("Consent and guidance", "Format")] == "handoff v1"


def test_a_field_added_to_the_presenter_appears_in_both(uow_factory, database_url, make_payload, admin, capsys, monkeypatch) -> None:
    record_case(uow_factory(), make_payload("NEU-VIEW02"), now=START)
    extra = ("extra", "Added once", lambda p: (presenter.Field("extra.x", "Only here", f"ref {p['reference']}"),), lambda p: True)
    monkeypatch.setattr(presenter, "SECTIONS", (*presenter.SECTIONS, extra))

    out, html = both_views(uow_factory, database_url, admin, "NEU-VIEW02", capsys)
    assert ("Added once", "Only here", "ref NEU-VIEW02") in cli_triples(out)
    assert cli_triples(out) == page_triples(html)


def test_a_targeted_case_has_no_process_section_in_either(uow_factory, database_url, make_payload, admin, capsys) -> None:
    record_case(uow_factory(), make_payload("NEU-VIEW03"), now=START)
    out, html = both_views(uow_factory, database_url, admin, "NEU-VIEW03", capsys)
    assert "Employer's process" not in out and "Employer&#39;s process" not in html and "Employer's process" not in html
    assert not any(section == "Transcript" for section, _, _ in cli_triples(out)), "no transcript without consent"


def test_the_notice_fields_use_the_same_words() -> None:
    fields = presenter.notice_fields("NEU-ABC123", "urgent", "targeted", "Northtown NEU branch", "https://inbox.example.org/inbox/cases/NEU-ABC123")
    assert [(f.label, f.value) for f in fields] == [
        ("Reference", "NEU-ABC123"),
        ("Urgency", "Urgent"),
        ("Case type", "Targeted online"),
        ("Who has the case", "Northtown NEU branch"),
        ("Open the case", "https://inbox.example.org/inbox/cases/NEU-ABC123"),
    ]
