"""Everything a member can be shown: no promise the service doesn't keep, only known contacts, short bubbles.

Member-facing text is gathered from where it is written (the domain's and the FAQ's
responses, the string literals of the modules that talk to members, the chat and privacy
pages) and from the functions that compose it (the intake's messages for every route,
urgency and AdviceLine state, the check-up questions and reports). Then:

- nothing promises contact by a time or a person the system doesn't deliver to ("will
  contact you", "they'll pick it up when it opens", "within 24 hours"), nor what no part of
  the system does ("never shared with your employer", "the AdviceLine can update it");
- every phone number, email and web address is one the advice sheet gives, an emergency
  number (999, Samaritans 116 123, Education Support 08000 562 561), the Professionals
  Online Safety Helpline's, or a reserved example that reaches nobody (example.com,
  Ofcom's drama numbers) used to show a format;
- every chat message is at most 80 words, the consent question under 40.
"""

from __future__ import annotations

import ast
import itertools
import re
from datetime import datetime
from pathlib import Path

import yaml

from actions import messages
from actions.checkups import COMPLAINT_OFFER, INTROS, NOTHING_STORED, ONLY_TALLIES
from bot import checkups, service_messages
from bot.adviceline import AdviceLineStatus, contacts_text, describe_status
from bot.intake.prompts import PROMPTS
from bot.safety import SIGNPOST_TEXT
from bot.triage import ROUTE_RULES, Triage
from bot.uk_calendar import UK_TZ

ROOT = Path(__file__).resolve().parents[1]
SHEET = (ROOT / "spec" / "safer-social-networking.txt").read_text(encoding="utf-8")
MAX_WORDS = 80
MAX_CONSENT_WORDS = 40

# Modules whose string literals can reach a member (docstrings left out).
MEMBER_MODULES = [
    *sorted((ROOT / "actions").glob("*.py")),
    *(ROOT / "bot" / name for name in (
        "checkups.py", "safety.py", "service_messages.py", "adviceline.py",
        "intake/prompts.py", "intake/flow.py", "entrypoints/web/chat.py",
        *(f"intake/parsing/{p.name}" for p in sorted((ROOT / "bot" / "intake" / "parsing").glob("*.py"))),
    )),
]
PAGES = [ROOT / "web" / "static" / "index.html", ROOT / "web" / "static" / "privacy.html"]
CHAT_JS = ROOT / "web" / "static" / "chat.js"


# ---------------------------------------------------------------- gathering the texts


def _responses(path: Path) -> list[tuple[str, str]]:
    out = []
    for name, variants in yaml.safe_load(path.read_text(encoding="utf-8"))["responses"].items():
        for variant in variants:
            out.append((name, variant.get("text", "")))
            out += [(f"{name} button", b["title"]) for b in variant.get("buttons", [])]
    return out


def _literals(path: Path) -> list[tuple[str, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
    }
    name = str(path.relative_to(ROOT))
    return [(name, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def _page_text(path: Path) -> str:
    html = path.read_text(encoding="utf-8")
    hrefs = " ".join(re.findall(r'href="(?:tel:|mailto:)([^"]+)"', html))
    return re.sub(r"<[^>]+>", " ", html) + " " + hrefs


def _chat_js_strings() -> str:
    source = "\n".join(line for line in CHAT_JS.read_text(encoding="utf-8").splitlines() if "LEAVE_TO =" not in line)
    return " ".join(re.findall(r'"((?:[^"\\]|\\.)*)"', source))


STATUSES = [
    describe_status(AdviceLineStatus(True, datetime(2026, 11, 24, 19, tzinfo=UK_TZ), None, datetime(2026, 11, 24, 10, tzinfo=UK_TZ))),
    describe_status(AdviceLineStatus(False, None, datetime(2026, 11, 25, 9, tzinfo=UK_TZ), datetime(2026, 11, 24, 20, tzinfo=UK_TZ))),
    describe_status(AdviceLineStatus(False, None, datetime(2026, 11, 30, 9, tzinfo=UK_TZ), datetime(2026, 11, 27, 20, tzinfo=UK_TZ))),
]


def _triages() -> list[Triage]:
    return [Triage(urgency, ["x"], rule.route, rule.reason) for rule in ROUTE_RULES for urgency in ("urgent", "priority", "routine")]


def _checkup_answer_sets(items):
    base = {i.key: i.good for i in items}
    yield base
    for item in items:
        for option in item.options:
            yield {**base, item.key: option}
    yield {i.key: i.live_problem or ("yes" if i.good == "no" else "no") for i in items}
    yield {i.key: ("not sure" if "not sure" in i.options else i.options[-1]) for i in items}


def composed_bubbles() -> list[tuple[str, str]]:
    """Chat messages as the functions compose them, one per bubble."""
    out: list[tuple[str, str]] = []
    contacts = contacts_text()
    for decision, status in itertools.product(_triages(), STATUSES):
        destination = messages.destination_name(decision.route)
        out += [("messages.sent", t) for t in messages.sent("SSN-2611-ABC234", destination, decision, status, contacts)]
        frame = messages.readback([], destination, decision)
        out.append(("messages.readback (without the answers)", frame))
    for kept in (True, False, None):
        out += [("messages.targeted_signposts", t) for t in messages.targeted_signposts(kept)]
    for status in STATUSES:
        out.append(("messages.declined", messages.declined(status, contacts)))
    out += [
        ("messages.cancelled", messages.cancelled(contacts)),
        ("messages.store_failed", messages.store_failed(contacts)),
        ("messages.nothing_to_send", messages.nothing_to_send("SSN-2611-ABC234")),
        ("messages.nothing_to_change", messages.nothing_to_change("SSN-2611-ABC234")),
        ("messages.nothing_to_change", messages.nothing_to_change(None)),
        ("messages.deleted", messages.deleted("SSN-2611-ABC234", contacts)),
        ("messages.AFTER_SIGNPOST", messages.AFTER_SIGNPOST),
        ("SIGNPOST_TEXT", SIGNPOST_TEXT),
        ("service_messages.try_again_text", service_messages.try_again_text()),
        ("service_messages.no_answer_text", service_messages.no_answer_text()),
        ("service_messages.too_long_text", service_messages.too_long_text(2000)),
        ("COMPLAINT_OFFER", COMPLAINT_OFFER),
    ]
    out += [(f"ACKNOWLEDGEMENTS[{k}]", v) for k, v in messages.ACKNOWLEDGEMENTS.items()]
    out += [(f"intro {kind}", f"{text} {extra}") for kind, text in INTROS.items() for extra in (NOTHING_STORED, ONLY_TALLIES)]
    out += [(f"prompt {field}", prompt["text"]) for field, prompt in PROMPTS.items()]
    for kind, items in checkups.CHECKUPS.items():
        for slot in checkups.slots(kind):
            out.append((f"prompt {slot}", checkups.prompt(slot)[0]))
        out += [(f"reask {item.key}", checkups.reask(item)) for item in items]
        for answers in _checkup_answer_sets(items):
            out += [(f"report {kind}", t) for t in checkups.report_chat_messages(kind, answers)]
    return out


def written_texts() -> list[tuple[str, str]]:
    """Where member-facing text is written: responses, module literals, pages."""
    out = _responses(ROOT / "domain.yml") + _responses(ROOT / "data" / "responses" / "faq.yml")
    for path in MEMBER_MODULES:
        out += _literals(path)
    out += [(str(p.relative_to(ROOT)), _page_text(p)) for p in PAGES]
    out.append((str(CHAT_JS.relative_to(ROOT)), _chat_js_strings()))
    return out


def all_texts() -> list[tuple[str, str]]:
    reports = [(f"markdown {kind}", checkups.report_markdown(kind, a))
               for kind, items in checkups.CHECKUPS.items() for a in _checkup_answer_sets(items)]
    return written_texts() + composed_bubbles() + reports


def chat_bubbles() -> list[tuple[str, str]]:
    """Every chat message whose length we control (a read-back's answers are the member's own words)."""
    responses = [(n, t) for n, t in _responses(ROOT / "domain.yml") + _responses(ROOT / "data" / "responses" / "faq.yml")
                 if not n.endswith(" button")]
    return responses + composed_bubbles()


# ---------------------------------------------------------------- promises

PROMISES = [
    # someone other than the assistant or the member will get in touch / act ("Who will help:",
    # the read-back's label naming the destination from the directory, promises nothing)
    (r"\b(?!(?:i|you|who)\b)(\w+)(?:'ll|’ll| will| shall| are going to| is going to)\s+(?:\w+\s+){0,3}?"
     r"(?:contact|call|phone|ring|e-?mail|text|message|write to|reply|respond|get back|be in touch|get in touch|reach|"
     r"pick (?:it|this|your case) up|help|support|advise|deal with|look into|handle|update|change|erase|delete)\b"),
    r"\byou(?:'ll|’ll| will) (?:hear|be contacted|be called|be rung|get a call|get an email|receive)\b",
    r"\b(?:someone|an adviser|a rep|they) (?:is|are) going to\b",
    # by a time
    r"\b(?:within|in the next|in under)\s+(?:\d+|an?|one|two|three|few)\s+(?:minutes?|hours?|days?|working days?|weeks?)\b",
    r"\b(?:get back to you|be in touch|contact you|call you) (?:today|tomorrow|by|before|when)\b",
    r"\bwhen it (?:re)?opens\b.{0,40}\b(?:pick|contact|call|reply)",
    r"\bpick (?:it|this|your case) up\b",
    # what no part of the system does
    r"\bnever (?:be )?(?:shared|passed|given|sent) (?:with|to) your employer\b",
    r"\b(?:can|will|could) (?:update|change|amend|edit) (?:it|your case|them) for you\b",
    r"\bhelp you directly\b",
]


def promises_in(text: str) -> list[str]:
    return [m.group(0) for rx in PROMISES for m in re.finditer(rx, text, re.IGNORECASE)]


def test_the_promise_checks_catch_the_old_promises():
    """The old texts this test replaced must all be caught, so the check can fail."""
    old = [
        "Your workplace NEU rep will contact you, using the contact details you gave.",
        "The NEU AdviceLine will contact you, using the contact details you gave.",
        "The AdviceLine is closed right now. They'll pick it up when it opens.",
        "so the AdviceLine will help you directly.",
        "As you don't have a workplace rep, your local NEU branch will support you.",
        "It's never shared with your employer.",
        "so it can't be changed here. The AdviceLine can update it for you.",
        "An adviser will call you within 24 hours.",
        "You'll hear from us tomorrow.",
    ]
    assert [t for t in old if not promises_in(t)] == []
    fine = [
        "I'll take some details so an NEU adviser can help you.",
        "You can call the AdviceLine on 0345 811 8111.",
        "If you'd like to talk to someone meanwhile, you can contact the NEU AdviceLine.",
        "The AdviceLine is closed right now. It opens again tomorrow at 9am.",
        "Of course, I'll send it to the AdviceLine instead.",
        "to have it erased, ask the AdviceLine, giving your case reference",
        "Who will help: Northtown NEU branch. You said there's no NEU rep at your workplace.",
    ]
    assert [(t, promises_in(t)) for t in fine if promises_in(t)] == []


def test_no_member_facing_text_promises_what_the_service_does_not_deliver():
    found = [(where, promises_in(text)) for where, text in all_texts() if promises_in(text)]
    assert found == []


# ---------------------------------------------------------------- contacts

EMERGENCY = {"999", "116 123", "08000 562 561"}
POSH = {"0344 381 4772", "helpline@saferinternet.org.uk"}
RESERVED_EMAIL_DOMAINS = ("example.com", "example.org", "example.net")  # RFC 2606: nobody's address
# Ofcom keeps these ranges for drama and examples: no one can be reached on them.
OFCOM_DRAMA = [re.compile(r"^07700900\d{3}$"), re.compile(r"^02079460\d{3}$")]

LONG_PHONE_RX = re.compile(r"(?<![\d+])(?:\+44\s?|0)\d(?:[\s-]?\d){8,10}(?!\d)")
SHORT_NUMBER_RX = re.compile(r"(?<![\d\w])(?:999|112|111|101|116\s?\d{3})(?![\d\w])")
EMAIL_RX = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
WEB_RX = re.compile(
    r"(?:https?://|www\.)[^\s\"'<>)]+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:uk|com|org|net|gov|io|info|co)\b(?:/[\w/.-]*)?",
    re.IGNORECASE,
)


def _digits(number: str) -> str:
    digits = re.sub(r"\D", "", number)
    return "0" + digits[2:] if number.strip().startswith("+44") else digits


ALLOWED_NUMBERS = {_digits(n) for n in LONG_PHONE_RX.findall(SHEET)} | {_digits(n) for n in EMERGENCY | POSH if "@" not in n}
ALLOWED_EMAILS = {e.rstrip(".") for e in EMAIL_RX.findall(SHEET)} | {e for e in POSH if "@" in e}
ALLOWED_WEB = {w.rstrip(".,;:") for w in WEB_RX.findall(EMAIL_RX.sub(" ", SHEET))}


def unknown_contacts(text: str) -> list[str]:
    problems = []
    for email in EMAIL_RX.findall(text):
        email = email.rstrip(".")
        if email not in ALLOWED_EMAILS and not email.endswith(tuple("@" + d for d in RESERVED_EMAIL_DOMAINS)):
            problems.append(email)
    without_emails = EMAIL_RX.sub(" ", text)
    for number in LONG_PHONE_RX.findall(without_emails) + SHORT_NUMBER_RX.findall(without_emails):
        digits = _digits(number)
        if digits not in ALLOWED_NUMBERS and not any(rx.match(digits) for rx in OFCOM_DRAMA):
            problems.append(number)
    for address in WEB_RX.findall(without_emails):
        address = address.rstrip(".,;:")
        if address not in ALLOWED_WEB:
            problems.append(address)
    return problems


def test_the_allowed_list_is_the_sheets_contacts_the_emergency_numbers_and_posh():
    allowed = (ALLOWED_NUMBERS, ALLOWED_EMAILS, ALLOWED_WEB)
    assert allowed == (
        {"03458118111", "999", "116123", "08000562561", "03443814772"},
        {"adviceline@neu.org.uk", "steve.cooper@neu.org.uk", "helpline@saferinternet.org.uk"},
        {"neu.org.uk/leadership"},
    )


def test_the_contact_check_catches_unknown_contacts():
    text = ("Call 0345 811 8112, 0800 123 4567 or 112, email help@neu.org.uk, see www.gov.uk/help or "
            "neu.org.uk/advice. Fine: 0345 811 8111, 116 123, +44 345 811 8111, name@example.com, 07700 900123.")
    assert unknown_contacts(text) == ["help@neu.org.uk", "0345 811 8112", "0800 123 4567", "112", "www.gov.uk/help", "neu.org.uk/advice"]


def test_every_contact_in_member_facing_text_is_allowed():
    found = [(where, unknown_contacts(text)) for where, text in all_texts() if unknown_contacts(text)]
    assert found == []


def test_the_emergency_and_helpline_numbers_are_said_as_they_should_be():
    assert "999" in SIGNPOST_TEXT and "116 123" in SIGNPOST_TEXT
    assert "Education Support, the helpline for everyone working in education, is on 08000 562 561." in SIGNPOST_TEXT
    assert SIGNPOST_TEXT.splitlines()[-1] == "You don't have to face this on your own."
    helpline = messages.targeted_signposts(None)[1]
    assert helpline.startswith("The Professionals Online Safety Helpline supports people who work with children and young people")


# ---------------------------------------------------------------- length


def test_every_chat_message_is_at_most_80_words():
    long = [(where, len(text.split())) for where, text in chat_bubbles() if len(text.split()) > MAX_WORDS]
    assert long == []


def test_the_consent_question_is_short_plain_and_links_to_the_privacy_page():
    text = PROMPTS["consent_share"]["text"]
    assert len(text.split()) < MAX_CONSENT_WORDS
    assert "/privacy" in text and "only with NEU advisers" in text and "nothing is stored" in text
    assert "employer" not in text
