"""The relay: claims due messages, delivers them once, and records what happened to each."""
import threading
from datetime import datetime, timedelta, timezone

import pytest

from activity_hub.db_types import utcnow
from activity_hub.extensions import db
from activity_hub.messages import relay
from activity_hub.messages.models import FAILED, QUEUED, SENDING, SENT, SITE, SMS
from activity_hub.messages.relay import deliver_due_messages, relay_until_done
from tests.conftest import recorded_statements
from tests.messages import fake_channels
from tests.messages.conftest import row


def deliver(app, **kwargs):
    with app.app_context():
        return deliver_due_messages(**kwargs)


def test_a_due_message_is_sent_once_and_recorded(relay_app, put_message):
    message_id = put_message()
    result = deliver(relay_app)
    assert (result.sent, result.retried, result.failed) == (1, 0, 0)
    assert fake_channels.deliveries == [message_id]
    sent = row(relay_app, message_id)
    assert sent.status == SENT and sent.attempts == 1
    assert sent.provider_message_id == f"fake-{message_id}"
    assert sent.sent_at is not None and sent.lease_expires_at is None and sent.last_error is None
    # Nothing is due any more: a second run sends nothing again.
    assert deliver(relay_app).handled == 0
    assert fake_channels.deliveries == [message_id]


def test_a_message_not_yet_due_waits(relay_app, put_message):
    later = put_message(next_attempt_at=utcnow() + timedelta(minutes=5))
    assert deliver(relay_app).handled == 0
    assert row(relay_app, later).status == QUEUED
    assert deliver(relay_app, now=utcnow() + timedelta(minutes=6)).sent == 1


def test_a_batch_takes_at_most_its_limit_oldest_due_first(relay_app, put_message):
    now = utcnow()
    ids = [put_message(next_attempt_at=now - timedelta(minutes=minutes)) for minutes in (1, 3, 2)]
    assert deliver(relay_app, limit=2).sent == 2
    assert fake_channels.deliveries == [ids[1], ids[2]]
    assert row(relay_app, ids[0]).status == QUEUED


def test_a_site_message_is_delivered_by_being_on_the_site(relay_app, put_message):
    message_id = put_message(channel=SITE, to="inbox")
    assert deliver(relay_app).sent == 1
    assert fake_channels.deliveries == []
    sent = row(relay_app, message_id)
    assert sent.status == SENT and sent.provider_message_id == str(message_id)


def test_a_temporary_failure_is_retried_later_with_a_growing_delay(relay_app, put_message):
    message_id = put_message(to=fake_channels.TEMPORARY_FAILURE)
    now = utcnow()
    assert deliver(relay_app, now=now).retried == 1
    first = row(relay_app, message_id)
    assert first.status == QUEUED and first.attempts == 1
    assert first.last_error == "the mail server did not answer"
    assert now + timedelta(seconds=15) <= first.next_attempt_at <= now + timedelta(seconds=30)
    # Not due again before its time; then the second delay is about twice the first.
    assert deliver(relay_app, now=now + timedelta(seconds=14)).handled == 0
    later = first.next_attempt_at
    assert deliver(relay_app, now=later).retried == 1
    second = row(relay_app, message_id)
    assert second.attempts == 2
    assert later + timedelta(seconds=30) <= second.next_attempt_at <= later + timedelta(seconds=60)


def test_the_delay_is_capped(relay_app):
    with relay_app.app_context():
        assert all(timedelta(minutes=30) <= relay.retry_delay(attempts) <= timedelta(hours=1)
                   for attempts in (8, 12, 40))


def test_after_the_last_attempt_a_message_is_a_dead_letter(relay_app, put_message, monkeypatch):
    monkeypatch.setitem(relay_app.config, "MESSAGE_MAX_ATTEMPTS", 3)
    message_id = put_message(to=fake_channels.TEMPORARY_FAILURE)
    now = utcnow()
    outcomes = []
    for _ in range(3):
        result = deliver(relay_app, now=now)
        outcomes.append((result.retried, result.failed))
        now += timedelta(hours=2)
    assert outcomes == [(1, 0), (1, 0), (0, 1)]
    dead = row(relay_app, message_id)
    assert dead.status == FAILED and dead.attempts == 3
    assert dead.last_error == "gave up after 3 attempts: the mail server did not answer"
    assert deliver(relay_app, now=now + timedelta(days=1)).handled == 0


def test_a_permanent_failure_fails_at_once_with_the_reason(relay_app, put_message):
    message_id = put_message(to=fake_channels.PERMANENT_FAILURE)
    assert deliver(relay_app).failed == 1
    failed = row(relay_app, message_id)
    assert failed.status == FAILED and failed.attempts == 1
    assert failed.last_error == "there is no mailbox at this address"


def test_a_fault_in_a_channel_is_retried_and_does_not_stop_the_batch(relay_app, put_message):
    broken = put_message(to=fake_channels.CRASH)
    fine = put_message()
    result = deliver(relay_app)
    assert (result.sent, result.retried) == (1, 1)
    assert row(relay_app, fine).status == SENT
    retried = row(relay_app, broken)
    assert retried.status == QUEUED and "the channel has a bug" in retried.last_error


def test_a_channel_without_a_backend_waits_with_the_reason(relay_app, put_message, monkeypatch):
    monkeypatch.setitem(relay_app.config, "MESSAGE_BACKENDS", {"email": "tests.messages.fake_channels"})
    message_id = put_message(channel=SMS, to="13900000000", kind="announcement")
    with relay_app.app_context():
        result = deliver_due_messages(now=datetime(2026, 5, 1, 3, 0, tzinfo=timezone.utc))  # 11:00 Beijing
    assert result.retried == 1
    assert row(relay_app, message_id).last_error == "no delivery backend is configured for the sms channel"


def test_a_message_leased_to_a_live_relay_is_left_alone(relay_app, put_message):
    now = utcnow()
    message_id = put_message(status=SENDING, attempts=1, lease_expires_at=now + timedelta(seconds=60))
    assert deliver(relay_app, now=now).handled == 0
    assert row(relay_app, message_id).status == SENDING
    assert fake_channels.deliveries == []


def test_a_message_left_sending_by_a_dead_worker_is_delivered_after_its_lease(relay_app, put_message):
    now = utcnow()
    message_id = put_message(status=SENDING, attempts=1, lease_expires_at=now - timedelta(seconds=1))
    assert deliver(relay_app, now=now).sent == 1
    assert fake_channels.deliveries == [message_id]
    done = row(relay_app, message_id)
    assert done.status == SENT and done.attempts == 2


def test_a_message_the_dead_worker_had_already_handed_over_is_not_sent_again(relay_app, put_message):
    """The worker died after the provider took the message and before it wrote so: the provider
    says it has it, and the relay records it as sent instead of sending it twice."""
    now = utcnow()
    message_id = put_message(status=SENDING, attempts=1, lease_expires_at=now - timedelta(seconds=1))
    fake_channels.deliveries.append(message_id)  # what the dead worker got done
    assert deliver(relay_app, now=now).sent == 1
    assert fake_channels.deliveries == [message_id]
    assert row(relay_app, message_id).provider_message_id == f"fake-{message_id}"


def test_a_message_whose_workers_keep_dying_ends_failed(relay_app, put_message):
    now = utcnow()
    message_id = put_message(status=SENDING, attempts=8, lease_expires_at=now - timedelta(seconds=1))
    assert deliver(relay_app, now=now).failed == 1
    assert fake_channels.deliveries == []
    failed = row(relay_app, message_id)
    assert failed.status == FAILED and "interrupted 8 times" in failed.last_error


def test_a_relay_near_the_end_of_its_lease_gives_back_what_it_has_not_sent(relay_app, put_message, monkeypatch):
    ids = [put_message() for _ in range(3)]
    clock = iter([0.0, 1.0, 61.0, 62.0])  # the second message starts after half of the 120 s lease
    monkeypatch.setattr(relay.time, "monotonic", lambda: next(clock))
    result = deliver(relay_app)
    assert (result.sent, result.deferred) == (1, 2)
    assert fake_channels.deliveries == [ids[0]]
    for message_id in ids[1:]:
        given_back = row(relay_app, message_id)
        assert (given_back.status, given_back.attempts, given_back.lease_expires_at) == (QUEUED, 0, None)


def test_a_relay_whose_lease_was_taken_over_records_nothing(relay_app, put_message):
    message_id = put_message()
    with relay_app.app_context():
        [claim] = relay.claim_due_messages(10, utcnow(), timedelta(seconds=120))
        # Another relay took the row over (its lease ran out) and recorded its own outcome.
        db.session.execute(relay.outbox.update().values(attempts=2, status=SENT))
        db.session.commit()
        assert relay._record(claim.message, status=FAILED, last_error="late") is False
    assert row(relay_app, message_id).status == SENT


def test_an_sms_in_the_quiet_hours_waits_for_the_morning_uncounted(relay_app, put_message):
    message_id = put_message(channel=SMS, to="13900000001", kind="registration_confirmed")
    night = datetime(2026, 5, 1, 15, 30, tzinfo=timezone.utc)  # 23:30 Beijing
    result = deliver(relay_app, now=night)
    assert result.deferred == 1 and fake_channels.deliveries == []
    waiting = row(relay_app, message_id)
    assert waiting.status == QUEUED and waiting.attempts == 0
    assert waiting.next_attempt_at == datetime(2026, 5, 2, 0, 0, tzinfo=timezone.utc)  # 08:00 Beijing
    # E-mail is not held back.
    email_id = put_message()
    assert deliver(relay_app, now=night).sent == 1
    assert fake_channels.deliveries == [email_id]


def test_a_same_day_cancellation_sms_goes_out_at_night(relay_app, put_message, make_event):
    night = datetime(2026, 5, 1, 14, 0, tzinfo=timezone.utc)  # 22:00 Beijing
    event = make_event()
    with relay_app.app_context():
        from activity_hub.events.models import Event

        db.session.get(Event, event).starts_at = datetime(2026, 5, 1, 15, 0, tzinfo=timezone.utc)  # 23:00
        db.session.commit()
    message_id = put_message(channel=SMS, to="13900000002", kind="event_cancelled", event_id=event)
    assert deliver(relay_app, now=night).sent == 1
    assert fake_channels.deliveries == [message_id]


def test_an_sms_retry_that_falls_in_the_night_waits_for_the_morning(relay_app, put_message):
    message_id = put_message(channel=SMS, to=fake_channels.TEMPORARY_FAILURE, kind="announcement")
    evening = datetime(2026, 5, 1, 12, 59, 50, tzinfo=timezone.utc)  # 20:59:50 Beijing
    assert deliver(relay_app, now=evening).retried == 1
    assert row(relay_app, message_id).next_attempt_at == datetime(2026, 5, 2, 0, 0, tzinfo=timezone.utc)


def test_relay_until_done_empties_the_queue_in_batches(relay_app, put_message):
    ids = [put_message() for _ in range(25)]
    with relay_app.app_context():
        result = relay_until_done(batch_size=10)
    assert result.sent == 25
    assert sorted(fake_channels.deliveries) == sorted(ids)


@pytest.mark.parametrize("relays", [2, 4])
def test_relays_running_at_once_never_deliver_a_message_twice(relay_app, put_message, monkeypatch, relays):
    monkeypatch.setenv("FAKE_CHANNEL_DELAY", "0.001")
    ids = [put_message() for _ in range(120)]
    errors = []

    def run_relay():
        try:
            with relay_app.app_context():
                relay_until_done(batch_size=7)
                db.session.remove()
        except Exception as error:  # reported below: a thread's failure must fail the test
            errors.append(error)

    threads = [threading.Thread(target=run_relay) for _ in range(relays)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(fake_channels.deliveries) == sorted(ids)
    with relay_app.app_context():
        from activity_hub.messages.models import OutboxMessage

        statuses = db.session.scalars(db.select(OutboxMessage.status)).all()
    assert set(statuses) == {SENT}


def test_a_batch_costs_one_claim_and_one_short_write_per_message(relay_app, put_message):
    ids = [put_message() for _ in range(5)]
    with recorded_statements(relay_app) as statements:
        assert deliver(relay_app).sent == 5
    writes = [s for s in statements if s.lstrip().upper().startswith("UPDATE")]
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    # The claim: one SELECT and one UPDATE for the batch; then one UPDATE for each message's outcome.
    assert (len(reads), len(writes)) == (1, 1 + len(ids))
