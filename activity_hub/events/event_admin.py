"""What organizers do to events: create, edit, publish, cancel, duplicate, complete, series.

Every change of time, place or status raises ``sequence`` and every change raises ``updated_at``:
the calendar feeds send both so calendar apps replace their copy of the event. Capacity changes go
through ``registration.set_capacity`` so that raising capacity promotes the waitlist under the same
lock as registrations. Each public function commits its own transaction (or changes nothing).
Who must be told of a cancellation or of a change of time or place, and what, is
``messages.event_notices``; the notices are committed with the change.
"""
import functools

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ..auth.accounts import can_manage_district, organizer_scope
from ..db_types import utcnow
from ..extensions import db
from ..lookup_errors import Forbidden
from ..messages import event_notices
from . import event_rules
from .event_rules import EDITABLE_FIELDS, InvalidEvent, check_event_values
from .locking import lock_event
from .models import (
    CANCELLED, COMPLETED, DRAFT, PUBLISHED, Event, Registration, Series,
)

# Changing one of these changes what a calendar shows: raise SEQUENCE.
SEQUENCE_FIELDS = ("starts_at", "ends_at", "venue_id", "online_url")
CAPACITY_FIELDS = ("capacity", "wheelchair_spaces")
# The fields a copy or a series takes from its template.
COPIED_FIELDS = tuple(f for f in EDITABLE_FIELDS if f != "series_name") + ("series_id",)

__all__ = [
    "EventAdminError", "NotAllowed", "WrongState", "InvalidEvent", "EDITABLE_FIELDS",
    "can_manage_event", "ensure_can_manage", "managed_events_query", "create_event", "update_event",
    "publish_event", "cancel_event", "complete_event", "complete_transition", "duplicate_event", "create_series",
    "event_values", "registration_counts",
]


class EventAdminError(Exception):
    code = "event_error"

    def __init__(self, message, code=None):
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code


class NotAllowed(EventAdminError, Forbidden):
    """Also a ``lookup_errors.Forbidden``: a page answers it with the 403 error page."""

    code = "forbidden"


class WrongState(EventAdminError):
    code = "wrong_status"


def can_manage_event(user, event):
    """Organizers of the event's district, city-wide organizers and admins."""
    return event is not None and can_manage_district(user, event.district_id)


def ensure_can_manage(user, district_id):
    if not can_manage_district(user, district_id):
        raise NotAllowed(_l("You can only manage events in your own district."))


def ensure_organizer(user):
    """Organizers (of any district) and admins; checked before the input, so others learn nothing."""
    if organizer_scope(user) == set():
        raise NotAllowed(_l("You can only manage events in your own district."))


def managed_events_query(user):
    """A select of the events ``user`` may manage (all for city-wide staff)."""
    query = sa.select(Event)
    scope = organizer_scope(user)
    if scope is not None:
        query = query.where(Event.district_id.in_(scope or {-1}))
    return query


def event_values(event):
    """The editable values of an event, as ``create_event`` takes them."""
    values = {field: getattr(event, field) for field in EDITABLE_FIELDS if hasattr(Event, field)}
    values["series_name"] = event.series.name if event.series is not None else ""
    values["provisions"] = list(event.provisions)
    return values


def _refusal_rolls_back(operation):
    """A refused change leaves nothing half-written and no lock held: roll back, then let the refusal through."""
    @functools.wraps(operation)
    def run(*args, **kwargs):
        try:
            return operation(*args, **kwargs)
        except (EventAdminError, InvalidEvent):
            db.session.rollback()
            raise

    return run


def _locked_event(event_id):
    event = lock_event(event_id)
    if event is None:
        raise EventAdminError(_l("This event does not exist."), "not_found")
    return event


def _series_for(name):
    """The series called ``name``, created when new; None for an empty name."""
    name = (name or "").strip()
    if not name:
        return None
    series = db.session.scalar(sa.select(Series).where(Series.name == name))
    if series is not None:
        return series
    try:
        with db.session.begin_nested():
            series = Series(name=name, description="")
            db.session.add(series)
    except IntegrityError:  # another organizer created it at the same moment
        series = db.session.scalar(sa.select(Series).where(Series.name == name))
    return series


def _apply(event, values):
    """Set plain fields; return the names of the fields that really changed."""
    changed = set()
    for field, value in values.items():
        if field == "series_name":
            series = _series_for(value)
            if event.series_id != (series.id if series else None):
                event.series = series
                changed.add("series")
        elif field == "provisions":
            if list(event.provisions) != event_rules.clean_provisions(value):
                event.set_provisions(value)
                changed.add(field)
        elif field in CAPACITY_FIELDS and event.id is not None:
            continue  # registration.set_capacity decides these
        elif getattr(event, field) != value:
            setattr(event, field, value)
            changed.add(field)
    return changed


@_refusal_rolls_back
def create_event(values, by_user, publish=False):
    """A new event (a draft unless ``publish``); raises InvalidEvent or NotAllowed."""
    values = event_rules.normalise(values)
    ensure_organizer(by_user)
    merged = {**event_rules.DEFAULTS, **values}
    errors = check_event_values(merged, required=True)
    if errors:
        raise InvalidEvent(errors)
    ensure_can_manage(by_user, merged["district_id"])
    event = _new_event(merged, by_user, PUBLISHED if publish else DRAFT)
    db.session.commit()
    return event


def _new_event(values, by_user, status):
    event = Event(status=status, sequence=0, created_by_id=getattr(by_user, "id", None))
    _apply(event, {k: v for k, v in values.items() if k in EDITABLE_FIELDS or k == "series_id"})
    if "series_id" in values and "series_name" not in values:
        event.series_id = values["series_id"]
    now = utcnow()
    event.created_at = event.updated_at = now
    db.session.add(event)
    db.session.flush()
    return event


@_refusal_rolls_back
def update_event(event_id, values, by_user):
    """Change an event's fields (and, through ``status``, its state); returns the changed field names.

    All or nothing: the field changes, the status change and a capacity change (made last by
    ``registration.set_capacity``, which commits them together) are one transaction.
    """
    from .registration import RegistrationRefused, set_capacity

    values = event_rules.normalise(values)
    try:
        event = _locked_event(event_id)
        ensure_can_manage(by_user, event.district_id)
        if event.status == CANCELLED:
            raise WrongState(_l("A cancelled event cannot be changed."), "event_cancelled")
        status = values.pop("status", None)
        unknown = set(values) - set(EDITABLE_FIELDS)
        if unknown:
            raise InvalidEvent({field: _l("This field cannot be changed.") for field in sorted(unknown)})
        errors = check_event_values({**event_values(event), **values}, required=True)
        if errors:
            raise InvalidEvent(errors)
        if "district_id" in values:
            ensure_can_manage(by_user, values["district_id"])
        before = event_notices.event_before(event)
        changed = _apply(event, values)
        if status and status != event.status:
            _change_status(event, status)
            changed.add("status")
        event_notices.queue_event_changed(event, before)
        capacity_changes = {f: values[f] for f in CAPACITY_FIELDS if f in values and values[f] != getattr(event, f)}
        changed.update(capacity_changes)
        if changed & set(SEQUENCE_FIELDS):
            event.sequence += 1
        if changed:
            event.updated_at = utcnow()
    except (EventAdminError, InvalidEvent):
        db.session.rollback()
        raise
    if capacity_changes:
        try:
            set_capacity(event.id, by_user=by_user, **capacity_changes)  # commits everything above
        except RegistrationRefused as refused:
            field = refused.field if refused.field in CAPACITY_FIELDS else "capacity"
            raise InvalidEvent({field: refused.message}) from refused
    else:
        db.session.commit()
    return changed


def _change_status(event, status):
    transitions = {PUBLISHED: _publish, CANCELLED: _cancel, COMPLETED: complete_transition}
    if status not in transitions:
        raise InvalidEvent({"status": _l("Choose published, cancelled or completed.")})
    transitions[status](event)


def _touch_status(event, status):
    event.status = status
    event.sequence += 1
    event.updated_at = utcnow()


def _publish(event):
    if event.status != DRAFT:
        raise WrongState(_l("Only a draft can be published."), "not_draft")
    _touch_status(event, PUBLISHED)


def complete_transition(event, now=None):
    """Mark a published event that has started as completed; the caller holds the event's lock and
    commits. Shared by the organizer's button and the scheduled completion (``completion.py``)."""
    if event.status != PUBLISHED:
        raise WrongState(_l("Only a published event can be marked as completed."), "not_published")
    if event.starts_at > (now or utcnow()):
        raise WrongState(_l("An event can be marked as completed once it has started."), "not_started")
    _touch_status(event, COMPLETED)


def _cancel(event, reason=""):
    if event.status not in (DRAFT, PUBLISHED):
        raise WrongState(_l("Only a draft or published event can be cancelled."), "not_cancellable")
    _touch_status(event, CANCELLED)
    event.cancelled_at = event.updated_at
    return event_notices.queue_event_cancelled(event, reason)


def _transition(event_id, by_user, action, *args):
    event = _locked_event(event_id)
    try:
        ensure_can_manage(by_user, event.district_id)
        result = action(event, *args)
    except EventAdminError:
        db.session.rollback()
        raise
    db.session.commit()
    return event if result is None else result


@_refusal_rolls_back
def publish_event(event_id, by_user):
    return _transition(event_id, by_user, _publish)


@_refusal_rolls_back
def complete_event(event_id, by_user):
    return _transition(event_id, by_user, complete_transition)


@_refusal_rolls_back
def cancel_event(event_id, by_user, reason=""):
    """Cancel and tell every active registrant in their language; returns how many were told."""
    reason = (reason or "").strip()
    if len(reason) > event_rules.REASON_MAX:
        raise InvalidEvent({"reason": _l("Keep the reason to 500 characters or fewer.")})
    return _transition(event_id, by_user, _cancel, reason)


@_refusal_rolls_back
def duplicate_event(event_id, by_user):
    """A draft copy of an event, to be edited before it is published."""
    source = db.session.get(Event, event_id)
    if source is None:
        raise EventAdminError(_l("This event does not exist."), "not_found")
    ensure_can_manage(by_user, source.district_id)
    values = {field: getattr(source, field) for field in COPIED_FIELDS if field != "provisions"}
    values["provisions"] = list(source.provisions)
    copy = _new_event(values, by_user, DRAFT)
    db.session.commit()
    return copy


@_refusal_rolls_back
def create_series(values, count, interval, by_user, publish=False):
    """``count`` events from one template, on the same local weekday and time; returns them in order.

    ``values`` describe the first session (``starts_at`` .. ``ends_at``); ``interval`` is "weekly" or
    "monthly" (the same weekday of the month, e.g. every second Tuesday). Registration opening and
    closing keep their distance from each session's start.
    """
    values = event_rules.normalise(values)
    ensure_organizer(by_user)
    merged = {**event_rules.DEFAULTS, **values}
    errors = check_event_values(merged, required=True)
    errors.update(event_rules.check_series(merged, count, interval))
    if errors:
        raise InvalidEvent(errors)
    ensure_can_manage(by_user, merged["district_id"])
    first = merged["starts_at"]
    offsets = {f: merged[f] - first for f in ("ends_at", "registration_opens_at", "registration_closes_at")
               if merged.get(f) is not None}
    events = []
    for start in event_rules.series_starts(first, count, interval):
        occurrence = {**merged, "starts_at": start, **{f: start + delta for f, delta in offsets.items()}}
        events.append(_new_event(occurrence, by_user, PUBLISHED if publish else DRAFT))
    db.session.commit()
    return events


def registration_counts(event_ids):
    """{event_id: {status: (registrations, places)}} in one query (for lists, not for capacity)."""
    counts = {event_id: {} for event_id in event_ids}
    if not event_ids:
        return counts
    rows = db.session.execute(
        sa.select(Registration.event_id, Registration.status, sa.func.count(),
                  sa.func.coalesce(sa.func.sum(1 + Registration.companions), 0))
        .where(Registration.event_id.in_(list(event_ids)))
        .group_by(Registration.event_id, Registration.status)
    )
    for event_id, status, registrations, places in rows:
        counts[event_id][status] = (registrations, int(places))
    return counts
