"""The sign-in page."""

from __future__ import annotations

from markupsafe import Markup

from bot.entrypoints.web.pages.frame import csrf_field, h, layout

# --- sign in -------------------------------------------------------------------


def signin_page(csrf: str, next_path: str, error: str | None = None, email: str = "") -> str:
    alert = h('<div class="error" role="alert" id="signin-error"><p>{}</p></div>', error) if error else Markup("")
    described = h(' aria-describedby="signin-error"') if error else Markup("")
    body = h(
        """<h1>Sign in</h1>
<p>For NEU advisers. Accounts are created by an administrator.</p>
{alert}
<form method="post" action="/inbox/signin" class="signin">
{csrf}<input type="hidden" name="next" value="{next_path}">
<div class="field"><label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required value="{email}"{described}></div>
<div class="field"><label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required></div>
<button type="submit">Sign in</button>
</form>""",
        alert=alert,
        csrf=csrf_field(csrf),
        next_path=next_path,
        email=email,
        described=described,
    )
    return layout("Sign in", body)
