"""Display preferences: larger text, high contrast, reduced motion, easy-read first; per browser and per account."""
import re

from activity_hub.auth.models import User
from activity_hub.extensions import db
from tests.conftest import login


def html_classes(response):
    return re.search(r'<html lang="[^"]+" class="([^"]*)"', response.get_data(as_text=True)).group(1).split()


def test_every_page_links_to_the_display_settings(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'href="/display?next=/login"' in page


def test_choice_is_remembered_in_the_browser_and_shown_as_classes(client):
    response = client.post("/display", data={"text_size": "175", "theme": "high_contrast", "reduced_motion": "y",
                                             "next": "/login"})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert "display=175.high_contrast.1.0" in response.headers["Set-Cookie"]
    assert set(html_classes(client.get("/login"))) == {"text-175", "theme-high_contrast", "reduced-motion"}


def test_default_page_has_no_display_classes(client):
    assert html_classes(client.get("/login")) == []


def test_saving_works_without_javascript_and_says_so(client):
    response = client.post("/display", data={"text_size": "200", "theme": "default"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'role="status"' in page and "显示设置已保存" in page
    assert re.search(r'<input checked[^>]*name="text_size" type="radio" value="200">', page)


def test_unknown_values_fall_back_to_the_defaults(client):
    client.set_cookie("display", "999.neon.7.x")
    assert html_classes(client.get("/login")) == []
    response = client.post("/display", data={"text_size": "1000", "theme": "<script>"})
    assert "display=100.default.0.0" in response.headers["Set-Cookie"]


def test_next_must_stay_on_the_site(client):
    response = client.post("/display", data={"text_size": "150", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/display"


def test_logged_in_choice_is_saved_to_the_account_and_follows_it(app, client, make_user):
    user_id = make_user()
    login(client, user_id)
    client.post("/display", data={"text_size": "150", "theme": "high_contrast", "easy_read": "y"})
    with app.app_context():
        user = db.session.get(User, user_id)
        assert (user.text_size, user.theme, user.reduced_motion, user.prefers_easy_read) == (150, "high_contrast", False, True)
    other_browser = app.test_client()
    login(other_browser, user_id)
    assert set(html_classes(other_browser.get("/account"))) == {"text-150", "theme-high_contrast"}


def test_account_without_a_choice_keeps_the_browsers_choice(client, make_user):
    client.set_cookie("display", "200.default.0.0")
    login(client, make_user())
    assert html_classes(client.get("/account")) == ["text-200"]


def test_account_choice_wins_over_the_browsers(client, make_user):
    client.set_cookie("display", "200.default.0.0")
    login(client, make_user(text_size=125))
    assert html_classes(client.get("/account")) == ["text-125"]
