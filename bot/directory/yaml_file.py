"""The directory file: a YAML document a union office keeps up to date by hand.

    adviceline:                       # exactly one, required
      name: NEU AdviceLine
      contact: 0345 811 8111 (Monday to Friday, 9am to 7pm), adviceline@neu.org.uk
      webhook:                        # optional for the AdviceLine: HANDOFF_WEBHOOK_URL otherwise
        url: https://cases.example.org/handoffs
        secret_env: HANDOFF_WEBHOOK_SECRET
    branches:
      - id: branch-northtown          # optional: made from the name ("branch-northtown")
        name: Northtown NEU branch
        areas: [Northtown, Northtown Borough Council]
        postcodes: [NT1, NT2]         # postcode districts: the part before the space
        contact: 01632 960101, secretary@northtown-neu.example.org
        email: cases@northtown-neu.example.org
        reps:
          - name: Jo Marsh, NEU rep at Hillside Primary School
            workplace: Hillside Primary School
            contact: jo.marsh@example.org
            email: jo.marsh@example.org

Every branch and rep needs a way to receive cases (`email`, `webhook`, or both).
Problems are reported all at once, each with the line it is on, so a file can be
fixed in one pass. The README describes every field.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from email_validator import EmailNotValidError, validate_email
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from bot.directory.model import ADVICELINE, ADVICELINE_ID, BRANCH, WORKPLACE_REP, Destination

MAX_NAME = 120
MAX_CONTACT = 200
MAX_ID = 64
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
POSTCODE_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")
ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")

TOP_KEYS = ("adviceline", "branches")
COMMON_KEYS = ("id", "name", "contact", "email", "webhook")
BRANCH_KEYS = (*COMMON_KEYS, "areas", "postcodes", "reps")
REP_KEYS = (*COMMON_KEYS, "workplace", "areas", "postcodes")
WEBHOOK_KEYS = ("url", "secret_env")

HEADER = """\
# The NEU directory: where the assistant hands each case (python -m bot.entrypoints.cli directory import FILE).
# The file format is described in the README ("The directory").
"""


class DirectoryFileError(ValueError):
    """The file cannot be used; `problems` says what is wrong, each with its line."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))

    def report(self) -> str:
        lines = [f"{self.source} was not imported ({len(self.problems)} problem(s)); nothing was changed:"]
        return "\n".join([*lines, *(f"  {self.source}:{p}" for p in self.problems)])


@dataclass
class _Reader:
    """Collects problems while walking the document, so all are reported together."""

    found: list[tuple[int, str]] = field(default_factory=list)

    def problem(self, line: int, text: str) -> None:
        self.found.append((line, text))

    @property
    def problems(self) -> list[str]:
        """In the order of the file's lines (stable within a line)."""
        return [f"line {line}: {text}" for line, text in sorted(self.found, key=lambda item: item[0])]


def parse_directory(text: str, source: str = "directory file") -> tuple[Destination, ...]:
    """The destinations a directory file describes (AdviceLine first, then branches and their reps)."""
    try:
        document = YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise DirectoryFileError(source, [f"line {line}: not valid YAML ({exc.problem or exc.context})"]) from None
    reader = _Reader()
    destinations = list(_read_document(document, reader))
    _check_unique(destinations, reader)
    if reader.problems:
        raise DirectoryFileError(source, reader.problems)
    return tuple(d for d, _ in destinations)


Located = tuple[Destination, int]


def _read_document(document: Any, reader: _Reader) -> Iterator[Located]:
    if not isinstance(document, CommentedMap):
        reader.problem(1, "the file should start with `adviceline:` and `branches:` (see the README)")
        return
    _unknown_keys(document, TOP_KEYS, "the file", reader)
    if "adviceline" not in document:
        reader.problem(1, "`adviceline:` is missing: the directory needs the AdviceLine")
    else:
        entry = document["adviceline"]
        line = _line_of_key(document, "adviceline")
        if isinstance(entry, CommentedMap):
            found = _read_destination(entry, reader, ADVICELINE, "the AdviceLine", branch=None)
            if found:
                yield found
        else:
            reader.problem(line, "`adviceline:` should have `name:` and its other fields indented under it")
    branches = document.get("branches")
    if branches is None:
        return
    if not isinstance(branches, CommentedSeq):
        reader.problem(_line_of_key(document, "branches"), "`branches:` should be a list, each branch starting with `- name:`")
        return
    for index, entry in enumerate(branches):
        yield from _read_branch(entry, branches.lc.item(index)[0] + 1, reader)


def _read_branch(entry: Any, line: int, reader: _Reader) -> Iterator[Located]:
    if not isinstance(entry, CommentedMap):
        reader.problem(line, "each branch should be a block of fields starting with `- name:`")
        return
    found = _read_destination(entry, reader, BRANCH, "branch", branch=None)
    if not found:
        return
    yield found
    branch = found[0]
    reps = entry.get("reps")
    if reps is None:
        return
    if not isinstance(reps, CommentedSeq):
        reader.problem(_line_of_key(entry, "reps"), f"{branch.name}: `reps:` should be a list, each rep starting with `- name:`")
        return
    for index, rep in enumerate(reps):
        rep_line = reps.lc.item(index)[0] + 1
        if not isinstance(rep, CommentedMap):
            reader.problem(rep_line, f"{branch.name}: each rep should be a block of fields starting with `- name:`")
            continue
        found_rep = _read_destination(rep, reader, WORKPLACE_REP, "rep", branch=branch)
        if found_rep:
            yield found_rep


def _read_destination(
    entry: CommentedMap, reader: _Reader, kind: str, what: str, branch: Destination | None
) -> Located | None:
    line = entry.lc.line + 1
    allowed = {ADVICELINE: COMMON_KEYS, BRANCH: BRANCH_KEYS, WORKPLACE_REP: REP_KEYS}[kind]
    count = len(reader.found)
    name = _text(entry, "name", reader, MAX_NAME, required=True)
    label = f"{what} {name!r}" if name and kind != ADVICELINE else what
    _unknown_keys(entry, allowed, label, reader)
    workplace = _text(entry, "workplace", reader, MAX_NAME, required=True) if kind == WORKPLACE_REP else None
    destination_id = _read_id(entry, kind, name, workplace, reader)
    url, secret_env = _read_webhook(entry, label, reader)
    email = _read_email(entry, label, reader)
    destination = Destination(
        id=destination_id or "",
        kind=kind,
        name=name or "",
        areas=_text_list(entry, "areas", label, reader),
        postcodes=_postcodes(entry, label, reader),
        workplace=workplace,
        branch_id=branch.id if branch else None,
        contact=_text(entry, "contact", reader, MAX_CONTACT),
        webhook_url=url,
        webhook_secret_env=secret_env,
        email=email,
    )
    if kind != ADVICELINE and "email" not in entry and "webhook" not in entry:
        reader.problem(line, f"{label} has no way to receive cases: give it an `email:`, a `webhook:`, or both")
    if kind == BRANCH and not (destination.areas or destination.postcodes):
        reader.problem(line, f"{label} covers no area: give it `areas:` or `postcodes:`")
    return (destination, line) if len(reader.found) == count else None


def _read_id(entry: CommentedMap, kind: str, name: str | None, workplace: str | None, reader: _Reader) -> str | None:
    if kind == ADVICELINE:
        given = entry.get("id")
        if given not in (None, ADVICELINE_ID):
            reader.problem(_line_of_key(entry, "id"), f"the AdviceLine's id is always `{ADVICELINE_ID}`")
        return ADVICELINE_ID
    if "id" not in entry:
        base = (workplace if kind == WORKPLACE_REP else name) or ""
        prefix = "rep" if kind == WORKPLACE_REP else "branch"
        return f"{prefix}-{slug(base)}"[:MAX_ID]
    value = entry["id"]
    line = _line_of_key(entry, "id")
    if not isinstance(value, str) or not ID_PATTERN.match(value) or len(value) > MAX_ID:
        reader.problem(line, f"id {value!r} should be lower-case letters, digits and dashes (at most {MAX_ID})")
        return None
    if value == ADVICELINE_ID:
        reader.problem(line, f"the id `{ADVICELINE_ID}` belongs to the AdviceLine")
        return None
    return value


def _read_webhook(entry: CommentedMap, label: str, reader: _Reader) -> tuple[str | None, str | None]:
    if "webhook" not in entry:
        return None, None
    hook = entry["webhook"]
    line = _line_of_key(entry, "webhook")
    if not isinstance(hook, CommentedMap):
        reader.problem(line, f"{label}: `webhook:` needs `url:` and `secret_env:` indented under it")
        return None, None
    _unknown_keys(hook, WEBHOOK_KEYS, f"{label}'s webhook", reader)
    url = _text(hook, "url", reader, 500, required=True)
    secret_env = _text(hook, "secret_env", reader, 64, required=True)
    if url and not re.match(r"^https?://[^\s/]+", url):
        reader.problem(_line_of_key(hook, "url"), f"{label}: webhook url {url!r} should start with https:// (or http://)")
    if secret_env and not ENV_NAME.match(secret_env):
        reader.problem(
            _line_of_key(hook, "secret_env"),
            f"{label}: secret_env is the NAME of an environment variable (like BRANCH_NORTHTOWN_SECRET), "
            "never the secret itself",
        )
    return url, secret_env


def _read_email(entry: CommentedMap, label: str, reader: _Reader) -> str | None:
    email = _text(entry, "email", reader, 254)
    if email is None:
        return None
    try:
        return validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError:
        reader.problem(_line_of_key(entry, "email"), f"{label}: {email!r} is not an email address")
        return None


def _postcodes(entry: CommentedMap, label: str, reader: _Reader) -> tuple[str, ...]:
    found = []
    for value, line in _list_items(entry, "postcodes", label, reader):
        district = normalise_postcode(value)
        if not POSTCODE_DISTRICT.match(district):
            reader.problem(line, f"{label}: {value!r} is not a postcode district (like NT4: the part before the space)")
        else:
            found.append(district)
    return tuple(found)


def _text_list(entry: CommentedMap, key: str, label: str, reader: _Reader) -> tuple[str, ...]:
    return tuple(" ".join(value.split()) for value, _ in _list_items(entry, key, label, reader))


def _list_items(entry: CommentedMap, key: str, label: str, reader: _Reader) -> Iterator[tuple[str, int]]:
    if key not in entry or entry[key] is None:
        return
    values = entry[key]
    line = _line_of_key(entry, key)
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list):
        reader.problem(line, f"{label}: `{key}:` should be a list, like [One, Two]")
        return
    for index, value in enumerate(values):
        item_line = values.lc.item(index)[0] + 1 if isinstance(values, CommentedSeq) else line
        if not isinstance(value, (str, int)) or not str(value).strip():
            reader.problem(item_line, f"{label}: `{key}:` should hold names, not {value!r}")
            continue
        yield str(value).strip(), item_line


def _text(entry: CommentedMap, key: str, reader: _Reader, limit: int, required: bool = False) -> str | None:
    value = entry.get(key)
    line = _line_of_key(entry, key) if key in entry else entry.lc.line + 1
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            reader.problem(line, f"`{key}:` is missing")
        return None
    if isinstance(value, (dict, list)):
        reader.problem(line, f"`{key}:` should be one line of text")
        return None
    text = " ".join(str(value).split())
    if len(text) > limit:
        reader.problem(line, f"`{key}:` is longer than {limit} characters")
        return None
    return text


def _unknown_keys(entry: CommentedMap, allowed: Iterable[str], label: str, reader: _Reader) -> None:
    allowed = tuple(allowed)
    for key in entry:
        if key not in allowed:
            reader.problem(
                _line_of_key(entry, key), f"{label}: unknown field `{key}` (expected one of: {', '.join(allowed)})"
            )


def _line_of_key(entry: CommentedMap, key: Any) -> int:
    try:
        return entry.lc.key(key)[0] + 1
    except (KeyError, TypeError):
        return entry.lc.line + 1


def _check_unique(located: list[Located], reader: _Reader) -> None:
    """Ids, areas, postcode districts and rep workplaces each point one way only."""
    seen: dict[tuple[str, str], int] = {}

    def claim(kind: str, value: str, owner: Destination, line: int) -> None:
        key = (kind, value.casefold())
        if key in seen and seen[key] != line:
            reader.problem(line, f"{kind} {value!r} of {owner.name!r} is already used on line {seen[key]}")
        else:
            seen.setdefault(key, line)

    for destination, line in located:
        if ("id", destination.id) in seen:
            reader.problem(line, f"id {destination.id!r} is already used on line {seen[('id', destination.id)]}")
        seen.setdefault(("id", destination.id), line)
        for area in destination.areas:
            claim("area", area, destination, line)
        for district in destination.postcodes:
            claim("postcode district", district, destination, line)
        if destination.workplace:
            claim("workplace", destination.workplace, destination, line)


def normalise_postcode(value: str) -> str:
    return "".join(value.split()).upper()


def slug(text: str) -> str:
    """"Northtown NEU branch" -> "northtown" ("neu" and "branch" say nothing here)."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    kept = [w for w in words if w not in ("neu", "branch", "district", "the")] or words
    return "-".join(kept) or "unnamed"


# --- writing ---------------------------------------------------------------------------------


def dump_directory(destinations: Iterable[Destination]) -> str:
    """The directory as a file in the same format, reps under their branch (import of it is a no-op)."""
    destinations = tuple(destinations)
    document = CommentedMap()
    adviceline = next((d for d in destinations if d.kind == ADVICELINE), None)
    if adviceline:
        document["adviceline"] = _entry(adviceline)
    branches = CommentedSeq()
    for branch in (d for d in destinations if d.kind == BRANCH):
        entry = _entry(branch)
        reps = [_entry(rep) for rep in destinations if rep.kind == WORKPLACE_REP and rep.branch_id == branch.id]
        if reps:
            entry["reps"] = CommentedSeq(reps)
        branches.append(entry)
    document["branches"] = branches
    out = io.StringIO()
    yaml = YAML(typ="rt")
    yaml.width = 200
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.dump(document, out)
    return HEADER + out.getvalue()


def _entry(destination: Destination) -> CommentedMap:
    entry = CommentedMap()
    if destination.kind != ADVICELINE:
        entry["id"] = destination.id
    entry["name"] = destination.name
    if destination.workplace:
        entry["workplace"] = destination.workplace
    for key in ("areas", "postcodes"):
        values = getattr(destination, key)
        if values:
            flow = CommentedSeq(values)
            flow.fa.set_flow_style()
            entry[key] = flow
    if destination.contact:
        entry["contact"] = destination.contact
    if destination.email:
        entry["email"] = destination.email
    if destination.webhook_url:
        hook = CommentedMap()
        hook["url"] = destination.webhook_url
        hook["secret_env"] = destination.webhook_secret_env
        entry["webhook"] = hook
    return entry
