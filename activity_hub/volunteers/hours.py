"""Volunteer hours: confirmed shifts, totalled per volunteer and per team, and the rows of their exports.

A shift becomes hours when the organizer confirms the volunteer served
(``assignments.confirm_served`` stores its length in minutes). A year is the
calendar year in Asia/Shanghai of the shift's start. Organizers see the hours
served at events of the districts they manage.
"""
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from ..auth.models import User
from ..events.models import Event
from ..local_time import year_bounds
from .models import Assignment, VolunteerTeam


@dataclass
class HoursRow:
    name: str
    shifts: int
    minutes: int

    @property
    def hours(self):
        return round(self.minutes / 60.0, 2)


def _served_in_year(year, district_ids=None):
    start, end = year_bounds(year)
    conditions = [Assignment.served_confirmed.is_(True), Assignment.shift_start >= start, Assignment.shift_start < end]
    if district_ids is not None:
        conditions.append(Event.district_id.in_(district_ids))
    return conditions


def volunteer_year_hours(session, user_id, year):
    """(served shifts, minutes) of one volunteer in ``year``."""
    start, end = year_bounds(year)
    shifts, minutes = session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(Assignment.served_minutes), 0))
        .where(Assignment.volunteer_id == user_id, Assignment.served_confirmed.is_(True),
               Assignment.shift_start >= start, Assignment.shift_start < end)
    ).one()
    return shifts, minutes


def hours_by_volunteer(session, year, district_ids=None):
    """[HoursRow] per volunteer, most hours first. ``district_ids`` None means every district."""
    rows = session.execute(
        sa.select(User.id, User.display_name, sa.func.count(), sa.func.sum(Assignment.served_minutes))
        .join(Assignment, Assignment.volunteer_id == User.id)
        .join(Event, Event.id == Assignment.event_id)
        .where(*_served_in_year(year, district_ids))
        .group_by(User.id, User.display_name)
        .order_by(sa.func.sum(Assignment.served_minutes).desc(), User.display_name, User.id)
    )
    return [HoursRow(name=name, shifts=shifts, minutes=minutes or 0) for _id, name, shifts, minutes in rows]


def hours_by_team(session, year, district_ids=None):
    """[HoursRow] per team the shifts were served with (shifts without a team last)."""
    rows = session.execute(
        sa.select(VolunteerTeam.id, VolunteerTeam.name, sa.func.count(), sa.func.sum(Assignment.served_minutes))
        .select_from(Assignment)
        .join(Event, Event.id == Assignment.event_id)
        .outerjoin(VolunteerTeam, VolunteerTeam.id == Assignment.team_id)
        .where(*_served_in_year(year, district_ids))
        .group_by(VolunteerTeam.id, VolunteerTeam.name)
        .order_by(sa.case((VolunteerTeam.id.is_(None), 1), else_=0), sa.func.sum(Assignment.served_minutes).desc(),
                  VolunteerTeam.name)
    )
    return [HoursRow(name=name if team_id is not None else _("No team"), shifts=shifts, minutes=minutes or 0)
            for team_id, name, shifts, minutes in rows]


def export_rows(rows, by):
    """The header (current locale), then one row per volunteer or team, for ``activity_hub.exports``."""
    header = [_("Volunteer") if by == "volunteer" else _("Team"), _("Shifts served"), _("Hours")]
    return [header] + [[row.name, row.shifts, row.hours] for row in rows]
