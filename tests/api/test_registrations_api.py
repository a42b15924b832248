"""Registering, listing and cancelling through the API: the same service, so the same results
as the HTML flow, and JSON errors for bad input."""
import pytest
import sqlalchemy as sa

from activity_hub.events.models import CONFIRMED, PENDING, REG_CANCELLED, WAITLISTED, Registration
from activity_hub.extensions import db
from tests.conftest import login

from .conftest import error_code


@pytest.fixture
def register(api):
    def call(event_id, user_id, **body):
        body.setdefault("consent", True)
        return api("POST", f"/api/v1/events/{event_id}/registrations", user_id, json=body)

    return call


def test_statuses_confirmed_waitlisted_and_positions(make_event, make_user, register):
    event = make_event(capacity=3, max_companions=2)
    a, b, c = make_user(), make_user(), make_user()
    first = register(event, a, companions=1, needs=["sign_language", "braille"], note="坐前排")
    assert first.status_code == 201
    body = first.get_json()
    assert (body["status"], body["waitlist_position"], body["companions"]) == (CONFIRMED, None, 1)
    assert body["needs"] == ["sign_language", "braille"]
    assert body["event"]["id"] == event and body["checkin_code"]

    second = register(event, b, companions=2).get_json()
    third = register(event, c).get_json()
    assert (second["status"], second["waitlist_position"]) == (WAITLISTED, 1)
    assert (third["status"], third["waitlist_position"]) == (CONFIRMED, None)  # one place fits the newcomer


def test_the_api_gives_the_same_statuses_as_the_html_registration_form(app, client, make_event, make_user, register):
    """Two identical events: one filled through the HTML form, one through the API, same people, same order."""
    by_form = make_event(capacity=3, wheelchair_spaces=1, max_companions=1)
    by_api = make_event(capacity=3, wheelchair_spaces=1, max_companions=1)
    people = [make_user() for _ in range(5)]
    plan = [
        {"companions": 1, "needs": ["wheelchair_space"]},
        {"companions": 1},                      # 2 places, 1 left: waits
        {"needs": ["wheelchair_space"]},        # 1 place fits, the wheelchair space does not: waits
        {"needs": ["braille"]},                 # fits
        {},                                     # full: waits
    ]
    for person, body in zip(people, plan):
        login(client, person)
        form = {"companions": str(body.get("companions", 0)), "needs": body.get("needs", []), "consent": "y"}
        assert client.post(f"/events/{by_form}/register", data=form).status_code == 302
        client.post("/logout")
    got = [register(by_api, person, **body).get_json() for person, body in zip(people, plan)]

    def statuses(event_id):
        with app.app_context():
            from activity_hub.events import registration

            rows = list(db.session.scalars(
                sa.select(Registration).where(Registration.event_id == event_id).order_by(Registration.id)
            ))
            positions = registration.waitlist_positions(rows)
            return [(row.status, positions.get(row.id)) for row in rows]

    assert [(item["status"], item["waitlist_position"]) for item in got] == statuses(by_form) == statuses(by_api)
    assert [item["status"] for item in got] == [CONFIRMED, WAITLISTED, WAITLISTED, CONFIRMED, WAITLISTED]


def test_approval_events_answer_pending(make_event, make_user, register):
    event = make_event(requires_approval=True)
    assert register(event, make_user()).get_json()["status"] == PENDING


def test_refusals_are_409_with_the_service_code(make_event, make_user, register):
    event = make_event()
    user = make_user()
    assert register(event, user).status_code == 201
    again = register(event, user)
    assert again.status_code == 409
    assert error_code(again) == "already_registered"

    cancelled = make_event(status="cancelled")
    response = register(cancelled, user)
    assert (response.status_code, error_code(response)) == (409, "event_cancelled")


def test_bad_input_is_400_with_the_fields(app, make_event, make_user, register, api):
    event = make_event(max_companions=2)
    user = make_user()
    cases = [
        ({"companions": -1}, "companions"),
        ({"companions": "2"}, "companions"),
        ({"companions": 2.5}, "companions"),
        ({"companions": True}, "companions"),
        ({"companions": 10**40}, "companions"),
        ({"companions": 3}, "companions"),  # more than the event allows: the service says so
        ({"needs": ["flying_carpet"]}, "needs"),
        ({"needs": "braille"}, "needs"),
        ({"needs": [1]}, "needs"),
        ({"note": "x" * 1001}, "note"),
        ({"note": "bad\x00"}, "note"),
        ({"consent": False}, "consent"),
        ({"consent": "yes"}, "consent"),
        ({"colour": "red"}, "colour"),
    ]
    for body, field in cases:
        response = register(event, user, **body)
        assert response.status_code == 400, body
        error = response.get_json()["error"]
        assert error["code"] == "validation_failed", body
        assert field in error["fields"], (body, error)
    missing_consent = api("POST", f"/api/v1/events/{event}/registrations", user, json={})
    assert missing_consent.status_code == 400 and "consent" in missing_consent.get_json()["error"]["fields"]
    with app.app_context():  # nothing half-written
        assert db.session.scalar(sa.select(sa.func.count(Registration.id))) == 0


def test_malformed_bodies_are_json_errors(make_event, make_user, api):
    event = make_event()
    user = make_user()
    path = f"/api/v1/events/{event}/registrations"
    for data, content_type, code in [
        ("{not json", "application/json", "malformed_json"),
        ("[1, 2]", "application/json", "malformed_json"),
        ('"text"', "application/json", "malformed_json"),
        ('{"consent": NaN}', "application/json", "malformed_json"),
        ("\xff\xfe", "application/json", "malformed_json"),
        ("[" * 100000 + "]" * 100000, "application/json", "too_large"),
        ("consent=true", "application/x-www-form-urlencoded", "unsupported_media_type"),
    ]:
        response = api("POST", path, user, data=data, content_type=content_type)
        assert response.status_code in (400, 413, 415), data[:20]
        assert response.mimetype == "application/json"
        assert error_code(response) == code, data[:20]


def test_unknown_event_is_404_and_anonymous_is_401(make_user, register, client, make_event):
    response = register(999999, make_user())
    assert (response.status_code, error_code(response)) == (404, "not_found")
    event = make_event()
    anonymous = client.post(f"/api/v1/events/{event}/registrations", json={"consent": True})
    assert (anonymous.status_code, error_code(anonymous)) == (401, "authentication_required")


def test_my_registrations_and_cancel(make_event, make_user, register, api, app):
    full = make_event(capacity=1, wheelchair_spaces=0, max_companions=0)
    other = make_event()
    me, first = make_user(), make_user()
    register(full, first)
    waiting = register(full, me, needs=["captions"]).get_json()
    mine = register(other, me).get_json()

    listed = api("GET", "/api/v1/me/registrations", me).get_json()["items"]
    assert {item["id"]: (item["status"], item["waitlist_position"]) for item in listed} == {
        waiting["id"]: (WAITLISTED, 1), mine["id"]: (CONFIRMED, None),
    }
    assert next(i for i in listed if i["id"] == waiting["id"])["needs"] == ["captions"]

    cancelled = api("DELETE", f"/api/v1/registrations/{mine['id']}", me)
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == REG_CANCELLED
    again = api("DELETE", f"/api/v1/registrations/{mine['id']}", me)
    assert (again.status_code, error_code(again)) == (409, "not_active")
    assert [i["id"] for i in api("GET", "/api/v1/me/registrations", me).get_json()["items"]] == [waiting["id"]]
    everything = api("GET", "/api/v1/me/registrations?status=all", me).get_json()["items"]
    assert {i["id"] for i in everything} == {waiting["id"], mine["id"]}


def test_cancelling_promotes_the_waitlist(make_event, make_user, register, api):
    event = make_event(capacity=1, wheelchair_spaces=0, max_companions=0)
    a, b = make_user(), make_user()
    first = register(event, a).get_json()
    second = register(event, b).get_json()
    api("DELETE", f"/api/v1/registrations/{first['id']}", a)
    assert api("GET", f"/api/v1/registrations/{second['id']}", b).get_json()["status"] == CONFIRMED


def test_nobody_else_can_see_or_cancel_my_registration(make_event, make_user, register, api):
    event = make_event()
    me, stranger = make_user(), make_user()
    mine = register(event, me).get_json()
    for method in ("GET", "DELETE"):
        response = api(method, f"/api/v1/registrations/{mine['id']}", stranger)
        assert response.status_code == 404
    assert api("GET", f"/api/v1/registrations/{mine['id']}", me).get_json()["status"] == CONFIRMED


def test_session_authentication_works_for_registering(client, make_event, make_user):
    event = make_event()
    login(client, make_user())
    response = client.post(f"/api/v1/events/{event}/registrations", json={"consent": True})
    assert response.status_code == 201


def test_error_messages_follow_accept_language_then_the_account_language(make_user, api):
    english = api("GET", "/api/v1/events/999999", headers={"Accept-Language": "en-GB,en;q=0.9"})
    chinese = api("GET", "/api/v1/events/999999", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert english.get_json()["error"]["message"] == "Nothing was found at this address"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese.get_json()["error"]["message"])
    assert error_code(english) == error_code(chinese) == "not_found"

    english_account = make_user(locale="en")
    no_header = api("GET", "/api/v1/events/999999", english_account)
    assert no_header.get_json()["error"]["message"] == "Nothing was found at this address"


def test_the_position_told_is_the_waitlist_order_even_with_a_clock_ahead(app, make_event, make_user, register):
    """The waitlist is served in (arrival time, id) order. An entry stamped by a host whose clock runs
    ahead stays behind a newcomer stamped earlier; the newcomer is told the position they really hold."""
    from datetime import timedelta

    from activity_hub.events import registration

    event = make_event(capacity=1, wheelchair_spaces=0)
    a, b = make_user(), make_user()
    c, d = make_user(locale="en", email="c@example.com"), make_user(locale="en", email="d@example.com")
    assert register(event, a).get_json()["status"] == CONFIRMED
    ahead = register(event, b).get_json()
    assert ahead["waitlist_position"] == 1
    with app.app_context():
        stamped = db.session.get(Registration, ahead["id"])
        stamped.created_at = stamped.created_at + timedelta(hours=1)
        db.session.commit()
    told = [register(event, person).get_json() for person in (c, d)]
    assert [answer["waitlist_position"] for answer in told] == [1, 2]
    with app.app_context():
        waiting = db.session.scalars(sa.select(Registration).where(Registration.status == WAITLISTED)).all()
        positions = registration.waitlist_positions(waiting)
        assert [positions[answer["id"]] for answer in told] == [1, 2]
        assert positions[ahead["id"]] == 3
        from activity_hub.messages.models import OutboxMessage

        told_by_message = [db.session.scalar(sa.select(OutboxMessage.body).where(OutboxMessage.user_id == person))
                           for person in (c, d)]
    assert "at position 1." in told_by_message[0] and "at position 2." in told_by_message[1]
