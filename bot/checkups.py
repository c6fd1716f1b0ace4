"""The two guided check-ups from the advice sheet, their scoring and action plans.

- The policy review walks a leader through every recommendation in "Advice to
  school and college leaders" (yes / partly / no / not sure) and ends with a
  score and the gaps as actions, most important first.
- The personal check-up asks a member about their own practice, from "Advice to
  you as individuals", and ends with a short personal action plan.

Everything here is data plus pure functions: nothing is stored, nothing
identifies the member.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

SOURCE_LEADERS = 'Source: "Safer social networking", Advice to school and college leaders'
SOURCE_MEMBERS = 'Source: "Safer social networking", Advice to you as individuals'

MET, PARTLY, MISSING = "met", "partly", "missing"
ANSWERS = ("yes", "partly", "no", "not sure")
_ANSWER_WORDS = {
    "yes": ("yes", "yeah", "yep", "yup", "y", "we do", "it does", "done", "definitely", "absolutely", "i do", "i have"),
    "partly": ("partly", "partially", "sort of", "kind of", "somewhat", "a bit", "some", "in part", "not fully"),
    "no": ("no", "nope", "nah", "n", "not yet", "we don't", "it doesn't", "never", "i don't", "i haven't", "none"),
    "not sure": ("not sure", "unsure", "don't know", "dont know", "no idea", "dunno", "maybe", "can't remember"),
}


@dataclass(frozen=True)
class Item:
    """One question: `good` is the answer that means the advice is followed."""

    key: str
    question: str
    action: str
    priority: int  # 1 is most important
    good: str = "yes"
    options: tuple[str, ...] = ANSWERS
    live_problem: str | None = None  # an answer that means something has gone wrong now
    labels: Mapping[str, str] = field(default_factory=dict)


POLICY_ITEMS: tuple[Item, ...] = (
    Item("policy_exists", "Does your school or college have a social networking policy that has been reviewed recently to make sure it is clear and robust?",
         "Introduce a social networking policy if there isn't one, or review the existing one so that it is clear and robust.", 1),
    Item("awareness", "Have you raised awareness of the policy, and of appropriate use of social networking, throughout the school or college?",
         "Raise awareness of the policy and of appropriate use of social networking throughout the school or college.", 4),
    Item("standards", "Does the policy set standards for good practice and give clear guidelines on appropriate online activity?",
         "Make sure the policy sets standards for good practice and gives clear guidelines on appropriate online activity.", 2),
    Item("school_accounts", "Does it cover the use of the school or college's own social networking accounts?",
         "Cover the use of the school or college's own social networking accounts in the policy.", 5),
    Item("confidentiality", "Does it cover confidentiality?", "Cover confidentiality in the policy.", 3),
    Item("within_law", "Does it cover staying within the law?", "Cover staying within the law in the policy.", 3),
    Item("covers_learners", "Does the policy cover learners as well as staff, with an acceptable use charter drawn up with learners where they are old enough, and with parents involved?",
         "Make sure the policy covers learners as well as staff: where learners are old enough, ask them to help draw up an acceptable use charter, and involve parents as well.", 4),
    Item("staff_training", "Are staff who use social media as part of their job properly trained?",
         "Make sure staff who use social media as part of their job are properly trained.", 5),
    Item("official_channels", "Does communication with learners and parents only go through official school or college channels (such as the school's own Facebook page), approved by the appropriate manager?",
         "Make sure communication with learners or parents goes through official school or college channels, such as the school or college's own Facebook page, approved by the appropriate manager.", 2),
    Item("account_security", "Are the school or college's networking sites and accounts secure, and do they state (even when moderated) that individual comments are not necessarily representative of the organisation?",
         "Give the school or college's networking sites and accounts sufficient security, and state (even when moderated) that individual comments are not necessarily representative of your organisation.", 3),
    Item("misuse_reporting", "Are there systems for reporting and logging potential misuse, and for removing offensive material?",
         "Introduce systems for reporting and logging potential misuse and for removing offensive material.", 2),
    Item("home_laptops", "Does the policy include the appropriate home use of school or college laptops?",
         "Include the appropriate home use of school or college laptops in the policy.", 6),
    Item("union_consultation", "Have you consulted the recognised trade unions on the policy and sought to reach agreement with them?",
         "Consult the recognised trade unions and seek to reach agreement with them.", 6),
)

_REGRET_OPTIONS = ("no", "yes", "yes, and it's led to a complaint")
PERSONAL_ITEMS: tuple[Item, ...] = (
    Item("learners_as_friends", "Are any pupils or students your friends or contacts on your own social media accounts?",
         "Remove learners from your friends and contacts on your own accounts, and don't add them: keep professional boundaries, and only talk to learners online through official school or college accounts.", 1, good="no"),
    Item("parents_private", "Are any parents friends or contacts on your private accounts?",
         "Think about the risks to professional boundaries of having parents on your private accounts. Some organisations say contact with parents should only be through official school or college accounts.", 4, good="no"),
    Item("privacy_checked", "Have you checked your privacy and security settings recently?",
         "Check your privacy and security settings.", 2),
    Item("profile_appropriate", "Is the profile information on your social media accounts appropriate for someone in your job?",
         "Make sure your profile information is appropriate.", 3),
    Item("photos_care", "Do you take care about the comments and photos of yourself that you post?",
         "Take care when posting comments or photos of yourself: anything someone else thinks is inappropriate may land you in trouble.", 3),
    Item("stranger_requests", "Do you accept friend requests from people you don't really know?",
         "Avoid accepting friend requests from people you don't really know: being a friend of a friend doesn't mean someone should see your information.", 4, good="no"),
    Item("attributable", "If you rant or comment about teaching, politics or life in general, could any of those accounts or blogs be traced back to you or your school or college?",
         "If you rant about teaching, politics or life in general, consider doing it anonymously, through an account or blog that can't be attributed to you, and check that nothing you post identifies you or your school or college.", 2, good="no"),
    Item("knows_policy", "Do you know your school or college's social networking policy?",
         "Find your school or college's social networking policy, read it and follow it yourself.", 2),
    Item("regret", "Is there anything you've posted that you now regret?",
         "Try to have the post removed, ideally before it has been shared. If someone says you've caused offence, apologise in person, and if that isn't enough, apologise online.", 1,
         good="no", options=_REGRET_OPTIONS, live_problem="yes, and it's led to a complaint"),
)

CHECKUPS = {"policy_review": POLICY_ITEMS, "personal_checkup": PERSONAL_ITEMS}


def parse_answer(text: str, item: Item) -> str | None:
    """The option a member chose, from a button title or free text; None if unclear."""
    norm = re.sub(r"[^\w' ,]+", " ", (text or "").lower())[:300].strip()
    norm = re.sub(r"\s+", " ", norm)
    for option in sorted(item.options, key=len, reverse=True):
        if norm == option:
            return option
    if item.live_problem and re.search(r"\b(complain\w*|complaint|allegation|disciplinary|investigat\w*|suspend\w*)\b", norm):
        return item.live_problem
    for option in ("not sure", "partly", "no", "yes"):
        if option in item.options and any(re.search(rf"(^|\b){re.escape(w)}(\b|$)", norm) for w in _ANSWER_WORDS[option]):
            return option
    return None


def outcome(item: Item, answer: str) -> str:
    """met, partly or missing ("not sure" counts as a gap: worth checking)."""
    if answer == item.good:
        return MET
    if answer == "partly":
        return PARTLY
    return MISSING


def outcomes_of(items: tuple[Item, ...], answers: Mapping[str, str | None]) -> dict[str, str]:
    """Each answered item's outcome (met, partly, missing), by item key; unanswered items are left out."""
    return {item.key: outcome(item, answer) for item in items if (answer := answers.get(item.key))}


@dataclass(frozen=True)
class Report:
    met: int
    partly: int
    missing: int
    actions: list[str]  # gaps worded as actions, most important first
    live_problem: bool

    @property
    def total(self) -> int:
        return self.met + self.partly + self.missing


def score(items: tuple[Item, ...], answers: Mapping[str, str]) -> Report:
    """Count met / partly / missing and order the gaps' actions by priority (then sheet order)."""
    outcomes = outcomes_of(items, answers)
    gaps = [item for item in items if outcomes.get(item.key) in (PARTLY, MISSING)]
    gaps.sort(key=lambda item: (item.priority, outcomes[item.key] != MISSING))
    live = any(item.live_problem and answers.get(item.key) == item.live_problem for item in items)
    values = list(outcomes.values())
    return Report(values.count(MET), values.count(PARTLY), values.count(MISSING), [g.action for g in gaps], live)


def _answer_label(item: Item, answer: str) -> str:
    return {"yes": "Yes", "no": "No", "partly": "Partly", "not sure": "Not sure"}.get(answer, answer.capitalize())


def report_markdown(kind: str, answers: Mapping[str, str]) -> str:
    """The report as Markdown: the score, the actions in order, and every answer given."""
    items = CHECKUPS[kind]
    result = score(items, answers)
    if kind == "policy_review":
        title = "# Social networking policy review"
        summary = f"**Score:** {result.met} of {result.total} met, {result.partly} partly met, {result.missing} missing or not sure."
        source = SOURCE_LEADERS
        empty = "Your policy covers every recommendation in the advice sheet. Keep reviewing it so it stays clear and robust."
    else:
        title = "# Your social media check-up"
        summary = f"**Score:** {result.met} of {result.total} already in good shape."
        source = SOURCE_MEMBERS
        empty = "You're already following the advice sheet. Remember: nothing you post online is really private."
    lines = [title, "", summary, "", "## What to do next, most important first", ""]
    lines += [f"{i}. {action}" for i, action in enumerate(result.actions, 1)] or [empty]
    lines += ["", "## Your answers", ""]
    lines += [f"- {item.question} **{_answer_label(item, answers[item.key])}**" for item in items if answers.get(item.key)]
    lines += ["", source, "NEU AdviceLine: 0345 811 8111 (Monday to Friday, 9am to 7pm), adviceline@neu.org.uk"]
    return "\n".join(lines)


def report_chat_text(kind: str, answers: Mapping[str, str]) -> str:
    """A shorter version for the chat bubble: score and actions."""
    markdown = report_markdown(kind, answers)
    head = markdown.split("## Your answers")[0]
    text = re.sub(r"^#+ ", "", head, flags=re.MULTILINE).replace("**", "").strip()
    source = SOURCE_LEADERS if kind == "policy_review" else SOURCE_MEMBERS
    return f"{text}\n\n{source}"


# ---- the conversation's view: one slot per question --------------------------------

_SLOT_PREFIX = {"policy_review": "review", "personal_checkup": "checkup"}
_OPTION_TITLES = {"yes": "Yes", "partly": "Partly", "no": "No", "not sure": "Not sure"}


def slot_name(kind: str, key: str) -> str:
    return f"{_SLOT_PREFIX[kind]}_{key}"


def slots(kind: str) -> list[str]:
    return [slot_name(kind, item.key) for item in CHECKUPS[kind]]


def item_for_slot(slot: str) -> tuple[str, Item, int]:
    """The check-up kind, item and its 1-based position for a slot name."""
    for kind, items in CHECKUPS.items():
        for number, item in enumerate(items, 1):
            if slot_name(kind, item.key) == slot:
                return kind, item, number
    raise KeyError(slot)


def prompt(slot: str) -> tuple[str, list[dict[str, str]]]:
    """The question text (with its number) and its answer buttons."""
    kind, item, number = item_for_slot(slot)
    buttons = [{"title": _OPTION_TITLES.get(o, o[0].upper() + o[1:]), "payload": o} for o in item.options]
    return f"{number} of {len(CHECKUPS[kind])}: {item.question}", buttons
