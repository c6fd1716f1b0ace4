"""Who is involved: who posted it, the member's role (and whether it leads), their name and number."""

from __future__ import annotations

import re
from typing import Any

from bot.intake.parsing.base import Parsed, _has_words, _norm, _text
from bot.vocabulary import POSTED_BY as POSTED_BY_VOCABULARY

POSTED_BY = POSTED_BY_VOCABULARY.values
_STRANGER = r"(?:someone|somebody|people|a person|person|an account|accounts) (?:i|we) dont know"
_POSTED_BY_RULES = [  # order matters: matched words are removed before the next rule
    ("public", (rf"\b(?:members? of (?:the )?public|public|strangers?|{_STRANGER}|random (?:person|"
               r"people|account|accounts)|local (?:residents?|people|community)|neighbou?rs?|"
               r"journalists?|press|newspapers?|reporters?|ex (?:partner|boyfriend|girlfriend|"
               r"husband|wife))\b")),
    ("manager", (r"\b(?:line managers?|managers?|boss|head ?teachers?|head ?masters?|head ?mistress|"
                r"head of \w+|deputy(?: head)?|assistant head|head|principal|slt|smt|senior "
                r"(?:leaders?|leadership|management)|governors?|ceo|chief executive|trust|employer|hod)\b")),
    ("parent", (r"\b(?:parents?|carers?|mums?|moms?|mothers?|dads?|fathers?|guardians?|step ?"
               r"(?:mums?|dads?|parents?)|grandparents?|grans?|nans?|nanas?|grandad|grandma)\b")),
    ("colleague", (r"\b(?:colleagues?|co ?workers?|teachers?|members? of staff|staff members?|staff|"
                  r"teaching assistants?|tas?|support staff|student teachers?|trainees?|"
                  r"someone i work with|works? with me|from work)\b")),
    ("pupil", (r"\b(?:pupils?|students?|learners?|kids?|children|child|year \d+s?|y\d+s?|"
              r"sixth ?formers?|teenagers?|teens?|boys?|girls?|my class|former pupils?|ex pupils?)\b")),
    ("unknown", (r"\b(?:dont know|do not know|no idea|not sure|unsure|unknown|anonymous|anon|fake|"
                r"cant tell|no clue|idk|dunno|unclear|not certain|no one knows|nobody knows)\b")),
]
_POSSESSIVE = re.compile(r"\b(?:pupils?|students?|learners?|kids?|childrens?|childs?) (?=(?:mums?|moms?|"
                         r"dads?|mothers?|fathers?|parents?|carers?|family|grandparents?)\b)")
_PARENT_OF = re.compile(r"\b(parents?|carers?|mums?|moms?|mothers?|dads?|fathers?) (?:of|from|in) (?:a |an |the |"
                        r"my |one of my )?(?:pupils?|students?|kids?|children|child|year \d+s?|y\d+s?|"
                        r"(?:my )?class|form)\b")
_POSTED_BY_PROBLEM = ("Sorry, I didn't quite follow. Was it a pupil, a parent or carer, a colleague, a "
                      "manager or a member of the public – or don't you know?")


def parse_posted_by(text: Any) -> Parsed:
    """Who posted the material: a list of the schema's `others_involved` values."""
    norm = _PARENT_OF.sub(r"\1", _POSSESSIVE.sub("", _norm(text)))  # "a pupil's mum" is a parent
    if not norm:
        return Parsed.bad(_POSTED_BY_PROBLEM)
    found = set()
    for who, pattern in _POSTED_BY_RULES:
        norm, count = re.subn(pattern, " # ", norm)
        if count:
            found.add(who)
    if len(found) > 1:
        found.discard("unknown")
    if not found:
        return Parsed.bad(_POSTED_BY_PROBLEM)
    return Parsed.good([w for w in POSTED_BY if w in found])


_HEAD_OK = (r"(?= *$| +(?:at|in|for|and|teacher|master|mistress)\b| +of +(?:(?:the|a|an|our|my) +)?"
            r"(?:\w+ +)?(?:school|college|academy|federation|trust)s?\b)")
_LEADER = re.compile(
    r"\b(?:slt|smt|senior (?:leader|leaders|leadership|management)|ceo|chief executive|chief exec|"
    r"head ?teacher|head ?master|head ?mistress|(?:school )?business manager|sbm)\b"
    rf"|\b(?:(?:executive|acting|interim|associate|co|substantive|deputy|assistant|vice) )?head\b{_HEAD_OK}"
    r"|\b(?:(?:executive|vice|deputy|assistant|acting|interim) )?principal\b(?! (?:teacher|lecturer|"
    r"officer|consultant|engineer|examiner|investigator|social worker|of (?!(?:the |a |an )?"
    r"(?:\w+ )?(?:school|college|academy)s?\b)))"
)
_SUPPORTS_LEADER = re.compile(r"\b(?:pa|secretary|assistant|administrator|clerk|personal assistant|"
                              r"office manager) to (?:the )?(?:\w+ )?(?:head\w*|principal|ceo)\b")
_ROLE_LEAD_IN = re.compile(r"^(?:i am|i'm|im|i work as|i'm employed as|i am employed as|my role is|"
                           r"my job is|role is|my job title is|as)\s+(?:(?:an?|the)\s+)?", re.IGNORECASE)


def is_leader_role(role: str) -> bool:
    """School or college leaders, whose workplace rep may be someone they manage."""
    norm = _SUPPORTS_LEADER.sub(" ", _norm(role))
    return bool(_LEADER.search(norm))


def parse_role(text: Any) -> Parsed:
    """The member's role as they put it, with whether it makes them a leader."""
    raw = " ".join(_text(text).replace("’", "'").split())
    if not _has_words(raw):
        return Parsed.bad("What's your role? For example class teacher, teaching assistant or deputy head.")
    role = _ROLE_LEAD_IN.sub("", raw).strip(" .!,;:")
    if len(role) > 100:
        return Parsed.bad("Could you give your role in a few words? For example 'head of year' or 'SENCo'.")
    role = role or raw
    return Parsed.good({"role": role, "is_leader": is_leader_role(role)})


_NAME_LEAD_IN = re.compile(r"^(?:(?:hi|hello|hey)[\s,!.]+)?(?:my name is|my names|my name's|name is|"
                           r"name's|i am|i'm|im|it's|its|it is|this is|call me|they call me)\s+",
                           re.IGNORECASE)


def parse_name(text: Any) -> Parsed:
    """The name to use for the member: letters (any alphabet), spaces, hyphens, apostrophes."""
    raw = " ".join(_text(text).replace("’", "'").split())
    name = _NAME_LEAD_IN.sub("", raw).strip(" .,!")
    if not name or not any(ch.isalpha() for ch in name):
        return Parsed.bad("Please tell me your name – the name you'd like the adviser to use.")
    if len(name) > 100:
        return Parsed.bad("That's a bit long for a name. What name should we use for you (up to 100 characters)?")
    if not all(ch.isalpha() or ch in " -'." for ch in name):
        return Parsed.bad("A name can only have letters, spaces, hyphens and apostrophes. "
                          "What name should we use for you?")
    return Parsed.good(name)


_MEMBERSHIP_SKIP = re.compile(r"^(?:skip|no|nope|none|dont know|do not know|not sure|no idea|"
                              r"dont have one|i dont have one|dunno|idk|n a|na|unknown|cant remember|"
                              r"i dont know|pass)$")
_MEMBERSHIP_LEAD_IN = re.compile(r"^(?:(?:my|the) )?(?:(?:neu )?membership )?(?:number|no\.|num)?\s*(?:is\b|:)?\s*",
                                 re.IGNORECASE)


def parse_membership_number(text: Any) -> Parsed:
    """4-12 letters and digits (with at least one digit); "skip" or "don't know" -> None."""
    raw = _text(text)[:200]
    if _MEMBERSHIP_SKIP.match(_norm(raw)):
        return Parsed.good(None)
    candidate = re.sub(r"[\s\-]", "", _MEMBERSHIP_LEAD_IN.sub("", raw)).upper()
    if re.fullmatch(r"[A-Z0-9]{4,12}", candidate) and any(ch.isdigit() for ch in candidate):
        return Parsed.good(candidate)
    return Parsed.bad("That doesn't look like a membership number (4 to 12 letters and numbers). "
                      "Please check it, or say 'skip' if you don't have it to hand.")
