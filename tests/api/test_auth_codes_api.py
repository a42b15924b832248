"""The API's way in without a password: POST /auth/code, POST /auth/token with a code, and
POST /auth/password to set a new password with a code (issue 13)."""
from argon2 import PasswordHasher

from tests.conftest import messages_to, sent_code

from .conftest import bearer

NEW_PASSWORD = "a quiet river 42"


def test_asking_for_a_code_answers_202_whatever_the_login(app, client, make_user):
    make_user(login="13900000301")
    known = client.post("/api/v1/auth/code", json={"login": "13900000301"})
    unknown = client.post("/api/v1/auth/code", json={"login": "13900000302"})
    assert known.status_code == unknown.status_code == 202
    assert known.get_data() == unknown.get_data()
    assert len(messages_to(app, "13900000301", "login_code")) == 1
    assert messages_to(app, "13900000302") == []


def test_a_code_gives_a_token_once(app, client, make_user):
    make_user(login="13900000303")
    client.post("/api/v1/auth/code", json={"login": "13900000303"})
    code = sent_code(app, "13900000303")
    response = client.post("/api/v1/auth/token", json={"login": "13900000303", "code": code, "name": "phone"})
    assert response.status_code == 201
    token = response.get_json()["token"]
    assert client.get("/api/v1/auth/tokens", headers=bearer(token)).status_code == 200
    again = client.post("/api/v1/auth/token", json={"login": "13900000303", "code": code})
    assert again.status_code == 401 and again.get_json()["error"]["code"] == "invalid_code"


def test_a_forgotten_password_is_reset_with_a_code(app, client, make_user):
    make_user(login="13900000304")
    client.post("/api/v1/auth/code", json={"login": "13900000304"})
    code = sent_code(app, "13900000304")
    weak = client.post("/api/v1/auth/password", json={"login": "13900000304", "code": code, "new_password": "12345678"})
    assert weak.status_code == 400 and set(weak.get_json()["error"]["fields"]) == {"new_password"}
    response = client.post("/api/v1/auth/password",
                           json={"login": "13900000304", "code": code, "new_password": NEW_PASSWORD})
    assert response.status_code == 204
    assert client.post("/api/v1/auth/token", json={"login": "13900000304", "password": NEW_PASSWORD}).status_code == 201
    assert client.post("/api/v1/auth/token", json={"login": "13900000304", "password": "correct horse 1"}
                       ).status_code == 401


def test_a_wrong_code_for_an_unknown_login_reads_like_any_wrong_code(app, client, make_user):
    make_user(login="13900000305")
    client.post("/api/v1/auth/code", json={"login": "13900000305"})
    wrong = f"{(int(sent_code(app, '13900000305')) + 1) % 1000000:06d}"
    known = client.post("/api/v1/auth/password", json={"login": "13900000305", "code": wrong,
                                                       "new_password": NEW_PASSWORD})
    unknown = client.post("/api/v1/auth/password", json={"login": "13900000306", "code": wrong,
                                                         "new_password": NEW_PASSWORD})
    assert known.status_code == unknown.status_code == 401
    assert known.get_json() == unknown.get_json()


def test_password_and_code_together_or_neither_is_400(client):
    both = client.post("/api/v1/auth/token", json={"login": "13900000307", "password": "x", "code": "123456"})
    assert both.status_code == 400 and set(both.get_json()["error"]["fields"]) == {"password", "code"}


def test_a_token_request_for_an_unknown_login_hashes_a_dummy_password(client, make_user, monkeypatch):
    make_user(login="13900000308")
    verified = []
    real_verify = PasswordHasher.verify
    monkeypatch.setattr(PasswordHasher, "verify", lambda self, hash_, password: verified.append(password)
                        or real_verify(self, hash_, password))
    unknown = client.post("/api/v1/auth/token", json={"login": "13900000309", "password": "some guess 1"})
    known = client.post("/api/v1/auth/token", json={"login": "13900000308", "password": "some guess 1"})
    assert unknown.status_code == known.status_code == 401
    assert unknown.get_json() == known.get_json()
    assert verified == ["some guess 1", "some guess 1"]


def test_the_openapi_document_describes_the_new_endpoints(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "202" in paths["/api/v1/auth/code"]["post"]["responses"]
    assert "204" in paths["/api/v1/auth/password"]["post"]["responses"]
    token_body = paths["/api/v1/auth/token"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert {"login", "password", "code"} <= set(token_body["properties"])
