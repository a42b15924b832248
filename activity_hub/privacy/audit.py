"""The audit log: who read or changed whose personal data, when, from which address.

``record`` is called where the reading happens (a roster page, an export, a lookup by phone, a role
grant, a login). The address is passed in by the caller: the views read it from the request, so this
service, like every service, never touches ``request`` and also works from the CLI or a worker (which
have no address). One call writes one row: a roster view is one entry for the event, not one per
resident, and the residents' access log finds the entries of the rosters that contained them by
joining on their registrations.
"""
from datetime import datetime, time, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload

from ..db_types import utcnow
from ..extensions import db
from ..local_time import SHANGHAI
from .models import AuditEntry

ROSTER_VIEWED, ROSTER_EXPORTED = "roster_viewed", "roster_exported"
NEEDS_SUMMARY_VIEWED, SIGN_IN_SHEET_VIEWED = "needs_summary_viewed", "sign_in_sheet_viewed"
CHECKIN_LOOKUP, VOLUNTEER_BRIEFING_VIEWED = "checkin_lookup", "volunteer_briefing_viewed"
RESIDENT_LOOKED_UP, REGISTERED_ON_BEHALF = "resident_looked_up", "registered_on_behalf"
ROLE_GRANTED, ROLE_WITHDRAWN, ACCOUNT_DEACTIVATED = "role_granted", "role_withdrawn", "account_deactivated"
LOGIN, LOGIN_FAILED = "login", "login_failed"
ACTIONS = (ROSTER_VIEWED, ROSTER_EXPORTED, NEEDS_SUMMARY_VIEWED, SIGN_IN_SHEET_VIEWED, CHECKIN_LOOKUP,
           VOLUNTEER_BRIEFING_VIEWED, RESIDENT_LOOKED_UP, REGISTERED_ON_BEHALF, ROLE_GRANTED, ROLE_WITHDRAWN,
           ACCOUNT_DEACTIVATED, LOGIN, LOGIN_FAILED)
# Readings of a whole roster: they concern everyone registered for the event at that moment.
ROSTER_ACTIONS = (ROSTER_VIEWED, ROSTER_EXPORTED, SIGN_IN_SHEET_VIEWED)
# Readings by someone else that name one resident.
PERSONAL_ACTIONS = (CHECKIN_LOOKUP, RESIDENT_LOOKED_UP, REGISTERED_ON_BEHALF)
SEARCH_LIMIT = 500


def _id(thing):
    return getattr(thing, "id", thing)


def record(actor, action, subject_user=None, event=None, detail=None, address=None, commit=True):
    """Append one entry (one INSERT) and, unless ``commit=False`` (the caller's operation commits
    it with its own rows), commit it. ``actor``, ``subject_user`` and ``event`` are objects or ids."""
    entry = AuditEntry(
        at=utcnow(), actor_id=_id(actor), action=action, subject_user_id=_id(subject_user), event_id=_id(event),
        address=(address or "")[:45], detail=(detail or "")[:500],
    )
    db.session.add(entry)
    if commit:
        try:
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
    return entry


def day_bounds(first_day=None, last_day=None):
    """UTC bounds of whole days in Shanghai time (the last day included)."""
    start = datetime.combine(first_day, time.min, SHANGHAI).astimezone(timezone.utc) if first_day else None
    end = (datetime.combine(last_day + timedelta(days=1), time.min, SHANGHAI).astimezone(timezone.utc)
           if last_day else None)
    return start, end


def search(person_id=None, event_id=None, first_day=None, last_day=None, action=None, limit=SEARCH_LIMIT):
    """Entries newest first: by a person (as actor or as the one whose data it was), an event, an
    action and days (Shanghai time). ``limit=None`` for the export."""
    query = sa.select(AuditEntry).options(
        joinedload(AuditEntry.actor), joinedload(AuditEntry.subject_user), joinedload(AuditEntry.event))
    if person_id:
        query = query.where(sa.or_(AuditEntry.actor_id == person_id, AuditEntry.subject_user_id == person_id))
    if event_id:
        query = query.where(AuditEntry.event_id == event_id)
    if action:
        query = query.where(AuditEntry.action == action)
    start, end = day_bounds(first_day, last_day)
    if start is not None:
        query = query.where(AuditEntry.at >= start)
    if end is not None:
        query = query.where(AuditEntry.at < end)
    query = query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def access_log(user_id, limit=200):
    """What others did with this person's data: the rosters that contained them (viewed, exported,
    printed as sign-in sheets, while they were registered) and the lookups that named them. Entries
    by the person themself are left out. One query, whatever the number of entries."""
    from ..auth.models import User
    from ..events.models import Registration

    on_roster = sa.exists().where(
        Registration.event_id == AuditEntry.event_id, Registration.user_id == user_id,
        Registration.created_at <= AuditEntry.at,
    )
    actor = aliased(User)
    query = (
        sa.select(AuditEntry)
        .join(actor, actor.id == AuditEntry.actor_id)
        .where(actor.id != user_id)
        .where(sa.or_(
            sa.and_(AuditEntry.action.in_(ROSTER_ACTIONS), on_roster),
            sa.and_(AuditEntry.action.in_(PERSONAL_ACTIONS), AuditEntry.subject_user_id == user_id),
        ))
        .options(joinedload(AuditEntry.actor).joinedload(User.district), joinedload(AuditEntry.event))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))
