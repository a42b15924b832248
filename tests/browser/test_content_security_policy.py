"""The Content-Security-Policy in a real browser: every page, as each role, loads without one
violation report and without a console error, so the policy breaks nothing the site does (an inline
script or style would be refused by Chromium and reported here)."""
import pytest

from .browser_helpers import build_urls, candidate_routes
from .test_axe import argument_values

pytestmark = pytest.mark.browser

# Installed before any of the page's own code runs; Chromium fires the event for every refusal.
COLLECT_VIOLATIONS_JS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline") + " line " + event.lineNumber);
});
"""
ROLES_VISITED = ("anonymous", "resident", "volunteer", "organizer", "admin")


def test_every_page_loads_without_a_policy_violation_or_console_error(app, seeded, new_context):
    routes = build_urls(app, candidate_routes(app), argument_values(seeded), limit=1)
    problems, pages_seen = [], 0
    for role in ROLES_VISITED:
        context = new_context(role)
        context.add_init_script(COLLECT_VIOLATIONS_JS)
        page = context.new_page()
        errors = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        for route in routes:
            for url in route.urls:
                answer = context.request.get(url, max_redirects=0)
                if answer.status != 200 or not answer.headers.get("content-type", "").startswith("text/html"):
                    continue
                assert "script-src 'self'" in answer.headers["content-security-policy"]
                errors.clear()
                page.goto(url)
                page.wait_for_load_state("load")
                violations = page.evaluate("() => window.__cspViolations")
                pages_seen += 1
                if violations or errors:
                    problems.append(f"{role} {url}: {violations} {errors}")
        context.close()
    assert pages_seen > 40, f"only {pages_seen} pages were visited"
    assert not problems, "\n".join(problems)


def test_an_inline_script_would_be_reported(new_context, live_server):
    """The listener above hears a refusal: a script added inline by the page itself is refused."""
    context = new_context("anonymous")
    context.add_init_script(COLLECT_VIOLATIONS_JS)
    page = context.new_page()
    page.goto("/login")
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';
                     document.body.appendChild(s); }""")
    page.wait_for_function("() => window.__cspViolations.length > 0")
    assert page.evaluate("() => window.ran") is None
    assert "script-src" in page.evaluate("() => window.__cspViolations[0]")
    context.close()
