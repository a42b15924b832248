"""Completing events that are over, without waiting for an organizer's click.

Run by beat: published events whose end has passed become completed (the dashboard counts the
check-ins of completed events). The rule is the organizer's own ``complete_transition``; attendance
is left as it is, so residents who did not check in stay "not checked in" for the organizer to
review (and mark as no-shows) afterwards.
"""
import sqlalchemy as sa

from ..db_types import utcnow
from ..extensions import db
from .event_admin import complete_transition
from .locking import lock_event
from .models import PUBLISHED, Event

# Events completed per run at most: a backlog is worked off over the next runs.
BATCH = 500


def complete_past_events(now=None):
    """Mark completed every published event that ended at or before ``now``; returns their ids.

    Each event is locked, checked again and committed on its own, so a run beside another (or beside
    an organizer completing or cancelling the same event) completes it once and never undoes a
    cancellation; the lock is held only for that one event."""
    now = now or utcnow()
    candidates = db.session.scalars(
        sa.select(Event.id).where(Event.status == PUBLISHED, Event.ends_at <= now)
        .order_by(Event.ends_at, Event.id).limit(BATCH)
    ).all()
    db.session.rollback()  # end the read before taking locks one event at a time
    completed = []
    for event_id in candidates:
        event = lock_event(event_id)
        if event is None or event.status != PUBLISHED or event.ends_at > now:
            db.session.rollback()  # changed meanwhile: deleted, cancelled, completed or moved
            continue
        complete_transition(event, now)
        db.session.commit()
        completed.append(event_id)
    return completed
