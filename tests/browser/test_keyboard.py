"""Keyboard-only walks through the main journeys, in Chinese (the site's default language).

No mouse and no clicking by selector: only Tab, Shift+Tab, Enter, Space, the arrow
keys and typing. At every stop focus must be visible and move in document order;
on the longer pages Tab must be able to leave every part of the page.
"""
import pytest
from flask_babel import force_locale, gettext

from activity_hub.accessibility import NEEDS_BY_CODE

from .keyboard import (
    activate, assert_focus_visible, assert_not_trapped, choose_option, focused, press, status_text, tab_to,
    type_text,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def zh(app):
    """zh(msgid, **values): the Chinese text a user sees for an English source string."""
    def translate(message, **values):
        with app.test_request_context(), force_locale("zh_CN"):
            return gettext(message, **values)
    return translate


def sent_code(app, login):
    """The 6-digit code in the newest message to ``login`` (what the resident reads on their phone)."""
    import re

    import sqlalchemy as sa

    from activity_hub.auth.models import User
    from activity_hub.extensions import db
    from activity_hub.messages.models import OutboxMessage

    with app.app_context():
        subject = db.session.scalar(
            sa.select(OutboxMessage.subject).join(User, User.id == OutboxMessage.user_id)
            .where(User.phone == login, OutboxMessage.kind == "login_code").order_by(OutboxMessage.id.desc()).limit(1))
        db.session.remove()
    return re.search(r"\d{6}", subject).group(0)


def test_resident_signs_up_registers_with_needs_and_a_companion_and_cancels(app, page_for, zh, seeded):
    page = page_for("anonymous")
    page.goto("/")

    # Sign up: first send the empty form, to meet the error summary.
    tab_to(page, zh("Create an account"))
    activate(page)
    tab_to(page, lambda el: el["tag"] == "button" and el["name"] == zh("Create account"))
    activate(page)
    summary = focused(page)
    assert summary and summary["isErrorSummary"], f"after an invalid submit focus is on {summary}, not the error summary"
    assert_focus_visible(page, summary)
    link = tab_to(page, lambda el: el["inErrorSummary"] and el["tag"] == "a", limit=3)
    activate(page, navigates=False)
    field = focused(page)
    assert field["id"] == link["href"].lstrip("#"), f"the error link {link['name']!r} did not focus its field"
    type_text(page, "13900000777")
    tab_to(page, zh("Your name"))
    type_text(page, "键盘用户")
    tab_to(page, lambda el: el["tag"] == "input" and el["type"] == "password")
    type_text(page, "keyboard only 1")
    tab_to(page, lambda el: el["tag"] == "input" and el["type"] == "password")
    type_text(page, "keyboard only 1")
    assert_not_trapped(page)
    tab_to(page, lambda el: el["tag"] == "button" and el["name"] == zh("Create account"))
    activate(page)
    # The account is made; the number is proved by the code sent to it, typed on the next page
    # (its login field is filled in already).
    assert "13900000777" in status_text(page)
    tab_to(page, lambda el: el["tag"] == "input" and el["name"].startswith(zh("Code")))
    type_text(page, sent_code(app, "13900000777"))
    tab_to(page, lambda el: el["tag"] == "button" and el["name"] == zh("Log in"))
    activate(page)
    assert zh("You are logged in.") in status_text(page)

    # Find an event with a sign-language interpreter through the catalogue's filters.
    tab_to(page, lambda el: el["tag"] == "a" and el["name"] == zh("Events"))
    activate(page)
    tab_to(page, lambda el: el["tag"] == "select" and zh("Accessibility the event provides") in el["name"])
    choose_option(page, NEEDS_BY_CODE["sign_language"].zh)
    tab_to(page, lambda el: el["tag"] == "button" and el["name"] == zh("Show events"))
    activate(page)
    assert "provision=sign_language" in page.url
    tab_to(page, "手语诗歌朗诵会")
    activate(page)
    assert page.locator("h1").inner_text() == "手语诗歌朗诵会"

    # Register with needs and one companion.
    tab_to(page, zh("Register for this event"))
    activate(page)
    tab_to(page, lambda el: el["type"] == "checkbox" and el["name"] == NEEDS_BY_CODE["sign_language"].zh)
    press(page, "Space")
    assert focused(page)["checked"]
    tab_to(page, lambda el: el["type"] == "checkbox" and el["name"] == NEEDS_BY_CODE["captions"].zh)
    press(page, "Space")
    tab_to(page, lambda el: el["tag"] == "select" and zh("Companions coming with you") in el["name"])
    choose_option(page, "1")
    tab_to(page, lambda el: el["type"] == "checkbox" and zh(
        "I agree that the organizer may use the needs I give here to arrange this event") in el["name"])
    press(page, "Space")
    assert focused(page)["checked"]
    assert_not_trapped(page)
    tab_to(page, lambda el: el["tag"] == "button" and el["name"] == zh("Register"))
    activate(page)

    # The confirmation is announced: the h1 says it, and so does the status region.
    heading = page.locator("h1").inner_text()
    assert heading == zh("You are registered for %(title)s: your place is confirmed.", title="手语诗歌朗诵会")
    assert zh("Your registration is saved. We are also sending you a message about it.") in status_text(page)
    assert NEEDS_BY_CODE["sign_language"].zh in page.locator("main").inner_text()

    # Cancel it: a confirmation page, then the answer in the status region.
    tab_to(page, zh("Cancel this registration"))
    activate(page)
    tab_to(page, lambda el: el["tag"] == "button" and el["name"] == zh("Yes, cancel the registration"))
    activate(page)
    assert zh("Your registration for %(title)s is cancelled.", title="手语诗歌朗诵会") in status_text(page)


def test_organizer_checks_a_resident_in(page_for, zh, seeded):
    page = page_for("organizer")
    page.goto("/")
    tab_to(page, lambda el: el["tag"] == "a" and el["name"] == zh("Manage events"))
    activate(page)
    tab_to(page, "全国助残日主题活动")
    activate(page)
    tab_to(page, lambda el: el["tag"] == "a" and el["name"] == zh("Check-in"))
    activate(page)
    tab_to(page, lambda el: el["tag"] == "input" and el["type"] in ("text", "search", ""))
    type_text(page, "居民2")
    activate(page)  # Enter in the search field sends the form
    button = tab_to(page, lambda el: el["tag"] == "button" and el["name"].startswith(zh("Check in")))
    assert "居民2" in button["name"], f"the check-in button does not say whom it is for: {button['name']!r}"
    activate(page)
    assert zh("%(name)s is checked in.", name="居民2") in status_text(page)
    assert_not_trapped(page)
