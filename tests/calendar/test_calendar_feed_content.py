"""What calendar apps read in the public feeds and the single-event file, checked by two readers."""
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from activity_hub.accessibility import NEEDS_BY_CODE
from activity_hub.extensions import db
from ical_helpers import as_seen, read_with_icalendar

LONG_TITLE = "武汉市残疾人文化周：无障碍电影放映、手语诗歌朗诵与轮椅舞蹈展演（含口述影像和实时字幕服务）"
LONG_DESCRIPTION = (
    "本次活动由市残联与各区残联共同举办，现场提供手语翻译、实时字幕和口述影像，设有轮椅位和无障碍卫生间。"
    "视障朋友可以预约志愿者引导，听障朋友可以使用助听环路。欢迎家属和陪同人员一起参加。" * 3
)


def get(client, path, **headers):
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.status_code
    return response


def set_fields(app, event_id, **fields):
    from activity_hub.events.models import Event

    with app.app_context():
        event = db.session.get(Event, event_id)
        for key, value in fields.items():
            setattr(event, key, value)
        db.session.commit()


@pytest.fixture
def organizer(make_user):
    return make_user(roles=("resident", "organizer"), role_district_code="wuchang")


@pytest.fixture
def catalogue(app, make_event, make_venue):
    """Published, cancelled, draft, online and long-Chinese events; returns their ids by name."""
    venue = make_venue(name="武昌区残疾人综合服务中心", accessible_entrance="东门坡道，无台阶")
    ids = {
        "concert": make_event(title="诗歌交响音乐会", venue_id=venue, provisions=("sign_language", "captions"),
                              contact_name="张老师", contact_phone="027-88886666", starts_in=timedelta(days=5)),
        "long": make_event(title=LONG_TITLE, summary=LONG_DESCRIPTION[:500], venue_id=venue,
                           provisions=("wheelchair_space", "audio_description"), category="culture",
                           starts_in=timedelta(days=12)),
        "sports": make_event(title="残疾人健身周", category="sports", district_code="hongshan",
                             starts_in=timedelta(days=20)),
        "legal": make_event(title="民法典普法讲座（线上）", category="legal", online_url="https://meeting.example.cn/j/123",
                            starts_in=timedelta(days=2)),
        "cancelled": make_event(title="已取消的特奥日活动", status="cancelled", starts_in=timedelta(days=8)),
        "draft": make_event(title="草稿活动", status="draft"),
    }
    set_fields(app, ids["cancelled"], cancelled_at=datetime.now(timezone.utc), sequence=1)
    set_fields(app, ids["legal"], venue_id=None)
    an_hour_ago = datetime.now(timezone.utc) - timedelta(hours=1)
    for event_id in ids.values():
        set_fields(app, event_id, created_at=an_hour_ago, updated_at=an_hour_ago)
    return ids


def test_public_feed_shows_the_listed_events_as_the_database_says(client, catalogue, both_readers, expected_events):
    body = get(client, "/calendar/events.ics").data
    py, js = both_readers(body)
    listed = [catalogue[name] for name in ("concert", "long", "sports", "legal", "cancelled")]
    want = expected_events(listed)
    assert as_seen(py) == want
    assert as_seen(js) == want
    assert "草稿活动" not in body.decode("utf-8")
    assert py[f"event-{catalogue['cancelled']}@activity-hub.local"]["status"] == "CANCELLED"


def test_category_and_district_feeds_hold_only_their_events(client, catalogue, both_readers, expected_events):
    py, _ = both_readers(get(client, "/calendar/categories/sports.ics").data)
    assert as_seen(py) == expected_events([catalogue["sports"]])
    py, _ = both_readers(get(client, "/calendar/districts/hongshan.ics").data)
    assert as_seen(py) == expected_events([catalogue["sports"]])
    py, _ = both_readers(get(client, "/calendar/districts/wuchang.ics").data)
    assert set(as_seen(py)) == set(expected_events(
        [catalogue[n] for n in ("concert", "long", "legal", "cancelled")]))
    assert client.get("/calendar/categories/astrology.ics").status_code == 404
    assert client.get("/calendar/districts/atlantis.ics").status_code == 404


def test_calendar_properties_and_timezone(client, catalogue):
    body = get(client, "/calendar/events.ics").data
    text = body.decode("utf-8").replace("\r\n ", "")
    for line in ("VERSION:2.0", "CALSCALE:GREGORIAN", "REFRESH-INTERVAL;VALUE=DURATION:PT1H", "X-PUBLISHED-TTL:PT1H"):
        assert line in text.split("\r\n")
    calendar, events = read_with_icalendar(body)
    assert calendar["PRODID"] and calendar["NAME"] and calendar["NAME"] == calendar["X-WR-CALNAME"]
    timezones = list(calendar.walk("VTIMEZONE"))
    assert [str(tz["TZID"]) for tz in timezones] == ["Asia/Shanghai"]
    assert timezones[0].to_tz().utcoffset(datetime(2026, 6, 1)) == timedelta(hours=8)
    # No floating times: local times carry TZID, the stamps are UTC.
    assert all(e["start_tzid"] == e["end_tzid"] == "Asia/Shanghai" for e in events)
    for line in text.split("\r\n"):
        if line.startswith(("DTSTART", "DTEND")) and not line.startswith("DTSTART:1992"):
            assert line.startswith(("DTSTART;TZID=Asia/Shanghai:", "DTEND;TZID=Asia/Shanghai:")), line
        if line.startswith(("DTSTAMP", "LAST-MODIFIED", "CREATED")):
            assert line.endswith("Z"), line


def test_event_details_in_the_description_location_and_url(app, client, catalogue, both_readers):
    stamp = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    set_fields(app, catalogue["concert"], updated_at=stamp)
    py, js = both_readers(get(client, "/calendar/events.ics").data)
    concert = py[f"event-{catalogue['concert']}@activity-hub.local"]
    # DTSTAMP and LAST-MODIFIED are the event's last change, not the time of the request.
    assert concert["dtstamp"] == concert["last_modified"] == stamp
    assert js[f"event-{catalogue['concert']}@activity-hub.local"]["dtstamp"] == "2026-01-02T03:04:05.000Z"
    for code in ("sign_language", "captions"):
        assert NEEDS_BY_CODE[code].zh in concert["description"]
    assert "张老师" in concert["description"] and "027-88886666" in concert["description"]
    assert "武昌区残疾人综合服务中心" in concert["location"]
    assert "武昌区中山路1号" in concert["location"] and "东门坡道，无台阶" in concert["location"]
    assert concert["url"].startswith("http://localhost/")
    assert str(catalogue["concert"]) in concert["url"]
    categories = [str(c) for c in concert["component"]["CATEGORIES"].cats]
    assert categories and categories[0]
    # The online link is for confirmed participants (as on the event page), never in a public feed.
    online = py[f"event-{catalogue['legal']}@activity-hub.local"]
    assert online["location"] and "meeting.example.cn" not in online["location"] + online["description"]


def test_long_chinese_text_is_folded_at_75_octets_without_splitting_characters(client, catalogue, both_readers):
    body = get(client, "/calendar/events.ics").data
    assert body.endswith(b"\r\n")
    lines = body.split(b"\r\n")[:-1]
    assert b"\n" not in b"".join(lines) and b"\r" not in b"".join(lines), "only CRLF line ends"
    for line in lines:
        assert len(line) <= 75, line
        line.decode("utf-8")  # a character split across lines would not decode
    summary_at = next(i for i, line in enumerate(lines) if line.startswith(b"SUMMARY:") and "文化周".encode() in line)
    assert lines[summary_at + 1].startswith(b" "), "the long title is folded"
    py, js = both_readers(body)
    uid = f"event-{catalogue['long']}@activity-hub.local"
    assert py[uid]["summary"] == js[uid]["summary"] == LONG_TITLE
    assert LONG_DESCRIPTION[:500] in py[uid]["description"]
    assert LONG_DESCRIPTION[:500] in js[uid]["description"]


def test_uids_are_stable_and_an_edit_raises_sequence_and_last_modified(app, client, catalogue, organizer,
                                                                         both_readers):
    from activity_hub.auth.models import User
    from activity_hub.events import event_admin
    from activity_hub.events.models import Event

    first = get(client, "/calendar/events.ics")
    second = get(client, "/calendar/events.ics")
    assert first.data == second.data
    uid = f"event-{catalogue['concert']}@activity-hub.local"
    before, _ = both_readers(first.data)

    with app.app_context():
        event = db.session.get(Event, catalogue["concert"])
        new_start = event.starts_at + timedelta(days=1, hours=2)
        changed = event_admin.update_event(event.id, {"starts_at": new_start, "ends_at": new_start + timedelta(hours=2)},
                                           db.session.get(User, organizer))
        assert "starts_at" in changed

    after_response = get(client, "/calendar/events.ics")
    after, after_js = both_readers(after_response.data)
    assert set(after) == set(before)
    assert after[uid]["sequence"] == before[uid]["sequence"] + 1
    assert after[uid]["last_modified"] > before[uid]["last_modified"]
    assert after[uid]["start"] == new_start.replace(microsecond=0)
    assert after_js[uid]["last_modified"] != before[uid]["last_modified"].strftime("%Y-%m-%dT%H:%M:%S.000Z")
    assert after_response.headers["ETag"] != first.headers["ETag"]


def test_a_cancellation_appears_as_cancelled_with_a_raised_sequence(app, client, catalogue, organizer, both_readers):
    from activity_hub.auth.models import User
    from activity_hub.events import event_admin

    uid = f"event-{catalogue['concert']}@activity-hub.local"
    before, _ = both_readers(get(client, "/calendar/events.ics").data)
    assert before[uid]["status"] == "CONFIRMED"
    with app.app_context():
        event_admin.cancel_event(catalogue["concert"], db.session.get(User, organizer), reason="场馆维修")
    after, after_js = both_readers(get(client, "/calendar/events.ics").data)
    assert after[uid]["status"] == after_js[uid]["status"] == "CANCELLED"
    assert after[uid]["sequence"] > before[uid]["sequence"]
    single, _ = both_readers(get(client, f"/calendar/events/{catalogue['concert']}.ics").data)
    assert single[uid]["status"] == "CANCELLED"


def test_cancelled_events_stay_30_days_after_their_date_then_leave(app, client, make_event, both_readers):
    now = datetime.now(timezone.utc)
    recent = make_event(title="二十九天前取消", status="cancelled", starts_in=timedelta(days=-29, hours=-3))
    old = make_event(title="三十一天前取消", status="cancelled", starts_in=timedelta(days=-31, hours=-3))
    make_event(title="三十一天前结束", starts_in=timedelta(days=-31, hours=-3))
    future_cancelled = make_event(title="下个月的活动已取消", status="cancelled", starts_in=timedelta(days=40))
    for event_id in (recent, old, future_cancelled):
        set_fields(app, event_id, cancelled_at=now - timedelta(days=60), sequence=2)
    py, js = both_readers(get(client, "/calendar/events.ics").data)
    titles = {event["summary"]: event["status"] for event in py.values()}
    assert titles == {"二十九天前取消": "CANCELLED", "下个月的活动已取消": "CANCELLED"}
    assert {event["summary"] for event in js.values()} == set(titles)


def test_single_event_file(client, catalogue, both_readers, expected_events):
    response = get(client, f"/calendar/events/{catalogue['concert']}.ics")
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == f'attachment; filename="event-{catalogue["concert"]}.ics"'
    py, js = both_readers(response.data)
    assert as_seen(py) == as_seen(js) == expected_events([catalogue["concert"]])
    assert py[f"event-{catalogue['concert']}@activity-hub.local"]["alarms"] == []
    assert client.get(f"/calendar/events/{catalogue['draft']}.ics").status_code == 404
    assert client.get("/calendar/events/999999.ics").status_code == 404
    assert client.get("/calendar/events/99999999999999999999.ics").status_code == 404


def test_feeds_follow_the_language_asked_for(client, catalogue):
    chinese = get(client, "/calendar/events.ics").data.decode("utf-8").replace("\r\n ", "")
    english = get(client, "/calendar/events.ics?lang=en").data.decode("utf-8").replace("\r\n ", "")
    assert "PRODID:-//activity-hub.local//activity_hub calendar 1//EN" in english
    assert "PRODID:-//activity-hub.local//activity_hub calendar 1//ZH" in chinese
    assert "X-WR-CALNAME:Wuhan Disability Federation Activities" in english
    assert "X-WR-CALNAME:武汉市残联活动" in chinese
    assert NEEDS_BY_CODE["sign_language"].en in english
    assert NEEDS_BY_CODE["sign_language"].zh in chinese


def test_a_feed_never_shows_drafts_even_in_a_district_feed(app, client, make_event):
    from activity_hub.events.models import Event

    draft = make_event(title="尚未发布", status="draft", district_code="qingshan")
    body = get(client, "/calendar/districts/qingshan.ics").data
    assert "尚未发布".encode() not in body
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Event).where(Event.id == draft)) == 1
