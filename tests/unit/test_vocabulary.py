"""Every value the handoff schema can carry has words (read from spec/, so a new value fails here)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot import vocabulary as v
from bot.case_records import CASE_STATUSES, DELIVERY_STATES, URGENCIES
from bot.settings import SPEC_DIR

SCHEMA = json.loads((SPEC_DIR / "handoff-v1.schema.json").read_text())


def schema_enums(node: dict[str, Any], path: str = "") -> dict[str, list[Any]]:
    """Every `enum` in the schema by where its values sit in a payload ("process.stage",
    "incident.others_involved[]", "transcript[].from")."""
    found: dict[str, list[Any]] = {}
    if "enum" in node:
        found[path] = list(node["enum"])
    for name, child in (node.get("properties") or {}).items():
        found |= schema_enums(child, f"{path}.{name}" if path else name)
    if isinstance(node.get("items"), dict):
        found |= schema_enums(node["items"], f"{path}[]")
    return found


def test_the_walk_finds_the_schemas_enumerations() -> None:
    """A guard for the test itself: it must see nested and array enums."""
    enums = schema_enums(SCHEMA)
    assert {"urgency", "process.stage", "incident.others_involved[]", "transcript[].from"} <= set(enums)


def test_every_schema_enumeration_has_a_vocabulary() -> None:
    assert set(schema_enums(SCHEMA)) == set(v.by_path())


@pytest.mark.parametrize("path", sorted(schema_enums(SCHEMA)))
def test_every_schema_value_has_a_label_and_a_phrase(path: str) -> None:
    vocabulary = v.by_path()[path]
    assert vocabulary.values == tuple(schema_enums(SCHEMA)[path]), "same values, in the schema's order"
    for value, term in vocabulary.terms.items():
        assert term.label.strip() and term.phrase.strip(), value
        assert vocabulary.label(value) == term.label


def test_the_inbox_states_are_labelled() -> None:
    assert v.CASE_STATUS.values == CASE_STATUSES
    assert v.DELIVERY_STATE.values == DELIVERY_STATES
    assert v.URGENCY.values == URGENCIES


def test_an_unknown_value_is_shown_as_it_is() -> None:
    assert v.STAGE.label("gardening_leave") == "gardening_leave"
    assert v.STAGE.label(None) == "-"
    assert v.STAGE.phrase("gardening_leave") == "not given"
    assert v.POSTED_BY.labels(["parent", "alien"]) == ["Parent or carer", "alien"]
