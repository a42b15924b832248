"""Organizers through the API: create, edit (capacity promotes the waitlist), publish, cancel,
roster, needs summary, approve/reject/move up, check-in; and who may not."""
from datetime import datetime, timedelta, timezone

import pytest

from activity_hub.events.models import CONFIRMED, PENDING, REJECTED, WAITLISTED

from .conftest import error_code


@pytest.fixture
def organizer(make_user):
    return make_user(roles=("resident", "organizer"), role_district_code="wuchang")


@pytest.fixture
def district_id(app):
    from tests.conftest import district

    def find(code="wuchang"):
        with app.app_context():
            return district(code).id

    return find


def _times(days=20):
    start = (datetime.now(timezone.utc) + timedelta(days=days)).replace(microsecond=0)
    return start, start + timedelta(hours=2)


def new_event_body(district, venue, **extra):
    start, end = _times()
    return {
        "title": "全国助残日文艺汇演", "category": "culture", "district_id": district, "venue_id": venue,
        "starts_at": start.isoformat(), "ends_at": end.isoformat(), "capacity": 20, "wheelchair_spaces": 2,
        "provisions": ["sign_language"], **extra,
    }


@pytest.fixture
def register(api):
    def call(event_id, user_id, **body):
        body.setdefault("consent", True)
        return api("POST", f"/api/v1/events/{event_id}/registrations", user_id, json=body).get_json()

    return call


def test_organizer_creates_publishes_and_the_public_sees_it(api, client, organizer, district_id, make_venue):
    venue = make_venue()
    created = api("POST", "/api/v1/events", organizer, json=new_event_body(district_id(), venue))
    assert created.status_code == 201, created.get_json()
    event = created.get_json()
    assert event["status"] == "draft" and event["provisions"] == ["sign_language"]
    assert event["starts_at"].endswith("+08:00")
    assert client.get(f"/api/v1/events/{event['id']}").status_code == 404  # drafts are not public

    published = api("POST", f"/api/v1/events/{event['id']}/publish", organizer)
    assert published.status_code == 200 and published.get_json()["status"] == "published"
    public = client.get(f"/api/v1/events/{event['id']}").get_json()
    assert (public["places_left"], public["wheelchair_spaces_left"], public["waitlist_length"]) == (20, 2, 0)
    again = api("POST", f"/api/v1/events/{event['id']}/publish", organizer)
    assert (again.status_code, error_code(again)) == (409, "not_draft")


def test_event_fields(client, make_event):
    event = make_event(title="手语诗歌会", provisions=("sign_language", "captions"), capacity=30, wheelchair_spaces=3)
    body = client.get(f"/api/v1/events/{event}").get_json()
    for field in ("id", "title", "summary", "category", "series", "district", "venue", "starts_at", "ends_at",
                  "status", "capacity", "places_left", "wheelchair_spaces", "wheelchair_spaces_left",
                  "max_companions", "waitlist_length", "provisions", "requires_approval",
                  "registration_opens_at", "registration_closes_at", "url"):
        assert field in body, field
    assert body["title"] == "手语诗歌会" and body["provisions"] == ["sign_language", "captions"]
    assert body["district"]["code"] == "wuchang" and "step_free" in body["venue"]["features"]
    assert body["ends_at"].endswith("+08:00") and body["url"].startswith("http")


def test_naive_times_are_read_as_wuhan_time(api, organizer, district_id, make_venue):
    body = new_event_body(district_id(), make_venue(), starts_at="2030-05-19T09:30:00", ends_at="2030-05-19T11:30")
    event = api("POST", "/api/v1/events", organizer, json=body).get_json()
    assert event["starts_at"] == "2030-05-19T09:30:00+08:00"


def test_create_validation_errors_are_400_with_fields(api, organizer, district_id, make_venue):
    body = new_event_body(district_id(), make_venue(), capacity=0, ends_at="2000-01-01T00:00:00+08:00")
    response = api("POST", "/api/v1/events", organizer, json=body)
    assert response.status_code == 400
    fields = response.get_json()["error"]["fields"]
    assert {"capacity", "ends_at"} <= set(fields)
    bad_types = api("POST", "/api/v1/events", organizer, json={**body, "capacity": "ten", "starts_at": "soon"})
    assert {"capacity", "starts_at"} <= set(bad_types.get_json()["error"]["fields"])


def test_resident_cannot_create_events_and_other_districts_are_refused(api, make_user, organizer, district_id,
                                                                       make_venue):
    venue = make_venue()
    resident = make_user()
    response = api("POST", "/api/v1/events", resident, json=new_event_body(district_id(), venue))
    assert (response.status_code, error_code(response)) == (403, "forbidden")
    elsewhere = api("POST", "/api/v1/events", organizer, json=new_event_body(district_id("hanyang"), venue))
    assert elsewhere.status_code == 403


def test_raising_capacity_promotes_the_waitlist(api, organizer, make_event, make_user, register):
    event = make_event(capacity=1, wheelchair_spaces=0, max_companions=0)
    first, second, third = make_user(), make_user(), make_user()
    register(event, first)
    waiting = [register(event, second)["id"], register(event, third)["id"]]
    assert api("GET", f"/api/v1/events/{event}").get_json()["waitlist_length"] == 2

    changed = api("PATCH", f"/api/v1/events/{event}", organizer, json={"capacity": 2})
    assert changed.status_code == 200
    assert (changed.get_json()["capacity"], changed.get_json()["waitlist_length"]) == (2, 1)
    statuses = {i["id"]: i["status"] for i in api("GET", f"/api/v1/events/{event}/roster", organizer).get_json()["items"]}
    assert (statuses[waiting[0]], statuses[waiting[1]]) == (CONFIRMED, WAITLISTED)

    too_low = api("PATCH", f"/api/v1/events/{event}", organizer, json={"capacity": 1})
    assert too_low.status_code == 400 and "capacity" in too_low.get_json()["error"]["fields"]


def test_patch_changes_only_what_is_given(api, organizer, make_event):
    event = make_event(title="旧标题", capacity=10)
    response = api("PATCH", f"/api/v1/events/{event}", organizer, json={"title": "新标题", "provisions": ["braille"]})
    body = response.get_json()
    assert (body["title"], body["provisions"], body["capacity"]) == ("新标题", ["braille"], 10)
    unknown = api("PATCH", f"/api/v1/events/{event}", organizer, json={"sequence": 9})
    assert unknown.status_code == 400 and "sequence" in unknown.get_json()["error"]["fields"]


def test_cancel_keeps_the_event_visible(api, client, organizer, make_event, make_user, register):
    event = make_event()
    register(event, make_user())
    response = api("POST", f"/api/v1/events/{event}/cancel", organizer, json={"reason": "暴雨预警"})
    assert response.status_code == 200 and response.get_json()["status"] == "cancelled"
    assert client.get(f"/api/v1/events/{event}").get_json()["status"] == "cancelled"
    again = api("POST", f"/api/v1/events/{event}/cancel", organizer)
    assert again.status_code == 409


def test_roster_and_needs_summary_are_for_the_events_organizers_only(api, make_event, make_user, register, organizer):
    event = make_event(capacity=10)
    resident = make_user(name="王小明")
    register(event, resident, needs=["sign_language", "wheelchair_space"], companions=1)
    roster = api("GET", f"/api/v1/events/{event}/roster", organizer)
    assert roster.status_code == 200
    (entry,) = roster.get_json()["items"]
    assert entry["person"]["display_name"] == "王小明" and entry["needs"] == ["wheelchair_space", "sign_language"]
    filtered = api("GET", f"/api/v1/events/{event}/roster?need=braille", organizer).get_json()["items"]
    assert filtered == []
    bad_filter = api("GET", f"/api/v1/events/{event}/roster?need=nonsense", organizer)
    assert bad_filter.status_code == 400

    summary = api("GET", f"/api/v1/events/{event}/needs-summary", organizer).get_json()
    lines = {line["code"]: line for line in summary["lines"]}
    assert lines["sign_language"]["registrations"] == 1 and summary["people"] == 2

    other_district = make_user(roles=("resident", "organizer"), role_district_code="hanyang")
    for who in (other_district, resident):
        for path in ("roster", "needs-summary"):
            response = api("GET", f"/api/v1/events/{event}/{path}", who)
            assert (response.status_code, error_code(response)) == (403, "forbidden"), (who, path)
    assert api("GET", "/api/v1/events/999999/roster", organizer).status_code == 404


def test_approve_reject_and_move_up(api, organizer, make_event, make_user, register):
    event = make_event(capacity=2, wheelchair_spaces=0, requires_approval=True, max_companions=1)
    a, b, c = make_user(), make_user(), make_user()
    first = register(event, a, companions=1)
    second = register(event, b, companions=1)
    third = register(event, c)
    assert (first["status"], second["status"], third["status"]) == (PENDING, WAITLISTED, WAITLISTED)

    approved = api("POST", f"/api/v1/registrations/{first['id']}/approve", organizer)
    assert approved.status_code == 200 and approved.get_json()["status"] == CONFIRMED
    resident_try = api("POST", f"/api/v1/registrations/{third['id']}/reject", c)
    assert (resident_try.status_code, error_code(resident_try)) == (403, "forbidden")
    doesnt_fit = api("POST", f"/api/v1/registrations/{second['id']}/move-up", organizer)
    assert (doesnt_fit.status_code, error_code(doesnt_fit)) == (409, "does_not_fit")
    rejected = api("POST", f"/api/v1/registrations/{third['id']}/reject", organizer)
    assert rejected.get_json()["status"] == REJECTED
    not_pending = api("POST", f"/api/v1/registrations/{first['id']}/approve", organizer)
    assert (not_pending.status_code, error_code(not_pending)) == (409, "not_pending")

    # An organizer cancels the confirmed one: the waiting entry takes the places, for approval.
    cancelled = api("DELETE", f"/api/v1/registrations/{first['id']}", organizer)
    assert cancelled.status_code == 200
    assert api("GET", f"/api/v1/registrations/{second['id']}", organizer).get_json()["status"] == PENDING


def test_check_in_by_code_or_registration_id(app, api, organizer, make_event, make_user, register):
    event = make_event()
    a, b = make_user(), make_user()
    first = register(event, a, needs=["guide_dog"])
    second = register(event, b)
    by_code = api("POST", f"/api/v1/events/{event}/check-ins", organizer, json={"token": first["checkin_code"].lower()})
    assert by_code.status_code == 200
    body = by_code.get_json()
    assert body["checked_in_at"] and body["needs"] == ["guide_dog"] and body["person"]["id"] == a
    twice = api("POST", f"/api/v1/events/{event}/check-ins", organizer, json={"token": first["checkin_code"]})
    assert twice.get_json()["checked_in_at"] == body["checked_in_at"]

    by_id = api("POST", f"/api/v1/events/{event}/check-ins", organizer, json={"registration_id": second["id"]})
    assert by_id.status_code == 200

    forged = api("POST", f"/api/v1/events/{event}/check-ins", organizer, json={"token": "3F-7K2MQ-9XW4D"})
    assert (forged.status_code, error_code(forged)) == (404, "unknown_code")
    neither = api("POST", f"/api/v1/events/{event}/check-ins", organizer, json={})
    assert neither.status_code == 400
    other_event = make_event()
    wrong = api("POST", f"/api/v1/events/{other_event}/check-ins", organizer, json={"registration_id": second["id"]})
    assert (wrong.status_code, error_code(wrong)) == (409, "wrong_event")
    resident = api("POST", f"/api/v1/events/{event}/check-ins", a, json={"registration_id": second["id"]})
    assert resident.status_code == 403
