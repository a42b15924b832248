"""The privacy pages under axe, in both languages, in the states that show most: a consent given, an
access log with an organizer's roster view in it, the administrators' audit log with entries and with
a search error. (The site-wide scan in test_axe visits them too; this one sets up their content.)"""
import pytest

from .browser_helpers import format_violations, run_axe

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def privacy_content(app, new_context, seeded):
    """The organizer views the roster of an event the resident is on, and the resident has a consent on
    record (written directly: registering would change the seeded pages the other browser tests visit)."""
    from activity_hub.extensions import db
    from activity_hub.privacy import consents
    from activity_hub.privacy.models import REGISTRATION_NEEDS

    organizer = new_context("organizer").new_page()
    organizer.goto(f"/organize/events/{seeded.events['full']}/roster")
    with app.app_context():
        consents.give(seeded.users["resident"], REGISTRATION_NEEDS)
        db.session.commit()
    return seeded


PAGES = [
    ("anonymous", "/privacy"),
    ("anonymous", "/privacy/easy-read"),
    ("resident", "/me/consents"),
    ("resident", "/me/access-log"),
    ("admin", "/admin/audit"),
    ("admin", "/admin/audit?event=0&last_day=2020-01-01&first_day=2020-02-01"),
]


@pytest.mark.parametrize("language", ["zh_CN", "en"])
@pytest.mark.parametrize("role, path", PAGES)
def test_privacy_pages_pass_axe(new_context, privacy_content, role, path, language):
    page = new_context(role, language).new_page()
    response = page.goto(path)
    assert response.status in (200, 400)
    assert page.locator("h1").count() == 1
    violations = run_axe(page)
    assert not violations, format_violations(violations)
