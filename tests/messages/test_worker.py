"""The Celery app: its schedule, its settings, and tasks that run inside the Flask app."""
import pytest
import sqlalchemy as sa

from activity_hub import worker
from activity_hub.extensions import db
from activity_hub.messages.dispatch import RELAY_TASK
from activity_hub.messages.models import SENT, OutboxMessage
from tests.messages import fake_channels


def test_beat_sweeps_the_outbox_at_the_configured_interval(relay_app, monkeypatch):
    monkeypatch.setitem(relay_app.config, "CELERY_BROKER_URL", "redis://127.0.0.1:6379/2")
    monkeypatch.setitem(relay_app.config, "MESSAGE_RELAY_SWEEP_SECONDS", 60)
    celery = worker.make_celery(relay_app)
    assert celery.conf.beat_schedule["relay-outbox-sweep"] == {"task": RELAY_TASK, "schedule": 60}
    assert celery.conf.task_ignore_result is True
    assert RELAY_TASK in celery.tasks


def test_the_worker_refuses_to_start_without_a_broker(relay_app, monkeypatch):
    monkeypatch.setitem(relay_app.config, "CELERY_BROKER_URL", None)
    with pytest.raises(RuntimeError, match="CELERY_BROKER_URL"):
        worker.make_celery(relay_app)


def test_the_relay_task_delivers_inside_the_app(relay_app, put_message, monkeypatch):
    monkeypatch.setitem(relay_app.config, "CELERY_BROKER_URL", "redis://127.0.0.1:6379/2")
    message_id = put_message()
    celery = worker.make_celery(relay_app)
    celery.relay_outbox.apply()  # runs here, as a worker would run it (no app context of the caller's)
    assert fake_channels.deliveries == [message_id]
    with relay_app.app_context():
        assert db.session.scalar(sa.select(OutboxMessage.status)) == SENT


def test_beat_queues_reminders_and_completes_past_events(relay_app, monkeypatch, make_event, make_user):
    """The scheduled upkeep runs on its own: an event that has ended is completed by beat's task,
    without an organizer's click."""
    from datetime import timedelta

    from activity_hub.events.models import COMPLETED, Event

    monkeypatch.setitem(relay_app.config, "CELERY_BROKER_URL", "redis://127.0.0.1:6379/2")
    celery = worker.make_celery(relay_app)
    schedule = celery.conf.beat_schedule
    assert schedule["queue-due-reminders"]["task"] == worker.REMINDERS_TASK
    assert schedule["complete-past-events"]["task"] == worker.COMPLETION_TASK
    ended = make_event(starts_in=-timedelta(days=1))
    assert celery.tasks[worker.COMPLETION_TASK].apply().get() == {"completed": 1}
    assert set(celery.tasks[worker.REMINDERS_TASK].apply().get()) == {"day", "2h", "shift"}
    with relay_app.app_context():
        assert db.session.get(Event, ended).status == COMPLETED
