"""Volunteer teams, skills, qualifications, training, assistance projects and assignments.

How skills and qualifications relate (the rule lives in ``skills.py``): a member's
*declared* skills count as they are, except the skills in ``QUALIFICATION_REQUIRED``
(sign language, first aid), which count only while the member holds an unexpired
qualification for them. An unexpired qualification also counts as its skill on its
own, declared or not.

One volunteer on two overlapping shifts cannot be expressed as a plain constraint;
``assignments.assign_volunteer`` checks it while holding a lock on the volunteer's
user row. The database backs the rest: one assignment row per event and volunteer,
shifts that end after they start, known status and skill codes.
"""
import sqlalchemy as sa
from sqlalchemy.orm import relationship

from ..accessibility import VOLUNTEER_SKILL_CODES
from ..db_types import UTCDateTime, utcnow
from ..extensions import db

PROPOSED, ACCEPTED, DECLINED, CANCELLED = "proposed", "accepted", "declined", "cancelled"
ASSIGNMENT_STATUSES = (PROPOSED, ACCEPTED, DECLINED, CANCELLED)
# Assignments that hold the volunteer's time (and count towards coverage).
LIVE_STATUSES = (PROPOSED, ACCEPTED)

STAGE_PROPOSED, STAGE_INCUBATING, STAGE_LAUNCHED, STAGE_CLOSED = "proposed", "incubating", "launched", "closed"
PROJECT_STAGES = (STAGE_PROPOSED, STAGE_INCUBATING, STAGE_LAUNCHED, STAGE_CLOSED)


def _in(column, values):
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


class VolunteerTeam(db.Model):
    __tablename__ = "volunteer_teams"

    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.String(120), nullable=False, unique=True)
    district_id = sa.Column(sa.Integer, sa.ForeignKey("districts.id"), nullable=False, index=True)
    leader_id = sa.Column(sa.Integer, sa.ForeignKey("users.id"), nullable=False, index=True)
    created_at = sa.Column(UTCDateTime, nullable=False, default=utcnow)

    district = relationship("District")
    leader = relationship("User")
    memberships = relationship("TeamMembership", back_populates="team", cascade="all, delete-orphan",
                               order_by="TeamMembership.id")

    def __repr__(self):
        return f"<VolunteerTeam {self.id} {self.name!r}>"


class TeamMembership(db.Model):
    __tablename__ = "team_memberships"
    __table_args__ = (sa.UniqueConstraint("team_id", "user_id", name="uq_team_memberships_team_user"),)

    id = sa.Column(sa.Integer, primary_key=True)
    team_id = sa.Column(sa.Integer, sa.ForeignKey("volunteer_teams.id", ondelete="CASCADE"), nullable=False)
    user_id = sa.Column(sa.Integer, sa.ForeignKey("users.id"), nullable=False, index=True)
    availability_notes = sa.Column(sa.String(500), nullable=False, default="")
    joined_at = sa.Column(UTCDateTime, nullable=False, default=utcnow)

    team = relationship("VolunteerTeam", back_populates="memberships")
    user = relationship("User")


class VolunteerSkill(db.Model):
    """A skill a volunteer declares (code from ``accessibility.VOLUNTEER_SKILLS``)."""

    __tablename__ = "volunteer_skills"
    __table_args__ = (sa.CheckConstraint(_in("code", VOLUNTEER_SKILL_CODES), name="known_skill"),)

    user_id = sa.Column(sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    code = sa.Column(sa.String(40), primary_key=True)


class Qualification(db.Model):
    """A certificate (e.g. sign-language interpreter, first aid) valid up to and including ``expires_on``."""

    __tablename__ = "volunteer_qualifications"
    __table_args__ = (
        sa.CheckConstraint(_in("skill", VOLUNTEER_SKILL_CODES), name="known_skill"),
        sa.CheckConstraint("issued_on IS NULL OR expires_on >= issued_on", name="expires_after_issue"),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    user_id = sa.Column(sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    skill = sa.Column(sa.String(40), nullable=False)
    title = sa.Column(sa.String(120), nullable=False)
    issued_on = sa.Column(sa.Date)
    expires_on = sa.Column(sa.Date, nullable=False)
    created_at = sa.Column(UTCDateTime, nullable=False, default=utcnow)

    def is_valid_on(self, day):
        return self.expires_on >= day


class TrainingEnrolment(db.Model):
    """A team enrolled in a training session (an event of category ``training``)."""

    __tablename__ = "training_enrolments"
    __table_args__ = (sa.UniqueConstraint("team_id", "event_id", name="uq_training_enrolments_team_event"),)

    id = sa.Column(sa.Integer, primary_key=True)
    team_id = sa.Column(sa.Integer, sa.ForeignKey("volunteer_teams.id", ondelete="CASCADE"), nullable=False)
    event_id = sa.Column(sa.Integer, sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True)
    enrolled_by_id = sa.Column(sa.Integer, sa.ForeignKey("users.id"))
    enrolled_at = sa.Column(UTCDateTime, nullable=False, default=utcnow)

    team = relationship("VolunteerTeam")
    event = relationship("Event")


class TrainingAttendance(db.Model):
    """A member who attended a training session (recorded by an organizer)."""

    __tablename__ = "training_attendance"
    __table_args__ = (sa.UniqueConstraint("event_id", "user_id", name="uq_training_attendance_event_user"),)

    id = sa.Column(sa.Integer, primary_key=True)
    event_id = sa.Column(sa.Integer, sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False)
    user_id = sa.Column(sa.Integer, sa.ForeignKey("users.id"), nullable=False, index=True)
    recorded_by_id = sa.Column(sa.Integer, sa.ForeignKey("users.id"))
    recorded_at = sa.Column(UTCDateTime, nullable=False, default=utcnow)


class TeamTrainingCompletion(db.Model):
    """An organizer's decision that a team is trained for a year (counts toward the plan)."""

    __tablename__ = "team_training_completions"
    __table_args__ = (
        sa.UniqueConstraint("team_id", "year", name="uq_team_training_completions_team_year"),
        sa.CheckConstraint("year BETWEEN 2000 AND 2100", name="year_range"),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    team_id = sa.Column(sa.Integer, sa.ForeignKey("volunteer_teams.id", ondelete="CASCADE"), nullable=False)
    year = sa.Column(sa.Integer, nullable=False, index=True)
    marked_by_id = sa.Column(sa.Integer, sa.ForeignKey("users.id"))
    marked_at = sa.Column(UTCDateTime, nullable=False, default=utcnow)


class AssistanceProject(db.Model):
    """An assistance project (助残项目) and the dates it reached each stage."""

    __tablename__ = "assistance_projects"
    __table_args__ = (
        sa.CheckConstraint(_in("stage", PROJECT_STAGES), name="known_stage"),
        sa.CheckConstraint("team_id IS NOT NULL OR organisation <> ''", name="has_owner"),
        sa.CheckConstraint("closed_on IS NULL OR closed_on >= proposed_on", name="closed_after_proposed"),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.String(120), nullable=False, unique=True)
    team_id = sa.Column(sa.Integer, sa.ForeignKey("volunteer_teams.id", ondelete="SET NULL"), index=True)
    organisation = sa.Column(sa.String(120), nullable=False, default="")
    # NULL: a city-wide project, managed by city staff.
    district_id = sa.Column(sa.Integer, sa.ForeignKey("districts.id"), index=True)
    description = sa.Column(sa.Text, nullable=False, default="")
    stage = sa.Column(sa.String(20), nullable=False, default=STAGE_PROPOSED)
    proposed_on = sa.Column(sa.Date, nullable=False)
    incubating_on = sa.Column(sa.Date)
    launched_on = sa.Column(sa.Date)
    closed_on = sa.Column(sa.Date)
    created_at = sa.Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = sa.Column(UTCDateTime, nullable=False, default=utcnow)

    team = relationship("VolunteerTeam")
    district = relationship("District")


class Assignment(db.Model):
    """A volunteer on a shift at an event."""

    __tablename__ = "volunteer_assignments"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "volunteer_id", name="uq_volunteer_assignments_event_volunteer"),
        sa.CheckConstraint("shift_end > shift_start", name="shift_ends_after_start"),
        sa.CheckConstraint(_in("status", ASSIGNMENT_STATUSES), name="known_status"),
        sa.CheckConstraint("skill IS NULL OR " + _in("skill", VOLUNTEER_SKILL_CODES), name="known_skill"),
        sa.CheckConstraint("status <> 'declined' OR decline_reason <> ''", name="decline_has_reason"),
        sa.CheckConstraint(
            "(served_confirmed AND served_minutes IS NOT NULL AND served_minutes >= 0 AND status = 'accepted')"
            " OR (NOT served_confirmed AND served_minutes IS NULL)",
            name="served_minutes",
        ),
        sa.Index("ix_volunteer_assignments_volunteer_shift", "volunteer_id", "shift_start"),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    event_id = sa.Column(sa.Integer, sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True)
    volunteer_id = sa.Column(sa.Integer, sa.ForeignKey("users.id"), nullable=False)
    # The team the volunteer serves with (for hours per team), fixed when assigned.
    team_id = sa.Column(sa.Integer, sa.ForeignKey("volunteer_teams.id", ondelete="SET NULL"), index=True)
    role = sa.Column(sa.String(120), nullable=False)
    # The skill the volunteer is there for (which needs they cover); NULL for general help.
    skill = sa.Column(sa.String(40))
    shift_start = sa.Column(UTCDateTime, nullable=False)
    shift_end = sa.Column(UTCDateTime, nullable=False)
    status = sa.Column(sa.String(20), nullable=False, default=PROPOSED)
    decline_reason = sa.Column(sa.String(500), nullable=False, default="")
    served_confirmed = sa.Column(sa.Boolean, nullable=False, default=False)
    served_minutes = sa.Column(sa.Integer)
    served_confirmed_at = sa.Column(UTCDateTime)
    served_confirmed_by_id = sa.Column(sa.Integer, sa.ForeignKey("users.id"))
    created_by_id = sa.Column(sa.Integer, sa.ForeignKey("users.id"))
    created_at = sa.Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = sa.Column(UTCDateTime, nullable=False, default=utcnow)

    event = relationship("Event")
    volunteer = relationship("User", foreign_keys=[volunteer_id])
    team = relationship("VolunteerTeam")
    created_by = relationship("User", foreign_keys=[created_by_id])

    @property
    def shift_minutes(self):
        return int((self.shift_end - self.shift_start).total_seconds() // 60)

    @property
    def is_live(self):
        return self.status in LIVE_STATUSES


def assignment_status_label(code, for_organizer=False):
    from flask_babel import lazy_gettext as _l

    if for_organizer and code == PROPOSED:
        return _l("Waiting for the volunteer's answer")
    labels = {
        PROPOSED: _l("Waiting for your answer"),
        ACCEPTED: _l("Accepted"),
        DECLINED: _l("Declined"),
        CANCELLED: _l("Cancelled by the organizer"),
    }
    return labels.get(code, code)


def project_stage_label(code):
    from flask_babel import lazy_gettext as _l

    labels = {
        STAGE_PROPOSED: _l("Proposed"),
        STAGE_INCUBATING: _l("Incubating"),
        STAGE_LAUNCHED: _l("Launched"),
        STAGE_CLOSED: _l("Closed"),
    }
    return labels.get(code, code)
