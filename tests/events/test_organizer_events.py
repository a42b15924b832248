"""Creating, editing, publishing, duplicating and cancelling events through the organizer pages."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from activity_hub.events.models import CANCELLED, DRAFT, PUBLISHED, Event, Series
from activity_hub.extensions import db
from tests.conftest import login

SHANGHAI = ZoneInfo("Asia/Shanghai")


def district_id(code="wuchang"):
    from activity_hub.districts import District

    return db.session.scalar(sa.select(District.id).where(District.code == code))


@pytest.fixture
def wuchang_organizer(client, make_user):
    user_id = make_user(roles=("organizer",), role_district_code="wuchang")
    login(client, user_id)
    return user_id


@pytest.fixture
def form_data(app, make_venue):
    """form_data(**changes) -> a valid event form, a year from now (local dates and times)."""
    venue_id = make_venue()
    with app.app_context():
        wuchang = district_id()
    day = (datetime.now(SHANGHAI) + timedelta(days=365)).date()

    def build(**changes):
        data = {
            "title": "民法典与残疾人权益讲座", "summary": "用浅显的话讲民法典", "description": "讲座后有问答。",
            "easy_read_summary": "我们讲法律。有手语翻译。", "category": "legal", "series_name": "“八五”普法",
            "district_id": str(wuchang), "venue_id": str(venue_id), "online_url": "",
            "start_date": day.isoformat(), "start_time": "14:30", "end_date": "", "end_time": "16:00",
            "capacity": "30", "wheelchair_spaces": "4", "max_companions": "1",
            "opens_date": "", "opens_time": "", "closes_date": "", "closes_time": "",
            "provisions": ["sign_language", "captions"], "contact_name": "赵磊", "contact_phone": "027-12345678",
            "contact_email": "wuchang@example.com",
        }
        data.update(changes)
        return {k: v for k, v in data.items() if v is not None}

    build.day = day
    return build


def event_count(app):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Event))


def only_event(app):
    with app.app_context():
        event = db.session.scalars(sa.select(Event)).one()
        db.session.expunge(event)
        return event


def test_create_an_event_as_draft_with_local_times(client, app, wuchang_organizer, form_data):
    response = client.post("/organize/events/new", data=form_data(action="draft"))
    assert response.status_code == 302
    event = only_event(app)
    assert event.status == DRAFT
    local_start = event.starts_at.astimezone(SHANGHAI)
    assert (local_start.date(), local_start.hour, local_start.minute) == (form_data.day, 14, 30)
    assert event.starts_at.astimezone(timezone.utc).hour == 6  # 14:30 in Wuhan is 06:30 UTC
    assert event.ends_at - event.starts_at == timedelta(minutes=90)
    assert event.capacity == 30 and event.wheelchair_spaces == 4
    with app.app_context():
        event = db.session.get(Event, event.id)
        assert event.provisions == ["sign_language", "captions"]
        assert event.series.name == "“八五”普法"
        assert event.created_by_id == wuchang_organizer
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "民法典与残疾人权益讲座" in page


def test_save_and_publish(client, app, wuchang_organizer, form_data):
    client.post("/organize/events/new", data=form_data(action="publish"))
    assert only_event(app).status == PUBLISHED


BAD_INPUT = [
    ({"end_time": "13:00"}, "end_time", "The event must end after it starts."),
    ({"wheelchair_spaces": "40"}, "wheelchair_spaces", "There cannot be more wheelchair spaces than places."),
    ({"capacity": "-5"}, "capacity", "Enter a number of places between 1 and 100000."),
    ({"capacity": "thirty"}, "capacity", "Enter the number of places as a whole number, like 30."),
    ({"start_date": "2025-02-30"}, "start_date", "Enter a real date, like 2025-05-18."),
    ({"start_date": "1850-01-01"}, "start_date", "Enter a year between 2000 and 2100."),
    ({"start_time": "25:61"}, "start_time", "Enter a real time on the 24-hour clock, like 14:30."),
    ({"title": "讲" * 201}, "title", "Keep this to 200 characters or fewer."),
    ({"title": ""}, "title", "Enter a title."),
    ({"venue_id": "", "online_url": ""}, "venue_id", "Choose a venue, or give an online link."),
    ({"online_url": "javascript:alert(1)"}, "online_url", "Enter a web address starting with https://"),
    ({"closes_date": "2000-01-01", "closes_time": ""}, "closes_time", "Enter the time registration closes."),
    ({"contact_email": "not-an-address"}, "contact_email", "Enter an e-mail address like name@example.com"),
    ({"provisions": ["teleportation"]}, "provisions", "Choose from the options given"),
    ({"summary": "bad\x00byte"}, "summary", "Remove the invisible control characters"),
]


@pytest.mark.parametrize("changes, field, message", BAD_INPUT)
def test_bad_input_is_refused_beside_the_field_and_nothing_is_written(client, app, wuchang_organizer, form_data,
                                                                     changes, field, message):
    client.set_cookie("lang", "en")
    response = client.post("/organize/events/new", data=form_data(**changes))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page
    error_line = page.split(f'id="{field}-error"', 1)[1].split("</p>", 1)[0]
    assert message in error_line
    assert "<title>Error:" in page
    assert 'class="error-summary"' in page
    assert event_count(app) == 0


def test_chinese_emoji_and_html_are_kept_as_text(client, app, wuchang_organizer, form_data):
    title = "轮椅舞蹈🎉<script>alert('x')</script>"
    response = client.post("/organize/events/new", data=form_data(title=title))
    assert response.status_code == 302
    assert only_event(app).title == title
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page


def test_several_problems_are_all_reported_at_once(client, app, wuchang_organizer, form_data):
    response = client.post("/organize/events/new", data=form_data(title="", capacity="0", end_time="10:00"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    for field in ("title", "capacity", "end_time"):
        assert f'id="{field}-error"' in page
    assert event_count(app) == 0


def test_organizer_cannot_create_in_another_district(client, app, wuchang_organizer, form_data):
    with app.app_context():
        hanyang = district_id("hanyang")
    response = client.post("/organize/events/new", data=form_data(district_id=str(hanyang)))
    assert response.status_code == 400  # not one of the choices offered
    assert event_count(app) == 0


def _edit(client, event_id, form_data, **changes):
    return client.post(f"/organize/events/{event_id}/edit", data=form_data(**changes))


def test_editing_the_time_raises_sequence_and_updated_at(client, app, wuchang_organizer, form_data):
    client.post("/organize/events/new", data=form_data())
    before = only_event(app)
    response = _edit(client, before.id, form_data, start_time="15:00", end_time="17:00")
    assert response.status_code == 302
    after = only_event(app)
    assert after.sequence == before.sequence + 1
    assert after.updated_at > before.updated_at
    assert after.starts_at.astimezone(SHANGHAI).hour == 15


def test_editing_the_text_raises_updated_at_but_not_sequence(client, app, wuchang_organizer, form_data):
    client.post("/organize/events/new", data=form_data())
    before = only_event(app)
    _edit(client, before.id, form_data, summary="新的简介")
    after = only_event(app)
    assert after.sequence == before.sequence
    assert after.updated_at > before.updated_at
    assert after.summary == "新的简介"


def test_saving_without_changes_changes_nothing(client, app, wuchang_organizer, form_data):
    client.post("/organize/events/new", data=form_data())
    before = only_event(app)
    _edit(client, before.id, form_data)
    after = only_event(app)
    assert (after.sequence, after.updated_at) == (before.sequence, before.updated_at)


def test_editing_the_venue_raises_sequence(client, app, make_venue, wuchang_organizer, form_data):
    client.post("/organize/events/new", data=form_data())
    other = make_venue(name="武昌区图书馆")
    before = only_event(app)
    _edit(client, before.id, form_data, venue_id=str(other))
    assert only_event(app).sequence == before.sequence + 1


def test_bad_edit_leaves_the_event_unchanged(client, app, wuchang_organizer, form_data):
    client.post("/organize/events/new", data=form_data())
    before = only_event(app)
    response = _edit(client, before.id, form_data, title="新标题", end_time="09:00")
    assert response.status_code == 400
    after = only_event(app)
    assert (after.title, after.ends_at, after.sequence) == (before.title, before.ends_at, before.sequence)


def test_lowering_capacity_below_the_places_taken_is_refused(client, app, make_event, wuchang_organizer,
                                                            form_data, sign_up, make_user):
    event_id = make_event(capacity=5, wheelchair_spaces=1)
    sign_up(event_id, make_user(), companions=2)
    response = _edit(client, event_id, form_data, capacity="2", wheelchair_spaces="0")
    assert response.status_code == 400
    error = response.get_data(as_text=True).split('id="capacity-error"', 1)[1].split("</p>", 1)[0]
    assert "3" in error  # one resident and two companions hold three places
    with app.app_context():
        assert db.session.get(Event, event_id).capacity == 5


def test_raising_capacity_promotes_the_waitlist(client, app, make_event, wuchang_organizer, form_data,
                                                sign_up, make_user, statuses):
    event_id = make_event(capacity=1, wheelchair_spaces=0)
    sign_up(event_id, make_user())
    waiting_id, status = sign_up(event_id, make_user())
    assert status == "waitlisted"
    assert _edit(client, event_id, form_data, capacity="2", wheelchair_spaces="0").status_code == 302
    assert statuses(event_id)[waiting_id] == "confirmed"


def test_publish(client, app, wuchang_organizer, form_data):
    client.post("/organize/events/new", data=form_data())
    event = only_event(app)
    assert client.post(f"/organize/events/{event.id}/publish").status_code == 302
    published = only_event(app)
    assert published.status == PUBLISHED
    assert published.sequence == event.sequence + 1


def test_duplicate_makes_a_draft_copy(client, app, make_event, wuchang_organizer):
    event_id = make_event(title="无障碍电影进社区", provisions=("audio_description", "captions"))
    response = client.post(f"/organize/events/{event_id}/duplicate")
    assert response.status_code == 302
    with app.app_context():
        original = db.session.get(Event, event_id)
        copy = db.session.scalars(sa.select(Event).where(Event.id != event_id)).one()
        assert response.headers["Location"].endswith(f"/organize/events/{copy.id}/edit")
        assert copy.status == DRAFT and copy.sequence == 0
        assert copy.title == original.title
        assert (copy.starts_at, copy.capacity, copy.venue_id) == (original.starts_at, original.capacity,
                                                                  original.venue_id)
        assert copy.provisions == ["captions", "audio_description"]
        assert original.status == PUBLISHED


def test_cancel_asks_first_then_tells_every_active_registrant_in_their_language(
        client, app, make_event, make_user, wuchang_organizer, sign_up, outbox):
    event_id = make_event(title="全国助残日主题活动", capacity=2, wheelchair_spaces=0, max_companions=0)
    chinese, english, waiting, gone = (make_user(), make_user(locale="en"), make_user(), make_user())
    sign_up(event_id, chinese)
    sign_up(event_id, english)
    sign_up(event_id, waiting)
    gone_id, _ = sign_up(event_id, make_user())  # waitlisted, then cancels
    from activity_hub.auth.models import User
    from activity_hub.events import registration
    from activity_hub.events.models import Registration
    with app.app_context():
        gone = db.session.get(Registration, gone_id).user_id
        registration.cancel_registration(gone_id, db.session.get(User, gone))
    before = only_event(app)

    page = client.get(f"/organize/events/{event_id}/cancel")
    assert page.status_code == 200
    assert "3" in page.get_data(as_text=True)
    assert only_event(app).status == PUBLISHED

    response = client.post(f"/organize/events/{event_id}/cancel", data={"reason": "场馆临时维修"})
    assert response.status_code == 302
    after = only_event(app)
    assert after.status == CANCELLED and after.cancelled_at is not None
    assert after.sequence == before.sequence + 1
    for user_id in (chinese, english, waiting):
        cancelled = [m for m in outbox(user_id) if m[0] == "event_cancelled"]
        assert len(cancelled) == 1
    zh = [m for m in outbox(chinese) if m[0] == "event_cancelled"][0]
    en = [m for m in outbox(english) if m[0] == "event_cancelled"][0]
    assert "取消" in zh[1] and "全国助残日主题活动" in zh[1] and "场馆临时维修" in zh[2]
    assert en[1].startswith("Cancelled") and "has been cancelled" in en[2]
    assert not [m for m in outbox(gone) if m[0] == "event_cancelled"]
    # Still visible to the organizer, and cannot be edited or cancelled twice.
    assert "已取消" in client.get(f"/organize/events/{event_id}").get_data(as_text=True)
    assert client.get(f"/organize/events/{event_id}/edit").status_code == 302
    client.post(f"/organize/events/{event_id}/cancel", data={})
    assert only_event(app).sequence == after.sequence


def test_a_series_of_monthly_sessions_keeps_the_weekday_and_local_time(client, app, wuchang_organizer, form_data):
    # 2030-01-08 is the second Tuesday of January 2030.
    data = form_data(start_date="2030-01-08", start_time="09:30", end_time="11:00", count="12",
                     interval="monthly", series_name="2030年“八五”普法讲座", publish="y")
    response = client.post("/organize/series/new", data=data)
    assert response.status_code == 302
    with app.app_context():
        events = db.session.scalars(sa.select(Event).order_by(Event.starts_at)).all()
        assert len(events) == 12
        series_ids = {e.series_id for e in events}
        assert len(series_ids) == 1
        assert db.session.get(Series, series_ids.pop()).name == "2030年“八五”普法讲座"
        for month, event in enumerate(events, start=1):
            local = event.starts_at.astimezone(SHANGHAI)
            assert (local.year, local.month) == (2030, month)
            assert local.weekday() == 1 and 8 <= local.day <= 14  # the second Tuesday
            assert (local.hour, local.minute) == (9, 30)
            assert event.ends_at - event.starts_at == timedelta(minutes=90)
            assert event.status == PUBLISHED


def test_a_weekly_series_and_the_fifth_weekday_rule(app):
    from activity_hub.events.event_rules import series_starts

    first = datetime(2030, 1, 29, 19, 0, tzinfo=SHANGHAI)  # the fifth Tuesday of January 2030
    weekly = [s.astimezone(SHANGHAI) for s in series_starts(first, 3, "weekly")]
    assert [(d.month, d.day, d.hour) for d in weekly] == [(1, 29, 19), (2, 5, 19), (2, 12, 19)]
    monthly = [s.astimezone(SHANGHAI) for s in series_starts(first, 3, "monthly")]
    # February 2030 has four Tuesdays: the session moves to the last one.
    assert [(d.month, d.day, d.weekday()) for d in monthly] == [(1, 29, 1), (2, 26, 1), (3, 26, 1)]


def test_a_series_needs_a_name_and_a_sensible_count(client, app, wuchang_organizer, form_data):
    response = client.post("/organize/series/new", data=form_data(series_name="", count="500", interval="monthly"))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="series_name-error"' in page and 'id="count-error"' in page
    assert event_count(app) == 0


def test_the_event_list_shows_status_and_counts(client, app, make_event, make_user, wuchang_organizer, sign_up):
    client.set_cookie("lang", "en")
    event_id = make_event(title="盲人门球体验", capacity=3, wheelchair_spaces=0)
    sign_up(event_id, make_user(), companions=1)
    page = client.get("/organize/").get_data(as_text=True)
    assert "盲人门球体验" in page and "Published" in page and "2 of 3" in page


def test_service_refuses_non_organizers_before_reading_their_input(app, make_user):
    from activity_hub.auth.models import User
    from activity_hub.events import event_admin

    resident = make_user()
    with app.app_context():
        with pytest.raises(event_admin.NotAllowed):
            event_admin.create_event({}, db.session.get(User, resident))


def test_service_reports_every_missing_field_at_once(app, make_user):
    from activity_hub.auth.models import User
    from activity_hub.events import event_admin

    organizer = make_user(roles=("organizer",), role_district_code="wuchang")
    with app.app_context():
        with pytest.raises(event_admin.InvalidEvent) as refused:
            event_admin.create_event({"summary": None, "wheelchair_spaces": None}, db.session.get(User, organizer))
    assert set(refused.value.errors) == {"title", "category", "district_id", "starts_at", "ends_at", "capacity",
                                         "venue_id"}
    assert event_count(app) == 0


def test_service_status_change_through_update_cancels_and_tells_registrants(app, make_event, make_user, sign_up,
                                                                           outbox):
    from activity_hub.auth.models import User
    from activity_hub.events import event_admin

    organizer = make_user(roles=("organizer",))
    event_id = make_event()
    resident = make_user()
    sign_up(event_id, resident)
    with app.app_context():
        before = db.session.get(Event, event_id).sequence
        with pytest.raises(event_admin.InvalidEvent) as refused:
            event_admin.update_event(event_id, {"status": "cancelled", "capacity": None},
                                     db.session.get(User, organizer))
        assert set(refused.value.errors) == {"capacity"}
        assert db.session.get(Event, event_id).status == PUBLISHED  # nothing half-done
        changed = event_admin.update_event(event_id, {"status": "cancelled"}, db.session.get(User, organizer))
        event = db.session.get(Event, event_id)
        assert changed == {"status"} and event.status == CANCELLED and event.sequence == before + 1
    assert [m[0] for m in outbox(resident)][-1] == "event_cancelled"


def test_another_districts_organizer_cannot_move_an_event_into_their_district(app, make_event, make_user):
    from activity_hub.auth.models import User
    from activity_hub.events import event_admin

    event_id = make_event(district_code="wuchang")
    wuchang = make_user(roles=("organizer",), role_district_code="wuchang")
    with app.app_context():
        with pytest.raises(event_admin.NotAllowed):
            event_admin.update_event(event_id, {"district_id": district_id("hanyang")}, db.session.get(User, wuchang))
        assert db.session.get(Event, event_id).district.code == "wuchang"
