"""Fixtures for the volunteer tests: registrations with needs, teams, shifts."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from activity_hub.districts import District
from activity_hub.events.models import Event, Registration
from activity_hub.extensions import db
from activity_hub.volunteers.models import Assignment, Qualification, TeamMembership, VolunteerSkill, VolunteerTeam


def _district_id(code):
    return db.session.scalar(sa.select(District.id).where(District.code == code))


@pytest.fixture
def register(app, make_user):
    """register(event_id, needs=(), status="confirmed", name=None) -> registration id (a new resident each time)."""

    def factory(event_id, needs=(), status="confirmed", name=None, **fields):
        user_id = make_user(roles=("resident",), name=name)
        with app.app_context():
            registration = Registration(event_id=event_id, user_id=user_id, status=status, **fields)
            registration.set_needs(needs)
            db.session.add(registration)
            db.session.commit()
            return registration.id

    return factory


@pytest.fixture
def make_team(app):
    """make_team(leader_id, members=(), district_code="wuchang", name=None) -> team id (leader is a member)."""

    def factory(leader_id, members=(), district_code="wuchang", name=None):
        with app.app_context():
            team = VolunteerTeam(name=name or f"志愿队-{leader_id}-{district_code}",
                                 district_id=_district_id(district_code), leader_id=leader_id)
            db.session.add(team)
            db.session.flush()
            for user_id in {leader_id, *members}:
                db.session.add(TeamMembership(team_id=team.id, user_id=user_id))
            db.session.commit()
            return team.id

    return factory


@pytest.fixture
def give_skills(app):
    """give_skills(user_id, *codes, qualified_until=date) — declared skills, plus qualifications for those
    that need one when ``qualified_until`` is given."""

    def factory(user_id, *codes, qualified_until=None):
        with app.app_context():
            for code in codes:
                db.session.add(VolunteerSkill(user_id=user_id, code=code))
                if qualified_until is not None and code in ("sign_language", "first_aid"):
                    db.session.add(Qualification(user_id=user_id, skill=code, title="资格证书",
                                                 expires_on=qualified_until))
            db.session.commit()

    return factory


@pytest.fixture
def make_volunteer(make_user, give_skills):
    """make_volunteer(*skills, district_code="wuchang", qualified=True, **user fields) -> user id."""

    def factory(*skills, district_code="wuchang", qualified=True, **fields):
        user_id = make_user(roles=("volunteer",), district_code=district_code, **fields)
        if skills:
            give_skills(user_id, *skills, qualified_until=date.today() + timedelta(days=3650) if qualified else None)
        return user_id

    return factory


@pytest.fixture
def make_shift(app):
    """make_shift(event_id, volunteer_id, status="proposed", skill=None, served_minutes=None, created_by_id=None,
    start_offset=timedelta(minutes=-30)) -> assignment id, straight into the table (no service rules)."""

    def factory(event_id, volunteer_id, status="proposed", skill=None, served_minutes=None, created_by_id=None,
                role="志愿者", team_id=None):
        with app.app_context():
            event = db.session.get(Event, event_id)
            assignment = Assignment(
                event_id=event_id, volunteer_id=volunteer_id, role=role, skill=skill, status=status,
                shift_start=event.starts_at - timedelta(minutes=30), shift_end=event.ends_at,
                served_confirmed=served_minutes is not None, served_minutes=served_minutes,
                created_by_id=created_by_id, team_id=team_id,
                decline_reason="有事" if status == "declined" else "",
            )
            db.session.add(assignment)
            db.session.commit()
            return assignment.id

    return factory
