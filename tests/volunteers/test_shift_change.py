"""An organizer moves a volunteer's shift: the volunteer is told the old time and the new (issue 12,
"volunteer assignment ... changed"), and the same rules as a new shift refuse a clash."""
from datetime import timedelta

import sqlalchemy as sa

from activity_hub.extensions import db
from activity_hub.messages.models import OutboxMessage
from activity_hub.volunteers.models import Assignment
from tests.conftest import login

from .test_assignments import _local_input


def whole_minutes(app, assignment_id):
    """Put the shift on whole minutes, as the form gives them (-> start, end)."""
    with app.app_context():
        assignment = db.session.get(Assignment, assignment_id)
        assignment.shift_start = assignment.shift_start.replace(second=0, microsecond=0)
        assignment.shift_end = assignment.shift_end.replace(second=0, microsecond=0)
        db.session.commit()
        return assignment.shift_start, assignment.shift_end


def shift_of(app, assignment_id):
    with app.app_context():
        assignment = db.session.get(Assignment, assignment_id)
        return assignment.shift_start, assignment.shift_end, assignment.status


def messages_of(app, user_id):
    with app.app_context():
        return db.session.execute(sa.select(OutboxMessage.kind, OutboxMessage.subject, OutboxMessage.body)
                                  .where(OutboxMessage.user_id == user_id).order_by(OutboxMessage.id)).all()


def test_moving_a_shift_tells_the_volunteer_the_old_and_the_new_time(app, client, make_user, make_event,
                                                                     make_volunteer, make_shift):
    organizer = make_user(roles=("organizer",), role_district_code="wuchang")
    volunteer = make_volunteer()
    event_id = make_event(title="助残义卖")
    assignment_id = make_shift(event_id, volunteer, status="accepted", role="引导")
    old_start, old_end = whole_minutes(app, assignment_id)
    login(client, organizer)
    staffing = client.get(f"/volunteers/events/{event_id}").get_data(as_text=True)
    url = f"/volunteers/events/{event_id}/assignments/{assignment_id}/shift"
    assert f'href="{url}"' in staffing
    page = client.get(url).get_data(as_text=True)
    assert "<h1>" in page and 'value="' + _local_input(old_start) + '"' in page

    new_start, new_end = old_start + timedelta(hours=1), old_end + timedelta(hours=1)
    answer = client.post(url, data={"shift_start": _local_input(new_start), "shift_end": _local_input(new_end)})
    assert answer.status_code == 302
    assert shift_of(app, assignment_id) == (new_start, new_end, "accepted")
    [(kind, subject, body)] = messages_of(app, volunteer)
    assert kind == "assignment_changed" and "助残义卖" in subject
    local = lambda moment: _local_input(moment)[-5:]  # HH:MM in Beijing time
    assert local(old_start) in body and local(new_start) in body and local(new_end) in body
    assert body.index(local(old_start)) < body.index(local(new_start))  # old first, then new


def test_a_move_onto_another_shift_of_the_volunteer_is_refused_beside_the_field(app, client, make_user, make_event,
                                                                                make_volunteer, make_shift):
    organizer = make_user(roles=("organizer",), role_district_code="wuchang")
    volunteer = make_volunteer()
    first = make_event(title="上午活动")
    later = make_event(title="下午活动", starts_in=timedelta(days=10, hours=4))
    moving = make_shift(later, volunteer, status="accepted")
    make_shift(first, volunteer, status="accepted")
    before = shift_of(app, moving)
    first_start, first_end, _ = shift_of(app, make_shift(first, make_volunteer()))
    login(client, organizer)
    client.set_cookie("lang", "en")
    answer = client.post(f"/volunteers/events/{later}/assignments/{moving}/shift",
                         data={"shift_start": _local_input(first_start + timedelta(hours=1)),
                               "shift_end": _local_input(first_end + timedelta(hours=3))})
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert "already has a shift" in page and "上午活动" in page and 'aria-invalid="true"' in page
    assert shift_of(app, moving) == before
    assert messages_of(app, volunteer) == []


def test_an_unchanged_time_or_an_inactive_shift_is_not_moved(app, client, make_user, make_event, make_volunteer,
                                                             make_shift):
    organizer = make_user(roles=("organizer",), role_district_code="wuchang")
    volunteer = make_volunteer()
    event_id = make_event()
    live = make_shift(event_id, volunteer, status="proposed")
    start, end = whole_minutes(app, live)
    login(client, organizer)
    client.set_cookie("lang", "en")
    same = client.post(f"/volunteers/events/{event_id}/assignments/{live}/shift",
                       data={"shift_start": _local_input(start), "shift_end": _local_input(end)})
    assert same.status_code == 400 and "current time" in same.get_data(as_text=True)
    assert messages_of(app, volunteer) == []
    declined = make_shift(make_event(), make_volunteer(), status="declined")
    with app.app_context():
        event_of_declined = db.session.get(Assignment, declined).event_id
    refused = client.post(f"/volunteers/events/{event_of_declined}/assignments/{declined}/shift",
                          data={"shift_start": _local_input(start), "shift_end": _local_input(end)})
    assert refused.status_code == 400 and "not active" in refused.get_data(as_text=True)
    assert shift_of(app, declined)[2] == "declined"
