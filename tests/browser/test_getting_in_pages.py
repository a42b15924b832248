"""axe on the pages for getting in without a password (log in with a code, forgotten password,
invitation), as they first show and with a form submitted empty, in both languages. The full
scan (test_axe.py) covers them too; this module checks them alone, quickly."""
import pytest

from .browser_helpers import LANGUAGES, format_violations, heading_problems, page_facts, run_axe

pytestmark = pytest.mark.browser

FORM_PAGES = ("/login/code", "/login/code/enter", "/password/forgot", "/password/reset")


def _problems(page, where):
    facts = page_facts(page)
    found = [f"{where}: {problem}" for problem in heading_problems(facts)]
    violations = run_axe(page)
    if violations:
        found.append(f"{where}: {format_violations(violations)}")
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_getting_in_pages_have_no_axe_violations(new_context, seeded, language):
    page = new_context("anonymous", language).new_page()
    problems = []
    urls = ["/login", *FORM_PAGES, f"/invitation/{seeded.extra['arguments']['token'][0]}", "/invitation/not-a-token"]
    for url in urls:
        page.goto(url)
        problems += _problems(page, url)
    for url in FORM_PAGES + (f"/invitation/{seeded.extra['arguments']['token'][0]}",):
        page.goto(url)
        page.evaluate("document.querySelectorAll('main form input:not([type=hidden])').forEach(e => e.value = '')")
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state()
        assert page.title().startswith(("Error:", "错误")), url
        problems += _problems(page, f"{url} (submitted empty)")
    assert not problems, "\n".join(problems)


def test_the_admin_user_page_with_the_invitation_button(new_context, seeded):
    page = new_context("admin", "zh_CN").new_page()
    page.goto(f"/admin/users/{seeded.users['sandbox']}")
    assert page.locator("main form[action$='/invitation'] button").count() == 1
    problems = _problems(page, "admin user page")
    assert not problems, "\n".join(problems)
