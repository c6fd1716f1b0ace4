"""Where cases go: the union's directory of destinations (the AdviceLine, branches, reps).

A destination is a plain frozen value: the directory file, the database table and
the routing all speak it, so what an office writes in the file is what routing and
delivery read. Secrets are never part of it: a webhook names the environment
variable that holds its signing secret.
"""

from __future__ import annotations

from dataclasses import dataclass

ADVICELINE = "adviceline"
BRANCH = "branch"
WORKPLACE_REP = "workplace_rep"
KINDS = (ADVICELINE, BRANCH, WORKPLACE_REP)

ADVICELINE_ID = "adviceline"

WEBHOOK = "webhook"
EMAIL = "email"
CHANNELS = (WEBHOOK, EMAIL)

# The payload's `destination.kind` (spec/handoff-v1.schema.json) says "local_branch" where
# the directory says "branch", matching the triage route of the same name.
PAYLOAD_KINDS = {ADVICELINE: "adviceline", BRANCH: "local_branch", WORKPLACE_REP: "workplace_rep"}


@dataclass(frozen=True)
class Destination:
    """One place a case can be handed to, and how it receives cases."""

    id: str
    kind: str
    name: str
    areas: tuple[str, ...] = ()
    postcodes: tuple[str, ...] = ()
    workplace: str | None = None
    branch_id: str | None = None
    contact: str | None = None
    webhook_url: str | None = None
    webhook_secret_env: str | None = None
    email: str | None = None

    @property
    def channels(self) -> tuple[str, ...]:
        """The channels configured for this destination, webhook first."""
        found = []
        if self.webhook_url:
            found.append(WEBHOOK)
        if self.email:
            found.append(EMAIL)
        return tuple(found)

    @property
    def payload_kind(self) -> str:
        return PAYLOAD_KINDS[self.kind]

    def as_payload(self) -> dict[str, str]:
        """The handoff payload's `destination` object (schema 1.1)."""
        return {"id": self.id, "kind": self.payload_kind, "name": self.name}


DEFAULT_ADVICELINE = Destination(id=ADVICELINE_ID, kind=ADVICELINE, name="NEU AdviceLine")
"""The AdviceLine when the directory is empty: delivered by HANDOFF_WEBHOOK_URL, as before."""


@dataclass(frozen=True)
class Directory:
    """All destinations, in file order, with the lookups routing needs."""

    destinations: tuple[Destination, ...]

    @property
    def adviceline(self) -> Destination:
        for destination in self.destinations:
            if destination.kind == ADVICELINE:
                return destination
        return DEFAULT_ADVICELINE

    def get(self, destination_id: str | None) -> Destination | None:
        for destination in self.destinations:
            if destination.id == destination_id:
                return destination
        return None

    def of_kind(self, kind: str) -> tuple[Destination, ...]:
        return tuple(d for d in self.destinations if d.kind == kind)

    def reps_of(self, branch_id: str) -> tuple[Destination, ...]:
        return tuple(d for d in self.destinations if d.kind == WORKPLACE_REP and d.branch_id == branch_id)
