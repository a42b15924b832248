"""The app factory in each configuration, and what production refuses."""
import importlib

import pytest

from activity_hub import create_app

GOOD_KEY = "k" * 48
# Messages to the log, so these tests of other settings need no SMTP server or SMS templates
# (what the real channels need is tested in tests/messages/test_delivery_settings.py).
CONSOLE_DELIVERY = {"email": "activity_hub.messages.channels.console", "sms": "activity_hub.messages.channels.console"}


@pytest.fixture
def fresh_config(monkeypatch):
    """Re-read config.py under a changed environment, and restore it afterwards."""
    import config

    yield lambda: importlib.reload(config)
    monkeypatch.undo()
    importlib.reload(config)


def test_development_configuration(make_app):
    app = make_app("development")
    assert app.config["CONFIG_NAME"] == "development"
    assert app.debug
    assert not app.testing
    assert app.config["BABEL_DEFAULT_LOCALE"] == "zh_CN"
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["WTF_CSRF_ENABLED"] is not False
    assert {"auth", "events", "volunteers", "calendar", "dashboard", "api"} <= set(app.blueprints)
    assert app.test_client().get("/login").status_code == 200


def test_testing_configuration(app, client):
    assert app.testing
    assert app.config["CONFIG_NAME"] == "testing"
    assert app.config["WTF_CSRF_ENABLED"] is False
    assert client.get("/login").status_code == 200


def test_configuration_chosen_by_environment(monkeypatch, make_app):
    monkeypatch.setenv("ACTIVITY_HUB_CONFIG", "testing")
    app = make_app(None)
    assert app.config["CONFIG_NAME"] == "testing" and app.testing


def test_unknown_configuration_is_refused_with_a_clear_message():
    with pytest.raises(RuntimeError, match="ACTIVITY_HUB_CONFIG"):
        create_app("staging")


@pytest.mark.parametrize("key", ["", "dev", "change-me", "dev-insecure-secret-key", "too-short-but-not-listed"])
def test_production_refuses_a_missing_or_weak_secret_key(key, database_url):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production", SECRET_KEY=key, SQLALCHEMY_DATABASE_URI=database_url)


def test_production_refuses_to_start_when_secret_key_is_not_set(monkeypatch, fresh_config):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://root@127.0.0.1:5432/unused")
    fresh_config()
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")


def test_production_reads_its_settings_from_the_environment(monkeypatch, fresh_config):
    monkeypatch.setenv("SECRET_KEY", GOOD_KEY)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://root@127.0.0.1:5432/unused")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/3")
    monkeypatch.setenv("HELP_PHONE", "027-88888888")
    monkeypatch.setenv("LOGIN_MAX_FAILURES_PER_ACCOUNT", "7")
    fresh_config()
    app = create_app("production", MESSAGE_BACKENDS=CONSOLE_DELIVERY, MESSAGE_DELIVERY="off")
    assert app.config["SECRET_KEY"] == GOOD_KEY
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("/unused")
    assert app.config["REDIS_URL"] == "redis://127.0.0.1:6379/3"
    assert app.config["HELP_PHONE"] == "027-88888888"
    assert app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] == 7
    assert not app.debug and not app.testing


def test_production_refuses_sqlite_unless_allowed(monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'prod.sqlite3'}"
    monkeypatch.delenv("ALLOW_SQLITE_IN_PRODUCTION", raising=False)
    with pytest.raises(RuntimeError, match="PostgreSQL"):
        create_app("production", SECRET_KEY=GOOD_KEY, SQLALCHEMY_DATABASE_URI=url)
    monkeypatch.setenv("ALLOW_SQLITE_IN_PRODUCTION", "1")
    app = create_app("production", SECRET_KEY=GOOD_KEY, SQLALCHEMY_DATABASE_URI=url, MESSAGE_BACKENDS=CONSOLE_DELIVERY,
                     MESSAGE_DELIVERY="off")
    assert app.config["CONFIG_NAME"] == "production"


def test_production_cookies_are_secure_httponly_and_samesite(monkeypatch, make_app, make_user):
    monkeypatch.setenv("ALLOW_SQLITE_IN_PRODUCTION", "1")
    app = make_app("production", SECRET_KEY=GOOD_KEY, WTF_CSRF_ENABLED=False, MESSAGE_BACKENDS=CONSOLE_DELIVERY,
                   MESSAGE_DELIVERY="off")
    user_id = make_user(login="13700000001", password="correct horse 1")
    client = app.test_client()
    response = client.post("/login", data={"login": "13700000001", "password": "correct horse 1", "remember": "y"},
                           base_url="https://localhost")
    assert response.status_code == 302, user_id
    cookies = {header.split("=", 1)[0]: header for header in response.headers.getlist("Set-Cookie")}
    for name in ("session", "remember_token"):
        assert "Secure" in cookies[name]
        assert "HttpOnly" in cookies[name]
        assert "SameSite=Lax" in cookies[name]
    language = client.get("/language?lang=en&next=/login", base_url="https://localhost")
    assert "Secure" in language.headers["Set-Cookie"]


def test_trusted_proxy_count_makes_the_forwarded_address_the_client_address(make_app):
    app = make_app(TRUSTED_PROXY_COUNT=1)

    @app.route("/_address")
    def address():
        from flask import request

        return request.remote_addr

    response = app.test_client().get("/_address", headers={"X-Forwarded-For": "203.0.113.9"})
    assert response.get_data(as_text=True) == "203.0.113.9"
    untrusted = make_app()
    untrusted.add_url_rule("/_address", view_func=address)
    assert untrusted.test_client().get("/_address", headers={"X-Forwarded-For": "203.0.113.9"}).get_data(
        as_text=True) == "127.0.0.1"


def test_plain_postgresql_urls_use_the_installed_driver(make_app):
    for url in ("postgres://u@db.example/ah", "postgresql://u@db.example/ah"):
        app = make_app(SQLALCHEMY_DATABASE_URI=url)
        assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/ah"
