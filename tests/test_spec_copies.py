"""The product keeps its own copies of the sheet, catalogue and schema; they must match ../shared."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
COPIES = {
    "safer-social-networking.txt": "guidance/safer-social-networking.txt",
    "topics.yml": "guidance/topics.yml",
    "handoff-v1.schema.json": "contracts/handoff-v1.schema.json",
}


@pytest.mark.parametrize("name", sorted(COPIES))
def test_copy_matches_shared(name: str) -> None:
    original = SHARED / COPIES[name]
    if not original.exists():
        pytest.skip(f"{original} is not present on this machine")
    assert (ROOT / "spec" / name).read_bytes() == original.read_bytes(), f"spec/{name} differs from shared"


def test_catalogue_has_the_released_ids() -> None:
    topics = yaml.safe_load((ROOT / "spec" / "topics.yml").read_text())["topics"]
    ids = [t["id"] for t in topics]
    assert len(ids) == len(set(ids)) == 28
    assert {"learners_as_friends", "contact_adviceline", "regret_post", "suggest_topic"} <= set(ids)
