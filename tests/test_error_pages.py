"""403, 404 and 500 in the site's layout and the visitor's language; JSON under /api/."""
import pytest

from tests.conftest import login


def in_site_layout(html):
    return ('class="skip-link"' in html and "<main" in html and "<footer" in html and "<nav" in html
            and html.count("<h1>") == 1)


@pytest.fixture
def failing_app(make_app):
    """An app whose exceptions become 500 pages, as in production, with two routes that fail."""
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    def boom():
        raise RuntimeError("deliberate failure")

    app.add_url_rule("/_boom", "boom", boom)
    app.add_url_rule("/api/v1/_boom", "api_boom", boom)
    return app


def english(client):
    client.get("/language?lang=en&next=/")


def test_404_in_the_layout_in_chinese(client):
    response = client.get("/no-such-page")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert in_site_layout(html)
    assert '<html lang="zh-CN"' in html
    assert "<h1>Page not found</h1>" not in html and "<title>Page not found" not in html
    assert "027-" in html or "help" in html  # the help contact, as on every page


def test_404_in_english(client):
    english(client)
    response = client.get("/no-such-page")
    html = response.get_data(as_text=True)
    assert response.status_code == 404 and in_site_layout(html)
    assert "<h1>Page not found</h1>" in html and '<html lang="en"' in html
    assert "<title>Page not found" in html


def test_403_in_the_layout_in_both_languages(client, make_user):
    login(client, make_user(roles=("resident",)))
    response = client.get("/admin/users")
    html = response.get_data(as_text=True)
    assert response.status_code == 403 and in_site_layout(html)
    assert "<h1>You do not have permission" not in html
    english(client)
    html = client.get("/admin/users").get_data(as_text=True)
    assert "<h1>You do not have permission to see this page</h1>" in html


def test_500_in_the_layout_in_both_languages(failing_app):
    client = failing_app.test_client()
    response = client.get("/_boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500 and in_site_layout(html)
    assert '<html lang="zh-CN"' in html and "<h1>Something went wrong" not in html
    assert "deliberate failure" not in html and "Traceback" not in html
    english(client)
    html = client.get("/_boom").get_data(as_text=True)
    assert "<h1>Something went wrong on our side</h1>" in html


def test_500_for_a_logged_in_user_still_shows_their_menu(failing_app, make_user):
    client = failing_app.test_client()
    login(client, make_user(name="张敏"))
    html = client.get("/_boom").get_data(as_text=True)
    assert "张敏" in html  # the layout could still load the user after the failure


def test_api_errors_are_json(client, failing_app):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.is_json and response.get_json()["error"]["code"] == "http_404"
    assert response.get_json()["error"]["message"]
    response = failing_app.test_client().get("/api/v1/_boom")
    assert response.status_code == 500 and response.is_json
    assert response.get_json()["error"]["code"] == "http_500"
    assert "deliberate" not in response.get_data(as_text=True)


def test_api_error_messages_follow_accept_language(client):
    english_body = client.get("/api/v1/no-such-thing", headers={"Accept-Language": "en"}).get_json()
    assert english_body["error"]["message"] == "Page not found"
    chinese_body = client.get("/api/v1/no-such-thing", headers={"Accept-Language": "zh-CN"}).get_json()
    assert chinese_body["error"]["message"] != "Page not found"


def test_wrong_method_is_a_page_not_a_crash(client):
    response = client.get("/logout")
    assert response.status_code == 405
    assert in_site_layout(response.get_data(as_text=True))


def test_expired_form_explains_what_to_do(make_app):
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    english(client)
    response = client.post("/login", data={"login": "13800000001", "password": "whatever!"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and in_site_layout(html)
    assert "<h1>Your form could not be sent</h1>" in html
    assert "send the form again" in html


def test_error_pages_are_not_cached_as_pages_of_the_site(client):
    response = client.get("/no-such-page")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
