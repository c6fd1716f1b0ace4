"""What browser tests do with a page: sign in to the inbox, keep a screenshot for the docs,
and audit accessibility with axe-core."""

from __future__ import annotations

import json
from typing import Any

from tests.support.web import LOGS, ROOT

SCREENSHOTS = ROOT / "docs" / "screenshots"
AXE_JS = ROOT / ".axe" / "node_modules" / "axe-core" / "axe.min.js"


def sign_in(page: Any, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/inbox")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Cases", level=1).wait_for()


def screenshot(page: Any, name: str, full_page: bool = True) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=full_page)


def axe_violations(page: Any, axe_source: str) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.x A and AA, and best practice) on the page as it is now.

    Evaluated through the DevTools protocol, so the page's CSP (no inline
    script) stays on and is not weakened for the audit.
    """
    page.evaluate(axe_source)
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ["violations"]});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5)}));
        }"""
    )
    LOGS.mkdir(parents=True, exist_ok=True)
    with open(LOGS / "axe.jsonl", "a") as out:
        out.write(json.dumps({"url": page.url, "violations": result}) + "\n")
    return result
