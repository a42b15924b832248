"""Sessions that really end: logging out ends a copied cookie too, "log out of all devices", a new
password and an administrator switching an account off end every session and API token at once;
a bare account id in a cookie is never accepted; development keeps its own secret key."""
import os
import stat
from datetime import timedelta

import pytest
import sqlalchemy as sa

from activity_hub.auth.models import LoginSession, User
from activity_hub.db_types import utcnow
from activity_hub.extensions import db
from tests.api.conftest import bearer
from tests.conftest import login

PASSWORD = "correct horse 1"


def log_in(client, login_name, password=PASSWORD, remember=False):
    data = {"login": login_name, "password": password}
    if remember:
        data["remember"] = "y"
    return client.post("/login", data=data)


def copy_cookies(app, source, names=("session", "remember_token")):
    """Another browser holding copies of ``source``'s cookies (as a thief of the cookie would)."""
    thief = app.test_client()
    for name in names:
        cookie = source.get_cookie(name)
        if cookie is not None:
            thief.set_cookie(name, cookie.value)
    return thief


def logged_in(client):
    return client.get("/account").status_code == 200


@pytest.fixture
def make_token(app):
    from activity_hub.api import tokens

    def factory(user_id):
        with app.app_context():
            return tokens.create_token(db.session.get(User, user_id), "phone")[1]

    return factory


def token_works(client, plain):
    return client.get("/api/v1/auth/tokens", headers=bearer(plain)).status_code == 200


# --- logging out ---------------------------------------------------------------------------------

def test_a_copied_session_cookie_stops_working_after_log_out_while_another_device_stays_in(app, make_user):
    make_user(login="13800138101")
    laptop, phone = app.test_client(), app.test_client()
    log_in(laptop, "13800138101")
    log_in(phone, "13800138101")
    thief = copy_cookies(app, laptop, names=("session",))
    assert logged_in(thief)
    assert laptop.post("/logout").status_code == 302
    assert not logged_in(laptop)
    assert not logged_in(thief)
    assert logged_in(phone)


def test_a_copied_remember_me_cookie_stops_working_after_log_out(app, make_user):
    make_user(login="13800138102")
    laptop = app.test_client()
    log_in(laptop, "13800138102", remember=True)
    thief = copy_cookies(app, laptop, names=("remember_token",))
    assert logged_in(thief)  # the remember-me cookie alone logs in
    laptop.post("/logout")
    fresh_thief = copy_cookies(app, thief, names=("remember_token",))
    assert not logged_in(fresh_thief)
    assert not logged_in(thief)


def test_a_bare_account_id_in_the_session_cookie_is_refused(app, client, make_user):
    user_id = make_user(login="13800138103")
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)
    assert not logged_in(client)
    login(client, user_id)  # a real login session
    assert logged_in(client)


def test_a_session_past_its_time_is_refused_even_with_the_cookie(app, client, make_user):
    user_id = make_user(login="13800138104")
    log_in(client, "13800138104", remember=True)
    with app.app_context():
        db.session.execute(sa.update(LoginSession).where(LoginSession.user_id == user_id)
                           .values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    assert not logged_in(client)


# --- ending every session ------------------------------------------------------------------------

def test_log_out_of_all_devices_ends_every_session_and_token_but_keeps_the_password(app, make_user, make_token):
    user_id = make_user(login="13800138105")
    laptop, phone = app.test_client(), app.test_client()
    log_in(laptop, "13800138105", remember=True)
    log_in(phone, "13800138105", remember=True)
    plain = make_token(user_id)
    assert token_works(phone, plain)
    page = phone.get("/account/log-out-everywhere")
    assert page.status_code == 200 and "在所有设备上退出" in page.get_data(as_text=True)  # "log out everywhere"
    assert logged_in(phone)  # asking is not doing
    response = phone.post("/account/log-out-everywhere")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    for device in (laptop, phone):
        assert not logged_in(device)
        device.delete_cookie("session")
        assert not logged_in(device)  # nor by the remember-me cookie
    assert not token_works(app.test_client(), plain)
    assert log_in(app.test_client(), "13800138105").status_code == 302  # same password still works


def test_the_account_page_offers_log_out_of_all_devices(client, make_user):
    login(client, make_user())
    assert 'href="/account/log-out-everywhere"' in client.get("/account").get_data(as_text=True)


def test_a_new_password_ends_other_sessions_and_every_api_token(app, make_user, make_token):
    user_id = make_user(login="13800138106")
    laptop, phone = app.test_client(), app.test_client()
    log_in(laptop, "13800138106")
    log_in(phone, "13800138106")
    plain = make_token(user_id)
    response = laptop.post("/account/password", data={
        "current_password": PASSWORD, "password": "a new long password", "confirm": "a new long password",
    })
    assert response.status_code == 302
    assert logged_in(laptop)
    assert not logged_in(phone)
    assert not token_works(app.test_client(), plain)


def test_end_all_sessions_is_the_one_function_for_every_reason(app, make_user, make_token):
    """What a password reset calls (auth/sessions.py): sessions and tokens end, nothing else changes."""
    from activity_hub.auth import sessions

    user_id = make_user(login="13800138107")
    other_id = make_user(login="13800138108")
    device, other = app.test_client(), app.test_client()
    log_in(device, "13800138107")
    log_in(other, "13800138108")
    plain, other_plain = make_token(user_id), make_token(other_id)
    with app.app_context():
        sessions.end_all_sessions(db.session.get(User, user_id), sessions.PASSWORD_RESET)
    assert not logged_in(device) and not token_works(device, plain)
    assert logged_in(other) and token_works(app.test_client(), other_plain)


# --- switching an account off --------------------------------------------------------------------

def test_an_administrator_switches_an_account_off_after_confirming(app, client, make_user, make_token):
    admin_id = make_user(roles=("admin",))
    user_id = make_user(login="13800138109", name="王芳")
    device = app.test_client()
    log_in(device, "13800138109", remember=True)
    plain = make_token(user_id)
    login(client, admin_id)
    page = client.get(f"/admin/users/{user_id}").get_data(as_text=True)
    assert f'href="/admin/users/{user_id}/deactivate"' in page
    confirm = client.get(f"/admin/users/{user_id}/deactivate")
    assert confirm.status_code == 200 and "王芳" in confirm.get_data(as_text=True)
    assert logged_in(device)
    assert client.post(f"/admin/users/{user_id}/deactivate").status_code == 302
    assert not logged_in(device)
    device.delete_cookie("session")
    assert not logged_in(device)
    assert not token_works(app.test_client(), plain)
    refused = log_in(app.test_client(), "13800138109")
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "账户已停用" in text and app.config["HELP_PHONE"] in text  # "This account has been switched off"
    # A wrong password does not learn that the account is switched off.
    assert "已停用" not in log_in(app.test_client(), "13800138109", "wrong password").get_data(as_text=True)

    assert client.post(f"/admin/users/{user_id}/reactivate").status_code == 302
    assert log_in(app.test_client(), "13800138109").status_code == 302
    assert not token_works(app.test_client(), plain)  # tokens stay ended


def test_an_administrator_cannot_switch_off_their_own_account(app, client, make_user):
    admin_id = make_user(roles=("admin",))
    login(client, admin_id)
    response = client.post(f"/admin/users/{admin_id}/deactivate")
    assert response.status_code == 400
    assert "另一位管理员" in response.get_data(as_text=True)  # "Ask another administrator"
    assert logged_in(client)


def test_only_administrators_switch_accounts_off(app, client, make_user):
    user_id = make_user()
    login(client, make_user(roles=("organizer",)))
    assert client.post(f"/admin/users/{user_id}/deactivate").status_code == 403
    with app.app_context():
        assert db.session.get(User, user_id).is_active_account


def test_the_api_says_plainly_that_a_switched_off_account_gets_no_token(app, client, make_user):
    make_user(login="13800138110", is_active_account=False)
    response = client.post("/api/v1/auth/token", json={"login": "13800138110", "password": PASSWORD})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "account_switched_off"


# --- administrators and other people's tokens ------------------------------------------------------

def test_an_administrator_sees_and_revokes_a_persons_token_on_their_page(app, client, make_user, make_token):
    admin_id = make_user(roles=("admin",))
    user_id = make_user()
    plain = make_token(user_id)
    with app.app_context():
        from activity_hub.api.models import ApiToken

        token_id = db.session.scalar(sa.select(ApiToken.id).where(ApiToken.user_id == user_id))
    login(client, admin_id)
    page = client.get(f"/admin/users/{user_id}").get_data(as_text=True)
    assert plain[:12] in page
    revoke = f"/admin/users/{user_id}/api-tokens/{token_id}/revoke"
    assert revoke in page
    assert client.get(revoke).status_code == 200
    assert token_works(app.test_client(), plain)
    assert client.post(revoke).status_code == 302
    assert not token_works(app.test_client(), plain)
    assert plain[:12] not in client.get(f"/admin/users/{user_id}").get_data(as_text=True)
    # A token id of another person under this person's address is not found.
    other_plain = make_token(admin_id)
    with app.app_context():
        other_id = db.session.scalar(sa.select(ApiToken.id).where(ApiToken.user_id == admin_id))
    assert client.post(f"/admin/users/{user_id}/api-tokens/{other_id}/revoke").status_code == 404
    assert token_works(app.test_client(), other_plain)


# --- the secret key --------------------------------------------------------------------------------

def test_development_makes_its_own_secret_key_once_and_keeps_it_private(tmp_path, monkeypatch, database_url):
    import config
    from activity_hub import create_app

    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path / "instance")
    first = create_app("development", SECRET_KEY=None, SQLALCHEMY_DATABASE_URI=database_url)
    key_file = tmp_path / "instance" / "secret_key"
    assert key_file.exists()
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert len(first.config["SECRET_KEY"]) >= 32
    second = create_app("development", SECRET_KEY=None, SQLALCHEMY_DATABASE_URI=database_url)
    assert second.config["SECRET_KEY"] == first.config["SECRET_KEY"]
    assert list((tmp_path / "instance").iterdir()) == [key_file]  # no temporary file left behind
    for app in (first, second):
        with app.app_context():
            db.engine.dispose()


@pytest.mark.parametrize("config_name", ["development", "production"])
def test_a_weak_secret_key_is_refused_outside_tests(config_name, database_url):
    from activity_hub import create_app

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(config_name, SECRET_KEY="dev-insecure-secret-key", SQLALCHEMY_DATABASE_URI=database_url)


def test_no_configuration_carries_a_secret_key_of_its_own_but_testing(monkeypatch):
    import importlib

    import config

    monkeypatch.delenv("SECRET_KEY", raising=False)
    fresh = importlib.reload(config)
    try:
        assert fresh.Config.SECRET_KEY is None
        assert fresh.DevelopmentConfig.SECRET_KEY is None
        assert fresh.ProductionConfig.SECRET_KEY is None
    finally:
        monkeypatch.undo()
        importlib.reload(config)
