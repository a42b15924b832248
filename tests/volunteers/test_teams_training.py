"""Teams, skills and qualifications, training state and the teams page."""
from datetime import date, timedelta

import sqlalchemy as sa

from activity_hub.auth.models import User
from activity_hub.events.models import Event
from activity_hub.extensions import db
from activity_hub.volunteers import skills, training
from activity_hub.volunteers.models import (
    TeamMembership, TeamTrainingCompletion, TrainingAttendance, TrainingEnrolment, VolunteerTeam,
)
from activity_hub.volunteers.years import current_year, local_date
from tests.conftest import login

from tests.conftest import recorded_statements


class Q:
    def __init__(self, skill, expires_on):
        self.skill, self.expires_on = skill, expires_on


def test_skills_needing_a_qualification_count_only_while_it_is_valid():
    today = date(2026, 5, 16)
    declared = {"sign_language", "sighted_guide", "first_aid"}
    assert skills.effective_skills(declared, [], today) == {"sighted_guide"}
    valid = Q("sign_language", today)  # valid up to and including its expiry date
    expired = Q("first_aid", today - timedelta(days=1))
    assert skills.effective_skills(declared, [valid, expired], today) == {"sighted_guide", "sign_language"}
    assert skills.effective_skills(declared, [valid], today + timedelta(days=1)) == {"sighted_guide"}
    # A valid qualification counts even if the skill was not declared.
    assert skills.effective_skills(set(), [Q("legal_aid", today)], today) == {"legal_aid"}


def test_matching_checks_qualifications_on_the_event_day(app, app_ctx, make_volunteer):
    volunteer = make_volunteer("sign_language")  # qualified for ten years
    from activity_hub.volunteers.models import Qualification

    db.session.execute(sa.update(Qualification).values(expires_on=date.today() + timedelta(days=5)))
    db.session.commit()
    assert volunteer in skills.volunteers_with_skills(db.session, {"sign_language"}, date.today() + timedelta(days=5))
    assert volunteer not in skills.volunteers_with_skills(db.session, {"sign_language"}, date.today() + timedelta(days=6))


def test_training_state_is_proposed_at_two_thirds_and_counts_when_marked(app, client, make_user, make_volunteer,
                                                                        make_team, make_event):
    organizer = make_user(roles=("organizer",), role_district_code="wuchang")
    leader = make_user(roles=("team_leader", "volunteer"))
    members = [make_volunteer() for _ in range(5)]
    team = make_team(leader, members=members)  # 6 members with the leader
    session_id = make_event(category="training", title="集中培训", starts_in=timedelta(hours=-1))
    with app.app_context():
        year = local_date(db.session.get(Event, session_id).starts_at).year
    login(client, leader)
    future = make_event(category="training", title="下次培训", starts_in=timedelta(days=30))
    assert client.post(f"/volunteers/teams/{team}/training/enrol", data={"event": str(future)}).status_code == 302
    with app.app_context():
        db.session.add(TrainingEnrolment(team_id=team, event_id=session_id))
        db.session.commit()
    login(client, organizer)
    url = f"/volunteers/training/{session_id}/attendance"
    assert client.post(url, data={"attended": [str(u) for u in [leader] + members[:2]]}).status_code == 302
    with app.app_context():
        state = training.training_states(db.session, year, [team])[team]
        assert (state.attended, state.members, state.state) == (3, 6, training.IN_TRAINING)
    assert client.post(url, data={"attended": [str(u) for u in [leader] + members[:3]]}).status_code == 302
    with app.app_context():
        state = training.training_states(db.session, year, [team])[team]
        assert (state.attended, state.state) == (4, training.PROPOSED)
        assert training.trained_count(db.session, year) == 0
    client.set_cookie("lang", "en")
    page = client.get(f"/volunteers/teams/{team}?year={year}").get_data(as_text=True)
    assert "Ready to be marked trained" in page and "4 of 6 members attended" in page
    complete = f"/volunteers/teams/{team}/training/{year}/complete"
    assert client.get(complete).status_code == 200
    assert client.post(complete, data={"action": "mark"}).status_code == 302
    with app.app_context():
        assert training.trained_count(db.session, year) == 1
    assert f"Trained in {year}: 1 / 30 teams" in client.get(f"/volunteers/teams?year={year}").get_data(as_text=True)
    assert client.post(complete, data={"action": "unmark"}).status_code == 302
    with app.app_context():
        assert training.trained_count(db.session, year) == 0


def test_attendance_only_for_members_of_enrolled_teams(app, client, make_user, make_volunteer, make_team, make_event):
    organizer = make_user(roles=("organizer",), role_district_code="wuchang")
    leader = make_user(roles=("team_leader", "volunteer"))
    outsider = make_volunteer()
    team = make_team(leader)
    session_id = make_event(category="training", starts_in=timedelta(hours=-2))
    with app.app_context():
        db.session.add(TrainingEnrolment(team_id=team, event_id=session_id))
        db.session.commit()
    login(client, organizer)
    response = client.post(f"/volunteers/training/{session_id}/attendance",
                           data={"attended": [str(leader), str(outsider)]})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(TrainingAttendance)) == 0


def _bulk_teams(count, start=0):
    """Teams with a leader, two members, attendance and some completions, inserted directly."""
    from activity_hub.auth.models import RoleGrant
    from activity_hub.districts import District

    districts = db.session.scalars(sa.select(District.id).order_by(District.position)).all()
    training_event = db.session.scalar(sa.select(Event.id).where(Event.category == "training"))
    for n in range(start, start + count):
        people = [User(phone=f"137{n:04d}{k:04d}", display_name=f"队员{n}-{k}", password_hash="x") for k in range(3)]
        db.session.add_all(people)
        db.session.flush()
        for person in people:
            db.session.add(RoleGrant(user_id=person.id, role="volunteer"))
        db.session.add(RoleGrant(user_id=people[0].id, role="team_leader"))
        team = VolunteerTeam(name=f"批量队{n}", district_id=districts[n % len(districts)], leader_id=people[0].id)
        db.session.add(team)
        db.session.flush()
        for person in people:
            db.session.add(TeamMembership(team_id=team.id, user_id=person.id))
        db.session.add(TrainingAttendance(event_id=training_event, user_id=people[1].id))
        if n % 3 == 0:
            db.session.add(TeamTrainingCompletion(team_id=team.id, year=current_year()))
    db.session.commit()


def test_teams_page_query_count_does_not_grow_with_teams(app, client, make_user, make_event):
    organizer = make_user(roles=("organizer",))
    make_event(category="training", starts_in=timedelta(hours=-1))
    login(client, organizer)
    counts = []
    for total in (5, 40):
        with app.app_context():
            existing = db.session.scalar(sa.select(sa.func.count()).select_from(VolunteerTeam))
            _bulk_teams(total - existing, start=existing)
        with app.app_context(), recorded_statements(app, transaction_control=False) as queries:
            response = client.get("/volunteers/teams")
        assert response.status_code == 200
        assert response.get_data(as_text=True).count("批量队") == total
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_new_team_by_an_organizer_with_a_leader_who_holds_the_role(app, client, make_user):
    organizer = make_user(roles=("organizer",), role_district_code="wuchang")
    make_user(roles=("team_leader", "volunteer"), login="13900002222")
    make_user(roles=("volunteer",), login="13900003333")
    login(client, organizer)
    district = str(_district_id(app, "wuchang"))
    not_leader = client.post("/volunteers/teams/new", data={"name": "武昌助残队", "district": district,
                                                            "leader": "13900003333"})
    assert not_leader.status_code == 400 and 'id="leader-error"' in not_leader.get_data(as_text=True)
    other_district = client.post("/volunteers/teams/new", data={"name": "洪山队", "district": str(_district_id(app, "hongshan")),
                                                                "leader": "13900002222"})
    assert other_district.status_code == 400  # not among the choices for a Wuchang organizer
    assert client.post("/volunteers/teams/new", data={"name": "武昌助残队", "district": district,
                                                      "leader": "13900002222"}).status_code == 302
    with app.app_context():
        team = db.session.scalar(sa.select(VolunteerTeam))
        assert team.name == "武昌助残队"
        assert db.session.scalar(sa.select(sa.func.count()).select_from(TeamMembership)) == 1  # the leader


def _district_id(app, code):
    from activity_hub.districts import District

    with app.app_context():
        return db.session.scalar(sa.select(District.id).where(District.code == code))
