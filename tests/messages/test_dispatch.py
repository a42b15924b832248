"""The nudge: a commit that queued messages gets them delivered at once (in this process without a
broker, by the relay task with one), and never fails because the broker is down."""
import json
import logging

import pytest
import redis
import sqlalchemy as sa

from activity_hub.extensions import db
from activity_hub.messages import dispatch
from activity_hub.messages.models import QUEUED, SENT, OutboxMessage
from activity_hub.messages.outbox import queue_message
from tests.conftest import login
from tests.messages import fake_channels

TEST_REDIS = "redis://127.0.0.1:6379/2"


def statuses(app):
    with app.app_context():
        return db.session.execute(sa.select(OutboxMessage.id, OutboxMessage.status)).all()


def queue_and_commit(app, user_id):
    from activity_hub.auth.models import User

    with app.app_context():
        message = queue_message(db.session.get(User, user_id), "announcement", lambda: ("通知", "明天见。"))
        db.session.commit()
        return message.id


@pytest.fixture
def email_user(make_user):
    return make_user(email="resident@example.org", message_channel="email")


def test_without_a_broker_the_commit_delivers_in_process(relay_app, email_user, monkeypatch):
    monkeypatch.setitem(relay_app.config, "MESSAGE_DELIVERY", "in_process")
    message_id = queue_and_commit(relay_app, email_user)
    assert fake_channels.deliveries == [message_id]
    assert statuses(relay_app) == [(message_id, SENT)]


def test_without_a_broker_a_request_delivers_once_its_response_is_sent(relay_app, client, make_event, email_user,
                                                                       monkeypatch):
    monkeypatch.setitem(relay_app.config, "MESSAGE_DELIVERY", "in_process")
    event = make_event()
    login(client, email_user)
    answer = client.post(f"/events/{event}/register", data={"consent": "y"}, buffered=False)
    assert answer.status_code == 302, answer.get_data(as_text=True)[:3000]
    assert fake_channels.deliveries == []  # the page was answered before anything was sent
    answer.close()  # the server is done with the response
    [(message_id, status)] = statuses(relay_app)
    assert status == SENT and fake_channels.deliveries == [message_id]


def test_with_delivery_off_the_message_waits_for_the_relay(relay_app, email_user):
    message_id = queue_and_commit(relay_app, email_user)
    assert fake_channels.deliveries == []
    assert statuses(relay_app) == [(message_id, QUEUED)]


def test_a_rolled_back_session_nudges_nobody(relay_app, email_user, monkeypatch):
    from activity_hub.auth.models import User

    nudges = []
    monkeypatch.setattr(dispatch, "nudge_relay", nudges.append)
    with relay_app.app_context():
        queue_message(db.session.get(User, email_user), "announcement", lambda: ("通知", "明天见。"))
        db.session.rollback()
        db.session.get(User, email_user).name = "改名"
        db.session.commit()
    assert nudges == []
    queue_and_commit(relay_app, email_user)
    assert len(nudges) == 1


def test_mode_follows_the_broker_when_not_set(make_app):
    assert dispatch.delivery_mode(make_app(MESSAGE_DELIVERY=None, CELERY_BROKER_URL=TEST_REDIS)) == dispatch.CELERY
    assert dispatch.delivery_mode(make_app(MESSAGE_DELIVERY=None, CELERY_BROKER_URL=None)) == dispatch.IN_PROCESS


@pytest.mark.parametrize("settings, complaint", [
    ({"MESSAGE_DELIVERY": "later"}, "MESSAGE_DELIVERY must be one of"),
    ({"MESSAGE_DELIVERY": "celery", "CELERY_BROKER_URL": None}, "needs CELERY_BROKER_URL"),
])
def test_an_app_whose_messages_could_not_be_delivered_refuses_to_start(make_app, settings, complaint):
    with pytest.raises(RuntimeError, match=complaint):
        make_app(**settings)


@pytest.fixture
def test_redis():
    client = redis.Redis.from_url(TEST_REDIS)
    try:
        client.ping()
    except redis.ConnectionError:
        client.close()
        pytest.fail(f"Redis is not answering at {TEST_REDIS}: start it (the README's quick start)")
    client.delete("celery")
    yield client
    client.delete("celery")
    client.close()


def test_with_a_broker_the_commit_sends_the_relay_task(relay_app, email_user, monkeypatch, test_redis):
    monkeypatch.setitem(relay_app.config, "MESSAGE_DELIVERY", "celery")
    monkeypatch.setitem(relay_app.config, "CELERY_BROKER_URL", TEST_REDIS)
    relay_app.extensions.pop("activity_hub.celery_producer", None)
    try:
        queue_and_commit(relay_app, email_user)
    finally:
        relay_app.extensions.pop("activity_hub.celery_producer", None)
    [sent] = test_redis.lrange("celery", 0, -1)
    assert json.loads(sent)["headers"]["task"] == dispatch.RELAY_TASK
    assert fake_channels.deliveries == []  # the worker delivers, not the web process


def test_a_broker_that_is_down_does_not_fail_the_commit(relay_app, email_user, monkeypatch, caplog):
    monkeypatch.setitem(relay_app.config, "MESSAGE_DELIVERY", "celery")
    monkeypatch.setitem(relay_app.config, "CELERY_BROKER_URL", "redis://127.0.0.1:9/0")  # nothing listens
    relay_app.extensions.pop("activity_hub.celery_producer", None)
    try:
        with caplog.at_level(logging.WARNING, logger="activity_hub.messages.dispatch"):
            message_id = queue_and_commit(relay_app, email_user)
    finally:
        relay_app.extensions.pop("activity_hub.celery_producer", None)
    assert statuses(relay_app) == [(message_id, QUEUED)]
    assert "beat's sweep will" in caplog.text
