"""API tokens expire (API_TOKEN_DAYS, 90 by default), say so plainly when they have, and
administrators can list and revoke anyone's tokens through the API."""
from datetime import timedelta

import sqlalchemy as sa

from activity_hub.api.models import ApiToken
from activity_hub.auth.models import User
from activity_hub.db_types import utcnow
from activity_hub.extensions import db
from tests.api.conftest import bearer, error_code
from tests.conftest import login


def expire(app, plain_prefix):
    with app.app_context():
        db.session.execute(sa.update(ApiToken).where(ApiToken.token_prefix == plain_prefix)
                           .values(expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()


def test_a_new_token_expires_after_the_configured_days(app, client, make_user, make_token):
    user_id = make_user()
    plain = make_token(user_id)
    body = client.get("/api/v1/auth/tokens", headers=bearer(plain)).get_json()
    with app.app_context():
        token = db.session.scalar(sa.select(ApiToken).where(ApiToken.user_id == user_id))
        lifetime = token.expires_at - token.created_at
    assert lifetime == timedelta(days=app.config["API_TOKEN_DAYS"]) == timedelta(days=90)
    assert body["items"][0]["expires_at"]


def test_the_days_are_configurable(make_app, make_user):
    from activity_hub.api import tokens

    other = make_app(API_TOKEN_DAYS=7)
    user_id = make_user()
    with other.app_context():
        token, _plain = tokens.create_token(db.session.get(User, user_id), "phone")
        assert token.expires_at - token.created_at == timedelta(days=7)


def test_an_expired_token_answers_401_with_a_plain_message(app, client, make_user, make_token):
    plain = make_token(make_user())
    expire(app, plain[:12])
    response = client.get("/api/v1/auth/tokens", headers=bearer(plain))
    assert response.status_code == 401
    assert error_code(response) == "token_expired"
    assert "已过期" in response.get_json()["error"]["message"]  # "has expired", in the default language


def test_the_tokens_page_shows_when_each_token_expires_and_hides_expired_ones(app, client, make_user, make_token):
    user_id = make_user()
    kept, old = make_token(user_id, "kept"), make_token(user_id, "old")
    expire(app, old[:12])
    login(client, user_id)
    page = client.get("/account/api-tokens").get_data(as_text=True)
    assert "到期时间" in page  # "Expires"
    assert kept[:12] in page and old[:12] not in page


def test_administrators_list_and_revoke_a_persons_tokens_through_the_api(app, client, make_user, make_token):
    admin_token = make_token(make_user(roles=("admin",)))
    user_id = make_user()
    plain = make_token(user_id, "phone")
    listed = client.get(f"/api/v1/users/{user_id}/tokens", headers=bearer(admin_token))
    assert listed.status_code == 200
    (item,) = listed.get_json()["items"]
    assert item["prefix"] == plain[:12] and "token" not in item
    assert client.delete(f"/api/v1/users/{user_id}/tokens/{item['id']}", headers=bearer(admin_token)).status_code == 204
    assert client.get("/api/v1/auth/tokens", headers=bearer(plain)).status_code == 401
    assert client.get(f"/api/v1/users/{user_id}/tokens", headers=bearer(admin_token)).get_json()["items"] == []


def test_only_administrators_see_other_peoples_tokens(app, client, make_user, make_token):
    organizer_token = make_token(make_user(roles=("organizer",)))
    user_id = make_user()
    plain = make_token(user_id)
    with app.app_context():
        token_id = db.session.scalar(sa.select(ApiToken.id).where(ApiToken.user_id == user_id))
    assert client.get(f"/api/v1/users/{user_id}/tokens", headers=bearer(organizer_token)).status_code == 403
    assert client.delete(f"/api/v1/users/{user_id}/tokens/{token_id}",
                         headers=bearer(organizer_token)).status_code == 403
    assert client.get("/api/v1/auth/tokens", headers=bearer(plain)).status_code == 200
    admin_token = make_token(make_user(roles=("admin",)))
    assert client.get("/api/v1/users/999999/tokens", headers=bearer(admin_token)).status_code == 404


def test_the_openapi_document_describes_the_administrators_token_endpoints(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"get"} <= set(paths["/api/v1/users/{user_id}/tokens"])
    assert {"delete"} <= set(paths["/api/v1/users/{user_id}/tokens/{token_id}"])
    token_schema = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["Token"]
    assert "expires_at" in token_schema["properties"]
