"""The relay's tests deliver through the fake provider (``fake_channels``) and call the relay
themselves (``MESSAGE_DELIVERY`` is "off" unless a test says otherwise)."""
from datetime import datetime, timezone

import pytest

from activity_hub.extensions import db
from activity_hub.messages.models import EMAIL, OutboxMessage
from tests.messages import fake_channels

FAKE = "tests.messages.fake_channels"
DUE_SINCE = datetime(2026, 1, 1, tzinfo=timezone.utc)


@pytest.fixture
def relay_app(app, monkeypatch):
    """The session's app with every channel on the fake provider, restored afterwards."""
    for key, value in {"MESSAGE_BACKENDS": {"email": FAKE, "sms": FAKE}, "MESSAGE_DELIVERY": "off",
                       "MESSAGE_MAX_ATTEMPTS": 8, "MESSAGE_LEASE_SECONDS": 120}.items():
        monkeypatch.setitem(app.config, key, value)
    monkeypatch.delenv("FAKE_CHANNEL_DELAY", raising=False)
    fake_channels.deliveries.clear()
    yield app
    fake_channels.deliveries.clear()


@pytest.fixture
def recipient(make_user):
    return make_user()


@pytest.fixture
def put_message(relay_app, recipient):
    """put_message(channel="email", recipient="someone@example.org", **columns) -> id of an outbox row,
    due since the start of 2026 unless ``next_attempt_at`` says otherwise (tests run the relay at
    fixed times of their own)."""
    def factory(channel=EMAIL, to="someone@example.org", **columns):
        with relay_app.app_context():
            columns.setdefault("next_attempt_at", DUE_SINCE)
            message = OutboxMessage(user_id=recipient, kind=columns.pop("kind", "registration_confirmed"),
                                    channel=channel, recipient=to, locale="zh_CN", subject="报名成功",
                                    body="您已报名。", **columns)
            db.session.add(message)
            db.session.commit()
            return message.id

    return factory


def row(app, message_id):
    with app.app_context():
        message = db.session.get(OutboxMessage, message_id)
        db.session.expunge(message)
        return message
