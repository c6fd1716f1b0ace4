"""The intake's questions, with quick-reply buttons where the answers are a fixed set.

Asked by the generated `action_ask_<field>` actions; kept beside the parsers in
`bot.intake.flow` so a question and the reading of its answer change together.
"""

from __future__ import annotations

from typing import Any

PROMPTS: dict[str, dict[str, Any]] = {
    "description": {
        "text": "In your own words, what happened? A few sentences is plenty. Please don't include pupils' names."
    },
    "platforms": {
        "text": "Which platform or platforms was it on?",
        "buttons": [
            "Facebook",
            "Instagram",
            "TikTok",
            "X (Twitter)",
            "WhatsApp",
            "Snapchat",
            ["Something else", "other"],
        ],
    },
    "occurred_on": {
        "text": 'When did it happen? A rough date is fine, like "last Tuesday" or "3rd of May". If you\'re not sure, say "not sure".',
        "buttons": [["Not sure", "not sure"]],
    },
    "process_stage": {
        "text": "Where have things got to with your employer?",
        "buttons": [
            "Nothing formal yet",
            "An informal conversation",
            "An investigation",
            "I've been suspended",
            "A disciplinary hearing",
            "An appeal",
            "Not sure",
        ],
    },
    "next_date": {
        "text": 'Is there a date for the next meeting, hearing or deadline? If so, when? ("next Friday" or "3rd of May" is fine.)',
        "buttons": [["No date yet", "no date"]],
    },
    "police_involved": {
        "text": "Are the police involved?",
        "buttons": [["Yes", "yes"], ["No", "no"], ["Not sure", "not sure"]],
    },
    "posted_by": {
        "text": "Who posted it, as far as you know?",
        "buttons": [
            "A pupil or pupils",
            "A parent or carer",
            "A colleague",
            "A member of the public",
            "I don't know",
        ],
    },
    "still_online": {
        "text": "Is it still online?",
        "buttons": [
            ["Yes", "yes"],
            ["No, it's been taken down", "no"],
            ["Not sure", "not sure"],
        ],
    },
    "evidence_kept": {
        "text": "Have you kept screenshots or links? They help advisers, but please don't share them here.",
        "buttons": [["Yes", "yes"], ["No", "no"]],
    },
    "feels_unsafe": {
        "text": "Has anyone made threats, or do you feel unsafe?",
        "buttons": [["Yes", "yes"], ["No", "no"]],
    },
    "role": {
        "text": "What's your role at work? For example class teacher, teaching assistant, head of year, deputy head, headteacher, business manager."
    },
    "workplace": {"text": "Which school or college do you work at?"},
    "has_rep": {
        "text": "Is there an NEU rep at your workplace?",
        "buttons": [["Yes", "yes"], ["No", "no"], ["Not sure", "not sure"]],
    },
    "work_area": {
        "text": "Which town, local authority or postcode is your workplace in? It's so I can find the NEU branch for your area.",
        "buttons": [["Not sure", "not sure"]],
    },
    "consent_share": {
        "text": "May I store your answers, with the name and contact details you'll give next, and share them only with NEU advisers so they can help? If you say no, nothing is stored. What we keep: /privacy",
        "buttons": [
            ["Yes, store and share with NEU advisers", "yes"],
            ["No, don't store anything", "no"],
        ],
    },
    "consent_transcript": {
        "text": "Would you also like to include a copy of this conversation, so the adviser sees it in your words? It's up to you; the case goes either way.",
        "buttons": [["Yes, include it", "yes"], ["No, just my answers", "no"]],
    },
    "name": {"text": "What name should the adviser use for you?"},
    "contact": {"text": "What's the best phone number or email address to reach you?"},
    "membership_number": {
        "text": "If you know your NEU membership number, type it here. Otherwise just press Skip.",
        "buttons": [["Skip", "skip"]],
    },
}


def buttons_for(field: str) -> list[dict[str, str]]:
    """Quick replies as Rasa buttons: the payload is the text a member could type."""
    out = []
    for button in PROMPTS[field].get("buttons", []):
        title, payload = (button, button) if isinstance(button, str) else button
        out.append({"title": title, "payload": payload})
    return out
