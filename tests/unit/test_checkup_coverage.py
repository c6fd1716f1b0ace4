"""Every bullet of the advice sheet's two lists of advice is covered by check-up items, in the sheet's terms.

The sheet (spec/safer-social-networking.txt) is read as it is: the bullets under "Advice to
school and college leaders" and "Advice to you as individuals", the opening line of the
second ("nothing you post online is really private") and its closing paragraph on regretted
posts. Each is mapped below to the check-up item(s) that cover it, with what those items must
say. A bullet with no item, an item with no bullet, or an item that drops one of its bullet's
points fails.
"""

from __future__ import annotations

import re

import pytest

from actions.checkups import INTROS
from bot import checkups
from bot.settings import SPEC_DIR

SHEET = (SPEC_DIR / "safer-social-networking.txt").read_text(encoding="utf-8")
LEADERS = "Advice to school and college leaders"
INDIVIDUALS = "Advice to you as individuals"
NEXT_HEADING = {LEADERS: INDIVIDUALS, INDIVIDUALS: "In need of help and support?"}

# bullet (its opening words) -> (the items covering it, what their actions must say between them)
LEADER_COVERAGE: dict[str, tuple[list[str], list[str]]] = {
    "Introduce a social networking policy if none exists": (
        ["policy_exists"], [r"introduce a social networking policy", r"review the existing one", r"sufficiently clear and robust"]),
    "Raise awareness of your policy": (
        ["awareness"], [r"raise awareness of the policy", r"appropriate use of social networking", r"throughout the school or college"]),
    "Ensure that the policy sets standards": (
        ["standards", "school_accounts", "confidentiality", "within_law"],
        [r"standards for good practice", r"clear guidelines on appropriate online activity",
         r"school or college's own social networking accounts", r"confidentiality", r"staying within the law"]),
    "Ensure that the policy covers learners": (
        ["covers_learners"], [r"learners as well as staff", r"old enough", r"acceptable use charter", r"involve parents"]),
    "Ensure staff who use social media as part of their job": (
        ["staff_training"], [r"use social media as part of their job", r"properly trained"]),
    "Ensure that communication with learners or parents": (
        ["official_channels"], [r"official school or college channels", r"own facebook page", r"approved by the appropriate manager"]),
    "Ensure any school or college networking sites": (
        ["account_security"], [r"sites and accounts sufficient security", r"even when moderated",
                               r"individual comments are not necessarily representative of your organisation"]),
    "Introduce systems for reporting and logging": (
        ["misuse_reporting"], [r"systems for reporting and logging potential misuse", r"removing offensive material"]),
    "Don't forget to include the appropriate home use": (
        ["home_laptops"], [r"appropriate home use of school or college laptops"]),
    "Consult and seek to reach agreement": (
        ["union_consultation"], [r"consult the recognised trade unions", r"reach agreement"]),
}

PERSONAL_COVERAGE: dict[str, tuple[list[str], list[str]]] = {
    "Follow the school or college's official social networking policy yourself": (
        ["follows_policy"], [r"follow your school or college's official social networking policy yourself"]),
    "Do not add learners as friends or contacts": (
        ["learners_as_friends"], [r"^don't add learners as friends or contacts on your own social media accounts"]),
    "Always maintain professional boundaries": (
        ["learners_online"], [r"always keep professional boundaries",
                              r"don't get into discussions with learners online unless it's through official school or college accounts"]),
    "Think about the potential risks": (
        ["parents_risks"], [r"think about the potential risks", r"professional boundaries",
                            r"adding parents to your private social media accounts",
                            r"some organisations say such contact should only be through official school or college accounts"]),
    "Take care when posting comments or photos of yourself": (
        ["photos_care"], [r"take care when posting comments or photos of yourself",
                          r"someone else thinks is inappropriate may land you in trouble"]),
    "Never post anything that is offensive or aggressive": (
        ["offensive_posts"], [r"never post anything offensive or aggressive", r"even if you're very angry or upset",
                              r"easily be taken out of context"]),
    "If you are tagged in something on Facebook": (
        ["untag"], [r"tagged in something on facebook that you think is inappropriate",
                    r"use the remove tag feature to untag yourself", r"facebook help centre"]),
    'Avoid accepting "friend requests"': (
        ["stranger_requests"], [r"avoid accepting friend requests from people you don't really know",
                                r"friend of one of your friends", r"automatically be given access to your information"]),
    "Ensure your profile information on social media accounts is appropriate": (
        ["profile_appropriate", "privacy_checked"], [r"profile information on your social media accounts is appropriate",
                                                    r"check your privacy and security settings"]),
    "If you do intend to rant": (
        ["attributable"], [r"rant about teaching, politics or life in general", r"anonymously",
                           r"account or blog that can't be attributed to you",
                           r"check that nothing you post identifies you or your school or college"]),
    "Do not make false representations": (
        ["false_or_confidential"], [r"false representations", r"breach copyright", r"upload confidential information"]),
}

# The paragraph after the bullets: complacency, removing a regretted post, apologising.
REGRET_PARAGRAPH = "Much of the above is just common sense"
REGRET_ITEM = "regret"
REGRET_POINTS = {
    "question": [r"easy to become complacent", r"posted that you now regret"],
    "action": [r"^try to have the post removed, ideally before it has been shared",
               r"if someone says you've caused offence, it's better to apologise in person",
               r"if that isn't enough, apologise online"],
    # once there is a complaint: evidence before removal (the union's process, not the sheet's advice)
    "live_action": [r"don't remove or change the post yet", r"keep a copy", r"screenshot showing the date and the link",
                    r"talk to the union before changing anything"],
}


def section(heading: str) -> list[str]:
    """The non-empty lines of a section of the sheet, heading excluded."""
    start = SHEET.index(f"\n{heading}\n") + len(heading) + 2
    end = SHEET.index(f"\n{NEXT_HEADING[heading]}\n", start)
    return [line.strip() for line in SHEET[start:end].splitlines() if line.strip()]


def bullets(heading: str) -> list[str]:
    return [line[2:] for line in section(heading) if line.startswith("- ")]


def mapped_bullet(bullet: str, coverage: dict) -> str | None:
    matches = [opening for opening in coverage if bullet.startswith(opening)]
    assert len(matches) <= 1, f"{bullet!r} matches {matches}"
    return matches[0] if matches else None


def uncovered(heading: str, coverage: dict, items: tuple[checkups.Item, ...]) -> list[str]:
    """Each bullet of the sheet's section with no covering item, or whose items miss one of its points."""
    by_key = {item.key: item for item in items}
    problems = []
    for bullet in bullets(heading):
        opening = mapped_bullet(bullet, coverage)
        if opening is None:
            problems.append(f"not mapped: {bullet}")
            continue
        keys, points = coverage[opening]
        if missing_items := [k for k in keys if k not in by_key]:
            problems.append(f"no item {missing_items} for: {bullet}")
            continue
        actions = "\n".join(by_key[k].action for k in keys)
        problems += [f"{keys} do not say {p!r}" for p in points if not re.search(p, actions, re.IGNORECASE | re.MULTILINE)]
    return problems


def test_the_sheet_has_the_bullets_the_maps_expect():
    assert len(bullets(LEADERS)) == 10
    assert len(bullets(INDIVIDUALS)) == 11


@pytest.mark.parametrize("heading,coverage,kind", [
    (LEADERS, LEADER_COVERAGE, "policy_review"),
    (INDIVIDUALS, PERSONAL_COVERAGE, "personal_checkup"),
])
def test_every_bullet_is_covered_by_check_up_items_that_say_its_points(heading, coverage, kind):
    assert uncovered(heading, coverage, checkups.CHECKUPS[kind]) == []
    # every mapping entry is a real bullet (no stale entries)
    assert {mapped_bullet(b, coverage) for b in bullets(heading)} == set(coverage)


@pytest.mark.parametrize("coverage,kind,extra", [
    (LEADER_COVERAGE, "policy_review", set()),
    (PERSONAL_COVERAGE, "personal_checkup", {REGRET_ITEM}),
])
def test_every_item_covers_something_in_the_sheet(coverage, kind, extra):
    """No check-up question beyond what the sheet says; each item covers one bullet (or the regret paragraph)."""
    mapped = [key for keys, _ in coverage.values() for key in keys] + sorted(extra)
    assert sorted(mapped) == sorted(item.key for item in checkups.CHECKUPS[kind])


def test_a_missing_item_is_reported():
    """The check above can fail: without the untag question, its bullet is uncovered."""
    fewer = tuple(item for item in checkups.PERSONAL_ITEMS if item.key != "untag")
    assert uncovered(INDIVIDUALS, PERSONAL_COVERAGE, fewer) == [
        "no item ['untag'] for: If you are tagged in something on Facebook that you consider inappropriate, use the "
        "remove tag feature to untag yourself (refer to the Facebook help centre for more details)."
    ]
    assert uncovered(INDIVIDUALS, {k: v for k, v in PERSONAL_COVERAGE.items() if k != "If you do intend to rant"},
                     checkups.PERSONAL_ITEMS)[0].startswith("not mapped: If you do intend to rant")


def test_the_opening_line_is_said_at_the_start_and_in_every_report():
    opening = section(INDIVIDUALS)[0]
    assert opening == "Please remember, nothing you post online is really private."
    assert checkups.REMINDER.lower().endswith(opening.split(", ", 1)[1].lower())
    assert checkups.REMINDER in INTROS["personal_checkup"]
    for answer in ("yes", "no"):
        answers = {item.key: answer if answer in item.options else item.good for item in checkups.PERSONAL_ITEMS}
        assert checkups.REMINDER in checkups.report_markdown("personal_checkup", answers)
        assert checkups.REMINDER in checkups.report_chat_messages("personal_checkup", answers)[-1]


def test_the_regret_paragraph_is_covered_with_evidence_first_once_there_is_a_complaint():
    assert any(line.startswith(REGRET_PARAGRAPH) for line in section(INDIVIDUALS))
    item = next(i for i in checkups.PERSONAL_ITEMS if i.key == REGRET_ITEM)
    for part, points in REGRET_POINTS.items():
        text = getattr(item, part) or ""
        assert [p for p in points if not re.search(p, text, re.IGNORECASE)] == [], part
    assert item.live_problem in item.options
