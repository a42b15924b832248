"""Personal API tokens: issued with a login and password (under the login limits), listed,
revoked; bearer and session authentication; the account page that manages them."""
import re

import sqlalchemy as sa

from activity_hub.extensions import db
from tests.conftest import login

from .conftest import bearer, error_code

PASSWORD = "correct horse 1"


def test_login_and_password_give_a_token_that_authenticates(client, make_user):
    user_id = make_user(login="13900000001")
    response = client.post("/api/v1/auth/token", json={"login": "139 0000 0001", "password": PASSWORD, "name": "phone"})
    assert response.status_code == 201
    body = response.get_json()
    assert body["token"].startswith("ahp_") and body["name"] == "phone"
    assert body["created_at"].endswith("+08:00")

    listed = client.get("/api/v1/auth/tokens", headers=bearer(body["token"]))
    assert listed.status_code == 200
    items = listed.get_json()["items"]
    assert [item["id"] for item in items] == [body["id"]]
    assert "token" not in items[0]  # the plain token is never shown again
    assert items[0]["last_used_at"] is not None
    assert user_id


def test_only_a_hash_of_the_token_is_stored(app, client, make_user):
    from activity_hub.api.models import ApiToken

    make_user(login="13900000002")
    plain = client.post("/api/v1/auth/token", json={"login": "13900000002", "password": PASSWORD}).get_json()["token"]
    with app.app_context():
        stored = db.session.scalar(sa.select(ApiToken))
        assert plain not in (stored.token_hash, stored.token_prefix)
        assert re.fullmatch(r"[0-9a-f]{64}", stored.token_hash)


def test_wrong_password_is_401_and_counts_towards_the_login_limit(app, client, make_user):
    make_user(login="13900000003")
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit):
        response = client.post("/api/v1/auth/token", json={"login": "13900000003", "password": "wrong"})
        assert response.status_code == 401
        assert error_code(response) == "invalid_credentials"
    # Now even the right password is refused, exactly like the log-in form.
    response = client.post("/api/v1/auth/token", json={"login": "13900000003", "password": PASSWORD})
    assert response.status_code == 429
    assert error_code(response) == "too_many_attempts"
    form = client.post("/login", data={"login": "13900000003", "password": PASSWORD})
    assert form.status_code == 429


def test_login_form_failures_also_lock_the_token_endpoint(app, client, make_user):
    make_user(login="13900000004")
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        client.post("/login", data={"login": "13900000004", "password": "wrong"})
    response = client.post("/api/v1/auth/token", json={"login": "13900000004", "password": PASSWORD})
    assert response.status_code == 429


def test_token_request_needs_login_and_a_password_or_a_code(client):
    response = client.post("/api/v1/auth/token", json={"login": "13900000005"})
    assert response.status_code == 400
    body = response.get_json()["error"]
    assert body["code"] == "validation_failed"
    assert set(body["fields"]) == {"password", "code"}


def test_revoked_token_is_401(client, make_user, make_token):
    user_id = make_user()
    plain = make_token(user_id)
    other = make_token(user_id, name="other")
    token_id = client.get("/api/v1/auth/tokens", headers=bearer(other)).get_json()["items"]
    token_id = next(item["id"] for item in token_id if item["name"] == "test")
    assert client.delete(f"/api/v1/auth/tokens/{token_id}", headers=bearer(other)).status_code == 204
    response = client.get("/api/v1/auth/tokens", headers=bearer(plain))
    assert response.status_code == 401
    assert error_code(response) == "invalid_token"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/api/v1/auth/tokens", headers=bearer(other)).status_code == 200


def test_a_token_of_someone_else_cannot_be_revoked(client, make_user, make_token):
    mine, theirs = make_user(), make_user()
    my_token = make_token(mine)
    their_token = make_token(theirs)
    their_id = client.get("/api/v1/auth/tokens", headers=bearer(their_token)).get_json()["items"][0]["id"]
    response = client.delete(f"/api/v1/auth/tokens/{their_id}", headers=bearer(my_token))
    assert response.status_code == 404
    assert client.get("/api/v1/auth/tokens", headers=bearer(their_token)).status_code == 200


def test_garbage_tokens_and_other_schemes_are_401(client):
    for header in ("Bearer nonsense", "Bearer ahp_" + "x" * 43, "Bearer ", "Basic dXNlcjpwYXNz", "Bearer " + "ahp_" * 500):
        response = client.get("/api/v1/auth/tokens", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert error_code(response) == "invalid_token"


def test_deactivated_account_token_stops_working(app, client, make_user, make_token):
    from activity_hub.auth.models import User

    user_id = make_user()
    plain = make_token(user_id)
    with app.app_context():
        db.session.get(User, user_id).is_active_account = False
        db.session.commit()
    assert client.get("/api/v1/auth/tokens", headers=bearer(plain)).status_code == 401


def test_anonymous_is_401_and_session_works(client, make_user):
    response = client.get("/api/v1/auth/tokens")
    assert response.status_code == 401
    assert error_code(response) == "authentication_required"
    login(client, make_user())
    assert client.get("/api/v1/auth/tokens").status_code == 200


def test_session_writes_need_the_csrf_token_but_bearer_writes_do_not(app, client, make_user, make_token, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    user_id = make_user()
    login(client, user_id)
    token = make_token(user_id)
    token_id = client.get("/api/v1/auth/tokens").get_json()["items"][0]["id"]

    refused = client.delete(f"/api/v1/auth/tokens/{token_id}")
    assert refused.status_code == 403
    assert error_code(refused) == "csrf_failed"

    page = client.get("/account/api-tokens")
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    assert client.delete(f"/api/v1/auth/tokens/{token_id}", headers={"X-CSRFToken": csrf}).status_code == 204

    fresh = client.application.test_client()  # no cookie: only the bearer token
    second = make_token(user_id, name="second")
    second_id = fresh.get("/api/v1/auth/tokens", headers=bearer(second)).get_json()["items"][0]["id"]
    assert fresh.delete(f"/api/v1/auth/tokens/{second_id}", headers=bearer(second)).status_code == 204


def test_token_page_creates_shows_once_and_revokes(client, make_user):
    login(client, make_user())
    page = client.get("/account/api-tokens")
    assert page.status_code == 200
    created = client.post("/account/api-tokens", data={"name": "我的手机"})
    html = created.get_data(as_text=True)
    assert created.status_code == 200
    plain = re.search(r'value="(ahp_[^"]+)"', html).group(1)
    assert "我的手机" in html
    assert plain not in client.get("/account/api-tokens").get_data(as_text=True)
    assert client.get("/api/v1/auth/tokens", headers=bearer(plain)).status_code == 200

    token_id = client.get("/api/v1/auth/tokens").get_json()["items"][0]["id"]
    confirm = client.get(f"/account/api-tokens/{token_id}/revoke")
    assert confirm.status_code == 200 and "<h1>" in confirm.get_data(as_text=True)
    done = client.post(f"/account/api-tokens/{token_id}/revoke", follow_redirects=True)
    assert done.status_code == 200
    assert client.get("/api/v1/auth/tokens", headers=bearer(plain)).status_code == 401


def test_token_page_refuses_an_empty_name_beside_the_field(client, make_user):
    login(client, make_user())
    response = client.post("/account/api-tokens", data={"name": "  "})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'class="error-summary"' in html and 'id="name-error"' in html


def test_token_page_needs_login_and_hides_other_peoples_tokens(client, make_user, make_token):
    assert client.get("/account/api-tokens").status_code == 302
    owner = make_user()
    make_token(owner)
    login(client, make_user())
    assert client.get("/account/api-tokens/1/revoke").status_code == 404
    assert client.post("/account/api-tokens/1/revoke").status_code == 404


def test_the_account_page_links_to_the_token_page(client, make_user):
    login(client, make_user())
    assert 'href="/account/api-tokens"' in client.get("/account").get_data(as_text=True)


def test_bearer_requests_get_no_cookies(app, make_user, make_token):
    fresh = app.test_client()
    response = fresh.get("/api/v1/auth/tokens", headers=bearer(make_token(make_user())))
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def _last_used(app):
    from activity_hub.api.models import ApiToken

    with app.app_context():
        return db.session.scalar(sa.select(ApiToken.last_used_at))


def _set_last_used(app, value):
    from activity_hub.api.models import ApiToken

    with app.app_context():
        db.session.execute(sa.update(ApiToken).values(last_used_at=value))
        db.session.commit()


def test_a_tokens_use_is_saved_after_a_read_that_commits_nothing(app, client, make_user, make_token):
    plain = make_token(make_user())
    assert _last_used(app) is None
    assert client.get("/api/v1/me/registrations", headers=bearer(plain)).status_code == 200
    assert _last_used(app) is not None


def test_a_tokens_use_is_saved_after_a_refused_request(app, client, make_user, make_token, make_event):
    """The refusal rolls the request's transaction back; the use is still recorded."""
    event = make_event()
    plain = make_token(make_user())
    refused = client.post(f"/api/v1/events/{event}/registrations", json={"consent": False}, headers=bearer(plain))
    assert refused.status_code in (400, 409)
    assert _last_used(app) is not None
    missing = client.post("/api/v1/events/999999/registrations", json={"consent": True}, headers=bearer(plain))
    assert missing.status_code == 404


def test_a_tokens_last_use_moves_at_most_every_few_minutes(app, client, make_user, make_token):
    from datetime import timedelta

    from activity_hub.api.tokens import LAST_USED_RESOLUTION
    from activity_hub.db_types import utcnow

    plain = make_token(make_user())
    recent = utcnow() - LAST_USED_RESOLUTION / 2
    _set_last_used(app, recent)
    client.get("/api/v1/me/registrations", headers=bearer(plain))
    assert abs(_last_used(app) - recent) < timedelta(seconds=1)
    _set_last_used(app, utcnow() - LAST_USED_RESOLUTION * 2)
    client.get("/api/v1/me/registrations", headers=bearer(plain))
    assert utcnow() - _last_used(app) < timedelta(seconds=30)


def test_a_bearer_request_ignores_the_session_cookie(app, client, make_user, make_token):
    """The token decides who calls, even beside a logged-in session cookie, which it neither reads nor
    rewrites: the cookie still logs its own user in afterwards."""
    from activity_hub.api.framework import TokenRequestsSkipTheSession

    assert isinstance(app.session_interface, TokenRequestsSkipTheSession)
    cookie_user, token_user = make_user(), make_user()
    make_token(cookie_user, name="the cookie's")
    plain = make_token(token_user, name="the token's")
    login(client, cookie_user)
    with_token = client.get("/api/v1/auth/tokens", headers=bearer(plain))
    assert [item["name"] for item in with_token.get_json()["items"]] == ["the token's"]
    assert "Set-Cookie" not in with_token.headers
    by_cookie = client.get("/api/v1/auth/tokens")
    assert [item["name"] for item in by_cookie.get_json()["items"]] == ["the cookie's"]
