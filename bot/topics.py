"""The topic catalogue (spec/topics.yml) and a short human title for each topic and offered intent.

Titles are what a member sees on a "Did you mean" button, so they are a few
plain words each, in the member's terms. A test checks every catalogue topic
has one, so a topic added to the catalogue cannot be offered without a title.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

CATALOGUE = Path(__file__).resolve().parent.parent / "spec" / "topics.yml"

TOPIC_TITLES = {
    "why_social_media_risky": "Why posts can cause trouble",
    "modelling_behaviour": "How I behave online outside work",
    "privacy_nothing_private": "Whether what I post is private",
    "follow_school_policy": "Following my school's policy",
    "learners_as_friends": "Pupils as friends or followers",
    "contact_learners_online": "Messaging pupils online",
    "parents_as_friends": "Parents as friends",
    "posting_photos": "Posting photos of myself",
    "angry_posts": "Posting when I'm angry or upset",
    "untag_facebook": "Being tagged in a photo",
    "friend_requests_strangers": "Requests from people I don't know",
    "privacy_settings": "My profile and privacy settings",
    "ranting_anonymously": "Ranting or blogging about work",
    "copyright_confidentiality": "Copyright and confidential information",
    "regret_post": "A post I regret",
    "policy_introduce_review": "Having or reviewing a school policy",
    "policy_contents": "What a school policy should include",
    "policy_raise_awareness": "Making staff aware of the policy",
    "policy_cover_learners": "A policy that covers pupils too",
    "staff_training": "Training for staff who run accounts",
    "official_channels": "Official channels for pupils and parents",
    "school_account_security": "Keeping school accounts secure",
    "misuse_reporting": "Reporting and removing misuse",
    "home_use_laptops": "School laptops used at home",
    "consult_unions": "Agreeing the policy with the unions",
    "contact_adviceline": "Contacting the union",
    "about_neu_leadership": "NEU Leadership and other advice",
    "suggest_topic": "An issue the sheets don't cover",
}

INTENT_TITLES = {
    "report_accused": "I've been accused over a post",
    "report_targeted": "I'm being targeted online",
    "request_human": "Talk to a person",
    "start_checkup": "Check my social media",
    "start_policy_review": "Review our school's policy",
}


@lru_cache(maxsize=1)
def catalogue_ids() -> tuple[str, ...]:
    """The topic ids of the catalogue, in its order."""
    return tuple(t["id"] for t in yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))["topics"])


def title(intent: str, topic: str | None = None) -> str:
    """The button title for a catalogue topic, or for one of the offered intents."""
    if topic:
        return TOPIC_TITLES[topic]
    return INTENT_TITLES[intent]
