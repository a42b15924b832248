"""Assistance projects (助残项目) and the stages they go through.

A project moves proposed → incubating → launched → closed, and keeps the date it
reached each stage. The date of the current stage is required (today if not
given); a stage not reached yet has no date; dates never go backwards. The plan
counts projects incubated in a year: ``incubated_by_district`` is that rule, the one
the dashboard's ``projects_incubated`` measure shows.
"""
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from ..db_types import utcnow
from ..local_time import local_today
from .errors import VolunteerError
from .models import PROJECT_STAGES, STAGE_CLOSED, STAGE_INCUBATING, STAGE_LAUNCHED, STAGE_PROPOSED, AssistanceProject
from .transactions import one_transaction

STAGE_DATE_FIELDS = {stage: f"{stage}_on" for stage in PROJECT_STAGES}


@dataclass
class ProjectInput:
    name: str
    description: str
    stage: str
    team: object = None
    organisation: str = ""
    district_id: int | None = None
    proposed_on: date | None = None
    incubating_on: date | None = None
    launched_on: date | None = None
    closed_on: date | None = None


def list_projects(session, district_ids=None):
    """Projects, newest first; ``district_ids`` None for all, else those districts' (and no city-wide ones)."""
    query = (sa.select(AssistanceProject)
             .options(joinedload(AssistanceProject.team), joinedload(AssistanceProject.district))
             .order_by(AssistanceProject.proposed_on.desc(), AssistanceProject.id.desc()))
    if district_ids is not None:
        query = query.where(AssistanceProject.district_id.in_(district_ids))
    return list(session.scalars(query).unique())


def _validate(session, data, project_id=None, today=None):
    today = today or local_today()
    name = (data.name or "").strip()
    if not name:
        raise VolunteerError(_l("Enter the project's name"), "name")
    if len(name) > 120:
        raise VolunteerError(_l("The name must be 120 characters or fewer"), "name")
    clash = session.scalar(sa.select(AssistanceProject.id).where(AssistanceProject.name == name))
    if clash is not None and clash != project_id:
        raise VolunteerError(_l("There is already a project with this name"), "name")
    organisation = (data.organisation or "").strip()
    if len(organisation) > 120:
        raise VolunteerError(_l("The name of the organisation must be 120 characters or fewer"), "organisation")
    if data.team is None and not organisation:
        raise VolunteerError(_l("Choose the team behind the project, or enter the organisation"), "organisation")
    if data.stage not in PROJECT_STAGES:
        raise VolunteerError(_l("Choose a stage"), "stage")
    reached = PROJECT_STAGES.index(data.stage)
    dates = {stage: getattr(data, STAGE_DATE_FIELDS[stage]) for stage in PROJECT_STAGES}
    if dates[data.stage] is None:
        dates[data.stage] = today
    if dates[STAGE_PROPOSED] is None:
        dates[STAGE_PROPOSED] = min(today, *(d for d in dates.values() if d is not None))
    previous = None
    for index, stage in enumerate(PROJECT_STAGES):
        value = dates[stage]
        if index > reached and value is not None:
            raise VolunteerError(_l("Leave this date empty until the project reaches this stage"), STAGE_DATE_FIELDS[stage])
        if value is not None:
            if value > today:
                raise VolunteerError(_l("The date cannot be in the future"), STAGE_DATE_FIELDS[stage])
            if previous is not None and value < previous:
                raise VolunteerError(_l("This date must not be before the dates of the earlier stages"),
                                     STAGE_DATE_FIELDS[stage])
            previous = value
    return name, organisation, dates


@one_transaction
def save_project(session, data, project=None, today=None):
    """Create (``project`` None) or update a project from a ProjectInput; raises VolunteerError."""
    name, organisation, dates = _validate(session, data, project.id if project else None, today)
    if project is None:
        project = AssistanceProject()
        session.add(project)
    project.name = name
    project.description = (data.description or "").strip()
    project.team = data.team
    project.team_id = data.team.id if data.team is not None else None
    project.organisation = organisation
    project.district_id = data.district_id if data.district_id is not None else (
        data.team.district_id if data.team is not None else None)
    project.stage = data.stage
    for stage, value in dates.items():
        setattr(project, STAGE_DATE_FIELDS[stage], value)
    project.updated_at = utcnow()
    session.flush()
    return project


def incubated_by_district(session, year):
    """{district id (None: city-wide): projects incubated in ``year``}, in one query.

    A project is incubated once it reaches the incubating stage or a later one, and counts in
    the year incubation began (or it was launched, when it skipped incubation).
    """
    incubated_on = sa.func.coalesce(AssistanceProject.incubating_on, AssistanceProject.launched_on)
    rows = session.execute(
        sa.select(AssistanceProject.district_id, sa.func.count())
        .where(AssistanceProject.stage.in_((STAGE_INCUBATING, STAGE_LAUNCHED, STAGE_CLOSED)),
               incubated_on >= date(year, 1, 1), incubated_on < date(year + 1, 1, 1))
        .group_by(AssistanceProject.district_id)
    )
    return {district_id: int(count) for district_id, count in rows}


def incubated_count(session, year):
    """Projects incubated in ``year``, city-wide."""
    return sum(incubated_by_district(session, year).values())
