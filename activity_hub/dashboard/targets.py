"""The plan's measures: each defined once here, with the plain definition shown beside its figure.

Every figure for a year comes from ``collect_year_figures``, a fixed set of aggregate
(GROUP BY) queries, so a page that shows any number of targets, districts, months, needs
or teams runs the same number of SQL statements whatever the size of the data. The attendance
counts (events held, who came, needs met) are ``attendance.py``'s: they read every check-in of
the year, so they are reused for up to ``DASHBOARD_FIGURES_TTL`` seconds (60 by default).

The counting rules, in one place:
- an event is *held* when it is ``completed`` and at least one resident was checked in;
  it counts in the year and month (Beijing time) it started, and in its own district;
- a resident *attended* when their registration is confirmed and was checked in;
- *person-times* (人次) are the attended registrations plus the companions registered with them;
- a need is *met* when the event lists it among its provisions, or an accepted volunteer
  assignment at the event is for the skill that need calls for (``accessibility.NEEDS``);
- teams *trained* and projects *incubated* are the volunteers domain's own figures:
  ``volunteers.training.trained_by_district`` and ``volunteers.projects.incubated_by_district``
  count them, for the volunteers pages and for these measures alike. (The dashboard imports
  the volunteers services, never the other way round, so neither package needs the other's pages.)
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from ..local_time import current_year  # noqa: F401  (the API takes it from here)
from ..volunteers.models import Assignment, VolunteerTeam
from ..volunteers.projects import incubated_by_district
from ..volunteers.training import trained_by_district
from .attendance import in_year, recent_attendance
from .models import MANUAL, PlanTarget

MONTHS = tuple(range(1, 13))


# -- units -----------------------------------------------------------------------------------

UNITS = {
    "events": _l("events"),
    "sessions": _l("sessions"),
    "person_times": _l("person-times"),
    "people": _l("people"),
    "registrations": _l("registrations"),
    "teams": _l("teams"),
    "projects": _l("projects"),
    "hours": _l("hours"),
}


def unit_label(code):
    return UNITS.get(code, code)


# -- the figures of a year -------------------------------------------------------------------

@dataclass
class TeamHours:
    team_id: int
    name: str
    district_id: int
    volunteers: int
    minutes: int

    @property
    def hours(self):
        return round(self.minutes / 60, 1)


@dataclass
class YearFigures:
    year: int
    held: list = field(default_factory=list)
    needs: dict = field(default_factory=dict)  # need code -> (asked, met)
    registrations_with_needs: int = 0
    registrations_all_met: int = 0
    teams_trained: dict = field(default_factory=dict)  # district id -> teams
    projects_incubated: dict = field(default_factory=dict)  # district id (None: city-wide) -> projects
    team_hours: list = field(default_factory=list)
    # When ``held`` and the needs were counted (see ``attendance``: they may be reused for a while).
    attendance_counted_at: datetime | None = None

    def _held(self, categories=None):
        return [g for g in self.held if categories is None or g.category in categories]

    def events_held(self, categories=None):
        return sum(g.events for g in self._held(categories))

    def attendees(self):
        return sum(g.attendees for g in self.held)

    def companions(self):
        return sum(g.companions for g in self.held)

    def person_times(self):
        return sum(g.person_times for g in self.held)

    def by_district(self, value, categories=None):
        totals = defaultdict(int)
        for group in self._held(categories):
            totals[group.district_id] += value(group)
        return totals

    def by_month(self, value, categories=None):
        totals = dict.fromkeys(MONTHS, 0)
        for group in self._held(categories):
            totals[group.month] += value(group)
        return totals

    def volunteer_minutes(self):
        return sum(t.minutes for t in self.team_hours)


def collect_year_figures(session, year):
    """Every figure of the year in five aggregate queries, whatever the size of the data (two of them,
    the attendance, only when ``attendance.recent_attendance`` has no recent enough count)."""
    figures = YearFigures(year=year)

    attendance = recent_attendance(session, year)
    figures.held, figures.needs = attendance.held, attendance.needs
    figures.registrations_with_needs = attendance.registrations_with_needs
    figures.registrations_all_met = attendance.registrations_all_met
    figures.attendance_counted_at = attendance.counted_at

    figures.teams_trained = trained_by_district(session, year)
    figures.projects_incubated = incubated_by_district(session, year)

    rows = session.execute(
        sa.select(
            VolunteerTeam.id, VolunteerTeam.name, VolunteerTeam.district_id,
            sa.func.count(sa.distinct(Assignment.volunteer_id)), sa.func.sum(Assignment.served_minutes),
        )
        .select_from(Assignment)
        .outerjoin(VolunteerTeam, VolunteerTeam.id == Assignment.team_id)
        .where(Assignment.served_confirmed.is_(True), in_year(Assignment.shift_start, year))
        .group_by(VolunteerTeam.id, VolunteerTeam.name, VolunteerTeam.district_id)
        .order_by(sa.case((VolunteerTeam.id.is_(None), 1), else_=0), VolunteerTeam.name)
    )
    # Shifts served without a team come last, as a row of their own (team_id None).
    figures.team_hours = [TeamHours(i, name or "", d, int(v), int(m or 0)) for i, name, d, v, m in rows]
    return figures


# -- the measures ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Measure:
    key: str
    label: object
    unit: str
    definition: object
    read: object  # YearFigures -> number
    # True when the figure counts people (so small numbers are hidden on the public page).
    counts_people: bool = False


HELD = _l("An event counts as held when its organizer marked it completed and at least one "
          "registered resident was checked in. It counts in the month it started (Beijing time).")

MEASURES = {
    m.key: m for m in [
        Measure("events_held", _l("Events held"), "events",
                _l("Events of every category held in the year. %(held)s", held=HELD),
                lambda f: f.events_held()),
        Measure("culture_sports_events_held", _l("Cultural and sports events held"), "events",
                _l("Events in the culture or sports category held in the year. %(held)s", held=HELD),
                lambda f: f.events_held(("culture", "sports"))),
        Measure("legal_sessions_held", _l("Legal-awareness sessions held"), "sessions",
                _l("Events in the legal-awareness category held in the year. %(held)s", held=HELD),
                lambda f: f.events_held(("legal",))),
        Measure("person_times", _l("Person-times attended"), "person_times",
                _l("At events held in the year, every checked-in resident counts once, and so does each "
                   "companion registered with them. Someone who comes to three events counts three times."),
                lambda f: f.person_times(), counts_people=True),
        Measure("registrations_needs_met", _l("Registrations whose needs were all met"), "registrations",
                _l("Checked-in registrations at events held in the year that asked for at least one "
                   "accessibility need, where every need was met: the event listed it among its provisions, "
                   "or a volunteer with the matching skill had an accepted assignment at the event."),
                lambda f: f.registrations_all_met, counts_people=True),
        Measure("teams_trained", _l("Volunteer teams trained"), "teams",
                _l("Volunteer teams that an organizer marked as trained for the year."),
                lambda f: sum(f.teams_trained.values())),
        Measure("projects_incubated", _l("Assistance projects incubated"), "projects",
                _l("Assistance projects that reached the incubating stage or a later one (launched, closed). "
                   "A project counts in the year it started incubating, or was launched if it skipped "
                   "incubation."),
                lambda f: sum(f.projects_incubated.values())),
        Measure("volunteer_hours", _l("Volunteer hours served"), "hours",
                _l("Hours organizers confirmed that volunteers served, on shifts that started in the year, "
                   "rounded down to whole hours."),
                lambda f: f.volunteer_minutes() // 60),
    ]
}
MANUAL_DEFINITION = _l("Entered by hand by an administrator: this system does not record the activity itself.")


def measure_choices():
    choices = [SelectChoice(key, measure.label) for key, measure in MEASURES.items()]
    return choices + [SelectChoice(MANUAL, _l("Entered by hand"))]


def measure_label(key):
    if key == MANUAL:
        return _l("Entered by hand")
    measure = MEASURES.get(key)
    return measure.label if measure else key


# -- targets and their progress -------------------------------------------------------------

@dataclass
class Progress:
    target: PlanTarget
    actual: int | None
    definition: object
    counts_people: bool

    @property
    def percent(self):
        """Whole per cent reached, rounded down (so 100% means reached); None without a figure."""
        if self.actual is None:
            return None
        return self.actual * 100 // self.target.target

    @property
    def reached(self):
        return self.actual is not None and self.actual >= self.target.target

    @property
    def bar_percent(self):
        return min(self.percent or 0, 100)


def targets_for_year(session, year):
    return list(session.scalars(
        sa.select(PlanTarget).where(PlanTarget.year == year).order_by(PlanTarget.position, PlanTarget.id)
    ))


def progress_of(target, figures):
    if target.measure == MANUAL:
        return Progress(target, target.manual_actual, MANUAL_DEFINITION, False)
    measure = MEASURES.get(target.measure)
    if measure is None:
        return Progress(target, None, _l("This measure is no longer available; choose another."), False)
    return Progress(target, int(measure.read(figures)), measure.definition, measure.counts_people)


def target_progress(session, year, figures=None):
    """(figures, [Progress]) for every target of ``year``."""
    figures = figures or collect_year_figures(session, year)
    return figures, [progress_of(target, figures) for target in targets_for_year(session, year)]

