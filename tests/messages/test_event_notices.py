"""What registrants and volunteers are told when an organizer cancels or changes an event."""
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from activity_hub.extensions import db
from activity_hub.local_time import SHANGHAI
from tests.conftest import login
from tests.events.conftest import organizer, outbox  # noqa: F401 (fixtures)
from tests.volunteers.conftest import make_shift, register  # noqa: F401 (fixtures)

# Friday 17 May 2030, 14:30 to 16:30 in Wuhan.
START = datetime(2030, 5, 17, 14, 30, tzinfo=SHANGHAI)


@pytest.fixture
def event_with_people(app, make_event, make_user, register, make_shift, make_venue):
    """A published event at START with a registrant of every status and volunteers of every answer.

    Returns {name: user id} plus "event" and "venue"."""
    venue_id = make_venue(name="武昌区残疾人活动中心", accessible_entrance="东门坡道，按门铃有人接")
    event_id = make_event(title="手语诗歌朗诵会", venue_id=venue_id)
    with app.app_context():
        from activity_hub.events.models import Event
        event = db.session.get(Event, event_id)
        event.starts_at, event.ends_at = START, START + timedelta(hours=2)
        db.session.commit()
    people = {"event": event_id, "venue": venue_id}
    for status in ("confirmed", "pending", "waitlisted", "cancelled"):
        registration_id = register(event_id, status=status)
        with app.app_context():
            from activity_hub.events.models import Registration
            people[status] = db.session.get(Registration, registration_id).user_id
    for status, locale in (("accepted", "en"), ("proposed", "zh_CN"), ("declined", "zh_CN")):
        people[f"volunteer_{status}"] = volunteer = make_user(roles=("volunteer",), locale=locale)
        make_shift(event_id, volunteer, status=status, role="手语翻译")
    # One registrant reads English.
    people["english"] = make_user(locale="en")
    with app.app_context():
        from activity_hub.events.models import Registration
        db.session.add(Registration(event_id=event_id, user_id=people["english"], status="confirmed"))
        db.session.commit()
    return people


def kinds_by_user(app, kind):
    from activity_hub.messages.models import OutboxMessage

    with app.app_context():
        rows = db.session.execute(sa.select(OutboxMessage.user_id).where(OutboxMessage.kind == kind))
        users = [row.user_id for row in rows]
    return sorted(users)


def acting(app, user_id):
    from activity_hub.auth.models import User

    return db.session.get(User, user_id)


def told(people, *names):
    return sorted(people[name] for name in names)


EVERYONE = ("confirmed", "pending", "waitlisted", "english", "volunteer_accepted", "volunteer_proposed")


def test_cancelling_tells_every_registrant_and_every_volunteer_on_the_team_with_the_reason(
        app, event_with_people, organizer, outbox):
    from activity_hub.events import event_admin

    people = event_with_people
    with app.app_context():
        registrants_told = event_admin.cancel_event(people["event"], acting(app, organizer), reason="场馆临时维修")
    assert registrants_told == 4
    assert kinds_by_user(app, "event_cancelled") == told(people, *EVERYONE)

    [(_, subject, body, _)] = [m for m in outbox(people["volunteer_accepted"]) if m[0] == "event_cancelled"]
    assert subject == "Cancelled: 手语诗歌朗诵会"
    assert "your shift is no longer needed" in body and "场馆临时维修" in body
    assert "Friday, May 17, 2030" in body  # the shift, in the volunteer's language
    [(_, subject, body, _)] = [m for m in outbox(people["volunteer_proposed"]) if m[0] == "event_cancelled"]
    assert "您的志愿服务班次也随之取消" in body and "场馆临时维修" in body and "2030年5月17日" in body
    [(_, subject, body, _)] = [m for m in outbox(people["waitlisted"]) if m[0] == "event_cancelled"]
    assert subject == "活动取消：手语诗歌朗诵会" and "场馆临时维修" in body


def test_moving_the_event_tells_everyone_the_old_and_the_new_time_in_their_language(
        app, event_with_people, organizer, outbox):
    from activity_hub.events import event_admin

    people = event_with_people
    new_start = datetime(2030, 5, 18, 9, 0, tzinfo=SHANGHAI)
    with app.app_context():
        changed = event_admin.update_event(people["event"], {"starts_at": new_start,
                                                             "ends_at": new_start + timedelta(hours=2)},
                                           acting(app, organizer))
    assert {"starts_at", "ends_at"} <= changed
    assert kinds_by_user(app, "event_changed") == told(people, *EVERYONE)

    [(_, subject, body, _)] = [m for m in outbox(people["confirmed"]) if m[0] == "event_changed"]
    assert subject == "活动变更：手语诗歌朗诵会"
    assert "时间：原为 2030年5月17日星期五 14:30 – 16:30；现为 2030年5月18日星期六 09:00 – 11:00。" in body
    assert "地点" not in body  # the place did not change
    assert "您的报名保持不变" in body
    [(_, subject, body, _)] = [m for m in outbox(people["english"]) if m[0] == "event_changed"]
    assert subject == "Changed: 手语诗歌朗诵会"
    assert "Time: was Friday, May 17, 2030" in body and "now Saturday, May 18, 2030" in body
    [(_, subject, body, _)] = [m for m in outbox(people["volunteer_accepted"]) if m[0] == "event_changed"]
    # The volunteer's shift is not moved with the event: they are shown it and asked to check it.
    assert "Your shift: Friday, May 17, 2030" in body and "decline it in “My assignments”" in body


def test_a_new_venue_names_the_old_and_the_new_place_and_the_new_accessible_entrance(
        app, event_with_people, organizer, outbox, make_venue):
    from activity_hub.events import event_admin

    people = event_with_people
    new_venue = make_venue(name="江汉区文化馆", accessible_entrance="北门无障碍通道")
    with app.app_context():
        event_admin.update_event(people["event"], {"venue_id": new_venue}, acting(app, organizer))
    [(_, _, body, _)] = [m for m in outbox(people["pending"]) if m[0] == "event_changed"]
    assert "地点：原为 武昌区残疾人活动中心, 武昌区中山路1号；现为 江汉区文化馆, 武昌区中山路1号。" in body
    assert "无障碍入口：北门无障碍通道" in body
    assert "时间" not in body


def test_an_online_link_added_or_changed_is_told_old_and_new(app, event_with_people, organizer, outbox):
    from activity_hub.events import event_admin

    people = event_with_people
    with app.app_context():
        event_admin.update_event(people["event"], {"online_url": "https://meeting.example.cn/123"},
                                 acting(app, organizer))
        event_admin.update_event(people["event"], {"online_url": "https://meeting.example.cn/456"},
                                 acting(app, organizer))
    bodies = [m[2] for m in outbox(people["english"]) if m[0] == "event_changed"]
    assert len(bodies) == 2
    assert "Online link: was no online link; now https://meeting.example.cn/123." in bodies[0]
    assert "Online link: was https://meeting.example.cn/123; now https://meeting.example.cn/456." in bodies[1]


def test_nothing_is_sent_for_a_title_or_description_edit_or_a_capacity_change(
        app, event_with_people, organizer):
    from activity_hub.events import event_admin

    people = event_with_people
    with app.app_context():
        changed = event_admin.update_event(
            people["event"], {"title": "手语诗歌朗诵会（第二场）", "description": "新的介绍", "capacity": 50,
                              "starts_at": START},  # the same time again is no change
            acting(app, organizer))
    assert {"title", "description", "capacity"} <= changed
    assert kinds_by_user(app, "event_changed") == []


def test_nothing_is_sent_for_a_draft(app, make_event, make_user, make_shift, organizer):
    from activity_hub.events import event_admin

    event_id = make_event(status="draft")
    make_shift(event_id, make_user(roles=("volunteer",)), status="accepted")
    with app.app_context():
        event_admin.update_event(event_id, {"starts_at": START, "ends_at": START + timedelta(hours=1)},
                                 acting(app, organizer))
    assert kinds_by_user(app, "event_changed") == []


def test_cancelling_through_an_edit_sends_the_cancellation_only(app, event_with_people, organizer):
    from activity_hub.events import event_admin

    people = event_with_people
    with app.app_context():
        event_admin.update_event(people["event"], {"status": "cancelled", "starts_at": START + timedelta(days=1),
                                                   "ends_at": START + timedelta(days=1, hours=2)},
                                 acting(app, organizer))
    assert kinds_by_user(app, "event_changed") == []
    assert kinds_by_user(app, "event_cancelled") == told(people, *EVERYONE)


def test_a_refused_edit_sends_nothing(app, event_with_people, organizer):
    from activity_hub.events import event_admin

    people = event_with_people
    with app.app_context(), pytest.raises(event_admin.InvalidEvent):
        event_admin.update_event(people["event"], {"starts_at": START + timedelta(days=1)},  # ends before it starts
                                 acting(app, organizer))
    assert kinds_by_user(app, "event_changed") == []


def event_form(venue_id, district, day, **changes):
    data = {
        "title": "民法典与残疾人权益讲座", "summary": "", "description": "讲座后有问答。", "easy_read_summary": "",
        "category": "legal", "series_name": "", "district_id": str(district), "venue_id": str(venue_id),
        "online_url": "", "start_date": day.isoformat(), "start_time": "14:30", "end_date": "", "end_time": "16:00",
        "capacity": "30", "wheelchair_spaces": "4", "max_companions": "1", "opens_date": "", "opens_time": "",
        "closes_date": "", "closes_time": "", "contact_name": "赵磊", "contact_phone": "027-12345678",
        "contact_email": "", "action": "publish",
    }
    data.update(changes)
    return data


def test_the_organizers_edit_form_sends_a_notice_only_when_the_time_changes(
        app, client, make_user, make_venue, outbox):
    """Saving the form unchanged but for the title must not look like a change of time."""
    from activity_hub.auth.models import User
    from activity_hub.events import registration
    from activity_hub.events.models import Event
    from tests.conftest import district

    organizer_id = make_user(roles=("organizer",), role_district_code="wuchang")
    login(client, organizer_id)
    resident = make_user()
    venue_id = make_venue()
    with app.app_context():
        wuchang = district().id
    day = (datetime.now(SHANGHAI) + timedelta(days=60)).date()
    assert client.post("/organize/events/new", data=event_form(venue_id, wuchang, day)).status_code == 302
    with app.app_context():
        event_id = db.session.scalar(sa.select(Event.id))
        registration.register(event_id, db.session.get(User, resident), consent=True)

    edit = f"/organize/events/{event_id}/edit"
    assert client.post(edit, data=event_form(venue_id, wuchang, day, title="民法典讲座")).status_code == 302
    assert [m[0] for m in outbox(resident)] == ["registration_confirmed"]

    assert client.post(edit, data=event_form(venue_id, wuchang, day, title="民法典讲座",
                                             start_time="15:00", end_time="16:30")).status_code == 302
    [(kind, _, body, _)] = outbox(resident)[1:]
    assert kind == "event_changed" and "14:30 – 16:00" in body and "15:00 – 16:30" in body


def test_the_reads_of_a_change_do_not_grow_with_the_people_told(
        app, make_event, make_user, register, make_shift, organizer):
    """No read per person (the messages are written in one INSERT per group on PostgreSQL; SQLite's
    unit of work writes them one by one, so only reads are compared)."""
    from activity_hub.events import event_admin
    from tests.conftest import recorded_statements

    def statements_to_move(people):
        event_id = make_event()
        for n in range(people):
            register(event_id, status=("confirmed", "waitlisted")[n % 2])
            make_shift(event_id, make_user(roles=("volunteer",), locale="en"), status="accepted")
        with app.app_context():
            who = acting(app, organizer)
            with recorded_statements(app) as statements:
                event_admin.update_event(event_id, {"starts_at": START, "ends_at": START + timedelta(hours=2)}, who)
        return len([s for s in statements if s.lstrip().upper().startswith("SELECT")])

    few = statements_to_move(2)
    assert statements_to_move(6) == few
    assert len(kinds_by_user(app, "event_changed")) == 16
