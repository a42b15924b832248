"""No SMS at night: between 21:00 and 08:00 Beijing time a text message waits for the morning,
unless it tells of a cancellation or change of an event so close that the morning would be too late
(issue 12). E-mail and the site's inbox are not held back: they do not ring a phone.

Applied where a message is queued (``outbox.message_values`` sets ``next_attempt_at``) and again by
the relay before it sends or retries one, so a retry that falls in the night waits as well.
"""
from datetime import datetime, time, timedelta, timezone

from ..local_time import SHANGHAI
from .models import SMS

QUIET_FROM = time(21, 0)
QUIET_UNTIL = time(8, 0)
# Kinds that may wake people when their event is close.
URGENT_KINDS = frozenset({"event_cancelled", "event_changed"})
# A cancellation or change of an event that starts the same Beijing day, or before this long after
# the quiet hours end, goes out at once: held until 08:00 it could reach people already on their way.
URGENT_HORIZON_AFTER_MORNING = timedelta(hours=2)
# Kinds the person asked for this very minute (a code to log in, an invitation staff made with them):
# held until the morning they would be useless, so they go out at any hour.
ASKED_FOR_NOW_KINDS = frozenset({"login_code", "invitation"})


def in_quiet_hours(moment):
    clock = moment.astimezone(SHANGHAI).time()
    return clock >= QUIET_FROM or clock < QUIET_UNTIL


def next_morning(moment):
    """The first 08:00 Beijing time at or after ``moment`` (timezone-aware, UTC)."""
    local = moment.astimezone(SHANGHAI)
    morning = datetime.combine(local.date(), QUIET_UNTIL, tzinfo=SHANGHAI)
    if morning < local:
        morning += timedelta(days=1)
    return morning.astimezone(timezone.utc)


def is_urgent(kind, now, event_starts_at):
    """A cancellation or change of an event starting the same Beijing day (or before the morning
    is well under way)."""
    if kind not in URGENT_KINDS or event_starts_at is None:
        return False
    same_day = event_starts_at.astimezone(SHANGHAI).date() == now.astimezone(SHANGHAI).date()
    return same_day or event_starts_at < next_morning(now) + URGENT_HORIZON_AFTER_MORNING


def earliest_send_time(channel, kind, now, event_starts_at=None):
    """When a message queued (or retried) at ``now`` may be sent: ``now``, or the next 08:00
    Beijing time for an SMS in the quiet hours that is not urgent."""
    if kind in ASKED_FOR_NOW_KINDS:
        return now
    if channel != SMS or not in_quiet_hours(now) or is_urgent(kind, now, event_starts_at):
        return now
    return next_morning(now)
