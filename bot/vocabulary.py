"""The handoff schema's enumerated values, and the words people read for each.

One table per vocabulary, keyed by the schema value. `label` is what an adviser
reads on its own (the inbox, the CLI, the email notice: "Targeted online");
`phrase` is the same thing inside a sentence (the 30-second summary: "targeted
online (inappropriate material, ...)"). Every reader of a payload takes its
words from here, so a value added to spec/handoff-v1.schema.json is labelled
once; tests/unit/test_vocabulary.py fails until it is.

The inbox's own states (case status, delivery state) are not in the schema but
are labelled here too, so no page keeps a private map.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    label: str
    phrase: str


@dataclass(frozen=True)
class Vocabulary:
    """The values of one enumeration, in the schema's order, with their words.

    `path` names where the values live in a payload ("process.stage",
    "incident.others_involved[]"), or "inbox:..." for the inbox's own states.
    """

    path: str
    terms: Mapping[str, Term]

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(self.terms)

    def label(self, value: object) -> str:
        """The adviser's word for a value; an unknown value is shown as it is, never hidden."""
        term = self.terms.get(value) if isinstance(value, str) else None
        return term.label if term else ("-" if value in (None, "") else str(value))

    def phrase(self, value: object, default: str = "not given") -> str:
        term = self.terms.get(value) if isinstance(value, str) else None
        return term.phrase if term else default

    def labels(self, values: Iterable[object] | None) -> list[str]:
        return [self.label(v) for v in values or []]

    @property
    def label_map(self) -> dict[str, str]:
        return {value: term.label for value, term in self.terms.items()}

    @property
    def phrase_map(self) -> dict[str, str]:
        return {value: term.phrase for value, term in self.terms.items()}


def _vocabulary(path: str, **terms: tuple[str, str]) -> Vocabulary:
    return Vocabulary(path, {value: Term(*words) for value, words in terms.items()})


# --- the schema's enumerations (spec/handoff-v1.schema.json) ---------------------

SCHEMA_VERSION = _vocabulary(
    "schema_version",
    **{"1": ("handoff v1", "handoff version 1"), "1.1": ("handoff v1.1", "handoff version 1.1 (with destination)")},
)
CASE_TYPE = _vocabulary(
    "case_type",
    accused=("Accused", "Accused of social media misconduct"),
    targeted=("Targeted online", "Targeted online (inappropriate material, harassment or impersonation)"),
    other=("Asked for a person", "Asked to speak to someone"),
)
URGENCY = _vocabulary(
    "urgency",
    urgent=("Urgent", "urgent"),
    priority=("Priority", "priority"),
    routine=("Routine", "routine"),
)
ROUTE = _vocabulary(
    "route",
    adviceline=("AdviceLine", "AdviceLine"),
    workplace_rep=("Workplace rep", "workplace rep"),
    local_branch=("Local branch", "local branch"),
)
DESTINATION_KIND = _vocabulary(
    "destination.kind",
    adviceline=("AdviceLine", "the AdviceLine"),
    local_branch=("Local branch", "a local branch"),
    workplace_rep=("Workplace rep", "a workplace rep"),
)
PREFERRED_CONTACT = _vocabulary(
    "member.preferred_contact",
    phone=("Phone", "by phone"),
    email=("Email", "by email"),
)
POSTED_BY = _vocabulary(
    "incident.others_involved[]",
    pupil=("Pupil(s)", "pupil(s)"),
    parent=("Parent or carer", "parent or carer"),
    colleague=("Colleague", "colleague"),
    manager=("Manager", "manager"),
    public=("Member of the public", "member of the public"),
    unknown=("Not known", "not known"),
)
STAGE = _vocabulary(
    "process.stage",
    none=("Nothing formal yet", "nothing formal yet"),
    informal=("Informal conversation", "informal conversation"),
    investigation=("Investigation", "investigation"),
    suspended=("Suspended", "suspended"),
    disciplinary_hearing=("Disciplinary hearing", "disciplinary hearing"),
    appeal=("Appeal", "appeal"),
    unknown=("Not sure", "not sure"),
)
SPEAKER = _vocabulary(
    "transcript[].from",
    member=("Member", "the member"),
    assistant=("Assistant", "the assistant"),
)

SCHEMA_VOCABULARIES = (
    SCHEMA_VERSION, CASE_TYPE, URGENCY, ROUTE, DESTINATION_KIND, PREFERRED_CONTACT, POSTED_BY, STAGE, SPEAKER,
)

# --- the inbox's own states ------------------------------------------------------

CASE_STATUS = _vocabulary(
    "inbox:case_status",
    new=("New", "new"),
    claimed=("Claimed", "claimed"),
    contacted=("Contacted", "contacted"),
    closed=("Closed", "closed"),
)
DELIVERY_STATE = _vocabulary(
    "inbox:delivery_state",
    pending=("Waiting to send", "waiting to send"),
    in_flight=("Sending", "sending"),
    delivered=("Delivered", "delivered"),
    dead=("Failed", "failed"),
)
# The directory's own words (bot.directory.model.KINDS / CHANNELS): "branch" where the
# payload's destination.kind says "local_branch".
DIRECTORY_KIND = _vocabulary(
    "directory:kind",
    adviceline=("AdviceLine", "the AdviceLine"),
    branch=("Local branch", "a local branch"),
    workplace_rep=("Workplace rep", "a workplace rep"),
)
CHANNEL = _vocabulary(
    "directory:channel",
    webhook=("Webhook", "by signed webhook"),
    email=("Email", "by email notice"),
)
YES_NO = {True: "Yes", False: "No"}


def by_path() -> dict[str, Vocabulary]:
    """Every schema vocabulary by the path of its values in a payload."""
    return {v.path: v for v in SCHEMA_VOCABULARIES}
