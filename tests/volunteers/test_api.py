"""The volunteer endpoints of the JSON API: same rules as the pages, JSON errors, in the OpenAPI document."""
import sqlalchemy as sa

from activity_hub.extensions import db
from activity_hub.messages.models import OutboxMessage
from activity_hub.volunteers.models import Assignment, TeamTrainingCompletion
from activity_hub.volunteers.years import current_year
from tests.conftest import login


def bearer_for(app, user_id):
    from activity_hub.api import tokens
    from activity_hub.auth.models import User

    with app.app_context():
        _token, plain = tokens.create_token(db.session.get(User, user_id), "test")
        db.session.commit()
    return {"Authorization": f"Bearer {plain}"}


def test_my_assignments_accept_and_decline(app, client, make_user, make_event, make_volunteer, register, make_shift):
    organizer = make_user(roles=("organizer",))
    volunteer = make_volunteer("sign_language")
    other = make_volunteer()
    event_id = make_event(title="手语讲座")
    for _ in range(2):
        register(event_id, ["sign_language"], name="聋人居民孙某", note="电话13788889999")
    mine = make_shift(event_id, volunteer, skill="sign_language", role="手语翻译", created_by_id=organizer)
    later = make_shift(make_event(), volunteer, created_by_id=organizer)
    theirs = make_shift(event_id, other)
    headers = {**bearer_for(app, volunteer), "Accept-Language": "en"}

    body = client.get("/api/v1/me/assignments?when=upcoming", headers=headers).get_json()
    assert {item["id"] for item in body["items"]} == {mine, later}
    first = next(item for item in body["items"] if item["id"] == mine)
    assert first["needs"] == [{"code": "sign_language", "label": "Sign-language interpreter (Chinese Sign Language)",
                               "count": 2}]
    assert first["what_to_do"].startswith("Interpret") and first["status"] == "proposed"
    text = str(body)
    assert "孙某" not in text and "13788889999" not in text and theirs not in {i["id"] for i in body["items"]}

    accepted = client.post(f"/api/v1/me/assignments/{mine}/accept", headers=headers)
    assert accepted.status_code == 200 and accepted.get_json()["status"] == "accepted"
    assert client.post(f"/api/v1/me/assignments/{theirs}/accept", headers=headers).status_code == 404

    empty = client.post(f"/api/v1/me/assignments/{later}/decline", json={"reason": " "}, headers=headers)
    assert empty.status_code == 400 and "reason" in empty.get_json()["error"]["fields"]
    declined = client.post(f"/api/v1/me/assignments/{later}/decline", json={"reason": "出差"}, headers=headers)
    assert declined.status_code == 200 and declined.get_json()["decline_reason"] == "出差"
    again = client.post(f"/api/v1/me/assignments/{later}/accept", headers=headers)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "not_proposed"
    with app.app_context():
        assert db.session.scalar(sa.select(OutboxMessage.user_id).where(OutboxMessage.kind == "assignment_declined")) \
            == organizer
        assert db.session.get(Assignment, theirs).status == "proposed"


def test_residents_get_403_and_anonymous_401(app, client, make_user):
    assert client.get("/api/v1/me/assignments").status_code == 401
    assert client.get("/api/v1/teams").status_code == 401
    headers = bearer_for(app, make_user(roles=("resident",)))
    assert client.get("/api/v1/me/assignments", headers=headers).get_json()["error"]["code"] == "forbidden"
    assert client.get("/api/v1/teams", headers=headers).status_code == 403


def test_teams_and_team_detail(app, client, make_user, make_volunteer, make_team, give_skills):
    leader = make_user(roles=("team_leader", "volunteer"), name="刘队长")
    other_leader = make_user(roles=("team_leader", "volunteer"))
    member = make_volunteer("sighted_guide", name="队员甲")
    give_skills(member, "sign_language")  # declared without a qualification: does not count
    team = make_team(leader, members=[member], name="武昌同行队")
    make_team(other_leader, name="洪山爱心队", district_code="hongshan")
    with app.app_context():
        db.session.add(TeamTrainingCompletion(team_id=team, year=current_year()))
        db.session.commit()
    login(client, leader)
    listing = client.get("/api/v1/teams").get_json()
    assert listing["trained"] == 1 and listing["target"] == 30 and len(listing["items"]) == 2
    ours = next(t for t in listing["items"] if t["id"] == team)
    assert ours["training"]["state"] == "trained" and ours["leader"] == "刘队长"
    detail = client.get(f"/api/v1/teams/{team}").get_json()
    person = next(m for m in detail["members"] if m["name"] == "队员甲")
    assert person["skills"] == ["sighted_guide"] and sorted(person["declared_skills"]) == ["sighted_guide", "sign_language"]
    login(client, other_leader)
    assert client.get(f"/api/v1/teams/{team}").get_json()["members"] is None
    assert client.get("/api/v1/teams/999").status_code == 404
    assert client.get("/api/v1/teams?year=1999").status_code == 400


def test_assignment_suggestions_for_organizers_only(app, client, make_user, make_event, make_volunteer, register):
    organizer = make_user(roles=("organizer",), role_district_code="wuchang")
    elsewhere = make_user(roles=("organizer",), role_district_code="hongshan")
    event_id = make_event()
    for _ in range(3):
        register(event_id, ["sighted_guide"])
    guides = [make_volunteer("sighted_guide"), make_volunteer("sighted_guide")]
    login(client, elsewhere)
    assert client.get(f"/api/v1/events/{event_id}/assignment-suggestions").status_code == 403
    login(client, guides[0])
    assert client.get(f"/api/v1/events/{event_id}/assignment-suggestions").status_code == 403
    login(client, organizer)
    body = client.get(f"/api/v1/events/{event_id}/assignment-suggestions",
                      headers={"Accept-Language": "en"}).get_json()
    assert sorted(item["people"] for item in body["items"]) == [1, 2]
    assert {item["volunteer_id"] for item in body["items"]} == set(guides)
    assert any("covers 2 Sighted guide needs" in item["explanation"] for item in body["items"])
    assert body["unfilled"] == []
    assert client.get("/api/v1/events/999/assignment-suggestions").status_code == 404


def test_the_openapi_document_lists_the_volunteer_endpoints(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path, method in [("/api/v1/me/assignments", "get"), ("/api/v1/me/assignments/{assignment_id}/accept", "post"),
                         ("/api/v1/me/assignments/{assignment_id}/decline", "post"), ("/api/v1/teams", "get"),
                         ("/api/v1/teams/{team_id}", "get"),
                         ("/api/v1/events/{event_id}/assignment-suggestions", "get")]:
        assert method in paths.get(path, {}), f"{method.upper()} {path}"
