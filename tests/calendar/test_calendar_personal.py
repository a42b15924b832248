"""Personal feeds: the secret links, what each person's feed shows, and what the secret cannot open."""
import hashlib
import re
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from activity_hub.extensions import db
from tests.conftest import login


@pytest.fixture
def people(make_user):
    return {
        "amy": make_user(name="王小燕"),
        "bob": make_user(name="李大海"),
    }


def registrations_for(make_event, register, user_id, prefix):
    """One event per registration status; returns {status: event id}."""
    made = {}
    for n, status in enumerate(("confirmed", "waitlisted", "pending", "cancelled", "rejected")):
        event_id = make_event(title=f"{prefix}的活动-{status}", starts_in=timedelta(days=4 + n))
        register(event_id, user_id, status=status)
        made[status] = event_id
    return made


def test_registrations_feed_shows_own_active_registrations(client, people, make_event, register, feed_link,
                                                          both_readers, expected_events):
    amy = registrations_for(make_event, register, people["amy"], "王小燕")
    registrations_for(make_event, register, people["bob"], "李大海")
    path, _ = feed_link(people["amy"])
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "Content-Disposition" not in response.headers
    assert "private" in response.headers["Cache-Control"]
    py, js = both_readers(response.data)
    want = expected_events(
        [amy["confirmed"], amy["waitlisted"], amy["pending"]],
        statuses={amy["confirmed"]: "CONFIRMED", amy["waitlisted"]: "TENTATIVE", amy["pending"]: "TENTATIVE"},
    )
    assert {uid: (e["summary"], e["status"]) for uid, e in py.items()} == {uid: (t, s) for uid, (t, _, s) in want.items()}
    assert {uid: e["status"] for uid, e in js.items()} == {uid: s for uid, (_, _, s) in want.items()}
    text = response.data.decode("utf-8")
    assert "李大海" not in text and "王小燕" not in text.replace("王小燕的活动", "")
    # A reminder the day before, read the same way by both readers.
    for uid, event in py.items():
        assert [str(a["TRIGGER"].to_ical(), "ascii") for a in event["alarms"]] == ["-P1D"]
        assert js[uid]["alarms"] == [{"action": "DISPLAY", "trigger": "-P1D"}]


def test_the_online_link_is_only_in_the_feed_of_confirmed_participants(app, client, people, make_event, register,
                                                                      feed_link, both_readers):
    from activity_hub.events.models import Event

    event_id = make_event(title="线上普法讲座")
    with app.app_context():
        event = db.session.get(Event, event_id)
        event.online_url, event.venue_id = "https://meeting.example.cn/j/456", None
        db.session.commit()
    register(event_id, people["amy"], status="confirmed")
    register(event_id, people["bob"], status="waitlisted")
    uid = f"event-{event_id}@activity-hub.local"
    amy, _ = both_readers(client.get(feed_link(people["amy"])[0]).data)
    assert amy[uid]["location"] == "https://meeting.example.cn/j/456"
    assert "https://meeting.example.cn/j/456" in amy[uid]["description"]
    bob_feed = client.get(feed_link(people["bob"])[0]).data
    assert both_readers(bob_feed)[0][uid]["status"] == "TENTATIVE"
    assert b"meeting.example.cn" not in bob_feed
    assert b"meeting.example.cn" not in client.get("/calendar/events.ics").data
    assert b"meeting.example.cn" not in client.get(f"/calendar/events/{event_id}.ics").data


def test_a_cancelled_event_stays_in_the_personal_feed_as_cancelled(app, client, people, make_event, register,
                                                                  feed_link, both_readers, make_user):
    from activity_hub.auth.models import User
    from activity_hub.events import event_admin

    organizer = make_user(roles=("resident", "organizer"), role_district_code="wuchang")
    event_id = make_event(title="特奥日趣味运动会")
    register(event_id, people["amy"])
    path, _ = feed_link(people["amy"])
    before, _ = both_readers(client.get(path).data)
    with app.app_context():
        event_admin.cancel_event(event_id, db.session.get(User, organizer))
    after, after_js = both_readers(client.get(path).data)
    uid = f"event-{event_id}@activity-hub.local"
    assert after[uid]["status"] == after_js[uid]["status"] == "CANCELLED"
    assert after[uid]["sequence"] > before[uid]["sequence"]
    assert after[uid]["alarms"] == []


def test_the_link_is_stored_hashed_and_a_reset_stops_the_old_one_at_once(app, client, people, feed_link):
    from activity_hub.calendar.models import CalendarFeedToken

    old_path, old_secret = feed_link(people["amy"])
    assert len(old_secret) >= 43
    assert client.get(old_path).status_code == 200
    with app.app_context():
        row = db.session.scalar(sa.select(CalendarFeedToken).where(CalendarFeedToken.user_id == people["amy"]))
        assert row.token_hash == hashlib.sha256(old_secret.encode()).hexdigest()
        stored = " ".join(str(value) for value in db.session.execute(sa.select(CalendarFeedToken)).one())
        assert old_secret not in stored
    new_path, new_secret = feed_link(people["amy"])
    assert new_secret != old_secret
    assert client.get(old_path).status_code == 404
    assert client.get(new_path).status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CalendarFeedToken)) == 1


def test_unknown_wrong_kind_and_inactive_links_get_404(app, client, people, feed_link):
    from activity_hub.auth.models import User

    path, secret = feed_link(people["amy"])
    assert client.get(f"/calendar/personal/{secret}/assignments.ics").status_code == 404
    assert client.get(f"/calendar/personal/{secret[:-1]}x/registrations.ics").status_code == 404
    assert client.get("/calendar/personal/short/registrations.ics").status_code == 404
    with app.app_context():
        db.session.get(User, people["amy"]).is_active_account = False
        db.session.commit()
    assert client.get(path).status_code == 404


def test_the_secret_opens_nothing_but_its_feed(app, client, people, feed_link, make_event, register):
    """Everywhere else the secret works exactly like a random string of the same shape, as a Bearer
    token or as a cookie: every page without arguments answers the same to both."""
    import secrets

    register(make_event(title="私人活动"), people["amy"])
    _, secret = feed_link(people["amy"])
    stranger = secrets.token_urlsafe(32)
    with app.app_context():
        paths = sorted({
            rule.rule for rule in app.url_map.iter_rules()
            if "GET" in rule.methods and not rule.arguments and not rule.rule.startswith("/static")
        })
    assert "/calendar/my-feeds" in paths

    def visit(path, token):
        visitor = app.test_client()
        for name in ("session", "remember_token", "token", "calendar_token"):
            visitor.set_cookie(name, token)
        return (visitor.get(path), app.test_client().get(path, headers={"Authorization": f"Bearer {token}"}))

    for path in paths:
        for with_secret, with_stranger in zip(visit(path, secret), visit(path, stranger)):
            assert with_secret.status_code == with_stranger.status_code, (path, with_secret.status_code,
                                                                          with_stranger.status_code)
            assert with_secret.status_code not in (200, 304) or "王小燕".encode() not in with_secret.data, path
            assert with_secret.headers.get("Location") == with_stranger.headers.get("Location"), path



def test_personal_feed_answers_304_and_takes_a_fixed_number_of_queries(client, people, make_event, register,
                                                                      feed_link, count_queries):
    path, _ = feed_link(people["amy"])

    def fetch(headers=None):
        with count_queries() as queries:
            response = client.get(path, headers=headers or {})
        return len(queries), response

    for n in range(5):
        register(make_event(title=f"活动{n}", provisions=("captions",)), people["amy"])
    five, response = fetch()
    assert response.status_code == 200
    not_modified_queries, not_modified = fetch({"If-None-Match": response.headers["ETag"]})
    assert not_modified.status_code == 304
    assert not_modified_queries == 2  # the link, then the aggregate
    by_date_queries, by_date = fetch({"If-Modified-Since": response.headers["Last-Modified"]})
    assert by_date.status_code == 304 and by_date_queries == 2
    for n in range(45):
        register(make_event(title=f"活动{n + 5}", provisions=("braille",)), people["amy"])
    fifty, response = fetch()
    assert response.data.count(b"BEGIN:VEVENT") == 50
    assert five == fifty <= 5, (five, fifty)


def test_a_registration_change_changes_the_feed_version(app, client, people, make_event, register, feed_link):
    from activity_hub.events.models import Registration

    registration_id = register(make_event(title="候补活动"), people["amy"], status="waitlisted")
    path, _ = feed_link(people["amy"])
    first = client.get(path)
    with app.app_context():
        registration = db.session.get(Registration, registration_id)
        registration.status = "confirmed"
        registration.updated_at = datetime.now(timezone.utc) + timedelta(seconds=2)
        db.session.commit()
    second = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200 and b"STATUS:CONFIRMED" in second.data


def test_the_personal_feed_is_in_the_owner_language(app, client, people, make_event, register, feed_link):
    from activity_hub.auth.models import User

    register(make_event(title="活动"), people["amy"])
    path, _ = feed_link(people["amy"])
    chinese = client.get(path).data.decode("utf-8").replace("\r\n ", "")
    with app.app_context():
        db.session.get(User, people["amy"]).locale = "en"
        db.session.commit()
    english = client.get(path).data.decode("utf-8").replace("\r\n ", "")
    assert "My registrations" in english and "My registrations" not in chinese


def test_my_feeds_page_creates_shows_once_and_resets(app, client, people, make_event, register):
    register(make_event(title="活动"), people["amy"])
    assert client.get("/calendar/my-feeds").status_code == 302  # log in first
    login(client, people["amy"])
    page = client.get("/calendar/my-feeds")
    assert page.status_code == 200
    assert b"/calendar/personal/" not in page.data

    created = client.post("/calendar/my-feeds/registrations/new")
    assert created.status_code == 200
    assert created.headers["Cache-Control"] == "no-store"
    assert created.headers["Referrer-Policy"] == "no-referrer"
    text = created.data.decode("utf-8")
    start = text.index("http://localhost/calendar/personal/")
    https_url = re.match(r"[^<\"\s]+", text[start:]).group(0)
    assert f'webcal://{https_url.removeprefix("http://")}' in text
    feed_path = https_url.removeprefix("http://localhost")
    assert app.test_client().get(feed_path).status_code == 200

    again = client.get("/calendar/my-feeds")
    assert feed_path.encode() not in again.data, "the secret is shown only once"
    confirm = client.get("/calendar/my-feeds/registrations/new")
    assert confirm.status_code == 200 and b"<form" in confirm.data
    reset = client.post("/calendar/my-feeds/registrations/new")
    assert reset.status_code == 200
    assert app.test_client().get(feed_path).status_code == 404
    assert client.get("/calendar/my-feeds/nonsense/new").status_code == 404


def test_residents_cannot_make_an_assignments_link(client, people):
    login(client, people["amy"])
    assert client.get("/calendar/my-feeds/assignments/new").status_code == 404
    assert client.post("/calendar/my-feeds/assignments/new").status_code == 404
