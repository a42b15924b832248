"""No SMS between 21:00 and 08:00 Beijing time, except same-day cancellations and changes."""
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from activity_hub.extensions import db
from activity_hub.messages import outbox, quiet_hours
from activity_hub.messages.models import EMAIL, SMS

BEIJING = timezone(timedelta(hours=8))


def beijing(day, hour, minute=0):
    return datetime(2026, 5, day, hour, minute, tzinfo=BEIJING)


@pytest.mark.parametrize("moment, quiet", [
    (beijing(1, 20, 59), False), (beijing(1, 21, 0), True), (beijing(1, 23, 59), True),
    (beijing(2, 0, 0), True), (beijing(2, 7, 59), True), (beijing(2, 8, 0), False), (beijing(2, 12, 0), False),
])
def test_the_quiet_hours_run_from_nine_in_the_evening_to_eight_in_the_morning(moment, quiet):
    assert quiet_hours.in_quiet_hours(moment) is quiet
    assert quiet_hours.in_quiet_hours(moment.astimezone(timezone.utc)) is quiet


@pytest.mark.parametrize("moment, morning", [
    (beijing(1, 21, 30), beijing(2, 8)), (beijing(2, 3, 0), beijing(2, 8)), (beijing(2, 8, 0), beijing(2, 8)),
])
def test_the_next_morning_is_the_next_eight_oclock_beijing_time(moment, morning):
    assert quiet_hours.next_morning(moment) == morning


def test_an_ordinary_sms_at_night_waits_until_eight():
    sent_from = quiet_hours.earliest_send_time(SMS, "registration_confirmed", beijing(1, 22, 15))
    assert sent_from == beijing(2, 8)


def test_by_day_and_by_email_nothing_waits():
    assert quiet_hours.earliest_send_time(SMS, "announcement", beijing(1, 14)) == beijing(1, 14)
    assert quiet_hours.earliest_send_time(EMAIL, "announcement", beijing(1, 23)) == beijing(1, 23)


@pytest.mark.parametrize("kind", ["event_cancelled", "event_changed"])
def test_a_cancellation_or_change_of_an_event_the_same_day_goes_at_once(kind):
    now = beijing(2, 6, 30)
    assert quiet_hours.earliest_send_time(SMS, kind, now, event_starts_at=beijing(2, 19)) == now


def test_a_cancellation_at_night_of_an_event_early_next_morning_goes_at_once():
    now = beijing(1, 22, 0)
    assert quiet_hours.earliest_send_time(SMS, "event_cancelled", now, event_starts_at=beijing(2, 9, 30)) == now


def test_a_cancellation_of_an_event_days_away_waits_for_the_morning():
    now = beijing(1, 22, 0)
    assert quiet_hours.earliest_send_time(SMS, "event_cancelled", now, event_starts_at=beijing(5, 9)) == beijing(2, 8)
    # Other kinds are never urgent, however close the event.
    assert quiet_hours.earliest_send_time(SMS, "announcement", now, event_starts_at=beijing(1, 23)) == beijing(2, 8)


@pytest.fixture
def sms_user(app, make_user):
    from activity_hub.auth.models import User

    user_id = make_user(message_channel=SMS)
    with app.app_context():
        return db.session.get(User, user_id)


def test_a_message_queued_at_night_by_sms_is_due_in_the_morning(app, sms_user, monkeypatch):
    monkeypatch.setattr(outbox, "utcnow", lambda: beijing(1, 23).astimezone(timezone.utc))
    with app.test_request_context():
        values = outbox.message_values(sms_user, "registration_confirmed", lambda: ("报名成功", "您已报名。"))
        db.session.rollback()
    assert values["channel"] == SMS
    assert values["next_attempt_at"] == beijing(2, 8)


def test_a_message_queued_by_day_is_due_at_once(app, sms_user, monkeypatch):
    monkeypatch.setattr(outbox, "utcnow", lambda: beijing(1, 10).astimezone(timezone.utc))
    with app.test_request_context():
        values = outbox.message_values(sms_user, "registration_confirmed", lambda: ("报名成功", "您已报名。"))
        db.session.rollback()
    assert "next_attempt_at" not in values  # the column's default: the time of the INSERT


def test_a_same_day_cancellation_queued_at_night_is_due_at_once(app, sms_user, monkeypatch):
    monkeypatch.setattr(outbox, "utcnow", lambda: beijing(1, 22).astimezone(timezone.utc))
    event = SimpleNamespace(id=None, starts_at=beijing(1, 23, 30))
    with app.test_request_context():
        values = outbox.message_values(sms_user, "event_cancelled", lambda: ("活动取消", "活动取消了。"), event)
        db.session.rollback()
    assert "next_attempt_at" not in values


def test_a_registration_by_sms_at_night_is_sent_in_the_morning(relay_app, make_user, make_event, monkeypatch):
    """However the registration writes its message (on PostgreSQL one Core INSERT that leaves
    ``next_attempt_at`` to the database), the SMS waits for 08:00: the relay checks again."""
    from activity_hub.auth.models import User
    from activity_hub.events.registration import register
    from activity_hub.messages.models import QUEUED, OutboxMessage
    from activity_hub.messages.relay import deliver_due_messages
    from tests.messages import fake_channels

    tomorrow = (datetime.now(BEIJING) + timedelta(days=1)).date()
    night = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 23, 0, tzinfo=BEIJING)
    morning = night + timedelta(hours=9)
    monkeypatch.setattr(outbox, "utcnow", lambda: night.astimezone(timezone.utc))
    user_id = make_user(message_channel=SMS)
    event = make_event(starts_in=timedelta(days=10))
    with relay_app.test_request_context():
        register(event, db.session.get(User, user_id), consent=True)
        result = deliver_due_messages(now=night.astimezone(timezone.utc))
        message = db.session.scalars(db.select(OutboxMessage)).one()
        assert (message.channel, message.status, message.attempts) == (SMS, QUEUED, 0)
        assert message.next_attempt_at == morning
    assert result.sent == 0 and fake_channels.deliveries == []
