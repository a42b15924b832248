"""Bad input on every volunteer form: HTTP 400, the message beside the field, and nothing written."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from activity_hub.extensions import db
from activity_hub.volunteers.models import (
    AssistanceProject, Assignment, Qualification, TeamMembership, TrainingEnrolment, VolunteerSkill, VolunteerTeam,
)
from tests.conftest import login


def snapshot(app):
    with app.app_context():
        return {model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
                for model in (VolunteerTeam, TeamMembership, VolunteerSkill, Qualification, TrainingEnrolment,
                              Assignment, AssistanceProject)}


@pytest.fixture
def scene(app, make_user, make_volunteer, make_team, make_event):
    organizer = make_user(roles=("organizer",), role_district_code="wuchang")
    leader = make_user(roles=("team_leader", "volunteer"), login="13900005555")
    member = make_volunteer("sighted_guide", login="13900006666")
    make_user(roles=("resident",), login="13900007777")
    team = make_team(leader, members=[member], name="原有的队")
    event = make_event(title="周六活动")
    return {"organizer": organizer, "leader": leader, "member": member, "team": team, "event": event}


def _post_and_check(client, app, url, data, field, message_part=None):
    client.set_cookie("lang", "en")
    before = snapshot(app)
    response = client.post(url, data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400, (url, data)
    assert f'id="{field}-error"' in html, (url, field)
    assert "<title>Error:" in html
    assert 'class="error-summary"' in html and f'href="#{field}"' in html
    if message_part:
        assert message_part in html
    assert snapshot(app) == before


def test_team_forms(app, client, scene):
    login(client, scene["organizer"])
    client.set_cookie("lang", "en")
    district = _wuchang(app)
    _post_and_check(client, app, "/volunteers/teams/new", {"name": "", "district": district, "leader": "13900005555"},
                    "name", "Enter the team")
    _post_and_check(client, app, "/volunteers/teams/new", {"name": "原有的队", "district": district,
                                                           "leader": "13900005555"}, "name", "already a team")
    _post_and_check(client, app, "/volunteers/teams/new", {"name": "新队", "district": "", "leader": "13900005555"},
                    "district")
    _post_and_check(client, app, "/volunteers/teams/new", {"name": "新队", "district": district, "leader": "13900009999"},
                    "leader", "no account")
    _post_and_check(client, app, f"/volunteers/teams/{scene['team']}/edit",
                    {"name": "x" * 121, "district": district, "leader": "13900005555"}, "name", "120 characters")


def test_member_and_qualification_forms(app, client, scene):
    login(client, scene["leader"])
    client.set_cookie("lang", "en")
    team = scene["team"]
    _post_and_check(client, app, f"/volunteers/teams/{team}/members/new", {"login": ""}, "login")
    _post_and_check(client, app, f"/volunteers/teams/{team}/members/new", {"login": "13900007777"}, "login",
                    "not registered as a volunteer")
    _post_and_check(client, app, f"/volunteers/teams/{team}/members/new", {"login": "13900006666"}, "login",
                    "already in the team")
    _post_and_check(client, app, f"/volunteers/teams/{team}/members/new",
                    {"login": "13900005555", "skills": ["juggling"]}, "skills")
    _post_and_check(client, app, f"/volunteers/teams/{team}/members/{scene['member']}",
                    {"availability_notes": "x" * 501}, "availability_notes", "500 characters")
    url = f"/volunteers/teams/{team}/members/{scene['member']}/qualifications/new"
    _post_and_check(client, app, url, {"skill": "sign_language", "title": "手语证", "expires_on": "2027-02-30"},
                    "expires_on", "real date")
    _post_and_check(client, app, url, {"skill": "sign_language", "title": "手语证", "expires_on": ""}, "expires_on")
    _post_and_check(client, app, url, {"skill": "sign_language", "title": "手语证", "issued_on": "2026-01-01",
                                       "expires_on": "2025-12-31"}, "expires_on", "on or after")
    _post_and_check(client, app, url, {"skill": "", "title": "手语证", "expires_on": "2027-01-01"}, "skill")
    _post_and_check(client, app, url, {"skill": "sign_language", "title": "", "expires_on": "2027-01-01"}, "title")
    # The leader cannot be removed: the confirmation page says why, nothing changes.
    before = snapshot(app)
    response = client.post(f"/volunteers/teams/{team}/members/{scene['leader']}/remove")
    assert response.status_code == 400 and "cannot be removed" in response.get_data(as_text=True)
    assert snapshot(app) == before


def test_training_enrol_form(app, client, scene):
    login(client, scene["leader"])
    team = scene["team"]
    _post_and_check(client, app, f"/volunteers/teams/{team}/training/enrol", {"event": ""}, "event")
    _post_and_check(client, app, f"/volunteers/teams/{team}/training/enrol", {"event": str(scene["event"])}, "event")


def test_assign_form(app, client, scene):
    login(client, scene["organizer"])
    client.set_cookie("lang", "en")
    url = f"/volunteers/events/{scene['event']}/assign"
    good = {"volunteer": "13900006666", "role": "引导员", "skill": "sighted_guide",
            "shift_start": "2020-01-01T09:00", "shift_end": "2020-01-01T12:00"}
    _post_and_check(client, app, url, {**good, "volunteer": "13900007777"}, "volunteer", "not registered")
    _post_and_check(client, app, url, {**good, "role": ""}, "role")
    _post_and_check(client, app, url, {**good, "skill": "juggling"}, "skill")
    _post_and_check(client, app, url, {**good, "shift_start": "tomorrow"}, "shift_start", "like 2026-05-16 13:30")
    _post_and_check(client, app, url, {**good, "shift_end": "2020-01-01T08:00"}, "shift_end", "end after it starts")
    _post_and_check(client, app, url, good, "shift_start", "between 12 hours before")


def test_decline_and_served_forms(app, client, scene, make_shift, make_event):
    assignment = make_shift(scene["event"], scene["member"])
    past = make_event(starts_in=timedelta(days=-1))
    make_shift(past, scene["member"], status="accepted")
    login(client, scene["member"])
    _post_and_check(client, app, f"/volunteers/my/{assignment}/decline", {"reason": "x" * 501}, "reason")
    login(client, scene["organizer"])
    _post_and_check(client, app, f"/volunteers/events/{past}/served", {"served": ["999"]}, "served")
    _post_and_check(client, app, f"/volunteers/events/{scene['event']}/served", {"served": [str(assignment)]},
                    "served")
    _post_and_check(client, app, f"/volunteers/events/{scene['event']}/suggestions", {}, "picks")
    _post_and_check(client, app, f"/volunteers/events/{scene['event']}/suggestions", {"picks": ["nonsense"]}, "picks")


def test_project_forms(app, client, scene):
    login(client, scene["organizer"])
    client.set_cookie("lang", "en")
    district = _wuchang(app)
    good = {"name": "盲人出行陪伴", "team": str(scene["team"]), "organisation": "", "district": district,
            "description": "陪同视障人士出行", "stage": "incubating", "proposed_on": "2024-03-01",
            "incubating_on": "2024-04-01"}
    _post_and_check(client, app, "/volunteers/projects/new", {**good, "name": ""}, "name")
    _post_and_check(client, app, "/volunteers/projects/new", {**good, "team": "", "organisation": ""},
                    "organisation", "Choose the team")
    _post_and_check(client, app, "/volunteers/projects/new", {**good, "stage": "dreaming"}, "stage")
    _post_and_check(client, app, "/volunteers/projects/new", {**good, "launched_on": "2024-05-01"}, "launched_on",
                    "Leave this date empty")
    _post_and_check(client, app, "/volunteers/projects/new", {**good, "incubating_on": "2024-02-01"},
                    "incubating_on", "before the dates")
    _post_and_check(client, app, "/volunteers/projects/new",
                    {**good, "incubating_on": (date.today() + timedelta(days=3)).isoformat()}, "incubating_on",
                    "future")
    assert client.post("/volunteers/projects/new", data=good).status_code == 302
    with app.app_context():
        project = db.session.scalar(sa.select(AssistanceProject))
        assert (project.stage, project.incubating_on, project.district_id) == ("incubating", date(2024, 4, 1),
                                                                               int(district))
        project_id = project.id
    edit = f"/volunteers/projects/{project_id}/edit"
    assert client.get(edit).status_code == 200
    _post_and_check(client, app, edit, {**good, "stage": "launched", "launched_on": "2024-03-15"}, "launched_on")
    assert client.post(edit, data={**good, "stage": "launched", "launched_on": ""}).status_code == 302
    with app.app_context():
        project = db.session.get(AssistanceProject, project_id)
        assert project.stage == "launched" and project.launched_on is not None


def _wuchang(app):
    from activity_hub.districts import District

    with app.app_context():
        return str(db.session.scalar(sa.select(District.id).where(District.code == "wuchang")))
