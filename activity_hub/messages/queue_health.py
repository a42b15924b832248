"""The health of the whole message queue, for administrators and monitoring: what waits, how long
the longest-waiting message has waited, and what was delivered or failed in the last day.

"Waiting" counts only messages that are due: an SMS held back for the night (no SMS between
21:00 and 08:00) or a retry whose backoff has not run out is queued on purpose, so it counts as
``deferred`` and does not make the queue look stuck. The outbox records no time of failure;
"failed in the last day" counts the failed messages written in the last 24 hours (a message
gives up within its backoff schedule, well inside a day).

The statement reads only the rows that can count (waiting, sending and failed ones, and the sent
ones written in the last two days), found through the ``(status, ...)`` indexes, so its cost
follows the queue, not the years of delivered messages behind it. A message delivered in the
last day but written more than a day before that is not counted as delivered.
"""
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from ..db_types import utcnow
from ..extensions import db
from .models import FAILED, QUEUED, SENDING, SENT, OutboxMessage

DAY = timedelta(hours=24)


@dataclass(frozen=True)
class QueueHealth:
    checked_at: datetime
    # Queued and due now: the relay should be taking these.
    waiting: int
    # Queued for later on purpose (night-time SMS, backoff).
    deferred: int
    sending: int
    # Seconds since the longest-waiting due message was written; None when nothing waits.
    oldest_waiting_seconds: int | None
    sent_last_day: int
    failed_last_day: int
    # Every dead letter, whatever its age, until staff retry it.
    failed_total: int

    def as_dict(self):
        return asdict(self)


def _sum(condition):
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def queue_health(now=None):
    """The figures, read in one statement."""
    now = now or utcnow()
    since = now - DAY
    queued = OutboxMessage.status == QUEUED
    due = sa.and_(queued, OutboxMessage.next_attempt_at <= now)
    recent_enough = sa.or_(
        OutboxMessage.status.in_((QUEUED, SENDING, FAILED)),
        sa.and_(OutboxMessage.status == SENT, OutboxMessage.created_at >= since - DAY),
    )
    row = db.session.execute(sa.select(
        _sum(due),
        _sum(sa.and_(queued, OutboxMessage.next_attempt_at > now)),
        _sum(OutboxMessage.status == SENDING),
        sa.func.min(sa.case((due, OutboxMessage.created_at), else_=None)),
        _sum(sa.and_(OutboxMessage.status == SENT, OutboxMessage.sent_at >= since)),
        _sum(sa.and_(OutboxMessage.status == FAILED, OutboxMessage.created_at >= since)),
        _sum(OutboxMessage.status == FAILED),
    ).where(recent_enough)).one()
    waiting, deferred, sending, oldest, sent, failed_day, failed_total = row
    return QueueHealth(
        checked_at=now, waiting=int(waiting), deferred=int(deferred), sending=int(sending),
        oldest_waiting_seconds=max(0, int((now - oldest).total_seconds())) if oldest is not None else None,
        sent_last_day=int(sent), failed_last_day=int(failed_day), failed_total=int(failed_total),
    )
