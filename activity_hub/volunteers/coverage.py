"""What an event's registrants need, how many volunteers that takes, and what is covered.

Needs come from the registrations that hold places (pending and confirmed): a
waitlisted resident may never come, so planning a volunteer for them would take
a volunteer away from someone who will. Only counts leave this module — never
who needs what.

One volunteer can serve several people with the same need: an interpreter signs
for the whole room, a sighted guide walks with two people, a mobility helper
looks after three (``PEOPLE_PER_VOLUNTEER``). These ratios are planning defaults.
"""
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..accessibility import NEEDS, NEEDS_BY_CODE, skill_for_need
from ..events.models import HOLDING_STATUSES, Registration, RegistrationNeed
from .models import ACCEPTED, LIVE_STATUSES, PROPOSED, Assignment

PEOPLE_PER_VOLUNTEER = {"sign_language": 10, "sighted_guide": 2, "mobility_assist": 3}
DEFAULT_PEOPLE_PER_VOLUNTEER = 1

# What a volunteer does for the people they are there for (shown to the volunteer).
SKILL_DUTIES = {
    "sign_language": _l("Interpret in Chinese Sign Language for the deaf participants throughout the event; "
                        "stand where they can see you and the speaker."),
    "sighted_guide": _l("Meet blind and low-vision participants at the entrance, offer your arm, describe the way "
                        "and the room, and guide them to their seat, the toilet and the exit."),
    "mobility_assist": _l("Help wheelchair users and people who walk with difficulty along the step-free route, "
                          "to the wheelchair spaces, the lift and the accessible toilet."),
    "first_aid": _l("Stay near the first-aid point and help anyone who feels unwell."),
    "legal_aid": _l("Answer participants' legal questions and explain how to apply for legal aid."),
    "psych_support": _l("Offer a calm word and a quiet place to anyone who feels overwhelmed."),
    "easy_read": _l("Explain the materials in plain words to anyone who asks."),
    "driving": _l("Drive participants in the accessible vehicle as the organizer arranges."),
    "general": _l("Welcome participants, show the way and help the organizer where needed."),
}


def volunteer_duty(skill):
    return SKILL_DUTIES.get(skill or "general", SKILL_DUTIES["general"])


def need_counts(session, event_ids):
    """{event id: Counter(need code -> registrations)} for registrations holding places; one query."""
    counts = defaultdict(Counter)
    event_ids = list(set(event_ids))
    if not event_ids:
        return counts
    rows = session.execute(
        sa.select(Registration.event_id, RegistrationNeed.code, sa.func.count())
        .join(RegistrationNeed, RegistrationNeed.registration_id == Registration.id)
        .where(Registration.event_id.in_(event_ids), Registration.status.in_(HOLDING_STATUSES))
        .group_by(Registration.event_id, RegistrationNeed.code)
    )
    for event_id, code, count in rows:
        if code in NEEDS_BY_CODE:
            counts[event_id][code] = count
    return counts


def skill_demand(counts):
    """{skill: people who need it} from need counts (needs without a volunteer skill are left out)."""
    demand = Counter()
    for code, count in counts.items():
        skill = skill_for_need(code)
        if skill:
            demand[skill] += count
    return demand


def volunteers_needed(skill, people):
    if people <= 0:
        return 0
    return math.ceil(people / PEOPLE_PER_VOLUNTEER.get(skill, DEFAULT_PEOPLE_PER_VOLUNTEER))


def slot_sizes(skill, people):
    """How many people each of the volunteers needed for ``skill`` covers, largest first (sums to ``people``)."""
    slots = volunteers_needed(skill, people)
    if not slots:
        return []
    base, extra = divmod(people, slots)
    return [base + 1] * extra + [base] * (slots - extra)


def needs_for_skill(skill):
    return [need.code for need in NEEDS if need.volunteer_skill == skill]


@dataclass
class CoverageRow:
    need_code: str
    people: int
    skill: str | None
    needed: int = 0
    accepted: int = 0
    proposed: int = 0
    volunteer_names: list = field(default_factory=list)

    @property
    def need(self):
        return NEEDS_BY_CODE[self.need_code]

    @property
    def gap(self):
        return max(0, self.needed - self.accepted - self.proposed)

    @property
    def state(self):
        """'gap', 'awaiting' (covered once proposals are accepted), 'covered' or 'organizer'."""
        if not self.skill:
            return "organizer"
        if self.gap:
            return "gap"
        if self.accepted < self.needed:
            return "awaiting"
        return "covered"


def live_skill_counts(session, event_id):
    """{skill: {'accepted': n, 'proposed': n, 'names': [...]}} for the event's live assignments."""
    from ..auth.models import User

    result = defaultdict(lambda: {ACCEPTED: 0, PROPOSED: 0, "names": []})
    rows = session.execute(
        sa.select(Assignment.skill, Assignment.status, User.display_name)
        .join(User, User.id == Assignment.volunteer_id)
        .where(Assignment.event_id == event_id, Assignment.status.in_(LIVE_STATUSES))
        .order_by(User.display_name)
    )
    for skill, status, name in rows:
        entry = result[skill]
        entry[status] += 1
        entry["names"].append(name)
    return result


def event_coverage(session, event):
    """One CoverageRow per need the event's registrants have, in taxonomy order."""
    counts = need_counts(session, [event.id])[event.id]
    demand = skill_demand(counts)
    live = live_skill_counts(session, event.id)
    rows = []
    seen_skills = set()
    for need in NEEDS:
        people = counts.get(need.code, 0)
        if not people:
            continue
        row = CoverageRow(need_code=need.code, people=people, skill=need.volunteer_skill)
        if need.volunteer_skill:
            skill = need.volunteer_skill
            row.needed = volunteers_needed(skill, demand[skill])
            # Volunteers of a skill shared by several needs are listed once, on the first of them.
            if skill not in seen_skills:
                row.accepted = live[skill][ACCEPTED]
                row.proposed = live[skill][PROPOSED]
                row.volunteer_names = live[skill]["names"]
                seen_skills.add(skill)
        rows.append(row)
    return rows


def open_slots(session, event):
    """{skill: [people per open slot]}: what is still uncovered once live assignments are counted."""
    counts = need_counts(session, [event.id])[event.id]
    live = live_skill_counts(session, event.id)
    result = {}
    for skill, people in skill_demand(counts).items():
        sizes = slot_sizes(skill, people)
        taken = live[skill][ACCEPTED] + live[skill][PROPOSED] if skill in live else 0
        remaining = sizes[taken:]
        if remaining:
            result[skill] = remaining
    return result


@dataclass
class EventStaffing:
    needed: int = 0
    accepted: int = 0
    proposed: int = 0

    @property
    def gap(self):
        return max(0, self.needed - self.accepted - self.proposed)


def staffing_overview(session, event_ids):
    """{event id: EventStaffing} counting volunteers needed for skills and live assignments; two queries.

    Only assignments for a needed skill count against the need, at most as many as are needed per skill.
    """
    counts = need_counts(session, event_ids)
    live = defaultdict(lambda: defaultdict(Counter))
    if event_ids:
        for event_id, skill, status, n in session.execute(
            sa.select(Assignment.event_id, Assignment.skill, Assignment.status, sa.func.count())
            .where(Assignment.event_id.in_(event_ids), Assignment.status.in_(LIVE_STATUSES))
            .group_by(Assignment.event_id, Assignment.skill, Assignment.status)
        ):
            live[event_id][skill][status] = n
    result = {}
    for event_id in event_ids:
        staffing = EventStaffing()
        for skill, people in skill_demand(counts[event_id]).items():
            needed = volunteers_needed(skill, people)
            accepted = min(needed, live[event_id][skill][ACCEPTED])
            proposed = min(needed - accepted, live[event_id][skill][PROPOSED])
            staffing.needed += needed
            staffing.accepted += accepted
            staffing.proposed += proposed
        result[event_id] = staffing
    return result
