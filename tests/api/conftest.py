"""API test helpers: tokens, bearer headers, JSON requests."""
import pytest

from activity_hub.extensions import db


@pytest.fixture
def make_token(app):
    """make_token(user_id, name="test") -> the plain bearer token."""
    from activity_hub.api import tokens
    from activity_hub.auth.models import User

    def factory(user_id, name="test"):
        with app.app_context():
            _token, plain = tokens.create_token(db.session.get(User, user_id), name)
            db.session.commit()
            return plain

    return factory


def bearer(token, **headers):
    return {"Authorization": f"Bearer {token}", **headers}


@pytest.fixture
def api(client, make_token):
    """api(method, path, user_id=None, json=..., headers=...) -> response; authenticated by a bearer token."""
    tokens = {}

    def call(method, path, user_id=None, **kwargs):
        headers = dict(kwargs.pop("headers", {}) or {})
        if user_id is not None:
            if user_id not in tokens:
                tokens[user_id] = make_token(user_id)
            headers.update(bearer(tokens[user_id]))
        return client.open(path, method=method, headers=headers, **kwargs)

    return call


def error_code(response):
    body = response.get_json()
    assert body is not None, response.data[:300]
    return body["error"]["code"]
