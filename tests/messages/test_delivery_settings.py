"""Production refuses to start when a real delivery channel lacks what it needs, and says what."""
import pytest

import config
from activity_hub import create_app
from activity_hub.messages.delivery_settings import EMAIL_CHANNEL_MODULE, SMS_CHANNEL_MODULE
from activity_hub.messages.kinds import MESSAGE_KINDS

GOOD_KEY = "k" * 48
CONSOLE = "activity_hub.messages.channels.console"
SMS_READY = {"SMS_ACCESS_KEY_ID": "key-id", "SMS_ACCESS_KEY_SECRET": "secret", "SMS_SIGN_NAME": "残联活动"}


@pytest.fixture
def production_app(database_url, monkeypatch):
    monkeypatch.setenv("ALLOW_SQLITE_IN_PRODUCTION", "1")

    def factory(**overrides):
        overrides.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/5")
        return create_app("production", SECRET_KEY=GOOD_KEY, SQLALCHEMY_DATABASE_URI=database_url, **overrides)
    return factory


def test_sms_templates_are_read_from_one_variable_per_kind():
    environ = {"SMS_TEMPLATE_REGISTRATION_CONFIRMED": "SMS_123", "SMS_TEMPLATE_EVENT_CANCELLED": " SMS_456 ",
               "SMS_TEMPLATE_DEFAULT": "SMS_1", "SMS_TEMPLATE_EVENT_CHANGED": "", "SMS_SIGN_NAME": "x"}
    assert config._sms_templates(environ) == {"registration_confirmed": "SMS_123", "event_cancelled": "SMS_456"}


def test_production_refuses_to_start_and_names_the_kinds_without_an_sms_template(production_app):
    templates = {kind: f"SMS_{n}" for n, kind in enumerate(MESSAGE_KINDS) if kind not in ("event_changed", "announcement")}
    with pytest.raises(RuntimeError) as refused:
        production_app(MESSAGE_BACKENDS={"email": CONSOLE, "sms": SMS_CHANNEL_MODULE},
                       SMS_TEMPLATES=templates, SMS_TEMPLATE_DEFAULT=None, **SMS_READY)
    text = str(refused.value)
    assert "no SMS template for the message kinds event_changed, announcement" in text
    assert "SMS_TEMPLATE_EVENT_CHANGED" in text and "SMS_TEMPLATE_ANNOUNCEMENT" in text
    assert "registration_confirmed" not in text


def test_production_starts_when_every_kind_has_a_template_or_there_is_a_default(production_app):
    every_kind = {kind: f"SMS_{n}" for n, kind in enumerate(MESSAGE_KINDS)}
    app = production_app(MESSAGE_BACKENDS={"email": CONSOLE, "sms": SMS_CHANNEL_MODULE},
                         SMS_TEMPLATES=every_kind, SMS_TEMPLATE_DEFAULT=None, **SMS_READY)
    assert app.config["CONFIG_NAME"] == "production"
    production_app(MESSAGE_BACKENDS={"email": CONSOLE, "sms": SMS_CHANNEL_MODULE},
                   SMS_TEMPLATES={}, SMS_TEMPLATE_DEFAULT="SMS_1", **SMS_READY)


def test_production_refuses_sms_without_the_gateways_keys_and_signature(production_app):
    with pytest.raises(RuntimeError) as refused:
        production_app(MESSAGE_BACKENDS={"email": CONSOLE, "sms": SMS_CHANNEL_MODULE},
                       SMS_TEMPLATE_DEFAULT="SMS_1", SMS_ACCESS_KEY_ID=None, SMS_ACCESS_KEY_SECRET=None,
                       SMS_SIGN_NAME=None)
    for name in ("SMS_ACCESS_KEY_ID", "SMS_ACCESS_KEY_SECRET", "SMS_SIGN_NAME"):
        assert name in str(refused.value)


def test_production_refuses_smtp_without_a_mail_server(production_app):
    with pytest.raises(RuntimeError, match="MAIL_SERVER is not set"):
        production_app(MESSAGE_BACKENDS={"email": EMAIL_CHANNEL_MODULE, "sms": CONSOLE}, MAIL_SERVER=None)
    with pytest.raises(RuntimeError, match="exclude each other"):
        production_app(MESSAGE_BACKENDS={"email": EMAIL_CHANNEL_MODULE, "sms": CONSOLE}, MAIL_SERVER="smtp.example.org",
                       MAIL_USE_TLS=True, MAIL_USE_SSL=True)
    app = production_app(MESSAGE_BACKENDS={"email": EMAIL_CHANNEL_MODULE, "sms": CONSOLE}, MAIL_SERVER="smtp.example.org")
    assert app.config["MAIL_SERVER"] == "smtp.example.org"


def test_the_console_channels_need_no_delivery_settings(production_app):
    app = production_app(MESSAGE_BACKENDS={"email": CONSOLE, "sms": CONSOLE}, MAIL_SERVER=None,
                         SMS_TEMPLATES={}, SMS_TEMPLATE_DEFAULT=None)
    assert app.config["CONFIG_NAME"] == "production"


def test_production_refuses_to_start_without_a_broker_unless_told_it_sends_nothing(production_app):
    mail = dict(MESSAGE_BACKENDS={"email": EMAIL_CHANNEL_MODULE, "sms": CONSOLE}, MAIL_SERVER="smtp.example.org")
    with pytest.raises(RuntimeError, match="CELERY_BROKER_URL is not set.*celery -A activity_hub.worker beat"):
        production_app(CELERY_BROKER_URL=None, **mail)
    with pytest.raises(RuntimeError, match="CELERY_BROKER_URL is not set"):
        production_app(CELERY_BROKER_URL=None, MESSAGE_DELIVERY="in_process", **mail)
    assert production_app(CELERY_BROKER_URL="redis://127.0.0.1:6379/1", **mail).config["CONFIG_NAME"] == "production"
    # A process that sends nothing (the benchmark's web servers, a one-off command) says so.
    quiet = production_app(CELERY_BROKER_URL=None, MESSAGE_DELIVERY="off", **mail)
    assert quiet.config["MESSAGE_DELIVERY"] == "off"
