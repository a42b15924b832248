"""A volunteer's shifts as a personal calendar feed (built from volunteers.assignments_for_feed)."""
import re
from datetime import timedelta

import pytest

from activity_hub.extensions import db
from ical_helpers import by_uid, read_with_icalendar, utc_iso
from tests.conftest import login


@pytest.fixture
def shifts(app, make_user, make_event):
    """A volunteer with a proposed, an accepted, a declined and a cancelled shift, and another
    volunteer with one shift. Returns (volunteer id, other id, {status: (assignment id, event id)})."""
    from activity_hub.auth.models import User
    from activity_hub.events.models import Event
    from activity_hub.volunteers import assignments as svc

    volunteer = make_user(roles=("volunteer",), name="志愿者小周")
    other = make_user(roles=("volunteer",), name="志愿者老钱")
    organizer = make_user(roles=("organizer",))
    made = {}
    statuses = ("proposed", "accepted", "declined", "cancelled")
    event_ids = [make_event(title=f"助残日活动-{status}", starts_in=timedelta(days=3 + n))
                 for n, status in enumerate(statuses)]
    other_event_id = make_event(title="别人的班次", starts_in=timedelta(days=9))
    with app.app_context():
        by = db.session.get(User, organizer)
        for status, event_id in zip(statuses, event_ids):
            event = db.session.get(Event, event_id)
            start, end = svc.default_shift(event)
            assignment = svc.assign_volunteer(db.session, event, db.session.get(User, volunteer), "引导员",
                                              start, end, "sighted_guide", by=by)
            db.session.commit()
            if status == "accepted":
                svc.accept_assignment(db.session, assignment)
            elif status == "declined":
                svc.decline_assignment(db.session, assignment, "临时有事")
            elif status == "cancelled":
                svc.cancel_assignment(db.session, assignment)
            db.session.commit()
            made[status] = (assignment.id, event.id)
        event = db.session.get(Event, other_event_id)
        start, end = svc.default_shift(event)
        svc.assign_volunteer(db.session, event, db.session.get(User, other), "手语翻译", start, end,
                             "sign_language", by=by)
        db.session.commit()
    return volunteer, other, made


def test_assignments_feed_shows_own_shifts_with_their_status(app, client, shifts, feed_link, both_readers, host):
    from activity_hub.volunteers.models import Assignment

    volunteer, _, made = shifts
    path, _ = feed_link(volunteer, "assignments")
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "Content-Disposition" not in response.headers
    py, js = both_readers(response.data)
    want_status = {"proposed": "TENTATIVE", "accepted": "CONFIRMED", "declined": "CANCELLED", "cancelled": "CANCELLED"}
    with app.app_context():
        for status, (assignment_id, _) in made.items():
            assignment = db.session.get(Assignment, assignment_id)
            uid = f"assignment-{assignment_id}@{host}"
            assert py[uid]["status"] == js[uid]["status"] == want_status[status]
            assert py[uid]["start"] == assignment.shift_start.replace(microsecond=0)
            assert js[uid]["start"] == utc_iso(assignment.shift_start)
            assert f"助残日活动-{status}" in py[uid]["summary"]
            assert "引导员" in py[uid]["description"]
            assert len(py[uid]["alarms"]) == (1 if want_status[status] != "CANCELLED" else 0)
    assert set(py) == {f"assignment-{a}@{host}" for a, _ in made.values()}
    text = response.data.decode("utf-8")
    assert "别人的班次" not in text and "手语翻译" not in text and "老钱" not in text


def test_assignments_feed_follows_changes_and_answers_304(app, client, shifts, feed_link, count_queries, host):
    from activity_hub.volunteers import assignments as svc
    from activity_hub.volunteers.models import Assignment

    volunteer, _, made = shifts
    path, _ = feed_link(volunteer, "assignments")
    first = client.get(path)
    with count_queries() as queries:
        again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and len(queries) == 2  # the link, the aggregate
    with app.app_context():
        assignment = db.session.get(Assignment, made["proposed"][0])
        svc.accept_assignment(db.session, assignment, now=assignment.updated_at + timedelta(seconds=5))
        db.session.commit()
    changed = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200
    _, events = read_with_icalendar(changed.data)
    assert by_uid(events)[f"assignment-{made['proposed'][0]}@{host}"]["status"] == "CONFIRMED"


def test_assignments_feed_takes_a_fixed_number_of_queries(app, client, make_user, make_event, feed_link,
                                                         count_queries):
    from activity_hub.auth.models import User
    from activity_hub.events.models import Event
    from activity_hub.volunteers import assignments as svc

    volunteer = make_user(roles=("volunteer",))
    organizer = make_user(roles=("organizer",))
    path, _ = feed_link(volunteer, "assignments")

    def add(count, offset):
        event_ids = [make_event(title=f"班次{offset + n}", provisions=("captions",), starts_in=timedelta(days=2 + offset + n))
                     for n in range(count)]
        with app.app_context():
            for event_id in event_ids:
                event = db.session.get(Event, event_id)
                start, end = svc.default_shift(event)
                svc.assign_volunteer(db.session, event, db.session.get(User, volunteer), "引导员", start, end,
                                     by=db.session.get(User, organizer))
                db.session.commit()

    def fetch():
        with count_queries() as queries:
            response = client.get(path)
        assert response.status_code == 200
        return len(queries), response.data.count(b"BEGIN:VEVENT")

    add(5, 0)
    five, shown = fetch()
    assert shown == 5
    add(45, 5)
    fifty, shown = fetch()
    assert shown == 50
    assert five == fifty <= 5, (five, fifty)


def test_volunteers_get_an_assignments_link_on_their_page(app, client, shifts):
    volunteer, _, _ = shifts
    login(client, volunteer)
    page = client.get("/calendar/my-feeds")
    assert page.status_code == 200 and b"/calendar/my-feeds/assignments/new" in page.data
    created = client.post("/calendar/my-feeds/assignments/new")
    assert created.status_code == 200
    text = created.data.decode("utf-8")
    start = text.index("http://localhost/calendar/personal/")
    feed_path = re.match(r"[^<\"\s]+", text[start:]).group(0).removeprefix("http://localhost")
    assert feed_path.endswith("/assignments.ics")
    assert app.test_client().get(feed_path).data.count(b"BEGIN:VEVENT") == 4
