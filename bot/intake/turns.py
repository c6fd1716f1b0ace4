"""What a member's message means while the intake is asking a question.

During the intake every message is first offered to the question being asked.
This decides, from the text and the NLU's guess, whether it is instead a wish
to stop, a question from the catalogue, or a change of track. It is a pure
function so the rules are unit-tested without Rasa.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# An unmistakable stop: the message is nothing but a wish to stop (and politeness). Anything
# more (a date, a platform, "not", "but", a question) and the member is asked first, because
# stopping deletes what they typed.
_WHAT_I_SAID = r"(?:(?:what|everything|all) (?:i|ive|i have) (?:told you|said|wrote|written|typed|entered)(?: so far)?)"
_STOP_CORE = (
    rf"(?:stop|cancel|quit|exit|abort|end|end (?:it|this|here|now)|finish|forget (?:it|this|that|about it|the whole thing|{_WHAT_I_SAID})|"
    r"(?:scrap|discard|bin|ditch|wipe|clear|delete|remove|erase) (?:it|it all|all of (?:it|that|this)|that|this|everything|"
    rf"all that|the lot|the whole thing|{_WHAT_I_SAID}|my (?:details|answers|information|info))|"
    r"never ?mind|leave it|drop it|scrap (?:it|that|this)|bin it|delete (?:it|it all|all of it|everything|this|"
    rf"{_WHAT_I_SAID}|my (?:details|answers|information|info))|"
    r"(?:dont|do not) send (?:it|anything|this|that|any of it|them)|"
    r"(?:i )?(?:want|wanna|would like|d like) to (?:stop|cancel|quit|end (?:this|it)|leave it)|"
    r"(?:i )?(?:dont|do not|no longer) want to (?:do this|carry on|continue|go on|go ahead|send (?:it|anything|this))(?: any ?more)?|"
    r"(?:i d|id|i would) rather not(?: (?:carry on|continue|do this|go on))?|"
    r"(?:im|i am) not (?:doing|going ahead with) this|(?:lets|let s) stop|enough|not now|"
    r"(?:ive|i have|i ve) changed my mind|i changed my mind|changed my mind)"
)
_STOP_FILLER = (
    r"(?:please|pls|plz|now|right now|thanks|thank you|thanks anyway|ok|okay|actually|just|sorry|no|nah|nope|oh|"
    r"hmm|look|honestly|tbh|all of it|everything|then|for now|thats it|that s it|i think|"
    r"(?:i ?ll|i will) (?:ring|call|phone|email|contact) (?:them|the adviceline|the union|the neu|someone)(?: instead| myself)?|"
    r"(?:i ?ll|i will) (?:sort it|deal with it) (?:out )?myself|instead|this|it|any more|anymore|for today)"
)
_UNMISTAKABLE_STOP = re.compile(rf"^(?:(?:{_STOP_FILLER}) )*{_STOP_CORE}(?: (?:{_STOP_CORE}|{_STOP_FILLER}))*$")
# Words that make a stop worth asking about ("wait, stop, the date is wrong" is not a stop).
STOP_CUES = re.compile(
    r"\b(stop|cancel|quit|exit|abort|forget|never ?mind|delete|don'?t want|do not want|no longer|leave it|enough|end this|"
    r"give up|not now|rather not|later|changed my mind|don'?t send|dont send)\b"
)


_HELP_AGAIN = re.compile(
    r"\b(?:i do|i still|i really|i think i|actually i|i) (?:do )?(?:want|need|would like) (?:some )?(?:help|advice|support|"
    r"to (?:carry on|go ahead|continue|do (?:this|it)|send (?:it|this)|talk to (?:someone|a person)))\b|"
    r"\b(?:changed my mind|carry on after all|go ahead after all|start again|start over|lets (?:do it|carry on))\b|"
    r"\bactually (?:yes|i do)\b"
)


def wants_help_again(text: str) -> bool:
    """After a stop: "actually no wait, I do want help", "I've changed my mind"."""
    return bool(_HELP_AGAIN.search(_normalise(text).replace("'", "")))


_ERASE = re.compile(
    r"\b(?:delete|erase|wipe|clear|remove|forget|get rid of)\b.*\b(?:what i (?:told you|said|wrote|typed|entered)|"
    r"(?:everything|all) (?:i|ive|i have) (?:told you|said|written|typed|entered)|my (?:data|details|information|info)|"
    r"this (?:chat|conversation))"
)


def asks_to_erase(text: str, intent: str | None) -> bool:
    """A stop that asks for what was said to be forgotten, not only the answers: the whole
    conversation is erased from storage (as "delete what I told you" does outside a form)."""
    return intent == "delete_my_data" or bool(_ERASE.search(_normalise(text).replace("'", "")))


def is_unmistakable_stop(text: str) -> bool:
    """Nothing in the message but a wish to stop: "stop", "please just delete it all, I've changed my mind"."""
    words = _normalise(text).replace("'", "")
    return bool(words) and len(words.split()) <= 20 and bool(_UNMISTAKABLE_STOP.match(" ".join(words.split())))


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
    """kind: answer, stop, maybe_stop (ask first), question or switch (then `track` is the new track)."""

    kind: str
    track: str | None = None


def _normalise(text: str) -> str:
    return re.sub(r"[^\w' ]+", " ", text.lower()).strip()


QUESTION_WORDS = frozenset(
    ["can", "could", "should", "shall", "may", "must", "is", "are", "am", "was", "do", "does", "did", "will", "would", "how", "what", "when", "where", "who", "whom", "why", "which"]
)


def _is_question(text: str) -> bool:
    return text.strip().endswith("?")


def looks_like_question(text: str) -> bool:
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
    if text.strip() == "/stop" or is_unmistakable_stop(text):
        return Turn("stop")
    says_stop = bool(STOP_CUES.search(words))
    short = len(words.split()) <= 12
    nlu_says_stop = intent == "stop" and confidence >= STOP_CONFIDENCE and not free_text
    if says_stop and not _is_question(text) and (short or nlu_says_stop) and (intent == "stop" or not answer_ok or free_text):
        return Turn("maybe_stop")  # ask before deleting anything
    if case_type and intent in TRACK_INTENTS and confidence >= SWITCH_CONFIDENCE:
        track = TRACK_INTENTS[intent]
        switching_from_other = case_type == "other" and asking_description and bool(TRACK_CUES[track].search(words))
        explicit_change = case_type in TRACK_INTENTS.values() and not asking_description
        if track != case_type and (switching_from_other or explicit_change):
            return Turn("switch", track)
    if intent == "faq" and not (answer_ok and not free_text):
        threshold = FREE_TEXT_QUESTION_CONFIDENCE if free_text else QUESTION_CONFIDENCE
        looks_like_one = _is_question(text) if free_text else looks_like_question(text)
        if confidence >= threshold and looks_like_one:
            return Turn("question")
    return Turn("answer")
