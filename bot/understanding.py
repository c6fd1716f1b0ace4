"""Answer, ask "did you mean...?", or admit not understanding: one decision from the classifiers' scores.

The intent classifier scores what kind of message it is (a catalogue question,
an accusation, a greeting...) and the response selector scores which catalogue
topic a question is about. Multiplying them gives one ranking of everything
the assistant could do next ("faq/untag_facebook" 0.41, "report_targeted"
0.33, ...). Answering the top one is right when it clearly leads; when the top
two are close, or the leader is only middling, a wrong answer is likely, so the
member is asked which they meant (two options and "Something else"). When
nothing is plausible, the assistant says it did not understand. This is Rasa's
two-stage fallback idea applied to topics as well as intents (Rasa's own
works on intents only, and offers one).

Pure functions, so the thresholds are unit-tested and the NLU report
(scripts/nlu_report.py) measures exactly what the assistant does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

FAQ = "faq"
FALLBACK = "nlu_fallback"
DID_YOU_MEAN = "did_you_mean"
# What the assistant can offer as a "did you mean" option: a catalogue topic, or one of these.
OFFERABLE_INTENTS = ("report_accused", "report_targeted", "request_human", "start_checkup", "start_policy_review")

# The thresholds were chosen by 5-fold cross-validation on the training data (docs/nlu.md),
# never on the held-out sets: the lowest rate of wrong answers with "did you mean" under 5%.
# A leader this sure, this far ahead, is answered.
ANSWER_AT = 0.6
CLEAR_LEAD = 0.25
# Below this, a leader on its own is not trusted.
UNSURE_BELOW = 0.4
# A runner-up this likely is worth offering beside the leader.
OFFER_SECOND_AT = 0.25

Kind = Literal["answer", "did_you_mean", "unsure"]


@dataclass(frozen=True)
class Candidate:
    """One thing the assistant could do: an intent, and for catalogue questions the topic."""

    intent: str
    confidence: float
    topic: str | None = None

    @property
    def key(self) -> str:
        """`faq/<topic>` for a catalogue topic, else the intent name (as in the NLU data)."""
        return f"{FAQ}/{self.topic}" if self.topic else self.intent

    @property
    def offerable(self) -> bool:
        return bool(self.topic) or self.intent in OFFERABLE_INTENTS


@dataclass(frozen=True)
class Choice:
    kind: Kind
    options: tuple[Candidate, ...]  # the answer (one), the two to offer, or the best guesses


def candidates(intents: Iterable[tuple[str, float]], topics: Iterable[tuple[str, float]]) -> list[Candidate]:
    """One ranking: each intent's score, with `faq` split over its topics by the selector's scores."""
    topic_scores = [(topic.removeprefix(f"{FAQ}/"), score) for topic, score in topics]
    ranked: list[Candidate] = []
    for intent, score in intents:
        if intent == FALLBACK:
            continue
        if intent == FAQ and topic_scores:
            ranked += [Candidate(FAQ, score * share, topic) for topic, share in topic_scores]
        else:
            ranked.append(Candidate(intent, score))
    return sorted(ranked, key=lambda c: c.confidence, reverse=True)


def choose(ranked: list[Candidate]) -> Choice:
    """Answer the leader, offer the top two, or say it's unclear."""
    if not ranked:
        return Choice("unsure", ())
    top = ranked[0]
    second = ranked[1] if len(ranked) > 1 else Candidate("", 0.0)
    if top.confidence >= ANSWER_AT and top.confidence - second.confidence >= CLEAR_LEAD:
        return Choice("answer", (top,))
    offers = [c for c in ranked[:3] if c.offerable]
    if top.offerable and len(offers) >= 2 and offers[1].confidence >= OFFER_SECOND_AT:
        return Choice("did_you_mean", (offers[0], offers[1]))
    if top.confidence < UNSURE_BELOW:
        return Choice("unsure", tuple(ranked[:2]))
    return Choice("answer", (top,))


def choose_from_parse(parse: Mapping) -> Choice:
    """The choice for a Rasa parse result (`intent_ranking` and the `faq` selector's `ranking`)."""
    intents = [(i["name"], float(i["confidence"])) for i in parse.get("intent_ranking") or []]
    if not intents and parse.get("intent"):
        intents = [(parse["intent"]["name"], float(parse["intent"].get("confidence") or 0.0))]
    selector = ((parse.get("response_selector") or {}).get(FAQ) or {})
    topics = [(r["intent_response_key"], float(r["confidence"])) for r in selector.get("ranking") or []]
    return choose(candidates(intents, topics))
