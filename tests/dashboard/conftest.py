"""Builders for the dashboard tests: events held or not, registrations with check-ins, needs,
companions, volunteer teams, training, projects and confirmed hours, all in the year asked."""
import itertools
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from activity_hub.extensions import db

SHANGHAI = ZoneInfo("Asia/Shanghai")
_numbers = itertools.count(1)


def _district(code):
    from activity_hub.districts import District

    return db.session.scalar(sa.select(District).where(District.code == code))


class PlanData:
    """Rows written straight to the database (the services that normally write them are
    tested elsewhere); call inside an app context, then ``db.session.commit()``."""

    def resident(self, district_code="wuchang", name=None):
        from activity_hub.auth.models import RoleGrant, User

        n = next(_numbers)
        user = User(phone=f"137{n:08d}", display_name=name or f"居民{n}", password_hash="not-a-real-hash",
                    district=_district(district_code), default_needs=[])
        user.role_grants.append(RoleGrant(role="resident"))
        db.session.add(user)
        db.session.flush()
        return user

    def event(self, when=None, category="culture", district_code="wuchang", status="completed", provisions=()):
        from activity_hub.events.models import Event

        starts = when or datetime(2021, 3, 10, 10, tzinfo=SHANGHAI)
        event = Event(title=f"活动{next(_numbers)}", category=category, district=_district(district_code),
                      online_url="https://example.org/live", starts_at=starts, ends_at=starts + timedelta(hours=2),
                      capacity=500, wheelchair_spaces=0, max_companions=3, status=status)
        event.set_provisions(provisions)
        db.session.add(event)
        db.session.flush()
        return event

    def attend(self, event, checked_in=True, companions=0, needs=(), status="confirmed", user=None):
        from activity_hub.events.models import Registration

        registration = Registration(event=event, user=user or self.resident(), status=status, companions=companions,
                                    checked_in_at=event.starts_at if checked_in else None)
        registration.set_needs(needs)
        db.session.add(registration)
        db.session.flush()
        return registration

    def held(self, when=None, attendees=1, **fields):
        event = self.event(when=when, **fields)
        for _ in range(attendees):
            self.attend(event)
        return event

    def team(self, district_code="wuchang", name=None):
        from activity_hub.volunteers.models import VolunteerTeam

        team = VolunteerTeam(name=name or f"志愿者队{next(_numbers)}", district=_district(district_code),
                             leader_id=self.resident(district_code).id)
        db.session.add(team)
        db.session.flush()
        return team

    def trained(self, team, year):
        from activity_hub.volunteers.models import TeamTrainingCompletion

        db.session.add(TeamTrainingCompletion(team_id=team.id, year=year))
        db.session.flush()

    def project(self, stage, proposed_on=date(2021, 1, 5), incubating_on=None, launched_on=None,
                district_code="wuchang"):
        from activity_hub.volunteers.models import AssistanceProject

        project = AssistanceProject(name=f"助残项目{next(_numbers)}", organisation="社会组织", stage=stage,
                                    district=_district(district_code) if district_code else None,
                                    proposed_on=proposed_on, incubating_on=incubating_on, launched_on=launched_on)
        db.session.add(project)
        db.session.flush()
        return project

    def assignment(self, event, skill=None, status="accepted", team=None, served_minutes=None, volunteer=None):
        from activity_hub.volunteers.models import Assignment

        assignment = Assignment(
            event_id=event.id, volunteer_id=(volunteer or self.resident()).id, team_id=team.id if team else None,
            role="现场志愿者", skill=skill, shift_start=event.starts_at, shift_end=event.ends_at, status=status,
            served_confirmed=served_minutes is not None, served_minutes=served_minutes,
        )
        db.session.add(assignment)
        db.session.flush()
        return assignment

    def target(self, key="legal_sessions", measure="legal_sessions_held", target=50, year=2021, unit="sessions",
               manual_actual=None, label_zh=None, label_en=None):
        from activity_hub.dashboard.models import PlanTarget

        row = PlanTarget(year=year, key=key, label_zh=label_zh or f"目标{key}", label_en=label_en or f"Target {key}",
                         target=target, unit=unit, measure=measure, manual_actual=manual_actual)
        db.session.add(row)
        db.session.flush()
        return row


@pytest.fixture
def plan(app_ctx):
    return PlanData()


def at(year, month, day, hour=10, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)
