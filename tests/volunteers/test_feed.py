"""The calendar helper's view of a volunteer's shifts."""
from datetime import timedelta

from flask import current_app

from activity_hub.db_types import utcnow
from activity_hub.events.models import Event
from activity_hub.extensions import db
from activity_hub.volunteers import assignments as svc
from activity_hub.volunteers.models import Assignment

from tests.conftest import recorded_statements

from .helpers import user


def test_feed_lists_live_and_recently_withdrawn_shifts_in_one_query(app, app_ctx, make_user, make_event):
    volunteer_id = make_user(roles=("volunteer",))
    organizer_id = make_user(roles=("organizer",))
    event_ids = [make_event(starts_in=timedelta(days=d)) for d in (3, 5, 7, 9)]
    events = [db.session.get(Event, event_id) for event_id in event_ids]
    for event in events:
        start, end = svc.default_shift(event)
        svc.assign_volunteer(db.session, event, user(volunteer_id), "引导员", start, end, "sighted_guide",
                             by=user(organizer_id))
    db.session.commit()
    mine = svc.assignments_for_feed(volunteer_id)
    svc.accept_assignment(db.session, mine[0])
    svc.decline_assignment(db.session, mine[1], "临时有事")
    svc.cancel_assignment(db.session, mine[2])
    old = db.session.get(Assignment, mine[3].id)
    old.status, old.decline_reason, old.updated_at = "declined", "生病", utcnow() - timedelta(days=60)
    db.session.commit()
    db.session.expunge_all()

    with recorded_statements(current_app, transaction_control=False) as queries:
        feed = svc.assignments_for_feed(volunteer_id)
        titles = [a.event.title for a in feed]
        venues = [a.event.venue.name for a in feed]
    assert [a.status for a in feed] == ["accepted", "declined", "cancelled"]
    assert len(titles) == len(venues) == 3
    assert all(a.shift_start < a.shift_end and a.role == "引导员" and a.updated_at for a in feed)
    # Event provisions load with one extra selectin query, whatever the number of shifts.
    assert len(queries) == 2
