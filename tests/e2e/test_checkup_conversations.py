"""The policy review and the personal check-up against the running servers."""

from __future__ import annotations

from bot import checkups
from bot.checkup_counts import summarise
from bot.storage.engine import session_factory_for
from bot.storage.uow import SqlUnitOfWork
from tests.support.replies import buttons, dump, texts
from tests.support.stack import Stack


def question(slot: str) -> str:
    return checkups.prompt(slot)[0]


def report_of(replies):
    return next(r["custom"]["report"] for r in replies if "custom" in r)


def policy_counts(stack: Stack) -> dict[str, tuple[int, int, int]]:
    """The anonymous tallies (the test stack runs with CHECKUP_COUNTS=1), per policy question."""
    with SqlUnitOfWork(session_factory_for(stack.database_url)) as uow:
        policy = summarise(uow.checkup_counts.totals())[0]
    return {c.item.key: (c.met, c.partly, c.missing) for c in policy.items}


def test_policy_review_complete_with_report(stack, sender):
    before = policy_counts(stack)
    replies = stack.chat(sender, "can you help me review our school's social media policy")
    assert "anonymous totals" in texts(replies)
    answers = {"home_laptops": "no", "misuse_reporting": "partly", "union_consultation": "not sure"}
    for item in checkups.POLICY_ITEMS:
        assert question(checkups.slot_name("policy_review", item.key)) in texts(replies), dump(replies)
        assert buttons(replies) == ["Yes", "Partly", "No", "Not sure"]
        replies = stack.chat(sender, answers.get(item.key, "yes"))
    said = texts(replies)
    bubbles = [r["text"] for r in replies if r.get("text")]
    assert bubbles[0].startswith("Score: 10 of 13 met, 1 partly met, 2 missing or not sure.")
    assert all(len(b.split()) <= checkups.MAX_BUBBLE_WORDS for b in bubbles), dump(replies)
    # missing first, then not sure, then partly
    assert said.index("Include the appropriate home use") < said.index("Consult the recognised") < said.index("Introduce systems for reporting")
    report = report_of(replies)
    assert report["filename"] == "policy-review.md" and report["markdown"].startswith("# Social networking policy review")
    added = {key: tuple(a - b for a, b in zip(n, before[key], strict=True)) for key, n in policy_counts(stack).items()}
    assert added["home_laptops"] == (0, 0, 1) and added["misuse_reporting"] == (0, 1, 0)
    assert added["union_consultation"] == (0, 0, 1) and added["awareness"] == (1, 0, 0)


def test_personal_checkup_paused_for_a_question_then_resumed(stack, sender):
    replies = stack.chat(sender, "am I safe on social media?")
    first = question("checkup_follows_policy")
    assert first in texts(replies) and "nothing you post online is really private" in texts(replies)
    replies = stack.chat(sender, "Should I accept friend requests from parents?")
    said = texts(replies)
    assert "Source:" in said and first in said, dump(replies)
    replies = stack.chat(sender, "no")
    assert question("checkup_learners_as_friends") in texts(replies)


def test_personal_checkup_live_problem_offers_the_intake(stack, sender):
    replies = stack.chat(sender, "check my accounts")
    for item in checkups.PERSONAL_ITEMS:
        assert question(checkups.slot_name("personal_checkup", item.key)) in texts(replies), dump(replies)
        replies = stack.chat(sender, "yes, and it's led to a complaint" if item.key == "regret" else item.good)
    assert buttons(replies) == ["Yes, take my details"], dump(replies)
    assert replies[-1]["buttons"], "the offer comes last, so the web chat shows its button"
    said = texts(replies)
    assert said.startswith("You said a post has led to a complaint.") and "keep a copy" in said
    assert "talk to the union" in said and "Try to have the post removed" not in said


def test_checkup_can_be_stopped(stack, sender):
    stack.chat(sender, "check our policy")
    said = texts(stack.chat(sender, "stop"))
    assert "stopped the check-up" in said
    assert "Hello" in texts(stack.chat(sender, "hello"))


def test_unclear_answer_is_explained_and_asked_again(stack, sender):
    stack.chat(sender, "/start_checkup")
    replies = stack.chat(sender, "purple")
    assert "Please answer" in texts(replies) and question("checkup_follows_policy") in texts(replies)
