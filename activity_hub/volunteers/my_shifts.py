"""A volunteer's own shifts as "My assignments" shows them, on the page and in the API alike:
which are still to come (soonest first) and which are over (newest first), what each one is for
(``briefing``: counts and what to do, never residents' details), and the year's served hours."""
from dataclasses import dataclass
from datetime import datetime

from ..db_types import utcnow
from ..local_time import current_year
from .assignments import assignments_of_volunteer
from .briefing import assignment_briefings
from .hours import volunteer_year_hours


@dataclass
class MyShifts:
    every: list  # newest shift first
    now: datetime
    briefings: dict  # {assignment id: Briefing}
    year: int
    served_shifts: int
    served_minutes: int

    @property
    def upcoming(self):
        """Shifts not over yet, soonest first."""
        return sorted((a for a in self.every if a.shift_end > self.now), key=lambda a: (a.shift_start, a.id))

    @property
    def past(self):
        """Shifts that are over, newest first."""
        return [a for a in self.every if a.shift_end <= self.now]

    @property
    def served_hours(self):
        return self.served_minutes / 60.0


def my_shifts(session, user_id, now=None):
    """Everything "My assignments" shows of ``user_id``'s shifts, in three queries."""
    every = assignments_of_volunteer(session, user_id)
    year = current_year()
    shifts, minutes = volunteer_year_hours(session, user_id, year)
    return MyShifts(every=every, now=now or utcnow(), briefings=assignment_briefings(session, every), year=year,
                    served_shifts=shifts, served_minutes=minutes)
