"""What everyone involved in an event is told when the organizer cancels it or changes it.

"Everyone involved" is the residents registered (confirmed, waiting for approval, or on the waiting
list) and the volunteers on its team (shifts proposed or accepted). Each is told in their own
language (``queue_message`` renders under their locale), times in Asia/Shanghai as the site shows
them. The messages join the organizer's transaction: the event's change and the notices about it
are committed together or not at all (``events.event_admin`` commits).

Only a change of time, place or online link is news to people who are coming: a title or
description edit is not, and a draft has no one to tell.
"""
from collections import namedtuple

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from ..events.models import ACTIVE_STATUSES, PUBLISHED, Registration, Venue
from ..events.when import span_when
from ..extensions import db
from ..volunteers.models import LIVE_STATUSES, Assignment
from .outbox import queue_message

CANCELLED_KIND = "event_cancelled"
CHANGED_KIND = "event_changed"

# What a change notice compares: the event as it was before the organizer's edit.
EventBefore = namedtuple("EventBefore", "status starts_at ends_at venue_id online_url")


def event_before(event):
    """The values ``queue_event_changed`` compares, taken before an edit is applied."""
    return EventBefore(event.status, event.starts_at, event.ends_at, event.venue_id, event.online_url)


def _registrations(event):
    return db.session.scalars(
        sa.select(Registration)
        .where(Registration.event_id == event.id, Registration.status.in_(ACTIVE_STATUSES))
        .options(sa.orm.joinedload(Registration.user))
        .order_by(Registration.id)
    ).all()


def _assignments(event):
    return db.session.scalars(
        sa.select(Assignment)
        .where(Assignment.event_id == event.id, Assignment.status.in_(LIVE_STATUSES))
        .options(sa.orm.joinedload(Assignment.volunteer))
        .order_by(Assignment.id)
    ).all()


def _help_line():
    return _("If you have questions, call %(phone)s.", phone=current_app.config["HELP_PHONE"])


def _shift_line(assignment):
    return _("Your shift: %(when)s, as %(role)s.",
             when=span_when(assignment.shift_start, assignment.shift_end), role=assignment.role)


# Cancellation ---------------------------------------------------------------------------------

def queue_event_cancelled(event, reason=""):
    """Tell every active registrant and every volunteer on the team that ``event`` is cancelled, with
    the organizer's reason; returns the number of registrants told."""
    registrations = _registrations(event)
    for registration in registrations:
        queue_message(registration.user, CANCELLED_KIND, lambda: _cancelled_text(event, reason), event)
    for assignment in _assignments(event):
        queue_message(assignment.volunteer, CANCELLED_KIND,
                      lambda assignment=assignment: _cancelled_shift_text(event, assignment, reason), event)
    return len(registrations)


def _cancelled_text(event, reason):
    from ..local_time import moment

    subject = _("Cancelled: %(title)s", title=event.title)
    lines = [_("We are sorry: the event “%(title)s” on %(when)s has been cancelled.",
               title=event.title, when=moment(event.starts_at))]
    if reason:
        lines.append(_("The organizer says: %(reason)s", reason=reason))
    lines.append(_("You do not need to do anything. If you have questions, call %(phone)s.",
                   phone=current_app.config["HELP_PHONE"]))
    return subject, "\n\n".join(lines)


def _cancelled_shift_text(event, assignment, reason):
    subject = _("Cancelled: %(title)s", title=event.title)
    lines = [_("The event “%(title)s” has been cancelled, so your shift is no longer needed.", title=event.title),
             _shift_line(assignment)]
    if reason:
        lines.append(_("The organizer says: %(reason)s", reason=reason))
    lines.append(_("Thank you for offering your time.") + " " + _help_line())
    return subject, "\n\n".join(lines)


# Changes --------------------------------------------------------------------------------------

def what_changed(before, event):
    """[(what, was, now)] for the changes people who are coming must know, in the current language;
    empty when nothing of the sort changed."""
    changes = []
    if (before.starts_at, before.ends_at) != (event.starts_at, event.ends_at):
        changes.append((_("Time"), span_when(before.starts_at, before.ends_at),
                        span_when(event.starts_at, event.ends_at)))
    if before.venue_id != event.venue_id:
        changes.append((_("Place"), _venue_text(before.venue_id), _venue_text(event.venue_id)))
    if (before.online_url or None) != (event.online_url or None):
        none = _("no online link")
        changes.append((_("Online link"), before.online_url or none, event.online_url or none))
    return changes


def _venue_text(venue_id):
    venue = db.session.get(Venue, venue_id) if venue_id is not None else None
    if venue is None:
        return _("no venue (online only)")
    return f"{venue.name}, {venue.address}"


def queue_event_changed(event, before):
    """Tell everyone involved what changed in a published event (see ``what_changed``); returns
    how many people were told (0 when nothing that matters changed, or the event is not published)."""
    if before.status != PUBLISHED or event.status != PUBLISHED:
        return 0
    if not what_changed(before, event):
        return 0
    told = 0
    for registration in _registrations(event):
        queue_message(registration.user, CHANGED_KIND,
                      lambda: _changed_text(event, before, _registration_hint()), event)
        told += 1
    for assignment in _assignments(event):
        queue_message(assignment.volunteer, CHANGED_KIND,
                      lambda assignment=assignment: _changed_text(event, before, _shift_hint(assignment)), event)
        told += 1
    return told


def _registration_hint():
    return _("Your registration stays as it is. If you can no longer come, please cancel it in "
             "“My registrations” so that someone else can have your place.")


def _shift_hint(assignment):
    return _shift_line(assignment) + " " + _(
        "If the shift no longer fits, please tell the organizer or decline it in “My assignments”.")


def _changed_text(event, before, hint):
    subject = _("Changed: %(title)s", title=event.title)
    lines = [_("The organizer has changed the event “%(title)s”. What is different:", title=event.title)]
    for what, was, now in what_changed(before, event):
        lines.append(_("%(what)s: was %(was)s; now %(now)s.", what=what, was=was, now=now))
    venue = db.session.get(Venue, event.venue_id) if event.venue_id is not None else None
    if before.venue_id != event.venue_id and venue is not None and venue.accessible_entrance:
        lines.append(_("Accessible entrance: %(entrance)s", entrance=venue.accessible_entrance))
    lines += ["", hint, _help_line()]
    return subject, "\n".join(lines)
