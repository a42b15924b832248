"""The demo data: 30 teams with training states, projects, the demo volunteer's shifts; idempotent."""
import sqlalchemy as sa

from activity_hub.auth.models import User
from activity_hub.demo_data import seed_demo
from activity_hub.events.models import Event, Registration
from activity_hub.extensions import db
from activity_hub.volunteers import matching, training
from activity_hub.volunteers.models import (
    AssistanceProject, Assignment, Qualification, TeamMembership, TrainingAttendance, VolunteerSkill, VolunteerTeam,
)
from activity_hub.volunteers.years import local_today
from tests.conftest import login

MODELS = (User, VolunteerTeam, TeamMembership, VolunteerSkill, Qualification, TrainingAttendance, AssistanceProject,
          Assignment, Event, Registration)


def counts():
    return {m.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in MODELS}


def test_demo_volunteer_data_is_complete_and_idempotent(app, client):
    with app.app_context():
        seed_demo(db.session, today=local_today())
        db.session.commit()
        first = counts()
        seed_demo(db.session, today=local_today())
        db.session.commit()
        assert counts() == first
        assert first["VolunteerTeam"] == 30 and first["AssistanceProject"] >= 5
        assert len({t.district_id for t in db.session.scalars(sa.select(VolunteerTeam))}) == 16
        states = training.training_states(db.session, local_today().year)
        kinds = {state.state for state in states.values()}
        assert {training.TRAINED, training.PROPOSED, training.NOT_STARTED} <= kinds
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Event).where(Event.category == "training")) >= 3

        leader = db.session.scalar(sa.select(User).where(User.phone == "13800000003"))
        volunteer = db.session.scalar(sa.select(User).where(User.phone == "13800000002"))
        team = db.session.scalar(sa.select(VolunteerTeam).where(VolunteerTeam.leader_id == leader.id))
        assert team.district.code == "wuchang"
        assert volunteer.id in {m.user_id for m in team.memberships}
        shifts = db.session.scalars(sa.select(Assignment).where(Assignment.volunteer_id == volunteer.id)).all()
        assert len(shifts) >= 2
        staffed = next(a.event for a in shifts if a.status == "proposed")
        suggestion = matching.suggest_assignments(db.session, staffed)
        assert {s.skill for s in suggestion.suggestions} >= {"sign_language"}
        organizer = db.session.scalar(sa.select(User.id).where(User.phone == "13800000004"))
        volunteer_id, staffed_id = volunteer.id, staffed.id

    login(client, organizer)
    assert client.get(f"/volunteers/events/{staffed_id}/suggestions").status_code == 200
    teams_page = client.get("/volunteers/teams").get_data(as_text=True)
    assert "12 / 30" in teams_page
    login(client, volunteer_id)
    page = client.get("/volunteers/my").get_data(as_text=True)
    assert staffed.title in page and "演示居民" not in page
