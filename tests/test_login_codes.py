"""Logging in, and resetting a forgotten password, with a 6-digit code (issue 13, "Getting in")."""
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from argon2 import PasswordHasher

from activity_hub.auth import login_codes
from activity_hub.auth.models import LoginCode
from activity_hub.extensions import db
from activity_hub.messages import quiet_hours
from tests.conftest import messages_to, sent_code

PASSWORD = "correct horse 1"
NEW_PASSWORD = "a new lantern 27"


def page(response):
    return response.get_data(as_text=True)


def move_clock(monkeypatch, by):
    """Codes see a clock ``by`` later than the real one (no sleeping)."""
    later = datetime.now(timezone.utc) + by
    monkeypatch.setattr(login_codes, "utcnow", lambda: later)


def logged_in(client):
    return client.get("/account").status_code == 200


def test_forgotten_password_code_new_password_and_in(app, client, make_user):
    make_user(login="13800000001")
    assert 'href="/password/forgot"' in page(client.get("/login"))
    response = client.post("/password/forgot", data={"login": "138 0000 0001"})
    assert response.status_code == 302 and response.headers["Location"].startswith("/password/reset")
    notice = page(client.get("/password/reset"))
    assert "10" in notice and 'value="138 0000 0001"' in notice  # the login typed is offered again
    code = sent_code(app, "13800000001")
    assert code is not None and len(code) == 6
    response = client.post("/password/reset", data={"login": "13800000001", "code": code,
                                                    "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert logged_in(client)
    other = app.test_client()
    assert other.post("/login", data={"login": "13800000001", "password": PASSWORD}).status_code == 400
    assert other.post("/login", data={"login": "13800000001", "password": NEW_PASSWORD}).status_code == 302


def test_log_in_with_a_code_from_the_login_page(app, client, make_user):
    make_user(login="13800000002")
    assert 'href="/login/code' in page(client.get("/login"))
    assert client.post("/login/code", data={"login": "13800000002"}).status_code == 302
    response = client.post("/login/code/enter", data={"login": "13800000002", "code": sent_code(app, "13800000002")})
    assert response.status_code == 302 and logged_in(client)


def test_a_code_works_once(app, client, make_user):
    make_user(login="13800000003")
    client.post("/login/code", data={"login": "13800000003"})
    code = sent_code(app, "13800000003")
    assert client.post("/login/code/enter", data={"login": "13800000003", "code": code}).status_code == 302
    other = app.test_client()
    assert other.post("/login/code/enter", data={"login": "13800000003", "code": code}).status_code == 400
    assert not logged_in(other)


def test_the_plain_code_is_never_stored(app, client, make_user):
    make_user(login="13800000004")
    client.post("/login/code", data={"login": "13800000004"})
    code = sent_code(app, "13800000004")
    with app.app_context():
        row = db.session.scalar(sa.select(LoginCode))
        assert code not in row.code_hash and len(row.code_hash) == 64
        assert row.expires_at - row.created_at == timedelta(minutes=10)


def test_a_code_expires_after_ten_minutes(app, client, make_user, monkeypatch):
    make_user(login="13800000005")
    client.post("/login/code", data={"login": "13800000005"})
    code = sent_code(app, "13800000005")
    move_clock(monkeypatch, timedelta(minutes=10, seconds=1))
    response = client.post("/login/code/enter", data={"login": "13800000005", "code": code})
    assert response.status_code == 400 and 'id="code-error"' in page(response)
    assert not logged_in(client)


def test_a_new_code_at_most_once_a_minute(app, client, make_user, monkeypatch):
    make_user(login="13800000006")
    client.post("/login/code", data={"login": "13800000006"})
    first = sent_code(app, "13800000006")
    response = client.post("/login/code", data={"login": "13800000006"})
    assert response.status_code == 302  # the same answer, and the code already sent stands
    assert len(messages_to(app, "13800000006", "login_code")) == 1
    move_clock(monkeypatch, timedelta(seconds=61))
    client.post("/login/code", data={"login": "13800000006"})
    assert len(messages_to(app, "13800000006", "login_code")) == 2
    newest = sent_code(app, "13800000006")
    if newest != first:  # one chance in a million that the two are the same
        # Only the newest code counts.
        assert client.post("/login/code/enter", data={"login": "13800000006", "code": first}).status_code == 400
    assert client.post("/login/code/enter", data={"login": "13800000006", "code": newest}).status_code == 302


def test_five_wrong_tries_kill_the_code(app, client, make_user):
    app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] = 50  # let the code's own limit act, not the lockout
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 50
    try:
        make_user(login="13800000007")
        client.post("/login/code", data={"login": "13800000007"})
        code = sent_code(app, "13800000007")
        wrong = f"{(int(code) + 1) % 1000000:06d}"
        for _ in range(5):
            assert client.post("/login/code/enter", data={"login": "13800000007", "code": wrong}).status_code == 400
        response = client.post("/login/code/enter", data={"login": "13800000007", "code": code})
        assert response.status_code == 400 and not logged_in(client)
    finally:
        app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] = 5
        app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 20


def test_wrong_codes_lock_the_account_like_wrong_passwords_and_say_how_long(app, client, make_user):
    make_user(login="13800000008")
    client.post("/login/code", data={"login": "13800000008"})
    for _ in range(5):
        client.post("/login/code/enter", data={"login": "13800000008", "code": "000000"})
    client.get("/language?lang=en&next=/")
    response = client.post("/login/code/enter", data={"login": "13800000008", "code": sent_code(app, "13800000008")})
    assert response.status_code == 429
    assert "15 minutes" in page(response) and 'id="code-error"' in page(response)


def test_code_requests_are_limited_per_address(app, client, make_user):
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 3
    try:
        for n in range(3):
            assert client.post("/login/code", data={"login": f"1380000010{n}"}).status_code == 302
        response = client.post("/login/code", data={"login": "13800000109"})
        assert response.status_code == 429 and 'id="login-error"' in page(response)
        assert "分钟" in page(response)
    finally:
        app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 20


def test_asking_for_a_code_tells_nothing_about_the_account(app, make_user):
    make_user(login="13800000011")
    known, unknown = app.test_client(), app.test_client()
    a = known.post("/login/code", data={"login": "13800000011"})
    b = unknown.post("/login/code", data={"login": "13800000012"})
    assert (a.status_code, a.headers["Location"]) == (b.status_code, b.headers["Location"])
    page_a = page(known.get(a.headers["Location"])).replace("13800000011", "N")
    page_b = page(unknown.get(b.headers["Location"])).replace("13800000012", "N")
    assert page_a == page_b
    assert messages_to(app, "13800000012") == []
    assert len(messages_to(app, "13800000011", "login_code")) == 1


def test_the_code_goes_to_the_address_typed(app, client, make_user):
    make_user(login="13800000013", email="zhang@example.com", message_channel="site")
    client.post("/login/code", data={"login": "Zhang@Example.com"})
    assert sent_code(app, "zhang@example.com") is not None
    assert messages_to(app, "13800000013") == []


def test_codes_and_invitations_are_not_held_for_the_night():
    night = datetime(2026, 12, 4, 15, 30, tzinfo=timezone.utc)  # 23:30 in Beijing
    assert quiet_hours.earliest_send_time("sms", "login_code", night) == night
    assert quiet_hours.earliest_send_time("sms", "invitation", night) == night
    assert quiet_hours.earliest_send_time("sms", "signup_attempt_on_existing", night) > night


def test_bad_code_beside_the_field_in_both_languages(app, client):
    for lang, words in (("en", "6 digits"), ("zh_CN", "6 位")):
        client.get(f"/language?lang={lang}&next=/")
        response = client.post("/login/code/enter", data={"login": "13800000014", "code": "12ab"})
        assert response.status_code == 400
        html = page(response)
        assert 'id="code-error"' in html and words in html, lang
    response = client.post("/password/forgot", data={"login": "not a number"})
    assert response.status_code == 400 and 'id="login-error"' in page(response)


def test_logging_in_to_an_unknown_account_hashes_a_dummy_password(app, client, make_user, monkeypatch):
    make_user(login="13800000015")
    verified = []
    real_verify = PasswordHasher.verify
    monkeypatch.setattr(PasswordHasher, "verify", lambda self, hash_, password: verified.append(password)
                        or real_verify(self, hash_, password))
    unknown = client.post("/login", data={"login": "13800000016", "password": "some guess 1"})
    known = client.post("/login", data={"login": "13800000015", "password": "some guess 1"})
    assert unknown.status_code == known.status_code == 400
    assert verified == ["some guess 1", "some guess 1"]  # one argon2 verification each


def test_spent_and_expired_codes_are_cleared_when_a_new_one_is_made(app, client, make_user, monkeypatch):
    make_user(login="13800000017")
    client.post("/login/code", data={"login": "13800000017"})
    client.post("/login/code/enter", data={"login": "13800000017", "code": sent_code(app, "13800000017")})
    move_clock(monkeypatch, timedelta(minutes=2))
    app.test_client().post("/login/code", data={"login": "13800000017"})
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(LoginCode.id))) == 1
