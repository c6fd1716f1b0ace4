"""The two guided check-ups from the advice sheet, their scoring and action plans.

- The policy review walks a leader through every recommendation in "Advice to
  school and college leaders" (yes / partly / no / not sure) and ends with a
  score and the gaps as actions.
- The personal check-up walks a member through every point of "Advice to you
  as individuals" (its opening line, its eleven bullets and its paragraph on
  regretted posts) and ends with a short personal action plan.

The sheet gives no priorities, so the actions come in one stated order
(`ORDER_RULE`): a complaint about a post first; then what the answers say is
not done yet; then what the member was not sure about; then what is partly
done; each group in the sheet's own order.

Everything here is data plus pure functions: nothing is stored, nothing
identifies the member.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

SOURCE_LEADERS = 'Source: "Safer social networking", Advice to school and college leaders'
SOURCE_MEMBERS = 'Source: "Safer social networking", Advice to you as individuals'
# The opening line of "Advice to you as individuals": said at the start of the check-up and in every report.
REMINDER = "Remember: nothing you post online is really private."
ORDER_RULE = {
    "policy_review": "In the advice sheet's order: first what's missing, then what you weren't sure about, "
    "then what's partly in place.",
    "personal_checkup": "In the advice sheet's order: first anything about a complaint, then what you said you "
    "don't do yet, then what you weren't sure about, then what you do partly.",
}
MAX_BUBBLE_WORDS = 80  # each chat message of a report stays under this many words

MET, PARTLY, MISSING = "met", "partly", "missing"
ANSWERS = ("yes", "partly", "no", "not sure")
YES_NO = ("yes", "no", "not sure")
_ANSWER_WORDS = {
    "yes": ("yes", "yeah", "yep", "yup", "y", "we do", "it does", "done", "definitely", "absolutely", "i do", "i have",
            "always"),
    "partly": ("partly", "partially", "sort of", "kind of", "somewhat", "a bit", "some", "in part", "not fully",
               "sometimes", "occasionally", "mostly"),
    "no": ("no", "nope", "nah", "n", "not yet", "we don't", "it doesn't", "never", "i don't", "i haven't", "none"),
    "not sure": ("not sure", "unsure", "don't know", "dont know", "no idea", "dunno", "maybe", "can't remember"),
}
_OPTION_TITLES = {"yes": "Yes", "partly": "Partly", "no": "No", "not sure": "Not sure"}


@dataclass(frozen=True)
class Item:
    """One question: `good` is the answer that means the advice is followed."""

    key: str
    question: str
    action: str
    good: str = "yes"
    options: tuple[str, ...] = ANSWERS
    live_problem: str | None = None  # an answer that means something has gone wrong now
    live_action: str | None = None  # the action for that answer, instead of `action`
    not_applicable: str | None = None  # an answer that means the advice doesn't apply (no outcome, no action)
    labels: Mapping[str, str] = field(default_factory=dict)  # button titles, where not the option capitalised
    patterns: Mapping[str, str] = field(default_factory=dict)  # free-text patterns for options beyond the usual words

    def title(self, option: str) -> str:
        return self.labels.get(option) or _OPTION_TITLES.get(option) or option[0].upper() + option[1:]


POLICY_ITEMS: tuple[Item, ...] = (
    Item("policy_exists", "Does your school or college have a social networking policy, reviewed to make sure it is sufficiently clear and robust?",
         "Introduce a social networking policy if there isn't one, or review the existing one to make sure it is sufficiently clear and robust."),
    Item("awareness", "Have you raised awareness of the policy, and of appropriate use of social networking, throughout the school or college?",
         "Raise awareness of the policy and of appropriate use of social networking throughout the school or college."),
    Item("standards", "Does the policy set standards for good practice and give clear guidelines on appropriate online activity?",
         "Make sure the policy sets standards for good practice and gives clear guidelines on appropriate online activity."),
    Item("school_accounts", "Does it cover the use of the school or college's own social networking accounts?",
         "Cover the use of the school or college's own social networking accounts in the policy."),
    Item("confidentiality", "Does it cover confidentiality?", "Cover confidentiality in the policy."),
    Item("within_law", "Does it cover staying within the law?", "Cover staying within the law in the policy."),
    Item("covers_learners", "Does the policy cover learners as well as staff, with an acceptable use charter drawn up with learners where they are old enough, and with parents involved?",
         "Make sure the policy covers learners as well as staff: where learners are old enough, ask them to help draw up an acceptable use charter, and involve parents as well."),
    Item("staff_training", "Are staff who use social media as part of their job properly trained?",
         "Make sure staff who use social media as part of their job are properly trained."),
    Item("official_channels", "Does communication with learners and parents only go through official school or college channels (such as the school's own Facebook page), approved by the appropriate manager?",
         "Make sure communication with learners or parents goes through official school or college channels, such as the school or college's own Facebook page, approved by the appropriate manager."),
    Item("account_security", "Are the school or college's networking sites and accounts secure, and do they state (even when moderated) that individual comments are not necessarily representative of the organisation?",
         "Give the school or college's networking sites and accounts sufficient security, and state (even when moderated) that individual comments are not necessarily representative of your organisation."),
    Item("misuse_reporting", "Are there systems for reporting and logging potential misuse, and for removing offensive material?",
         "Introduce systems for reporting and logging potential misuse and for removing offensive material."),
    Item("home_laptops", "Does the policy include the appropriate home use of school or college laptops?",
         "Include the appropriate home use of school or college laptops in the policy."),
    Item("union_consultation", "Have you consulted the recognised trade unions on the policy and sought to reach agreement with them?",
         "Consult the recognised trade unions and seek to reach agreement with them."),
)

COMPLAINT = "yes, and it's led to a complaint"
NO_FACEBOOK = "no facebook"
# In the order of "Advice to you as individuals"; tests/unit/test_checkup_coverage.py maps each bullet to its items.
PERSONAL_ITEMS: tuple[Item, ...] = (
    Item("follows_policy", "Do you follow your school or college's official social networking policy yourself?",
         "Follow your school or college's official social networking policy yourself."),
    Item("learners_as_friends", "Have you added any learners (pupils or students) as friends or contacts on your own social media accounts?",
         "Don't add learners as friends or contacts on your own social media accounts.", good="no", options=YES_NO),
    Item("learners_online", "Do you always keep professional boundaries, and only talk with learners online through official school or college accounts?",
         "Always keep professional boundaries: don't get into discussions with learners online unless it's through official school or college accounts."),
    Item("parents_risks", "Have you thought about the potential risks, for example to professional boundaries, of adding parents to your private social media accounts?",
         "Think about the potential risks, for example to professional boundaries, of adding parents to your private social media accounts. "
         "Some organisations say such contact should only be through official school or college accounts.", options=YES_NO),
    Item("photos_care", "Do you take care when posting comments or photos of yourself?",
         "Take care when posting comments or photos of yourself: anything that someone else thinks is inappropriate may land you in trouble."),
    Item("offensive_posts", "Do you hold back from posting anything offensive or aggressive, even when you're very angry or upset?",
         "Never post anything offensive or aggressive, even if you're very angry or upset: it can easily be taken out of context."),
    Item("untag", "If you're tagged in something on Facebook that you think is inappropriate, do you untag yourself with the remove tag feature?",
         "If you're tagged in something on Facebook that you think is inappropriate, use the remove tag feature to untag yourself "
         "(the Facebook help centre explains how).",
         options=(*YES_NO, NO_FACEBOOK), not_applicable=NO_FACEBOOK, labels={NO_FACEBOOK: "I don't use Facebook"},
         patterns={NO_FACEBOOK: r"\b(?:don'?t|do not|never) (?:use|have|go on)(?: a)? facebook\b|\bnot on facebook\b|^no facebook\b"}),
    Item("stranger_requests", "Do you accept friend requests from people you don't really know?",
         "Avoid accepting friend requests from people you don't really know: being a friend of one of your friends "
         "doesn't mean someone should automatically be given access to your information.",
         good="no", labels={"partly": "Sometimes"}),
    Item("profile_appropriate", "Is the profile information on your social media accounts appropriate?",
         "Make sure the profile information on your social media accounts is appropriate."),
    Item("privacy_checked", "Have you checked the privacy and security settings on your social media accounts?",
         "Check your privacy and security settings."),
    Item("attributable", "If you rant about teaching, politics or life in general, could the account or blog, or anything you post there, identify you or your school or college?",
         "If you rant about teaching, politics or life in general, consider doing it anonymously, through an account or blog that can't be "
         "attributed to you, and check that nothing you post identifies you or your school or college.", good="no", options=YES_NO),
    Item("false_or_confidential", "Are you careful never to make false representations, breach copyright or upload confidential information?",
         "Don't make false representations, breach copyright or upload confidential information."),
    Item("regret", "It's easy to become complacent. Is there anything you've posted that you now regret?",
         "Try to have the post removed, ideally before it has been shared. If someone says you've caused offence, "
         "it's better to apologise in person, and if that isn't enough, apologise online.",
         good="no", options=("no", "yes", COMPLAINT), live_problem=COMPLAINT,
         live_action="Because there's a complaint, don't remove or change the post yet: keep a copy (a screenshot "
         "showing the date and the link) and talk to the union before changing anything.",
         patterns={COMPLAINT: r"\b(complain\w*|complaint|allegation|disciplinary|investigat\w*|suspend\w*)\b"}),
)

CHECKUPS = {"policy_review": POLICY_ITEMS, "personal_checkup": PERSONAL_ITEMS}


def _norm(text: str) -> str:
    norm = re.sub(r"[^\w' ,]+", " ", (text or "").lower().replace("’", "'"))[:300].strip()
    return re.sub(r"\s+", " ", norm)


def parse_answer(text: str, item: Item) -> str | None:
    """The option a member chose, from a button (its payload or title) or free text; None if unclear."""
    norm = _norm(text)
    for option in sorted(item.options, key=len, reverse=True):
        if norm in (option, _norm(item.title(option))):
            return option
    for option, pattern in item.patterns.items():
        if re.search(pattern, norm):
            return option
    for option in ("not sure", "partly", "no", "yes"):
        if option in item.options and any(re.search(rf"(^|\b){re.escape(w)}(\b|$)", norm) for w in _ANSWER_WORDS[option]):
            return option
    return None


def reask(item: Item) -> str:
    """What to say when an answer wasn't understood: the choices as the buttons show them."""
    titles = [f'"{item.title(o)}"' for o in item.options]
    return f"Sorry, I didn't catch that. Please answer {', '.join(titles[:-1])} or {titles[-1]}."


def outcome(item: Item, answer: str) -> str:
    """met, partly or missing ("not sure" counts as a gap: worth checking)."""
    if answer == item.good:
        return MET
    if answer == "partly":
        return PARTLY
    return MISSING


def outcomes_of(items: tuple[Item, ...], answers: Mapping[str, str | None]) -> dict[str, str]:
    """Each answered item's outcome (met, partly, missing), by item key; unanswered and not-applicable items are left out."""
    return {
        item.key: outcome(item, answer)
        for item in items
        if (answer := answers.get(item.key)) and answer != item.not_applicable
    }


def _tier(item: Item, answer: str) -> int:
    """ORDER_RULE: 0 a live problem, 1 not done, 2 not sure, 3 partly."""
    if item.live_problem and answer == item.live_problem:
        return 0
    if answer == "partly":
        return 3
    return 2 if answer == "not sure" else 1


@dataclass(frozen=True)
class Report:
    met: int
    partly: int
    missing: int
    actions: list[str]  # gaps worded as actions, in ORDER_RULE's order
    live_problem: bool

    @property
    def total(self) -> int:
        return self.met + self.partly + self.missing


def score(items: tuple[Item, ...], answers: Mapping[str, str]) -> Report:
    """Count met / partly / missing, and the gaps' actions in ORDER_RULE's order (the sort is stable: sheet order within a group)."""
    outcomes = outcomes_of(items, answers)
    gaps = sorted((item for item in items if outcomes.get(item.key) in (PARTLY, MISSING)),
                  key=lambda item: _tier(item, answers[item.key]))
    live = [item for item in gaps if _tier(item, answers[item.key]) == 0]
    actions = [item.live_action or item.action if item in live else item.action for item in gaps]
    values = list(outcomes.values())
    return Report(values.count(MET), values.count(PARTLY), values.count(MISSING), actions, bool(live))


def _summary(kind: str, result: Report) -> str:
    if kind == "policy_review":
        return f"Score: {result.met} of {result.total} met, {result.partly} partly met, {result.missing} missing or not sure."
    if not result.actions:
        return "You're already following every point of the advice sheet we went through."
    if result.met:
        return f"You already follow {result.met} of the {result.total} points we went through."
    return ""


def _all_clear(kind: str) -> str:
    if kind == "policy_review":
        return "Your policy covers every recommendation in the advice sheet. Keep reviewing it so it stays clear and robust."
    return REMINDER


def report_markdown(kind: str, answers: Mapping[str, str]) -> str:
    """The full report as Markdown: the actions in order, the score, every answer given, the source."""
    items = CHECKUPS[kind]
    result = score(items, answers)
    if kind == "policy_review":
        lines = ["# Social networking policy review", "", f"**{_summary(kind, result)}**", ""]
    else:
        lines = ["# Your social media check-up", "", REMINDER, ""]
    if result.actions:
        lines += ["## What to do next", "", ORDER_RULE[kind], ""]
        lines += [f"{i}. {action}" for i, action in enumerate(result.actions, 1)]
        if kind == "personal_checkup" and (summary := _summary(kind, result)):
            lines += ["", summary]
    else:
        lines += [_summary(kind, result) if kind == "personal_checkup" else _all_clear(kind)]
    lines += ["", "## Your answers", ""]
    lines += [f"- {item.question} **{item.title(answers[item.key])}**" for item in items if answers.get(item.key)]
    lines += ["", SOURCE_LEADERS if kind == "policy_review" else SOURCE_MEMBERS,
              "NEU AdviceLine: 0345 811 8111 (Monday to Friday, 9am to 7pm), adviceline@neu.org.uk"]
    return "\n".join(lines)


def _words(text: str) -> int:
    return len(text.split())


def _pack(parts: list[str], limit: int = MAX_BUBBLE_WORDS) -> list[str]:
    """Parts joined by newlines into as few messages as fit under `limit` words (a part is never split)."""
    bubbles: list[str] = []
    for part in parts:
        if bubbles and _words(bubbles[-1]) + _words(part) <= limit:
            bubbles[-1] += "\n" + part
        else:
            bubbles.append(part)
    return bubbles


COMPLAINT_FIRST = (
    "You said a post has led to a complaint. Before you remove or change anything, keep a copy of it "
    "(a screenshot showing the date and the link) and talk to the union. At the end there's a button if you'd "
    "like me to take a few details for an NEU adviser."
)


def report_chat_messages(kind: str, answers: Mapping[str, str]) -> list[str]:
    """The report for the chat as short messages, each under MAX_BUBBLE_WORDS words: a complaint first,
    then the score (leaders) and what to do first, then the rest of the actions; the download has everything."""
    result = score(CHECKUPS[kind], answers)
    source = SOURCE_LEADERS if kind == "policy_review" else SOURCE_MEMBERS
    summary = _summary(kind, result)
    first = [COMPLAINT_FIRST] if result.live_problem else []
    actions = result.actions[1:] if result.live_problem else result.actions  # the complaint's action is said first
    if not actions and not result.live_problem:
        return _pack([f"{summary} {_all_clear(kind)}", source])
    numbered = [f"{i}. {action}" for i, action in enumerate(actions, 1)]
    if kind == "policy_review":
        return _pack([summary, "What to do next:", *numbered, source])
    closing = f"{summary} {REMINDER}" if summary else REMINDER
    plan = (["Also, from your answers:" if first else "What to do next, from your answers:", *numbered] if numbered else [])
    return first + _pack([*plan, f"{closing}\n{source}"])


def report_chat_text(kind: str, answers: Mapping[str, str]) -> str:
    """Every chat message of the report, joined (for logs and tests)."""
    return "\n\n".join(report_chat_messages(kind, answers))


# ---- the conversation's view: one slot per question --------------------------------

_SLOT_PREFIX = {"policy_review": "review", "personal_checkup": "checkup"}


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
    buttons = [{"title": item.title(o), "payload": o} for o in item.options]
    return f"{number} of {len(CHECKUPS[kind])}: {item.question}", buttons
