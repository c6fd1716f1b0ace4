"""What a member's message means while the intake is asking a question.

During the intake every message is first offered to the question being asked.
This decides, from the text and the NLU's guess, whether it is instead a wish
to stop, a question from the catalogue, or a change of track. It is a pure
function so the rules are unit-tested without Rasa.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

STOP_PHRASES = frozenset(
    {
        "stop", "cancel", "quit", "exit", "abort", "end", "forget it", "never mind", "nevermind",
        "cancel that", "stop this", "stop please", "please stop", "i want to stop", "cancel please",
        "stop it", "leave it", "don't send anything", "dont send anything",
    }
)
# The NLU's `stop` is trusted only when the words say so: noise or an email address
# the model happens to label `stop` must never throw away a member's answers.
STOP_CUES = re.compile(
    r"\b(stop|cancel|quit|exit|abort|forget|never ?mind|don'?t want|do not want|no longer|leave it|enough|end this|"
    r"give up|not now|rather not|later)\b"
)
QUESTION_CONFIDENCE = 0.7
FREE_TEXT_QUESTION_CONFIDENCE = 0.85
STOP_CONFIDENCE = 0.8
SWITCH_CONFIDENCE = 0.8
TRACK_INTENTS = {"report_accused": "accused", "report_targeted": "targeted"}
# A member who asked for a person and is describing their situation moves to a track's
# questions only if their words name such a situation: the NLU alone once read "it's a bit
# complicated, I'd rather explain it to a person" as an accusation.
TRACK_CUES = {
    "accused": re.compile(
        r"\b(accus\w*|alleg\w*|complain\w*|complaint|disciplin\w*|investigat\w*|suspend\w*|misconduct|"
        r"reported|hearing|sack\w*|fired|dismiss\w*|warning|in trouble)"
    ),
    "targeted": re.compile(
        r"\b(abus\w*|harass\w*|troll\w*|bull(y|ied|ying)|fake|impersonat\w*|video\w*|photo\w*|picture\w*|"
        r"threat\w*|posting about|posted about|comments? about|mock\w*|insult\w*|rumou?rs?|target\w*|hate)"
    ),
}


@dataclass(frozen=True)
class Turn:
    """kind: answer, stop, question or switch (then `track` is the new track)."""

    kind: str
    track: str | None = None


def _normalise(text: str) -> str:
    return re.sub(r"[^\w' ]+", " ", text.lower()).strip()


QUESTION_WORDS = frozenset(
    ["can", "could", "should", "shall", "may", "must", "is", "are", "am", "was", "do", "does", "did", "will", "would", "how", "what", "when", "where", "who", "whom", "why", "which"]
)


def _is_question(text: str) -> bool:
    return text.strip().endswith("?")


def _looks_like_question(text: str) -> bool:
    """A question mark, or an opening question word ("can I add parents on Facebook")."""
    words = _normalise(text).split()
    return _is_question(text) or bool(words and words[0] in QUESTION_WORDS)


def classify_turn(
    text: str,
    intent: str | None,
    confidence: float,
    *,
    free_text: bool,
    answer_ok: bool,
    case_type: str | None = None,
    asking_description: bool = False,
) -> Turn:
    """Decide what a message means while a question is being asked.

    `answer_ok` says whether the question's parser accepted the text: a valid
    answer wins over a guessed intent (so "no" to "are the police involved?"
    is an answer, not a wish to stop), except for an explicit "stop".
    `case_type` is the intake's track (None outside the intake: no switching).
    """
    words = _normalise(text)
    if words in STOP_PHRASES:
        return Turn("stop")
    short = len(words.split()) <= 10
    says_stop = bool(STOP_CUES.search(words))
    if intent == "stop" and confidence >= STOP_CONFIDENCE and short and says_stop and (free_text or not answer_ok):
        return Turn("stop")
    if case_type and intent in TRACK_INTENTS and confidence >= SWITCH_CONFIDENCE:
        track = TRACK_INTENTS[intent]
        switching_from_other = case_type == "other" and asking_description and bool(TRACK_CUES[track].search(words))
        explicit_change = case_type in TRACK_INTENTS.values() and not asking_description
        if track != case_type and (switching_from_other or explicit_change):
            return Turn("switch", track)
    if intent == "faq" and not (answer_ok and not free_text):
        threshold = FREE_TEXT_QUESTION_CONFIDENCE if free_text else QUESTION_CONFIDENCE
        looks_like_one = _is_question(text) if free_text else _looks_like_question(text)
        if confidence >= threshold and looks_like_one:
            return Turn("question")
    return Turn("answer")
