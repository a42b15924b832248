"""Training toward the plan's target of trained volunteer teams.

Training sessions are events of category ``training``. A leader (or organizer)
enrols the team; the organizer records which members attended. A team counts as
trained in a year only when an organizer marks its training complete for that
year; the site proposes it once at least two thirds of the team's members
attended a training session that year (any training session, Asia/Shanghai year).
"""
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from ..db_types import utcnow
from ..events.models import CANCELLED as EVENT_CANCELLED, Event
from ..local_time import year_bounds
from .errors import VolunteerError
from .models import TeamMembership, TeamTrainingCompletion, TrainingAttendance, TrainingEnrolment, VolunteerTeam
from .transactions import one_transaction

TRAINING = "training"
# The 2021 plan trains 30 teams a year; the dashboard issue will make targets data.
TRAINED_TEAMS_TARGET = 30
# Share of members who must have attended before completion is proposed.
PROPOSE_SHARE = Fraction(2, 3)

TRAINED, PROPOSED, IN_TRAINING, ENROLLED, NOT_STARTED = "trained", "proposed", "in_training", "enrolled", "not_started"


@dataclass
class TrainingState:
    team_id: int
    members: int
    attended: int
    enrolments: int
    marked: bool

    @property
    def meets_share(self):
        return self.members > 0 and Fraction(self.attended, self.members) >= PROPOSE_SHARE

    @property
    def state(self):
        if self.marked:
            return TRAINED
        if self.meets_share:
            return PROPOSED
        if self.attended:
            return IN_TRAINING
        if self.enrolments:
            return ENROLLED
        return NOT_STARTED


def state_label(state):
    labels = {
        TRAINED: _l("Trained"),
        PROPOSED: _l("Ready to be marked trained"),
        IN_TRAINING: _l("In training"),
        ENROLLED: _l("Enrolled, no attendance yet"),
        NOT_STARTED: _l("Not started"),
    }
    return labels.get(state, state)


def training_states(session, year, team_ids=None):
    """{team id: TrainingState} for ``year`` in four queries, however many teams."""
    start, end = year_bounds(year)

    def scoped(query, column):
        return query.where(column.in_(team_ids)) if team_ids is not None else query

    members = Counter(dict(session.execute(scoped(
        sa.select(TeamMembership.team_id, sa.func.count()).group_by(TeamMembership.team_id), TeamMembership.team_id
    )).all()))
    attended_members = (
        sa.select(TeamMembership.team_id, sa.func.count(sa.distinct(TeamMembership.user_id)))
        .join(TrainingAttendance, TrainingAttendance.user_id == TeamMembership.user_id)
        .join(Event, Event.id == TrainingAttendance.event_id)
        .where(Event.category == TRAINING, Event.starts_at >= start, Event.starts_at < end)
        .group_by(TeamMembership.team_id)
    )
    attended = Counter(dict(session.execute(scoped(attended_members, TeamMembership.team_id)).all()))
    enrolments = Counter(dict(session.execute(scoped(
        sa.select(TrainingEnrolment.team_id, sa.func.count())
        .join(Event, Event.id == TrainingEnrolment.event_id)
        .where(Event.starts_at >= start, Event.starts_at < end, Event.status != EVENT_CANCELLED)
        .group_by(TrainingEnrolment.team_id), TrainingEnrolment.team_id
    )).all()))
    marked = set(session.scalars(scoped(
        sa.select(TeamTrainingCompletion.team_id).where(TeamTrainingCompletion.year == year),
        TeamTrainingCompletion.team_id,
    )))
    ids = team_ids if team_ids is not None else session.scalars(sa.select(VolunteerTeam.id))
    return {
        team_id: TrainingState(team_id=team_id, members=members[team_id], attended=attended[team_id],
                               enrolments=enrolments[team_id], marked=team_id in marked)
        for team_id in ids
    }


def trained_by_district(session, year):
    """{district id: teams marked trained for ``year``}, in one query: the figure the plan counts
    (the dashboard's ``teams_trained`` measure shows it)."""
    rows = session.execute(
        sa.select(VolunteerTeam.district_id, sa.func.count(sa.distinct(TeamTrainingCompletion.team_id)))
        .join(VolunteerTeam, VolunteerTeam.id == TeamTrainingCompletion.team_id)
        .where(TeamTrainingCompletion.year == year)
        .group_by(VolunteerTeam.district_id)
    )
    return {district_id: int(count) for district_id, count in rows}


def trained_count(session, year):
    """Teams marked trained in ``year``, city-wide."""
    return sum(trained_by_district(session, year).values())


def training_events(session, upcoming_from=None, year=None):
    """Training sessions (not cancelled), soonest first; from a time on, or within a year."""
    query = (sa.select(Event).options(joinedload(Event.venue), joinedload(Event.district))
             .where(Event.category == TRAINING, Event.status != EVENT_CANCELLED).order_by(Event.starts_at, Event.id))
    if upcoming_from is not None:
        query = query.where(Event.ends_at >= upcoming_from)
    if year is not None:
        start, end = year_bounds(year)
        query = query.where(Event.starts_at >= start, Event.starts_at < end)
    return list(session.scalars(query).unique())


@one_transaction
def enrol_team(session, team, event, by=None, now=None):
    now = now or utcnow()
    if event is None or event.category != TRAINING:
        raise VolunteerError(_l("Choose a training session"), "event")
    if event.status == EVENT_CANCELLED:
        raise VolunteerError(_l("This training session has been cancelled"), "event")
    if event.ends_at <= now:
        raise VolunteerError(_l("This training session is over"), "event")
    exists = session.scalar(sa.select(TrainingEnrolment.id).where(
        TrainingEnrolment.team_id == team.id, TrainingEnrolment.event_id == event.id))
    if exists is not None:
        raise VolunteerError(_l("The team is already enrolled in this session"), "event")
    enrolment = TrainingEnrolment(team_id=team.id, event_id=event.id, enrolled_by_id=getattr(by, "id", None))
    session.add(enrolment)
    session.flush()
    return enrolment


def team_enrolments(session, team_id):
    return list(session.scalars(
        sa.select(TrainingEnrolment).options(joinedload(TrainingEnrolment.event).joinedload(Event.venue))
        .join(Event, Event.id == TrainingEnrolment.event_id)
        .where(TrainingEnrolment.team_id == team_id).order_by(Event.starts_at.desc())
    ).unique())


def attendance_roster(session, event):
    """[(team, [membership...])] for the teams enrolled in ``event``, and the set of user ids who attended."""
    teams = list(session.scalars(
        sa.select(VolunteerTeam).join(TrainingEnrolment, TrainingEnrolment.team_id == VolunteerTeam.id)
        .where(TrainingEnrolment.event_id == event.id).order_by(VolunteerTeam.name)
    ))
    from ..auth.models import User

    memberships = list(session.scalars(
        sa.select(TeamMembership).options(joinedload(TeamMembership.user))
        .join(User, User.id == TeamMembership.user_id)
        .where(TeamMembership.team_id.in_([t.id for t in teams])).order_by(User.display_name, User.id)
    )) if teams else []
    by_team = {team.id: [] for team in teams}
    for membership in memberships:
        by_team[membership.team_id].append(membership)
    attended = set(session.scalars(sa.select(TrainingAttendance.user_id).where(TrainingAttendance.event_id == event.id)))
    return [(team, by_team[team.id]) for team in teams], attended


@one_transaction
def record_attendance(session, event, attended_user_ids, by=None, now=None):
    """Set exactly who attended ``event`` among the members of its enrolled teams."""
    now = now or utcnow()
    if event.category != TRAINING:
        raise VolunteerError(_l("Attendance is recorded for training sessions only"))
    if event.starts_at > now:
        raise VolunteerError(_l("Attendance can be recorded once the session has started"), "attended")
    roster, already = attendance_roster(session, event)
    allowed = {m.user_id for _team, members in roster for m in members}
    wanted = set(attended_user_ids)
    if wanted - allowed:
        raise VolunteerError(_l("Choose from the members listed"), "attended")
    for row in session.scalars(sa.select(TrainingAttendance).where(TrainingAttendance.event_id == event.id)):
        if row.user_id not in wanted:
            session.delete(row)
    for user_id in wanted - already:
        session.add(TrainingAttendance(event_id=event.id, user_id=user_id, recorded_by_id=getattr(by, "id", None),
                                       recorded_at=now))
    session.flush()
    return len(wanted)


@one_transaction
def mark_trained(session, team, year, by=None):
    exists = session.scalar(sa.select(TeamTrainingCompletion).where(
        TeamTrainingCompletion.team_id == team.id, TeamTrainingCompletion.year == year))
    if exists is not None:
        return exists
    completion = TeamTrainingCompletion(team_id=team.id, year=year, marked_by_id=getattr(by, "id", None))
    session.add(completion)
    session.flush()
    return completion


@one_transaction
def unmark_trained(session, team, year):
    completion = session.scalar(sa.select(TeamTrainingCompletion).where(
        TeamTrainingCompletion.team_id == team.id, TeamTrainingCompletion.year == year))
    if completion is not None:
        session.delete(completion)
        session.flush()


def enrolment_counts(session, event_ids):
    """{event id: (teams enrolled, members who attended)}; two queries."""
    if not event_ids:
        return {}
    teams = dict(session.execute(
        sa.select(TrainingEnrolment.event_id, sa.func.count()).where(TrainingEnrolment.event_id.in_(event_ids))
        .group_by(TrainingEnrolment.event_id)
    ).all())
    attended = dict(session.execute(
        sa.select(TrainingAttendance.event_id, sa.func.count()).where(TrainingAttendance.event_id.in_(event_ids))
        .group_by(TrainingAttendance.event_id)
    ).all())
    return {event_id: (teams.get(event_id, 0), attended.get(event_id, 0)) for event_id in event_ids}
