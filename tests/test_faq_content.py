"""Checks of the FAQ content against the topic catalogue and the advice sheet.

- data/nlu/faq.yml            training examples for faq/<id>
- tests/nlu/heldout_faq.yml   held-out examples (never trained on)
- data/responses/faq.yml      one answer utter_faq/<id> per topic
- spec/topics.yml             the catalogue (ids, sections, must_convey)
- spec/safer-social-networking.txt  the advice sheet (source of every fact)
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SPEC_DIR = ROOT / "spec"
CATALOGUE_PATH = SPEC_DIR / "topics.yml"
SHEET_PATH = SPEC_DIR / "safer-social-networking.txt"
NLU_DIR = ROOT / "data" / "nlu"
TRAIN_PATH = NLU_DIR / "faq.yml"
HELDOUT_PATH = ROOT / "tests" / "nlu" / "heldout_faq.yml"
RESPONSES_PATH = ROOT / "data" / "responses" / "faq.yml"

MIN_TRAIN = 15
MIN_HELDOUT = 4
SOURCE_PREFIX = 'Source: "Safer social networking", '


# --------------------------------------------------------------------------
# loading helpers
# --------------------------------------------------------------------------
def _load_yaml(path: Path) -> dict:
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    assert isinstance(data, dict), f"{path} is not a YAML mapping"
    return data


_ENTITY = re.compile(r"\[([^\]]*)\]\s*(\([^)]*\)|\{[^}]*\})")


def _examples(value) -> list[str]:
    """Rasa examples: a '- example' block string, or a list of {text: ...}."""
    out: list[str] = []
    if isinstance(value, str):
        for line in value.splitlines():
            line = line.strip()
            if line.startswith("- "):
                out.append(line[2:].strip())
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and "text" in item:
                out.append(str(item["text"]).strip())
            elif isinstance(item, str):
                out.append(item.strip())
    return [_ENTITY.sub(r"\1", e) for e in out if e]


def _intent_examples(path: Path) -> dict[str, list[str]]:
    data = _load_yaml(path)
    result: dict[str, list[str]] = {}
    for block in data.get("nlu") or []:
        if isinstance(block, dict) and "intent" in block:
            result.setdefault(block["intent"], []).extend(_examples(block.get("examples")))
    return result


def _normalise(text: str) -> str:
    text = re.sub(r"[^\w\s]", "", text.lower())
    return re.sub(r"\s+", " ", text).strip()


CATALOGUE = _load_yaml(CATALOGUE_PATH)["topics"]
TOPICS = {t["id"]: t for t in CATALOGUE}
TOPIC_IDS = sorted(TOPICS)
SHEET = SHEET_PATH.read_text(encoding="utf-8")
TRAIN = _intent_examples(TRAIN_PATH)
HELDOUT = _intent_examples(HELDOUT_PATH)
RESPONSES = _load_yaml(RESPONSES_PATH)["responses"]


def _answer(topic_id: str) -> str:
    variants = RESPONSES[f"utter_faq/{topic_id}"]
    assert isinstance(variants, list) and variants, f"utter_faq/{topic_id} has no variants"
    return variants[0]["text"]


def _all_answers() -> list[tuple[str, str]]:
    out = []
    for name, variants in RESPONSES.items():
        for v in variants:
            out.append((name, v.get("text", "")))
    return out


# --------------------------------------------------------------------------
# regexes for every must_convey point (case-insensitive, searched in the answer)
# --------------------------------------------------------------------------
MUST_CONVEY_CHECKS: dict[str, list[str]] = {
    "why_social_media_risky": [
        # instant, visible at once, hard to remove, easy to copy and pass on
        r"\binstant",
        r"(seen|visible).{0,20}(straight away|immediately|at once)",
        r"(hard|difficult).{0,20}(remove|delete|take down)",
        r"cop(y|ied).{0,30}(pass|shar)",
        # disrepute
        r"disrepute",
        r"school or college",
        # confidentiality, cyberbullying, inappropriate language -> complaints, disciplinary
        r"confidential",
        r"cyberbull",
        r"inappropriate language",
        r"complaints?.{0,30}disciplinary",
    ],
    "modelling_behaviour": [
        r"model(ling)?.{0,40}(appropriate|good) behaviour",
        r"outside.{0,30}(learning environment|school|work)",
        r"offensive remarks",
        r"scorn",
        r"jokes",
        r"nothing.{0,40}(stay|remain|is).{0,15}private",
    ],
    "privacy_nothing_private": [
        r"nothing you post.{0,20}(is|will be)?.{0,15}(really|truly|ever).{0,15}private",
        r"cop(y|ied).{0,40}(shar|pass)",
    ],
    "follow_school_policy": [
        r"follow.{0,60}official social networking policy",
        r"yourself",
    ],
    "learners_as_friends": [
        r"(don'?t|do not|never).{0,40}(add|accept).{0,40}(pupil|learner|student)s?",
        r"friends or contacts",
        r"(own|personal).{0,30}(social media|accounts)",
    ],
    "contact_learners_online": [
        r"(always|keep|maintain).{0,20}professional boundaries",
        r"(don'?t|do not|never).{0,60}(discuss|chat|messag|talk).{0,60}learners",
        r"unless.{0,40}official school or college accounts",
    ],
    "parents_as_friends": [
        r"(think|consider).{0,40}risks?",
        r"professional boundaries",
        r"(adding|add) parents.{0,30}(private|personal).{0,30}accounts",
        r"some (schools|organisations|colleges).{0,80}only.{0,60}official school or college accounts",
    ],
    "posting_photos": [
        r"take care.{0,40}(comments|photos)",
        r"photos of yourself",
        r"(someone|anyone) else.{0,40}inappropriate",
        r"(land|get) you in(to)? trouble",
    ],
    "angry_posts": [
        r"never post.{0,40}offensive or aggressive",
        r"angry or upset",
        r"(easily|can be).{0,20}taken out of context",
    ],
    "untag_facebook": [
        r"remove tag feature",
        r"untag yourself",
        r"facebook help cent(re|er)",
    ],
    "friend_requests_strangers": [
        r"avoid accepting friend requests",
        r"(don'?t|do not) really know",
        r"friend of.{0,40}friends?",
        r"(doesn'?t|does not|don'?t).{0,60}(access|see).{0,20}your information",
    ],
    "privacy_settings": [
        r"profile information.{0,80}appropriate",
        r"check.{0,30}privacy and security settings",
    ],
    "ranting_anonymously": [
        r"\brant\b",
        r"anonymous(ly)?",
        r"(account|blog).{0,40}(can'?t|cannot).{0,30}(linked|traced|attributed)",
        r"nothing you post.{0,30}identif(y|ies) you",
        r"your school or college",
    ],
    "copyright_confidentiality": [
        r"false representation|misrepresent",
        r"(don'?t|do not|never).{0,20}breach.{0,20}copyright",
        r"(don'?t|do not|never).{0,10}upload confidential information",
    ],
    "regret_post": [
        # remove it first, ideally before it is shared
        r"(first|firstly).{0,40}(remov|taken down|take it down|delet)",
        r"before.{0,40}shar",
        # offence: apologise in person, then online if not enough
        r"caused offence",
        r"apologi[sz]e.{0,20}in person",
        r"(isn'?t|is not|not) enough.{0,40}apologi[sz]e online",
        # a complaint -> keep a copy, and the offer to take details (the buttons)
        r"complaint.{0,40}keep a copy",
        r"become a complaint or a formal process\?",
    ],
    "policy_introduce_review": [
        r"introduce (one|a policy|a social networking policy)",
        r"(doesn'?t|does not|don'?t) have a social networking policy",
        r"review it",
        r"clear and robust",
    ],
    "policy_contents": [
        r"standards for good practice",
        r"clear guidelines.{0,40}appropriate online activity",
        r"own social networking accounts",
        r"confidentiality",
        r"within the law",
        r"learners as well as staff",
        r"home use of school or college laptops",
        r"reporting and logging.{0,30}misuse",
        r"removing offensive material",
    ],
    "policy_raise_awareness": [
        r"raise awareness of the policy",
        r"appropriate use of social networking",
        r"(across|throughout).{0,20}school or college",
    ],
    "policy_cover_learners": [
        r"^yes\b",
        r"learners as well as staff",
        r"(appropriate|old enough|right) age",
        r"(help )?draw up an acceptable use charter",
        r"involve parents",
    ],
    "staff_training": [
        r"use social media as part of their job",
        r"properly trained",
    ],
    "official_channels": [
        r"(through|via) official school or college channels",
        r"own facebook page",
        r"approved by the appropriate manager",
    ],
    "school_account_security": [
        r"sites and accounts",
        r"sufficient security",
        r"(even|also) (if|when).{0,20}moderated",
        r"individual comments.{0,40}(don'?t|do not).{0,20}necessarily represent",
    ],
    "misuse_reporting": [
        r"(introduce|set up).{0,20}systems for reporting and logging",
        r"potential misuse",
        r"removing offensive material",
    ],
    "home_use_laptops": [
        r"policy includes",
        r"appropriate home use of school or college laptops",
    ],
    "consult_unions": [
        r"consult",
        r"reach agreement",
        r"recognised trade unions",
    ],
    "contact_adviceline": [
        r"workplace NEU rep",
        r"local NEU branch",
        r"NEU AdviceLine on 0345 811 8111",
        r"Monday to Friday,? 9am to 7pm",
        r"adviceline@neu\.org\.uk",
        r"^\{adviceline_status\}$",
    ],
    "about_neu_leadership": [
        r"NEU Leadership is for senior leaders in education",
        r"members of the National Education Union|NEU members",
        r"neu\.org\.uk/leadership",
        r"other (NEU )?advice sheets",
        r"model of ethical leadership",
        r"Guild Community.{0,40}peer support",
    ],
    "suggest_topic": [
        r"National Official \(Leadership\)",
        r"steve\.cooper@neu\.org\.uk",
        r"not covered",
    ],
}


# --------------------------------------------------------------------------
# coverage of the catalogue
# --------------------------------------------------------------------------
def test_catalogue_has_28_unique_ids():
    ids = [t["id"] for t in CATALOGUE]
    assert len(ids) == len(set(ids)), "duplicate ids in the catalogue"
    assert len(ids) == 28


@pytest.mark.parametrize("topic_id", TOPIC_IDS)
def test_topic_has_training_examples(topic_id):
    examples = TRAIN.get(f"faq/{topic_id}", [])
    assert len(examples) >= MIN_TRAIN, f"faq/{topic_id}: {len(examples)} training examples"


@pytest.mark.parametrize("topic_id", TOPIC_IDS)
def test_topic_has_heldout_examples(topic_id):
    examples = HELDOUT.get(f"faq/{topic_id}", [])
    assert len(examples) >= MIN_HELDOUT, f"faq/{topic_id}: {len(examples)} held-out examples"


@pytest.mark.parametrize("topic_id", TOPIC_IDS)
def test_topic_has_response(topic_id):
    assert f"utter_faq/{topic_id}" in RESPONSES
    assert _answer(topic_id).strip()


def test_no_faq_ids_outside_catalogue():
    known = set(TOPIC_IDS)
    train_ids = {i.split("/", 1)[1] for i in TRAIN if i.startswith("faq/")}
    heldout_ids = {i.split("/", 1)[1] for i in HELDOUT if i.startswith("faq/")}
    response_ids = {r.split("/", 1)[1] for r in RESPONSES if r.startswith("utter_faq/")}
    assert train_ids - known == set(), "training intents not in catalogue"
    assert heldout_ids - known == set(), "held-out intents not in catalogue"
    assert response_ids - known == set(), "responses not in catalogue"
    # the FAQ files hold nothing but faq/* intents and utter_faq/* responses
    assert all(i.startswith("faq/") for i in TRAIN)
    assert all(i.startswith("faq/") for i in HELDOUT)
    assert all(r.startswith("utter_faq/") for r in RESPONSES)


def test_faq_intents_defined_only_once():
    data = _load_yaml(TRAIN_PATH)
    names = [b["intent"] for b in data["nlu"] if "intent" in b]
    assert len(names) == len(set(names))


# --------------------------------------------------------------------------
# held-out independence and training-data hygiene
# --------------------------------------------------------------------------
def _all_training_examples() -> dict[str, set[str]]:
    """normalised example -> set of intents, over every file in data/nlu/."""
    seen: dict[str, set[str]] = {}
    files = sorted(NLU_DIR.glob("*.yml")) + sorted(NLU_DIR.glob("*.yaml"))
    assert TRAIN_PATH in files
    for path in files:
        for intent, examples in _intent_examples(path).items():
            for ex in examples:
                seen.setdefault(_normalise(ex), set()).add(intent)
    return seen


def test_heldout_never_equals_a_training_example():
    training = _all_training_examples()
    clashes = [
        (intent, ex)
        for intent, examples in HELDOUT.items()
        for ex in examples
        if _normalise(ex) in training
    ]
    assert clashes == [], f"held-out examples also in training data: {clashes}"


def test_heldout_has_no_internal_duplicates():
    norm = [_normalise(e) for ex in HELDOUT.values() for e in ex]
    dupes = sorted({n for n in norm if norm.count(n) > 1})
    assert dupes == []


def test_faq_examples_not_shared_with_other_intents():
    training = _all_training_examples()
    conflicts = {
        ex: sorted(intents)
        for ex, intents in training.items()
        if len(intents) > 1 and any(i.startswith("faq/") for i in intents)
    }
    assert conflicts == {}, f"examples under more than one intent: {conflicts}"


def test_faq_training_has_no_duplicates():
    norm = [_normalise(e) for ex in TRAIN.values() for e in ex]
    dupes = sorted({n for n in norm if norm.count(n) > 1})
    assert dupes == []


# --------------------------------------------------------------------------
# answers: source line, must_convey, facts, placeholders
# --------------------------------------------------------------------------
@pytest.mark.parametrize("topic_id", TOPIC_IDS)
def test_answer_ends_with_source_line(topic_id):
    lines = _answer(topic_id).rstrip().splitlines()
    expected = SOURCE_PREFIX + TOPICS[topic_id]["section"]
    assert lines[-1] == expected
    # exactly one Source line, and the section really is a heading of the sheet
    assert sum(1 for line in lines if line.startswith("Source:")) == 1
    assert re.search(rf"(?m)^{re.escape(TOPICS[topic_id]['section'])}\s*$", SHEET)


def test_every_topic_has_must_convey_checks():
    assert set(MUST_CONVEY_CHECKS) == set(TOPIC_IDS)


@pytest.mark.parametrize("topic_id", TOPIC_IDS)
def test_answer_conveys_every_point(topic_id):
    checks = MUST_CONVEY_CHECKS[topic_id]
    points = TOPICS[topic_id]["must_convey"]
    assert len(checks) >= len(points), f"{topic_id}: fewer checks than must_convey points"
    text = _answer(topic_id)
    missing = [rx for rx in checks if not re.search(rx, text, re.IGNORECASE | re.MULTILINE | re.DOTALL)]
    assert missing == [], f"{topic_id}: answer does not match {missing}"


@pytest.mark.parametrize("topic_id", TOPIC_IDS)
def test_answer_is_brief(topic_id):
    body = _answer(topic_id).rsplit("\n", 1)[0]
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", body.replace("{adviceline_status}", "")) if s.strip()]
    assert 1 <= len(sentences) <= 6, f"{topic_id}: {len(sentences)} sentences"


PHONE_RX = re.compile(r"(?<!\d)(?:\+44\s?|0)\d(?:[\s-]?\d){8,10}(?!\d)")
EMAIL_RX = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
WEB_RX = re.compile(
    r"(?:https?://|www\.)\S+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:uk|com|org|net|gov|io)(?:/[\w/.-]*)?",
    re.IGNORECASE,
)
TIME_RX = re.compile(r"\b\d{1,2}(?::\d{2})?\s?(?:am|pm)\b", re.IGNORECASE)


def _strip_trailing_punct(s: str) -> str:
    return s.rstrip(".,;:)")


@pytest.mark.parametrize("name,text", _all_answers())
def test_facts_are_quoted_from_the_sheet(name, text):
    emails = [_strip_trailing_punct(e) for e in EMAIL_RX.findall(text)]
    for email in emails:
        assert email in SHEET, f"{name}: email {email!r} not in the sheet"
    without_emails = EMAIL_RX.sub(" ", text)
    for url in WEB_RX.findall(without_emails):
        url = _strip_trailing_punct(url)
        assert url in SHEET, f"{name}: web address {url!r} not in the sheet"
    for phone in PHONE_RX.findall(text):
        assert phone.strip() in SHEET, f"{name}: phone number {phone!r} not in the sheet"
    for t in TIME_RX.findall(text):
        assert t in SHEET, f"{name}: time {t!r} not in the sheet"


def test_fact_regexes_catch_wrong_facts():
    """The fact checks above must be able to fail."""
    bad = "Call 0345 811 8112 or 0800 123 4567, email help@neu.org.uk, see neu.org.uk/advice, 9am to 5pm."
    assert {p for p in PHONE_RX.findall(bad) if p not in SHEET} == {"0345 811 8112", "0800 123 4567"}
    assert [e for e in EMAIL_RX.findall(bad) if e not in SHEET] == ["help@neu.org.uk"]
    urls = [_strip_trailing_punct(u) for u in WEB_RX.findall(EMAIL_RX.sub(" ", bad))]
    assert [u for u in urls if u not in SHEET] == ["neu.org.uk/advice"]
    assert [t for t in TIME_RX.findall(bad) if t not in SHEET] == ["5pm"]


def test_contact_adviceline_has_status_placeholder():
    text = _answer("contact_adviceline")
    assert "{adviceline_status}" in text
    assert any(line.strip() == "{adviceline_status}" for line in text.splitlines())


def test_only_known_placeholders():
    for name, text in _all_answers():
        placeholders = set(re.findall(r"\{(\w+)\}", text))
        allowed = {"adviceline_status"} if name == "utter_faq/contact_adviceline" else set()
        assert placeholders <= allowed, f"{name}: unexpected placeholders {placeholders - allowed}"


# Quick replies only where they help: a live problem starts the intake or a handoff; policy and
# privacy answers offer the matching check-up.
BUTTONS_ALLOWED = {
    # The sheet's advice first, then the offer to take details ("Yes, take my details" / "No, thanks").
    "utter_faq/regret_post": {"/report_accused", "/deny"},
    "utter_faq/untag_facebook": {"/report_targeted", "/report_accused", "/deny"},
    "utter_faq/contact_adviceline": {"/request_human"},
    "utter_faq/policy_introduce_review": {"/start_policy_review"},
    "utter_faq/policy_contents": {"/start_policy_review"},
    "utter_faq/privacy_settings": {"/start_checkup"},
}


def test_buttons_only_where_they_help():
    for name, variants in RESPONSES.items():
        for v in variants:
            assert set(v) <= {"text", "buttons"}, f"{name} has extra keys {set(v) - {'text', 'buttons'}}"
            payloads = {b["payload"] for b in v.get("buttons", [])}
            assert payloads <= BUTTONS_ALLOWED.get(name, set()), f"{name} has unexpected buttons {payloads}"
    for name, allowed in BUTTONS_ALLOWED.items():
        assert {b["payload"] for v in RESPONSES[name] for b in v.get("buttons", [])} == allowed


def test_regret_post_offers_case_intake_without_claiming_a_complaint():
    text = _answer("regret_post")
    assert re.search(r"\bif it has already\b", text, re.IGNORECASE)
