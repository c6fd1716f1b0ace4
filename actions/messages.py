"""What the intake says to the member, with its Rasa buttons (`/confirm_send`-style payloads): written once, kind and plain."""

from __future__ import annotations

from bot.adviceline import ADVICELINE_PHONE
from bot.triage import Triage

# What each route is called until the union's directory names the destination itself.
ROUTE_NAMES = {
    "adviceline": "the NEU AdviceLine",
    "workplace_rep": "your workplace NEU rep",
    "local_branch": "your local NEU branch",
}


def destination_name(route: str) -> str:
    """The display name of a route's destination, as said to the member ("your local NEU branch")."""
    return ROUTE_NAMES[route]


_PROMISE = "It's a few short questions. Nothing is shared without your permission, and you can type \"stop\" at any time."
ACKNOWLEDGEMENTS = {
    "accused": "I'm sorry you're going through this; it's a worrying time, and asking for help is the right step. "
    "I'll take some details so an NEU adviser can help you. " + _PROMISE,
    "targeted": "I'm sorry this is happening to you. Nobody should have to put up with it, and the union can help. "
    "I'll take some details so an NEU adviser can help you. " + _PROMISE,
    "other": "Of course. I'll take a few details so an NEU adviser can help you. " + _PROMISE,
}

SWITCHED = {
    "accused": "Thanks, that helps. I'll ask a few questions about the complaint or allegation.",
    "targeted": "Thanks, that helps. I'll ask a few questions about what's been posted about you.",
}

MENU_BUTTONS = [
    {"title": "Ask about social media", "payload": "/ask_question"},
    {"title": "Talk to a person", "payload": "/request_human"},
]
READBACK_CHOICES = [
    {"title": "Send", "payload": "/confirm_send"},
    {"title": "Change an answer", "payload": "/change_answer"},
    {"title": "Cancel", "payload": "/stop"},
]
AFTER_SIGNPOST = "When you're ready, I can pass your details to the NEU so an adviser can help, or you can call the AdviceLine on 0345 811 8111 (Monday to Friday, 9am to 7pm)."
AFTER_SIGNPOST_BUTTONS = [
    {"title": "Pass my details to the NEU", "payload": "/request_human"},
    {"title": "I'm being targeted online", "payload": "/report_targeted"},
]
_POSH = (
    "The Professionals Online Safety Helpline supports people who work with children and young people with online "
    "safety problems, including their own: 0344 381 4772, helpline@saferinternet.org.uk."
)
_KEEP_COPIES = {
    True: "- Keep your screenshots and links, and take new ones (showing the date and link) before you report anything new.",
    False: "- You said you haven't kept any: if it's still online, take screenshots now, showing the date and link, "
    "before you report it.",
    None: "- First keep screenshots, showing the date and link, before you report it or it's taken down.",
}


# --- in the middle of a form --------------------------------------------------------------
BACK_TO_IT = "Now, back to where we were."
CANT_ANSWER_HERE = (
    "I'm not able to answer that one: I only know what's in the NEU advice sheet. "
    "The AdviceLine can help with anything else (0345 811 8111, Monday to Friday, 9am to 7pm)."
)
CANT_ANSWER_IN_INTAKE = (
    "That's a fair question, and I can't say what will happen: that's exactly what an NEU adviser can talk "
    "through with you. I'll note that you have questions for them."
)
DISTRESS_AGAIN = "I'm sorry this is so hard. Take your time."
GENTLE_REASK = (
    "That sounds really hard, and it makes sense to feel like that. When you're ready, could you tell me "
    "briefly what happened? A few sentences is plenty."
)
SOMETHING_ELSE_MID_FORM = "No problem. Could you put your question another way? Or just carry on with my question."
CARRYING_ON = "OK, nothing is deleted. Let's carry on."
ASK_BEFORE_STOPPING = "Do you want to stop and delete what you've entered so far?"
ASK_BEFORE_STOPPING_BUTTONS = [
    {"title": "Yes, delete it", "payload": "/stop"},
    {"title": "No, carry on", "payload": "no, carry on"},
]
# What fits a member in each track when they ask "what should I do?" mid-intake.
TRACK_GUIDANCE = {
    "accused": (
        "For now: keep a copy of the post and of anything said about it (a screenshot showing the date, and the "
        "link), and talk to the union before you delete or change anything: once there is a complaint, taking "
        "a post down can look like hiding evidence. These questions are so an NEU adviser can help you with the rest."
    ),
    "targeted": (
        "For now: keep a copy of what has been posted (screenshots showing the date, and the links). Then report "
        "it to the platform it's on, and use your school or college's own reporting system. These questions are "
        "so an NEU adviser can help you with the rest."
    ),
    "other": "These questions are so the right person at the NEU can help you. An adviser can talk it all through with you.",
}


TO_ADVICELINE = "Of course, I'll send it to the AdviceLine instead."
DISTRESS_OFFER = (
    "If something has happened online, I can take a few details so an NEU adviser can help you, "
    "or you can talk to the AdviceLine on 0345 811 8111 (Monday to Friday, 9am to 7pm)."
)
DISTRESS_OFFER_BUTTONS = [
    {"title": "I've been accused over a post", "payload": "/report_accused"},
    {"title": "I'm being targeted online", "payload": "/report_targeted"},
    {"title": "Talk to a person", "payload": "/request_human"},
]
STARTING_AGAIN = "Of course. What you entered before was deleted when you stopped, so we'll start again from the beginning."


def changed_answers(changes: list[tuple[str, str]]) -> str:
    """'Thanks, I've changed that: When it happened: Tuesday 24 November 2026.'"""
    lines = "\n".join(f"- {label}: {value}" for label, value in changes)
    return f"Thanks, I've changed {'that' if len(changes) == 1 else 'those'}:\n{lines}"


def not_in_this_case(labels: list[str], changeable: list[str]) -> str:
    named = " and ".join(f'"{label}"' for label in labels) or "that"
    return (
        f"I haven't asked about {named} for this case, so there's nothing to change there. "
        f"The answers you can change are: {', '.join(changeable)}. Tell me what's different, "
        "or press \"Change an answer\"."
    )


def targeted_signposts(evidence_kept: bool | None) -> list[str]:
    """Steps for a member targeted online, evidence first (then reporting and untagging), and a helpline."""
    steps = (
        "Some steps that can help:\n"
        + _KEEP_COPIES[evidence_kept]
        + "\n- Then report it to the platform, and use your school or college's own reporting system.\n"
        "- Tagged on Facebook? Use the remove tag feature to untag yourself (the Facebook help centre explains how)."
    )
    return [steps, _POSH]


def readback(lines: list[str], destination: str, decision: Triage) -> str:
    """The answers to check before sending, and who will help (`destination`: the directory's name for them) and why."""
    return (
        "Here's what I'll send. Please check it:\n"
        + "\n".join(lines)
        + f"\n\nWho will help: {destination}. {decision.route_reason}"
    )


def readback_buttons(decision: Triage) -> list[dict[str, str]]:
    buttons = list(READBACK_CHOICES)
    if decision.route != "adviceline":
        buttons.insert(1, {"title": "Use the AdviceLine instead", "payload": "/prefer_adviceline"})
    return buttons


def sent(
    reference: str,
    destination: str,
    decision: Triage,
    adviceline_now: str,
    contacts: str,
    destination_contact: str | None = None,
) -> list[str]:
    """After sending: who has the case (`destination`: the directory's name for them) and how to reach
    them (`destination_contact`, from the directory), the reference, the AdviceLine meanwhile, and what
    to do if it becomes urgent. Short messages; no promise of when anyone will be in touch."""
    urgent = " It's marked as urgent, because of what you've told me." if decision.urgency == "urgent" else ""
    texts = [
        f"Thank you. I've sent your case to {destination}, with the contact details you gave. "
        f"Your case reference is {reference}; please keep it.{urgent}"
    ]
    if destination_contact and decision.route != "adviceline":
        texts.append(f"You can contact them yourself too: {destination_contact}. Please give your case reference.")
    texts.append(
        f"If you'd like to talk to someone meanwhile, you can contact the NEU AdviceLine. {adviceline_now}\n{contacts}\n"
        "If it becomes urgent, contact the AdviceLine. If you're in danger, call 999."
    )
    return texts


def declined(adviceline_now: str, contacts: str) -> str:
    return (
        "That's fine. I haven't stored anything you told me, and nothing has been sent. "
        f"You can still talk to the union directly. {adviceline_now}\n{contacts}\n"
        "You can also contact your workplace NEU rep or local NEU branch."
    )


def cancelled(contacts: str) -> str:
    return (
        "OK, I've stopped and deleted what you entered. Nothing has been sent. "
        f"If you'd like help later, just ask, or contact the AdviceLine:\n{contacts}"
    )


def store_failed(contacts: str) -> str:
    return (
        "Sorry, I couldn't save your case just now. Your answers are still here: please try again in a moment "
        f"by pressing Send. If it's urgent, contact the AdviceLine:\n{contacts}"
    )


def nothing_to_send(reference: str | None) -> str:
    if reference:
        return f"Your case {reference} has already been sent. Is there anything else I can help with?"
    return "There's nothing waiting to be sent. If something has happened online, tell me and I'll take the details."


def nothing_to_change(reference: str | None) -> str:
    if reference:
        return (
            f"Your case {reference} has already been sent, so it can't be changed here. If something has changed "
            f"or you'd like to add to it, contact the NEU AdviceLine on {ADVICELINE_PHONE} and give your case reference."
        )
    return "There's nothing to change right now. If something has happened online, tell me and I'll take the details."


def deleted(reference: str | None, contacts: str) -> str:
    text = "Done: I've cleared what you told me in this conversation."
    if reference:
        text += (
            f" Your case {reference} was already sent to NEU advisers; to have it erased, "
            f"ask the AdviceLine, giving your case reference:\n{contacts}"
        )
    return text
