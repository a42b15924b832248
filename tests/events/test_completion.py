"""Events past their end are completed by the scheduled upkeep, without an organizer's click."""
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from activity_hub.extensions import db
from activity_hub.local_time import SHANGHAI

NOW = datetime(2030, 5, 18, 20, 0, tzinfo=SHANGHAI)


@pytest.fixture
def event_ending(app, make_event):
    """event_ending(at, status="published") -> event id of a two-hour event that ends ``at``."""
    from activity_hub.events.models import Event

    def make(at, status="published"):
        event_id = make_event(status=status)
        with app.app_context():
            event = db.session.get(Event, event_id)
            event.starts_at, event.ends_at = at - timedelta(hours=2), at
            db.session.commit()
        return event_id

    return make


def event_state(app, event_id):
    from activity_hub.events.models import Event

    with app.app_context():
        event = db.session.get(Event, event_id)
        return event.status, event.sequence


def complete(app, now=NOW):
    from activity_hub.events.completion import complete_past_events

    with app.app_context():
        return complete_past_events(now)


def test_an_ended_event_is_completed_counted_on_the_dashboard_and_its_no_shows_left_for_the_organizer(
        app, event_ending, make_user):
    from activity_hub.dashboard.attendance import count_attendance
    from activity_hub.events.models import Registration

    event_id = event_ending(NOW - timedelta(minutes=1))
    came, stayed_away = make_user(), make_user()
    with app.app_context():
        db.session.add_all([
            Registration(event_id=event_id, user_id=came, status="confirmed", checked_in_at=NOW - timedelta(hours=2)),
            Registration(event_id=event_id, user_id=stayed_away, status="confirmed"),
        ])
        db.session.commit()
        assert count_attendance(db.session, 2030).held == []
    _, sequence = event_state(app, event_id)

    assert complete(app) == [event_id]
    assert event_state(app, event_id) == ("completed", sequence + 1)  # calendars see the change
    with app.app_context():
        [held] = count_attendance(db.session, 2030).held
        assert (held.events, held.attendees) == (1, 1)
        absent = db.session.scalar(sa.select(Registration).where(Registration.user_id == stayed_away))
        assert (absent.checked_in_at, absent.no_show) == (None, False)  # not checked in, to be reviewed


@pytest.mark.parametrize("ends, completed", [
    (NOW, True),                              # ends at this very minute
    (NOW + timedelta(minutes=1), False),      # still running
    (NOW + timedelta(days=1), False),         # tomorrow
])
def test_only_events_whose_end_has_passed(app, event_ending, ends, completed):
    event_id = event_ending(ends)
    assert complete(app) == ([event_id] if completed else [])
    assert event_state(app, event_id)[0] == ("completed" if completed else "published")


def test_drafts_cancelled_and_completed_events_are_left_as_they_are(app, event_ending):
    past = NOW - timedelta(days=3)
    events = {status: event_ending(past, status=status) for status in ("draft", "cancelled", "completed")}
    before = {status: event_state(app, event_id) for status, event_id in events.items()}
    assert complete(app) == []
    assert {status: event_state(app, event_id) for status, event_id in events.items()} == before


def test_running_again_changes_nothing(app, event_ending):
    event_id = event_ending(NOW - timedelta(hours=5))
    assert complete(app) == [event_id]
    state = event_state(app, event_id)
    assert complete(app) == []
    assert complete(app, NOW + timedelta(minutes=10)) == []
    assert event_state(app, event_id) == state


def test_an_event_cancelled_after_the_run_read_it_stays_cancelled(app, event_ending, monkeypatch):
    """Another process (an organizer, another worker) changes the event between the run's read and its
    lock: the run checks again under the lock and leaves it."""
    from activity_hub.events import completion
    from activity_hub.events.models import Event

    cancelled_meanwhile, completed_meanwhile = event_ending(NOW - timedelta(hours=1)), event_ending(NOW)
    lock_event = completion.lock_event

    def lock_after_another_process_acted(event_id):
        status = {cancelled_meanwhile: "cancelled", completed_meanwhile: "completed"}[event_id]
        with db.engine.begin() as other:
            other.execute(sa.update(Event).where(Event.id == event_id).values(status=status))
        return lock_event(event_id)

    monkeypatch.setattr(completion, "lock_event", lock_after_another_process_acted)
    assert complete(app) == []
    assert event_state(app, cancelled_meanwhile)[0] == "cancelled"
    assert event_state(app, completed_meanwhile)[0] == "completed"


def test_the_organizers_button_keeps_its_rule(app, make_event, make_user):
    """The scheduled run shares the organizer's transition, which still refuses an event not yet started."""
    from activity_hub.auth.models import User
    from activity_hub.events import event_admin

    organizer = make_user(roles=("organizer",), role_district_code="wuchang")
    event_id = make_event()  # starts in ten days
    with app.app_context(), pytest.raises(event_admin.WrongState):
        event_admin.complete_event(event_id, db.session.get(User, organizer))
    assert event_state(app, event_id)[0] == "published"
