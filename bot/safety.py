"""Spot words that mean a member may be at risk, so we signpost help at once.

Deliberately simple and explainable: normalise the text, correct a few
distinctive misspelt words, then look for phrases about threats, self-harm,
stalking, doxxing or feeling unsafe. A false alarm costs one kind message;
a miss costs far more, but ordinary guidance questions ("is it safe to...",
"privacy settings", "safeguarding policy") must not trigger it.
"""

from __future__ import annotations

import re

SIGNPOST_TEXT = (
    "If you are in immediate danger or it's an emergency, call 999.\n"
    "You can talk to Samaritans free, any time, day or night, on 116 123.\n"
    "Education Support, the helpline for everyone working in education, is on 08000 562 561.\n"
    "You don't have to face this on your own."
)

# Distinctive words worth correcting when misspelt by one letter (two for long words).
_FUZZY_VOCAB = (
    "suicide", "suicidal", "myself", "threatened", "threatening", "frightened",
    "terrified", "address", "unsafe", "overdose", "violence", "assaulted",
)

_SAFE = r"(?:safe|saf|sfae|saef|sade)"
_FEEL = r"(?:fe+l|feal|fell|feels|feeling|feelin)"
_NOT_VIOLENT = (
    r"(?! (?:with|to) (?:a |an |the |my )?(?:complaint|complain|grievance|legal|disciplinary|"
    r"action|report|sue|tell|union|head|police|press|papers|ofsted|court|solicitor|lawyer|"
    r"sack|dismiss|suspend|go to|contact))"
)

_PATTERNS = [
    # self-harm and suicide
    r"\bsuicid(?:e|al)\b",
    r"\bkil+(?:ing)? my ?self\b",
    r"\bkms\b",
    r"\b(?:end|ending|take|taking) (?:my|my own) life\b",
    r"\bend(?:ing)? it all\b",
    r"\b(?:want|wanna|wanted) (?:to )?die\b",
    r"\bwish i (?:was|were) dead\b",
    r"\bbetter off (?:dead|without me)\b",
    r"\b(?:rather|sooner) (?:be dead|die)\b(?! of)",  # not "I'd rather die of embarrassment"
    r"\bwish i (?:could|would) (?:just )?die\b",
    r"\bwish i (?:wasnt|werent|was not|were not) (?:alive|here|around) any ?more\b",
    r"\b(?:self ?harm\w*|(?:harm|hurt|cut)(?:ing)? my ?self)\b",
    r"\boverdos\w*",
    r"\b(?:dont|do not|no longer) want to (?:live|be alive|be here|go on|exist)\b",
    r"\bno (?:point|reason) (?:in )?(?:living|going on|being alive)\b",
    r"\bnot worth living\b",
    r"\bcant (?:go|carry) on (?:any ?more|like this)\b",
    r"\b(?:thinking|thought|thoughts) (?:of|about) (?:ending|killing|hurting|harming)\b",
    # threats and violence
    r"\b(?:death|rape|bomb|violent) threats?\b",
    r"\bthreat\w* (?:of|with) (?:violence|harm|death)\b",
    (r"\bthreat\w*(?: \w+){0,6}? (?:kill|hurt|harm|stab|shoot|attack|beat|punch|rape|burn|bomb|"
    r"assault|batter|smash|hit|slap|kick|headbutt|glass|knife|find me|come (?:to|round|after|for))\b"),
    (r"\b(?:going to|gonna|wants? to|wanted to|said (?:he|she|they) (?:would|will)|theyd|theyll|hed|shed)"
    r" (?:kill|stab|shoot|rape|beat up|batter|hurt|attack) (?:me|you|my)\b"),
    # "said they'll come to my house and hurt me": a few words may stand between the promise and the harm
    (r"\b(?:said|says|saying|told me|warned|promised) (?:that )?(?:he|she|they|theyll|theyd|hell|shell|hed|shed)"
    r"(?: \w+){0,8}? (?:kill|stab|shoot|rape|beat|batter|hurt|harm|attack|smash|punch) (?:me|my|us)\b"),
    (r"\b(?:theyll|theyd|hell|shell|hed|shed|gonna|going to) (?:\w+ ){1,8}?(?:kill|stab|shoot|rape|beat|batter|"
    r"hurt|harm|attack|punch) (?:me|my|us)\b"),
    r"\b(?:threatened|threatening) me\b" + _NOT_VIOLENT,
    r"\b(?:been|being|was|were|am|im|feel|felt) threatened\b" + _NOT_VIOLENT,
    r"\bthreatening (?:messages?|comments?|posts?|emails?|texts?|calls?|letters?|notes?|dms?|behaviou?r)\b",
    r"\bthreats? (?:against|to) (?:me|my (?:life|family|safety|kids|children|home|house))\b",
    r"\b(?:assaulted|physically attacked|beat me up|beaten up|punched me|spat at me)\b",
    r"\bviolen(?:ce|t) (?:towards|against|to) me\b",
    r"\bin danger\b",
    (r"\b(?:fear\w*|scared|afraid|frightened|terrified|worried|concerned|anxious) (?:about|for) my "
    r"(?:personal |own )?(?:life|safety|family|kids|children)\b"),
    # stalking
    r"\bstal+k(?:ing|ed|er|ers|s|in|ng|ig)?\b",
    r"\bfollow\w* me (?:home|around|everywhere|about|to my (?:car|house|home))\b",
    (r"\b(?:(?:turn\w*|turned|showed|shows|showing) up|waiting|waited|hanging around|parked|sitting|"
    r"lurking|watching|standing) (?:at|outside|near|round|around|by|to) my "
    r"(?:house|home|flat|front door|door|address)\b"),
    r"\bwatching my (?:house|home|flat)\b",
    r"\b(?:knows?|found out|find out|worked out|know) where i live\b",
    # doxxing
    r"\bdox+(?:ed|ing|xed|xing)?\b",
    (r"\b(?:posted|shared|published|leaked|put up|revealed|gave out|given out|put out|"
    r"(?:keep|kept|are|is|been|was|were) (?:posting|sharing|publishing|leaking)) "
    r"(?:my|our) (?:home |house |personal )?(?:address|postcode|phone number|number|details|"
    r"kids school|childrens school)\b"),
    (r"\b(?:my|our) (?:home |house )?(?:address|postcode) (?:is |was |has been |have been |got |been )?"
    r"(?:posted|shared|published|leaked|online|out there|all over|on (?:facebook|instagram|twitter|"
    r"tiktok|x|whatsapp|snapchat|reddit|the internet|social media|a (?:group|page|forum)))\b"),
    (r"\b(?:posted|shared|put up|uploaded)\b.{0,30}\b(?:photos?|pictures?|pics?|images?) of my "
    r"(?:house|home|front door|street)\b"),
    # feeling unsafe
    (rf"\b(?:dont|do not|didnt|did not|no longer|doesnt|dnt|never) (?:really )?{_FEEL} "
    rf"(?:very |totally |completely |particularly |so )?{_SAFE}\b"),
    rf"\bnot {_FEEL} (?:very )?{_SAFE}\b",
    rf"\b{_FEEL} (?:very |so |really |quite |totally )?unsafe\b",
    r"\b(?:im|i am|i m|we are|were|my family is|my family are|my kids are) (?:not safe|unsafe)\b",
    r"\bnot safe (?:at|in) (?:home|my home|my house|school|work)\b",
    (r"\b(?:scared|afraid|frightened|terrified) (?:to|of) (?:go|going|leave|leaving|walk|walking|be|being)"
    r" (?:out|outside|home|to work|to school|into work|the house|alone)\b"),
]
_RISK = re.compile("|".join(f"(?:{p})" for p in _PATTERNS))


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: edits, counting a swap of two letters as one."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            best = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                best = min(best, prev2[j - 2] + 1)
            cur.append(best)
        prev2, prev = prev, cur
    return prev[-1]


def _correct(token: str) -> str:
    """The vocabulary word `token` is a near-miss of, else the token itself."""
    if len(token) < 6 or token in _FUZZY_VOCAB:
        return token
    for word in _FUZZY_VOCAB:
        if token[0] != word[0] or abs(len(token) - len(word)) > 1:
            continue
        if edit_distance(token, word) <= (2 if len(word) >= 10 else 1):
            return word
    return token


def normalise(text: str) -> str:
    """Lower case, no apostrophes or punctuation, stretched letters shortened, typos fixed."""
    text = re.sub(r"['’‘`]", "", text.lower()[:5000])
    text = re.sub(r"[^\w]+|_", " ", text)
    text = re.sub(r"(\w)\1{2,}", r"\1\1", text)
    return " ".join(_correct(token) for token in text.split())


def mentions_safety_risk(text: str | None) -> bool:
    """True if the text suggests threats, self-harm, stalking, doxxing or feeling unsafe."""
    if not text:
        return False
    return _RISK.search(normalise(text)) is not None
