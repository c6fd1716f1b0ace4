"""What every inbox page shares: the layout, the navigation, the CSRF field, the error page.

Every value goes in through `h(template, ...)`, which is `Markup.format`: any
argument that is not already Markup is escaped. Members' words (names,
descriptions, transcripts) can therefore never become markup, whatever they type.
Never build a Markup from an f-string.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from markupsafe import Markup

from bot.inbox.accounts import SignedIn


def h(template: str, *args: Any, **kwargs: Any) -> Markup:
    return Markup(template).format(*args, **kwargs)


def join(parts: Iterable[Any]) -> Markup:
    return Markup("").join(parts)


# --- the frame -----------------------------------------------------------------


def layout(title: str, body: Markup, signed: SignedIn | None = None) -> str:
    return str(
        h(
            """<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} - NEU adviser inbox</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/inbox.css">
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<header class="top"><p class="brand">NEU adviser inbox</p>{nav}</header>
<main id="main" tabindex="-1">{body}</main>
</body>
</html>
""",
            title=title,
            nav=_nav(signed) if signed else Markup(""),
            body=body,
        )
    )


def _nav(signed: SignedIn) -> Markup:
    audit = (
        h(
            '<li><a href="/inbox/audit">Audit log</a></li><li><a href="/inbox/checkups">Check-up counts</a></li>'
            '<li><a href="/inbox/directory">Directory</a></li>'
        )
        if signed.adviser.is_admin
        else Markup("")
    )
    return h(
        """<nav aria-label="Inbox"><ul class="nav">
<li><a href="/inbox">Cases</a></li>{audit}
<li class="who">Signed in as {email} ({role}{where})</li>
<li><form method="post" action="/inbox/signout">{csrf}<button type="submit" class="link-button">Sign out</button></form></li>
</ul></nav>""",
        audit=audit,
        email=signed.adviser.email,
        role=signed.adviser.role,
        where=f", {signed.adviser.scope}" if signed.adviser.scope else "",
        csrf=csrf_field(signed.csrf_token),
    )


def csrf_field(token: str) -> Markup:
    return h('<input type="hidden" name="csrf" value="{}">', token)


def error_page(title: str, message: str, signed: SignedIn | None = None) -> str:
    return layout(title, h('<h1>{}</h1><p>{}</p><p><a href="/inbox">Back to the cases</a></p>', title, message), signed)
