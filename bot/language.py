"""Is a message in English? If not, which language, so the reply can say kindly that only English is understood.

Telling an English speaker "I only understand English" would be worse than
missing a message in another language (the classifier then answers it as out of
scope, with the AdviceLine), so a message counts as not English only when three
things agree: most of its letters are in a non-Latin script, or else it has at
least three words, fewer than half of them are words the assistant was trained
on, and `py3langid` (a maintained fork of langid.py, its model inside the
package) names another language with probability at least 0.5. Held-out English
(1,035 messages, typos and text-speak included) never met all three; see
docs/nlu.md for the measurement.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache

ENGLISH = "en"
WELSH = "cy"
MIN_WORDS = 3
MAX_KNOWN_SHARE = 0.5
MIN_PROBABILITY = 0.5
MAX_CHARS = 2000  # the start of a long message is plenty to tell

_NON_LATIN = re.compile(
    "[\u0370-\u03ff\u0400-\u052f\u0590-\u08ff\u0900-\u0dff\u0e00-\u0fff\u1100-\u11ff"
    "\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]"
)
_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class LanguageGuess:
    language: str  # ISO 639-1, "en" when English (or not sure)
    probability: float
    known_share: float = 1.0  # of its words, the share the assistant was trained on

    @property
    def english(self) -> bool:
        return self.language == ENGLISH

    @property
    def mostly_unknown_words(self) -> bool:
        return self.known_share < MAX_KNOWN_SHARE


def words_of(text: str) -> list[str]:
    """Lower-case words, apostrophes split off ("don't" -> "don", "t")."""
    return _WORD.findall(text.lower().replace("'", " ").replace("’", " "))


# Everyday English the training data may not happen to contain (so "ok sure thing" is English).
COMMON_ENGLISH = frozenset(
    ["a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at", "away", "back", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "cant", "come", "could", "did", "do", "does", "doing", "done", "dont", "down", "during", "each", "either", "else", "even", "ever", "every", "few", "for", "from", "get", "gets", "getting", "go", "goes", "going", "gone", "good", "got", "great", "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his", "how", "i", "if", "im", "in", "into", "is", "isnt", "it", "its", "ive", "just", "know", "last", "let", "like", "lol", "look", "lot", "lots", "made", "make", "many", "may", "maybe", "me", "mean", "might", "mine", "more", "most", "much", "must", "my", "myself", "need", "needs", "never", "new", "next", "no", "nope", "not", "nothing", "now", "of", "off", "ok", "okay", "old", "on", "once", "one", "only", "or", "other", "our", "out", "over", "own", "please", "pretty", "quite", "rather", "really", "right", "said", "same", "say", "says", "see", "seem", "she", "should", "since", "so", "some", "something", "soon", "sorry", "still", "such", "sure", "take", "tell", "than", "thank", "thanks", "that", "thats", "the", "their", "them", "then", "there", "these", "they", "thing", "things", "think", "this", "those", "though", "through", "thx", "to", "too", "try", "under", "until", "up", "us", "very", "want", "was", "way", "we", "well", "went", "were", "what", "whats", "when", "where", "which", "while", "who", "why", "will", "with", "wont", "would", "yeah", "yep", "yes", "yet", "you", "your", "youre", "yours"]
)


def vocabulary_of(texts: Iterable[str]) -> frozenset[str]:
    """The words of `texts`, with everyday English added."""
    return frozenset(word for text in texts for word in words_of(text)) | COMMON_ENGLISH


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_pickled_model(MODEL_FILE, norm_probs=True)


def guess_language(text: str | None, known_words: Collection[str]) -> LanguageGuess:
    """The message's language, or English when there is any doubt."""
    text = (text or "")[:MAX_CHARS]
    letters = _LETTER.findall(text)
    if not letters:
        return LanguageGuess(ENGLISH, 1.0)
    words = words_of(text)
    known = sum(word in known_words for word in words) / len(words) if words else 1.0
    language, probability = _identifier().classify(text)
    if len(_NON_LATIN.findall(text)) / len(letters) > 0.5:
        return LanguageGuess(language if language != ENGLISH else "und", float(probability), known)
    if len(words) >= MIN_WORDS and known < MAX_KNOWN_SHARE and language != ENGLISH and probability >= MIN_PROBABILITY:
        return LanguageGuess(language, float(probability), known)
    return LanguageGuess(ENGLISH, 1.0, known)


NOT_ENGLISH = (
    "Sorry, I can only understand messages in English. The NEU AdviceLine can help: "
    "0345 811 8111 (Monday to Friday, 9am to 7pm) or adviceline@neu.org.uk."
)
NOT_ENGLISH_WELSH = (
    "Mae'n ddrwg gen i, dim ond negeseuon yn Saesneg rwy'n eu deall. Gall AdviceLine yr NEU helpu: "
    "0345 811 8111 (dydd Llun i ddydd Gwener, 9am tan 7pm) neu adviceline@neu.org.uk."
)


def not_english_replies(language: str | None) -> list[str]:
    """What to say to a message not in English: in English, and in Welsh too for Welsh."""
    return [NOT_ENGLISH, NOT_ENGLISH_WELSH] if language == WELSH else [NOT_ENGLISH]
