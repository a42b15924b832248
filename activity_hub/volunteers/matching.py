"""Suggesting volunteers for an event: an assignment problem solved by SciPy.

Rows are the open volunteer places (``coverage.open_slots``: one per volunteer
still needed for a skill, each covering a number of people); columns are the
volunteers who could fill them — a volunteer role, the skill valid on the event's
day (``skills.py``), not already on this event (a volunteer who declined is not
asked again) and no live shift overlapping the event's shift. Each volunteer
fills at most one place. ``scipy.optimize.linear_sum_assignment`` minimises the
total cost; the weights make the objective lexicographic:

1. cover as many people as possible (a place for 3 people beats one for 1);
2. then prefer volunteers from the event's district (their own district or a team's);
3. then spread the load: fewer served hours and shifts this year are preferred.

Pairs that cannot go together cost 0 and every possible pair costs less than 0,
so the solver takes an impossible pair only when nothing better is left; those
pairs are dropped and their places reported as unfilled.
"""
from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _, ngettext

from ..accessibility import skill_label
from ..auth.models import User
from ..local_time import local_date, year_bounds
from .assignments import assign_volunteer, default_shift
from .coverage import open_slots
from .errors import VolunteerError
from .models import LIVE_STATUSES, Assignment, TeamMembership, VolunteerTeam
from .skills import skills_by_user, volunteers_with_skills
from .transactions import one_transaction


@dataclass
class Slot:
    skill: str
    people: int


@dataclass
class Suggestion:
    volunteer: User
    skill: str
    people: int
    in_district: bool
    served_hours: float
    shifts_this_year: int

    @property
    def volunteer_id(self):
        return self.volunteer.id

    def explanation(self):
        """Why this volunteer, in words (current locale)."""
        parts = [ngettext("covers %(num)d %(skill)s need", "covers %(num)d %(skill)s needs", self.people,
                          skill=skill_label(self.skill))]
        parts.append(_("from the event's district") if self.in_district else _("from another district"))
        parts.append(ngettext("%(num)d shift this year", "%(num)d shifts this year", self.shifts_this_year)
                     + _(", %(hours)s hours served", hours=_format_hours(self.served_hours)))
        return _("; ").join(parts)


@dataclass
class MatchResult:
    shift_start: object
    shift_end: object
    suggestions: list = field(default_factory=list)
    unfilled: list = field(default_factory=list)

    @property
    def people_covered(self):
        return sum(s.people for s in self.suggestions)


def _format_hours(hours):
    return f"{hours:.1f}".rstrip("0").rstrip(".")


def flatten_slots(slots_by_skill):
    return [Slot(skill, people) for skill in sorted(slots_by_skill) for people in slots_by_skill[skill]]


def solve(slots, candidates, in_district, load):
    """The optimal (slot index, candidate id) pairs.

    ``candidates``: {volunteer id: set of usable skills}; ``in_district``: set of ids;
    ``load``: {volunteer id: a number, higher = busier this year}. Deterministic: equal inputs give
    the same answer every time (volunteers are ordered by id).
    """
    volunteer_ids = sorted(candidates)
    if not slots or not volunteer_ids:
        return []
    # Imported here, not at the top: SciPy adds ~70 MB to every worker that loads it, and only
    # the organizers' suggestion page needs it.
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    n = len(slots)
    busiest = max((load.get(v, 0) for v in volunteer_ids), default=0)
    district_weight = n + 1.0
    cover_weight = (n + 1.0) * (district_weight + 1.0)
    cost = np.zeros((n, len(volunteer_ids)))
    for col, volunteer_id in enumerate(volunteer_ids):
        penalty = (0.0 if volunteer_id in in_district else district_weight) + load.get(volunteer_id, 0) / (busiest + 1.0)
        for row, slot in enumerate(slots):
            if slot.skill in candidates[volunteer_id]:
                cost[row, col] = penalty - cover_weight * slot.people
    rows, cols = linear_sum_assignment(cost)
    return [(row, volunteer_ids[col]) for row, col in zip(rows, cols) if cost[row, col] < 0]


def _blocked_volunteers(session, event, user_ids, shift_start, shift_end):
    """Volunteers already on this event (any status) or on an overlapping live shift elsewhere."""
    if not user_ids:
        return set()
    on_event = Assignment.event_id == event.id
    overlapping = sa.and_(Assignment.status.in_(LIVE_STATUSES), Assignment.shift_start < shift_end,
                          Assignment.shift_end > shift_start)
    return set(session.scalars(
        sa.select(Assignment.volunteer_id).where(Assignment.volunteer_id.in_(user_ids), sa.or_(on_event, overlapping))
    ))


def _districts_of(session, user_ids):
    """{volunteer id: set of district ids} from their own district and their teams'."""
    districts = defaultdict(set)
    for user_id, district_id in session.execute(sa.select(User.id, User.district_id).where(User.id.in_(user_ids))):
        if district_id is not None:
            districts[user_id].add(district_id)
    for user_id, district_id in session.execute(
        sa.select(TeamMembership.user_id, VolunteerTeam.district_id)
        .join(VolunteerTeam, VolunteerTeam.id == TeamMembership.team_id)
        .where(TeamMembership.user_id.in_(user_ids))
    ):
        districts[user_id].add(district_id)
    return districts


def year_load(session, user_ids, year):
    """{volunteer id: (served hours, live or served shifts)} for shifts starting in ``year``."""
    start, end = year_bounds(year)
    rows = session.execute(
        sa.select(Assignment.volunteer_id, sa.func.coalesce(sa.func.sum(Assignment.served_minutes), 0), sa.func.count())
        .where(Assignment.volunteer_id.in_(user_ids), Assignment.status.in_(LIVE_STATUSES),
               Assignment.shift_start >= start, Assignment.shift_start < end)
        .group_by(Assignment.volunteer_id)
    )
    return {user_id: (minutes / 60.0, count) for user_id, minutes, count in rows}


def suggest_assignments(session, event):
    """Who to ask for the event's open volunteer places, and which places nobody can fill."""
    shift_start, shift_end = default_shift(event)
    result = MatchResult(shift_start=shift_start, shift_end=shift_end)
    slots = flatten_slots(open_slots(session, event))
    if not slots:
        return result
    on_day = local_date(event.starts_at)
    candidates = volunteers_with_skills(session, {slot.skill for slot in slots}, on_day)
    for user_id in _blocked_volunteers(session, event, list(candidates), shift_start, shift_end):
        candidates.pop(user_id, None)
    user_ids = list(candidates)
    districts = _districts_of(session, user_ids) if user_ids else {}
    in_district = {user_id for user_id in user_ids if event.district_id in districts.get(user_id, ())}
    loads = year_load(session, user_ids, on_day.year) if user_ids else {}
    load_score = {user_id: hours + shifts for user_id, (hours, shifts) in loads.items()}

    pairs = solve(slots, candidates, in_district, load_score)
    users = {u.id: u for u in session.scalars(sa.select(User).where(User.id.in_([v for _, v in pairs])))} if pairs else {}
    filled = set()
    for row, volunteer_id in pairs:
        filled.add(row)
        hours, shifts = loads.get(volunteer_id, (0.0, 0))
        result.suggestions.append(Suggestion(
            volunteer=users[volunteer_id], skill=slots[row].skill, people=slots[row].people,
            in_district=volunteer_id in in_district, served_hours=hours, shifts_this_year=shifts,
        ))
    result.suggestions.sort(key=lambda s: (s.skill, -s.people, s.volunteer.display_name))
    result.unfilled = [slot for row, slot in enumerate(slots) if row not in filled]
    return result


@one_transaction
def assign_suggested(session, event, picks, by=None):
    """Assign the chosen (volunteer id, skill) pairs on the default shift, all or none.

    Each pick is checked again (the skill still valid on the event's day, no overlap:
    ``assign_volunteer`` holds the volunteer's lock); the first problem raises
    VolunteerError and nothing is assigned (one transaction).
    """
    if not picks:
        raise VolunteerError(_("Choose at least one volunteer"), "picks")
    shift_start, shift_end = default_shift(event)
    user_ids = [volunteer_id for volunteer_id, _skill in picks]
    if len(set(user_ids)) != len(user_ids):
        raise VolunteerError(_("Each volunteer can be chosen once"), "picks")
    users = {u.id: u for u in session.scalars(sa.select(User).where(User.id.in_(user_ids)))}
    skills = skills_by_user(session, user_ids, local_date(event.starts_at))
    created = []
    for volunteer_id, skill in picks:
        volunteer = users.get(volunteer_id)
        if volunteer is None or skill not in skills[volunteer_id][2]:
            raise VolunteerError(_("A chosen volunteer no longer has the skill needed; look at the suggestions again"),
                                 "picks")
        try:
            created.append(assign_volunteer(session, event, volunteer, skill_label(skill), shift_start, shift_end,
                                            skill=skill, by=by))
        except VolunteerError as error:
            raise VolunteerError(error.message, "picks") from error
    return created
