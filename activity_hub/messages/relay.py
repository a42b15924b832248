"""The relay: delivers due outbox messages through their channels and records each outcome.

Why it is shaped this way (issue 12: every message delivered at most once, none lost, with any
number of workers and a worker killed mid-batch):

- **Claim, then send.** A batch of due rows is claimed in one short transaction (PostgreSQL:
  ``SELECT ... FOR UPDATE SKIP LOCKED``, so concurrent relays take disjoint rows without waiting;
  SQLite: every transaction begins with ``BEGIN IMMEDIATE`` (``database.py``), so one relay at a time
  claims) and committed as ``sending`` with a lease before anything is sent. A worker that dies
  leaves its lease to run out; the rows are then claimed again.
- **Record right after the provider accepts**, one short transaction per message, so at most the
  one message in flight at the moment a worker dies is in doubt. The record is fenced by the
  claim (``status = 'sending' AND attempts = n``): a relay whose lease was taken over cannot
  overwrite the new claimant's outcome.
- **A message in doubt** (claimed again after its lease ran out) is first checked with the channel's
  ``find_accepted(message)`` where the channel offers it (the provider says whether it already has
  it); a channel that cannot tell gets the message again: once more rather than never.
- **Stop before the lease runs out**: a batch whose sending has used half the lease gives its
  remaining rows back, so a slow provider never lets another relay claim a row this one will send.
- Temporary failures back off exponentially with jitter; a permanent failure, the last attempt, or
  a message whose workers kept dying while sending it ends ``failed`` with the reason in plain words.
"""
import logging
import random
import time
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from ..db_types import utcnow
from ..extensions import db
from . import quiet_hours
from .channels import backend_for
from .channels.base import DeliveryError
from .models import FAILED, QUEUED, SENDING, SENT, SITE, SMS, OutboxMessage

log = logging.getLogger(__name__)
outbox = OutboxMessage.__table__


@dataclass
class RelayResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    # SMS claimed in the quiet hours and put back until the morning; batch rows given back unsent.
    deferred: int = 0

    @property
    def handled(self):
        return self.sent + self.retried + self.failed + self.deferred

    def add(self, other):
        self.sent += other.sent
        self.retried += other.retried
        self.failed += other.failed
        self.deferred += other.deferred


@dataclass
class Claim:
    message: OutboxMessage  # a snapshot of the row as claimed (not attached to the session)
    in_doubt: bool  # taken over from a relay whose lease ran out: it may have been sent


def deliver_due_messages(limit=100, now=None):
    """Claim up to ``limit`` due messages, deliver them and record each outcome -> ``RelayResult``."""
    app = current_app._get_current_object()
    now = now or utcnow()
    lease = timedelta(seconds=app.config.get("MESSAGE_LEASE_SECONDS", 120))
    claims = claim_due_messages(limit, now, lease)
    result = RelayResult()
    started = time.monotonic()
    for position, claim in enumerate(claims):
        if time.monotonic() - started > lease.total_seconds() / 2:
            result.deferred += give_back(claims[position:])
            break
        _deliver(app, claim, now, result)
    return result


def relay_until_done(budget_seconds=None, batch_size=None):
    """Deliver batches until nothing is due or the time budget is spent (the relay task's body)."""
    app = current_app._get_current_object()
    budget = budget_seconds if budget_seconds is not None else app.config.get("MESSAGE_RELAY_BUDGET_SECONDS", 50)
    batch_size = batch_size or app.config.get("MESSAGE_RELAY_BATCH_SIZE", 100)
    deadline = time.monotonic() + budget
    total = RelayResult()
    while True:
        result = deliver_due_messages(limit=batch_size)
        total.add(result)
        if result.handled == 0 or time.monotonic() >= deadline:
            return total


def due_condition(now):
    return sa.or_(
        sa.and_(outbox.c.status == QUEUED, outbox.c.next_attempt_at <= now),
        sa.and_(outbox.c.status == SENDING, outbox.c.lease_expires_at < now),
    )


def claim_due_messages(limit, now, lease):
    """Mark up to ``limit`` due rows ``sending`` (attempts + 1, leased until now + ``lease``) and
    commit; -> [Claim] in due order."""
    picked = db.session.execute(
        sa.select(outbox.c.id, outbox.c.status)
        .where(due_condition(now))
        .order_by(outbox.c.next_attempt_at, outbox.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)  # SQLite: no-op, BEGIN IMMEDIATE already serialises
    ).all()
    if not picked:
        db.session.commit()
        return []
    in_doubt = {row.id for row in picked if row.status == SENDING}
    rows = db.session.execute(
        sa.update(outbox)
        .where(outbox.c.id.in_([row.id for row in picked]))
        .values(status=SENDING, lease_expires_at=now + lease, attempts=outbox.c.attempts + 1)
        .returning(*outbox.c)
    ).all()
    db.session.commit()
    rows.sort(key=lambda row: (row.next_attempt_at, row.id))
    return [Claim(OutboxMessage(**row._mapping), row.id in in_doubt) for row in rows]


def give_back(claims):
    """Return claimed rows unsent (status queued, the attempt not counted); -> how many."""
    returned = 0
    for claim in claims:
        returned += _record(claim.message, status=QUEUED, attempts=claim.message.attempts - 1)
    return returned


def _deliver(app, claim, now, result):
    message = claim.message
    max_attempts = app.config.get("MESSAGE_MAX_ATTEMPTS", 8)
    if message.channel == SITE:
        # The inbox is the site itself: the row is the delivery.
        _record(message, status=SENT, sent_at=utcnow(), provider_message_id=str(message.id), last_error=None)
        result.sent += 1
        return
    if not _may_send_now(message, now):
        _record(message, status=QUEUED, attempts=message.attempts - 1,
                next_attempt_at=quiet_hours.next_morning(now))
        result.deferred += 1
        return
    try:
        backend = backend_for(app, message.channel)
        if claim.in_doubt and hasattr(backend, "find_accepted"):
            provider_id = backend.find_accepted(message)
            if provider_id is not None:
                _record_sent(message, provider_id)
                result.sent += 1
                return
        if message.attempts > max_attempts:
            _record(message, status=FAILED, last_error=(
                f"not sent: delivery was interrupted {message.attempts - 1} times "
                "(the worker stopped while sending it)"))
            result.failed += 1
            return
        provider_id = backend.send(message)
    except DeliveryError as error:
        _record_failure(message, error.reason, error.permanent, now, max_attempts, result)
        return
    except Exception as error:  # a fault in a channel must not stop the batch or lose the message
        log.exception("unexpected error delivering outbox message %s", message.id)
        _record_failure(message, f"unexpected error in the {message.channel} channel: {error!r}", False,
                        now, max_attempts, result)
        return
    _record_sent(message, provider_id)
    result.sent += 1


def _record_sent(message, provider_id):
    if not _record(message, status=SENT, sent_at=utcnow(), provider_message_id=str(provider_id)[:100],
                   last_error=None):
        log.warning("outbox message %s was sent after its lease ran out; another relay had claimed it",
                    message.id)


def _record_failure(message, reason, permanent, now, max_attempts, result):
    if permanent:
        _record(message, status=FAILED, last_error=reason[:500])
        result.failed += 1
    elif message.attempts >= max_attempts:
        _record(message, status=FAILED, last_error=f"gave up after {message.attempts} attempts: {reason}"[:500])
        result.failed += 1
    else:
        retry_at = now + retry_delay(message.attempts)
        retry_at = quiet_hours.earliest_send_time(message.channel, message.kind, retry_at,
                                                  _event_start(message) if _may_be_urgent(message) else None)
        _record(message, status=QUEUED, next_attempt_at=retry_at, last_error=reason[:500])
        result.retried += 1


def retry_delay(attempts):
    """Exponential backoff with jitter: about base × 2^(attempts-1), capped; the jitter (the upper
    half of the delay, drawn at random) keeps a crowd of failures from retrying in step."""
    config = current_app.config
    base = config.get("MESSAGE_RETRY_BASE_SECONDS", 30)
    cap = config.get("MESSAGE_RETRY_MAX_SECONDS", 3600)
    delay = min(cap, base * 2 ** max(0, attempts - 1))
    return timedelta(seconds=delay / 2 + random.uniform(0, delay / 2))


def _record(message, **values):
    """Write a claimed message's outcome in a transaction of its own, fenced by the claim (a relay
    that lost its lease changes nothing); -> whether the row was still this relay's."""
    done = db.session.execute(
        sa.update(outbox)
        .where(outbox.c.id == message.id, outbox.c.status == SENDING, outbox.c.attempts == message.attempts)
        .values(lease_expires_at=None, **values)
    )
    db.session.commit()
    return done.rowcount == 1


def _may_be_urgent(message):
    return message.channel == SMS and message.kind in quiet_hours.URGENT_KINDS and message.event_id is not None


def _event_start(message):
    from ..events.models import Event

    return db.session.scalar(sa.select(Event.starts_at).where(Event.id == message.event_id))


def _may_send_now(message, now):
    """The quiet hours, checked again at sending time: a registration's message written by the fast
    path, or queued just before 21:00 and sent after, still waits for the morning."""
    if message.channel != SMS or not quiet_hours.in_quiet_hours(now):
        return True
    starts_at = _event_start(message) if _may_be_urgent(message) else None
    return quiet_hours.earliest_send_time(message.channel, message.kind, now, starts_at) == now
