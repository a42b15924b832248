"""Volunteer teams and their members: creating teams, adding members, skills and qualifications.

Members must hold the volunteer (or team-leader) role: roles are granted by
administrators, so a leader cannot turn any account into a volunteer. The
leader is always a member of their own team.
"""
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from ..auth.models import TEAM_LEADER, User
from ..districts import District
from ..local_time import year_bounds
from .access import is_volunteer
from .errors import VolunteerError
from .models import TeamMembership, TrainingAttendance, VolunteerTeam
from .skills import set_declared_skills, skills_by_user
from .transactions import one_transaction

NAME_MAX = 120
NOTES_MAX = 500


def get_team(session, team_id):
    return session.scalar(
        sa.select(VolunteerTeam).options(joinedload(VolunteerTeam.district), joinedload(VolunteerTeam.leader))
        .where(VolunteerTeam.id == team_id)
    )


def all_teams(session):
    """Every team with its district and leader, ordered by district then name; one query."""
    return list(session.scalars(
        sa.select(VolunteerTeam).options(joinedload(VolunteerTeam.district), joinedload(VolunteerTeam.leader))
        .join(District, District.id == VolunteerTeam.district_id)
        .order_by(District.position, VolunteerTeam.name)
    ))


def _clean_name(session, name, team_id=None):
    name = (name or "").strip()
    if not name:
        raise VolunteerError(_l("Enter the team's name"), "name")
    if len(name) > NAME_MAX:
        raise VolunteerError(_l("The name must be 120 characters or fewer"), "name")
    clash = session.scalar(sa.select(VolunteerTeam.id).where(VolunteerTeam.name == name))
    if clash is not None and clash != team_id:
        raise VolunteerError(_l("There is already a team with this name"), "name")
    return name


def _check_leader(leader):
    if leader is None:
        raise VolunteerError(_l("There is no account with this mobile number or e-mail address"), "leader")
    if not leader.is_active or not leader.has_role(TEAM_LEADER):
        raise VolunteerError(_l("This person does not have the team-leader role. An administrator can give it."),
                             "leader")


@one_transaction
def create_team(session, name, district, leader):
    name = _clean_name(session, name)
    if district is None:
        raise VolunteerError(_l("Choose the team's district"), "district")
    _check_leader(leader)
    team = VolunteerTeam(name=name, district_id=district.id, leader_id=leader.id)
    session.add(team)
    session.flush()
    session.add(TeamMembership(team_id=team.id, user_id=leader.id))
    session.flush()
    return team


@one_transaction
def update_team(session, team, name, district, leader):
    name = _clean_name(session, name, team.id)
    if district is None:
        raise VolunteerError(_l("Choose the team's district"), "district")
    _check_leader(leader)
    team.name = name
    team.district_id = district.id
    team.district = district
    team.leader_id = leader.id
    team.leader = leader
    if membership_of(session, team.id, leader.id) is None:
        session.add(TeamMembership(team_id=team.id, user_id=leader.id))
    session.flush()
    return team


def membership_of(session, team_id, user_id):
    return session.scalar(
        sa.select(TeamMembership).options(joinedload(TeamMembership.user))
        .where(TeamMembership.team_id == team_id, TeamMembership.user_id == user_id)
    )


def _clean_notes(notes):
    notes = (notes or "").strip()
    if len(notes) > NOTES_MAX:
        raise VolunteerError(_l("The notes must be 500 characters or fewer"), "availability_notes")
    return notes


@one_transaction
def add_member(session, team, user, availability_notes="", skills=()):
    if user is None:
        raise VolunteerError(_l("There is no account with this mobile number or e-mail address"), "login")
    if not is_volunteer(user):
        raise VolunteerError(_l("This person is not registered as a volunteer. An administrator can give them the "
                                "volunteer role."), "login")
    if membership_of(session, team.id, user.id) is not None:
        raise VolunteerError(_l("This volunteer is already in the team"), "login")
    notes = _clean_notes(availability_notes)
    membership = TeamMembership(team_id=team.id, user_id=user.id, availability_notes=notes)
    session.add(membership)
    session.flush()
    set_declared_skills(session, user.id, skills)
    return membership


@one_transaction
def update_member(session, membership, availability_notes, skills):
    membership.availability_notes = _clean_notes(availability_notes)
    set_declared_skills(session, membership.user_id, skills)
    session.flush()
    return membership


@one_transaction
def remove_member(session, team, membership):
    if membership.user_id == team.leader_id:
        raise VolunteerError(_l("The leader cannot be removed. Choose another leader first."))
    session.delete(membership)
    session.flush()


@one_transaction
def remove_qualification(session, qualification):
    session.delete(qualification)
    session.flush()


@dataclass
class MemberView:
    membership: TeamMembership
    declared: set
    qualifications: list
    effective: set
    trainings_attended: int
    hours: float

    @property
    def user(self):
        return self.membership.user

    @property
    def unqualified(self):
        """Declared skills that do not count for want of a valid qualification."""
        return sorted(self.declared - self.effective)


def team_members(session, team, on_day, year, user_ids=None):
    """The team's members (or those of ``user_ids``) with skills, qualifications, training attended and
    hours in ``year``; four queries however many members."""
    from .models import Assignment, LIVE_STATUSES

    query = (
        sa.select(TeamMembership).options(joinedload(TeamMembership.user))
        .join(User, User.id == TeamMembership.user_id)
        .where(TeamMembership.team_id == team.id).order_by(User.display_name, User.id)
    )
    if user_ids is not None:
        query = query.where(TeamMembership.user_id.in_(user_ids))
    memberships = list(session.scalars(query))
    user_ids = [m.user_id for m in memberships]
    skills = skills_by_user(session, user_ids, on_day)
    start, end = year_bounds(year)
    attended, hours = {}, {}
    if user_ids:
        from ..events.models import Event

        attended = dict(session.execute(
            sa.select(TrainingAttendance.user_id, sa.func.count())
            .join(Event, Event.id == TrainingAttendance.event_id)
            .where(TrainingAttendance.user_id.in_(user_ids), Event.starts_at >= start, Event.starts_at < end)
            .group_by(TrainingAttendance.user_id)
        ).all())
        hours = {user_id: minutes / 60.0 for user_id, minutes in session.execute(
            sa.select(Assignment.volunteer_id, sa.func.sum(Assignment.served_minutes))
            .where(Assignment.volunteer_id.in_(user_ids), Assignment.status.in_(LIVE_STATUSES),
                   Assignment.served_confirmed.is_(True), Assignment.shift_start >= start, Assignment.shift_start < end)
            .group_by(Assignment.volunteer_id)
        )}
    return [
        MemberView(membership=m, declared=skills[m.user_id][0], qualifications=skills[m.user_id][1],
                   effective=skills[m.user_id][2], trainings_attended=attended.get(m.user_id, 0),
                   hours=hours.get(m.user_id, 0.0))
        for m in memberships
    ]
