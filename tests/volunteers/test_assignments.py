"""Assigning shifts, overlap refusal, answers, the organizer's outbox message, served hours."""
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from activity_hub.db_types import utcnow
from activity_hub.events.models import Event
from activity_hub.extensions import db
from activity_hub.messages.models import OutboxMessage
from activity_hub.volunteers import assignments as svc, coverage
from activity_hub.volunteers.errors import VolunteerError
from activity_hub.volunteers.models import Assignment
from tests.conftest import login

from .helpers import count_rows, user


def _local_input(moment):
    """A UTC time as the organizer types it (Beijing time, datetime-local format)."""
    from activity_hub.volunteers.years import SHANGHAI

    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%dT%H:%M")


def test_overlapping_shift_is_refused_by_the_service(app, app_ctx, make_user, make_event, make_volunteer):
    organizer = make_user(roles=("organizer",))
    volunteer = make_volunteer("general")
    first = make_event(starts_in=timedelta(days=5))
    second = make_event(starts_in=timedelta(days=5, hours=1))
    later = make_event(starts_in=timedelta(days=5, hours=3))
    e1, e2, e3 = (db.session.get(Event, i) for i in (first, second, later))
    svc.assign_volunteer(db.session, e1, user(volunteer), "引导", e1.starts_at, e1.ends_at, by=user(organizer))
    db.session.commit()
    with pytest.raises(VolunteerError) as refused:
        svc.assign_volunteer(db.session, e2, user(volunteer), "引导", e2.starts_at, e2.ends_at)
    assert refused.value.field == "shift_start"
    db.session.rollback()
    # Back to back is fine: a shift ending at 16:00 and one starting at 16:00 do not overlap.
    svc.assign_volunteer(db.session, e3, user(volunteer), "引导", e1.ends_at, e3.ends_at)
    db.session.commit()
    assert count_rows(Assignment) == 2


def test_declined_shift_frees_the_time_for_another_event(app, app_ctx, make_user, make_event, make_volunteer):
    volunteer = make_volunteer("general")
    first, second = make_event(), make_event(starts_in=timedelta(days=10, minutes=30))
    e1, e2 = db.session.get(Event, first), db.session.get(Event, second)
    mine = svc.assign_volunteer(db.session, e1, user(volunteer), "引导", e1.starts_at, e1.ends_at)
    db.session.commit()
    svc.decline_assignment(db.session, mine, "身体不适")
    svc.assign_volunteer(db.session, e2, user(volunteer), "引导", e2.starts_at, e2.ends_at)
    db.session.commit()
    # Asking again for the first event reuses its row (one row per event and volunteer) and checks overlap again.
    with pytest.raises(VolunteerError):
        svc.assign_volunteer(db.session, e1, user(volunteer), "引导", e1.starts_at, e1.ends_at)
    db.session.rollback()


def test_overlap_form_shows_the_message_beside_the_field(app, client, make_user, make_event, make_volunteer,
                                                        make_shift):
    organizer = make_user(roles=("organizer",), role_district_code="wuchang")
    volunteer = make_volunteer("general", login="13911112222")
    first, second = make_event(title="上午的活动"), make_event(starts_in=timedelta(days=10, minutes=45))
    make_shift(first, volunteer, status="accepted")
    with app.app_context():
        event = db.session.get(Event, second)
        start, end = event.starts_at, event.ends_at
    login(client, organizer)
    client.set_cookie("lang", "en")
    response = client.post(f"/volunteers/events/{second}/assign", data={
        "volunteer": "13911112222", "role": "Guide", "skill": "", "shift_start": _local_input(start),
        "shift_end": _local_input(end)})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "already has a shift" in html and "上午的活动" in html
    assert 'id="shift_start-error"' in html
    assert "<title>Error:" in html
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Assignment)
                                 .where(Assignment.event_id == second)) == 0


def test_database_backstops(app, app_ctx, make_event, make_volunteer, make_shift):
    volunteer, other = make_volunteer(), make_volunteer()
    event_id = make_event()
    make_shift(event_id, volunteer)
    with pytest.raises(IntegrityError):
        make_shift(event_id, volunteer)  # unique (event, volunteer)
    db.session.rollback()
    event = db.session.get(Event, event_id)
    db.session.add(Assignment(event_id=event_id, volunteer_id=other, role="x", status="proposed",
                              shift_start=event.ends_at, shift_end=event.starts_at))
    with pytest.raises(IntegrityError):
        db.session.commit()  # check: shift ends after it starts
    db.session.rollback()


def test_volunteer_accepts_and_declines_and_the_organizer_is_told(app, client, make_user, make_event,
                                                                 make_volunteer, register):
    organizer = make_user(roles=("organizer",), role_district_code="wuchang", login="organizer@example.com",
                          name="组织者")
    volunteer = make_volunteer("sighted_guide", name="志愿者小李")
    first, second = make_event(title="盲人门球体验"), make_event(title="诗歌音乐会", starts_in=timedelta(days=12))
    register(first, ["sighted_guide"])
    with app.app_context():
        ids = []
        for event_id in (first, second):
            event = db.session.get(Event, event_id)
            ids.append(svc.assign_volunteer(db.session, event, user(volunteer), "引导员", event.starts_at, event.ends_at,
                                            skill="sighted_guide", by=user(organizer)).id)
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)
                                 .where(OutboxMessage.kind == "assignment_proposed")) == 2
    login(client, volunteer)
    assert client.post(f"/volunteers/my/{ids[0]}/accept").status_code == 302
    empty = client.post(f"/volunteers/my/{ids[1]}/decline", data={"reason": "  "})
    assert empty.status_code == 400 and 'id="reason-error"' in empty.get_data(as_text=True)
    assert client.post(f"/volunteers/my/{ids[1]}/decline", data={"reason": "那天要上班"}).status_code == 302
    with app.app_context():
        statuses = dict(db.session.execute(sa.select(Assignment.id, Assignment.status)).all())
        assert statuses == {ids[0]: "accepted", ids[1]: "declined"}
        message = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.kind == "assignment_declined"))
        assert message.user_id == organizer and message.recipient == "organizer@example.com"
        assert "志愿者小李" in message.body and "那天要上班" in message.body and "诗歌音乐会" in message.subject
        # The slot is open again: the event's guide need shows a gap.
        assert coverage.open_slots(db.session, db.session.get(Event, second)) == {}
        db.session.get(Assignment, ids[0]).status = "declined"
        db.session.get(Assignment, ids[0]).decline_reason = "x"
        db.session.commit()
        assert coverage.open_slots(db.session, db.session.get(Event, first)) == {"sighted_guide": [1]}


def test_my_assignments_shows_counts_and_duties_never_residents(app, client, make_user, make_event,
                                                               make_volunteer, register, make_shift):
    volunteer = make_volunteer("sign_language")
    event_id = make_event(title="手语讲座")
    for _ in range(3):
        register(event_id, ["sign_language"], name="聋人居民赵某", needs_note="我有听力残疾二级",
                 note="请打电话13712345678")
    register(event_id, ["sighted_guide"], name="盲人居民钱某")
    make_shift(event_id, volunteer, skill="sign_language", role="手语翻译")
    login(client, volunteer)
    client.set_cookie("lang", "en")
    html = client.get("/volunteers/my").get_data(as_text=True)
    assert "手语讲座" in html and "手语翻译" in html
    assert "3 people need: Sign-language interpreter" in html
    assert "Interpret in Chinese Sign Language" in html
    for private in ("赵某", "钱某", "听力残疾", "13712345678", "Sighted guide"):
        assert private not in html


def test_confirmed_shifts_become_hours(app, client, make_user, make_event, make_volunteer, make_shift):
    organizer = make_user(roles=("organizer",), role_district_code="wuchang")
    volunteer = make_volunteer("general")
    past = make_event(starts_in=timedelta(days=-2))  # 2-hour event, shift from 30 minutes before
    future = make_event()
    served_id = make_shift(past, volunteer, status="accepted")
    not_yet = make_shift(future, volunteer, status="accepted")
    login(client, organizer)
    assert client.post(f"/volunteers/events/{past}/served", data={"served": [str(served_id)]}).status_code == 302
    refused = client.post(f"/volunteers/events/{future}/served", data={"served": [str(not_yet)]})
    assert refused.status_code == 400
    with app.app_context():
        served = db.session.get(Assignment, served_id)
        assert served.served_confirmed and served.served_minutes == 150
        assert not db.session.get(Assignment, not_yet).served_confirmed
    login(client, volunteer)
    client.set_cookie("lang", "en")
    assert "you have served 2.5 hours on 1 shifts" in client.get("/volunteers/my").get_data(as_text=True)


def test_organizer_takes_a_volunteer_off_after_a_confirmation_page(app, client, make_user, make_event,
                                                                  make_volunteer, make_shift):
    organizer = make_user(roles=("organizer",), role_district_code="wuchang")
    volunteer = make_volunteer()
    event_id = make_event()
    assignment_id = make_shift(event_id, volunteer, status="accepted")
    login(client, organizer)
    url = f"/volunteers/events/{event_id}/assignments/{assignment_id}/cancel"
    assert client.get(url).status_code == 200
    with app.app_context():
        assert db.session.get(Assignment, assignment_id).status == "accepted"
    assert client.post(url).status_code == 302
    with app.app_context():
        assert db.session.get(Assignment, assignment_id).status == "cancelled"
        assert db.session.scalar(sa.select(OutboxMessage.kind).where(OutboxMessage.user_id == volunteer)) \
            == "assignment_cancelled"


def test_decline_is_refused_once_the_shift_has_started(app, app_ctx, make_event, make_volunteer, make_shift):
    volunteer = make_volunteer()
    assignment_id = make_shift(make_event(starts_in=timedelta(minutes=10)), volunteer)
    assignment = db.session.get(Assignment, assignment_id)
    with pytest.raises(VolunteerError):
        svc.decline_assignment(db.session, assignment, "迟到", now=utcnow() + timedelta(minutes=5))


def test_two_organizers_cannot_double_book_a_volunteer_at_once(app, make_event, make_volunteer):
    """Two requests booking one volunteer on overlapping shifts: the volunteer's row lock lets only one win."""
    import threading

    volunteer = make_volunteer()
    first, second = make_event(), make_event(starts_in=timedelta(days=10, minutes=20))
    outcome = {}
    holding = threading.Event()

    def book(event_id, key, hold=None):
        with app.app_context():
            try:
                event = db.session.get(Event, event_id)
                svc.assign_volunteer(db.session, event, user(volunteer), "引导", event.starts_at, event.ends_at)
                if hold is not None:
                    hold.set()  # the lock is held: the other request may start (it waits for the lock)
                db.session.commit()
                outcome[key] = "booked"
            except VolunteerError:
                db.session.rollback()
                outcome[key] = "refused"
            finally:
                holding.set()
                db.session.remove()

    a = threading.Thread(target=book, args=(first, "a", holding))
    a.start()
    holding.wait(timeout=60)
    b = threading.Thread(target=book, args=(second, "b"))
    b.start()
    a.join(timeout=120)
    b.join(timeout=120)
    assert sorted(outcome.values()) == ["booked", "refused"]
    with app.app_context():
        assert count_rows(Assignment) == 1
