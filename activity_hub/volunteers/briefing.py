"""What a volunteer is told about the people they are there for: counts and what to do, nothing more.

Never names, contact details, notes or diagnoses: only how many registrants
have each need the volunteer's skill serves (all needs for general helpers), and
the duty that goes with the skill.
"""
from dataclasses import dataclass

from ..accessibility import NEEDS, NEEDS_BY_CODE
from .coverage import need_counts, needs_for_skill, volunteer_duty


@dataclass
class Briefing:
    needs: list  # [(Need, count)]
    duty: object

    @property
    def people(self):
        return sum(count for _need, count in self.needs)


def briefing_for(skill, counts):
    codes = needs_for_skill(skill) if skill and needs_for_skill(skill) else [need.code for need in NEEDS]
    needs = [(NEEDS_BY_CODE[code], counts[code]) for code in codes if counts.get(code)]
    return Briefing(needs=needs, duty=volunteer_duty(skill))


def assignment_briefings(session, assignments):
    """{assignment id: Briefing} for any number of assignments in one query."""
    counts = need_counts(session, [a.event_id for a in assignments])
    return {a.id: briefing_for(a.skill, counts[a.event_id]) for a in assignments}
