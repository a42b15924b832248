"""Factories for the volunteer tests (teams, members, assignments)."""
from datetime import date, timedelta

import sqlalchemy as sa

from activity_hub.auth.models import User
from activity_hub.districts import District
from activity_hub.extensions import db
from activity_hub.volunteers.models import Qualification, TeamMembership, VolunteerSkill, VolunteerTeam


def district_id(code="wuchang"):
    return db.session.scalar(sa.select(District.id).where(District.code == code))


def make_team(leader_id, name=None, district_code="wuchang", members=()):
    team = VolunteerTeam(name=name or f"志愿队{leader_id}-{district_code}", district_id=district_id(district_code),
                         leader_id=leader_id)
    db.session.add(team)
    db.session.flush()
    for user_id in members:
        db.session.add(TeamMembership(team_id=team.id, user_id=user_id))
    db.session.commit()
    return team.id


def give_skills(user_id, *codes, qualified_until=None):
    for code in codes:
        db.session.add(VolunteerSkill(user_id=user_id, code=code))
        if qualified_until is not None and code in ("sign_language", "first_aid"):
            db.session.add(Qualification(user_id=user_id, skill=code, title="证书", expires_on=qualified_until))
    db.session.commit()


def far_future():
    return date.today() + timedelta(days=3650)


def user(user_id):
    return db.session.get(User, user_id)


class QueryCounter:
    """Counts SQL statements sent to the database (transaction control left out)."""

    def __init__(self):
        self.statements = []

    def _listener(self, conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")):
            self.statements.append(statement)

    def __enter__(self):
        sa.event.listen(db.engine, "before_cursor_execute", self._listener)
        return self

    def __exit__(self, *exc):
        sa.event.remove(db.engine, "before_cursor_execute", self._listener)

    @property
    def count(self):
        return len(self.statements)
