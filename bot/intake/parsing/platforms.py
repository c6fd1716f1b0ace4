"""Which platforms it happened on, in the schema's canonical names (typos forgiven)."""

from __future__ import annotations

import re
from typing import Any

from bot.intake.parsing.base import Parsed, _norm
from bot.safety import edit_distance

PLATFORMS = ("Facebook", "Instagram", "TikTok", "X (Twitter)", "WhatsApp", "Snapchat",
             "YouTube", "LinkedIn", "Reddit", "a blog or website", "other")
_PLATFORM_WORDS = {
    "Facebook": ("facebook", "fb", "messenger", "fbook"),
    "Instagram": ("instagram", "insta", "ig", "gram", "instagramm"),
    "TikTok": ("tiktok", "tiktoks", "tictoc", "tictok", "tiktoc"),
    "X (Twitter)": ("twitter", "x", "tweet", "tweets", "tweeted", "twitterx", "xcom"),
    "WhatsApp": ("whatsapp", "whatsap", "watsapp", "whatapp", "whatsapps"),
    "Snapchat": ("snapchat", "snap", "snaps", "snapchats"),
    "YouTube": ("youtube", "yt"),
    "LinkedIn": ("linkedin",),
    "Reddit": ("reddit", "subreddit"),
    "a blog or website": ("blog", "blogs", "website", "websites", "forum", "forums", "webpage",
                          "site", "mumsnet", "blogpost", "vlog"),
    "other": ("other", "else"),
}
_JOINS = [(r"\bface book\b", "facebook"), (r"\btik tok\b|\btic toc\b|\btick tock\b", "tiktok"),
          (r"\bwhats ?app\b|\bwhat s app\b", "whatsapp"), (r"\byou tube\b", "youtube"),
          (r"\blinked in\b", "linkedin"), (r"\bweb ?site\b|\bweb page\b", "website"),
          (r"\bx com\b", "xcom"), (r"\bsnap chat\b", "snapchat")]


def _platform_of(token: str) -> str | None:
    """The platform a word names, allowing one slip in longer names."""
    for name, words in _PLATFORM_WORDS.items():
        if token in words:
            return name
    if len(token) < 6:
        return None
    for name, words in _PLATFORM_WORDS.items():
        if any(len(w) >= 6 and token[0] == w[0] and edit_distance(token, w) <= 1 for w in words):
            return name
    return None


def parse_platforms(text: Any) -> Parsed:
    """Canonical platform names (list) in catalogue order; ["other"] if none is recognised.

    The caller should keep the raw text when the value is ["other"].
    """
    norm = _norm(text)
    if not norm:
        return Parsed.bad("Which app or website was it on? For example Facebook, Instagram or TikTok.")
    for pattern, repl in _JOINS:
        norm = re.sub(pattern, repl, norm)
    found = {p for t in norm.split() if (p := _platform_of(t))}
    if len(found) > 1:
        found.discard("other")
    return Parsed.good([p for p in PLATFORMS if p in found] or ["other"])
