"""Safety language detection: catch real risk, leave ordinary questions alone."""

import pytest

from bot.safety import SIGNPOST_TEXT, mentions_safety_risk

POSITIVE = [
    "A parent has threatened to hurt me",
    "Im so scared, theyve threatend to hurt me",  # typo
    "I've had death threats on Facebook",
    "They sent me threatening messages on Instagram",
    "Someone posted my home address in a Facebook group",
    "they posted my adress on facebook",  # typo
    "My address is all over TikTok now",
    "I think I've been doxxed",
    "Someone is stalking me online and at home",
    "sombody is stalkng me",  # typo
    "A man keeps turning up outside my house",
    "They know where I live",
    "He followed me home from school",
    "I don't feel safe anymore",
    "i dont feel saf going to work",  # typo
    "I DO NOT FEEL SAFE",
    "I'm feeling really unsafe at home",
    "I'm scared for my safety",
    "I feel like I want to kill myself",
    "I want to kil myslef",  # typos
    "im feeling suicidal",
    "been having suicdal thoughts",  # typo
    "I've been self-harming again",
    "Sometimes I think I'd be better off dead",
    "I just want to end it all",
    "I don't want to live like this",
    "I can't go on like this",
    "A pupil said he is going to stab me",
    "I was assaulted by a parent after they saw the post",
    "I've been threatened since the video went up",
    "I'm in danger",
    "I'm scared to leave the house",
    # held-out NLU examples the classifier missed (results/nlu): the check must not rely on it
    "a pupil threatened to hit me on snapchat",
    "i'd rather be dead than go back to school",
    "Some days I wish I could just die",
    "A parent threatened to slap me at the gate",
]

NEGATIVE = [
    "Is it safe to add parents on Facebook?",
    "How do I check my privacy settings?",
    "What should our safeguarding policy say about social media?",
    "Can I post photos of myself on holiday?",
    "I posted something I regret, what now?",
    "A parent complained about my post",
    "How do I untag myself from a photo?",
    "A pupil sent me a friend request",
    "I've been suspended over a tweet",
    "Someone posted a photo of me at a party",
    "The head threatened me with disciplinary action",
    "The parent threatened to complain to the head",
    "They threatened to report me to Ofsted",
    "How do we keep the school's accounts safe and secure?",
    "Is it safe to post about politics anonymously?",
    "What is the AdviceLine's email address?",
    "Our school address is on the website",
    "I was talking to parents on WhatsApp",
    "I feel so stupid about this",
    "I'm worried about my job",
    "Is my account secure enough?",
    "Should staff who run our accounts be trained?",
    "Can I rant about teaching on a blog?",
    "The deadline for the appeal is Friday",
    "There are threads about me on Reddit",
    "Can I share my own work documents?",
    "I stacked the chairs after the event",
    "How do I address a complaint from a parent?",
    "Can I save posts without anyone seeing?",
    "We need a policy on misuse reporting",
    "I'd rather die of embarrassment than post that",
    "",
]


@pytest.mark.parametrize("text", POSITIVE)
def test_detects_risk(text):
    assert mentions_safety_risk(text)


@pytest.mark.parametrize("text", NEGATIVE)
def test_ignores_ordinary_questions(text):
    assert not mentions_safety_risk(text)


def test_enough_examples():
    assert len(POSITIVE) >= 20 and len(NEGATIVE) >= 20


@pytest.mark.parametrize(
    "text", [None, "😀" * 50, "x" * 10_000, "<script>alert('kill')</script>", "'; DROP TABLE cases;--", "我很好"]
)
def test_odd_input_never_raises(text):
    assert mentions_safety_risk(text) is False


def test_signposting_quotes_the_numbers():
    assert "999" in SIGNPOST_TEXT
    assert "116 123" in SIGNPOST_TEXT and "Samaritans" in SIGNPOST_TEXT
    assert "day or night" in SIGNPOST_TEXT
    assert "08000 562 561" in SIGNPOST_TEXT and "Education Support" in SIGNPOST_TEXT
