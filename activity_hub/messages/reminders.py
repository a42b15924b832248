"""Reminders before an event: to confirmed residents (the day before, two hours before, as each
chose) and to volunteers with an accepted shift (the day before).

``queue_due_reminders(now)`` is run by beat every few minutes. A reminder is due from its lead time
before the start (24 h, 2 h) until half of it has passed (12 h, 1 h before): a run that finds it
later (the worker was down, or the resident registered an hour before) skips it rather than send a
"day before" reminder at the door. Each reminder is written at most once: its outbox row carries a
``dedupe_key`` naming the registration (or shift), the reminder and the start it announces, and the
database refuses a second row with that key, so two runs, or two workers at the same moment, write
it once. An event moved to another time has a new start, so its reminders are due again.
"""
import functools
from collections import namedtuple
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import contains_eager, joinedload

from ..accessibility import feature_label, need_label
from ..auth.models import User
from ..db_types import utcnow
from ..events.checkin_tokens import checkin_token
from ..events.models import CONFIRMED, PUBLISHED, Event, Registration
from ..events.when import event_when, span_when
from ..extensions import db
from ..local_time import moment
from ..volunteers.models import ACCEPTED, Assignment
from .models import OutboxMessage
from .outbox import insert_unless_written, message_values

REMINDER_KIND = "event_reminder"
ASSIGNMENT_REMINDER_KIND = "assignment_reminder"
# How many reminders are written per statement.
BATCH = 500


class Reminder(namedtuple("Reminder", "name lead preference")):
    """A reminder ``lead`` before the start, for people whose ``preference`` (a User column) is on."""

    @property
    def latest(self):
        """The least time before the start at which the reminder is still sent."""
        return self.lead / 2

    def window(self, now):
        """(after, until): the starts this reminder is due for at ``now``: after < start <= until."""
        return now + self.latest, now + self.lead


DAY_BEFORE = Reminder("day", timedelta(hours=24), "remind_day_before")
TWO_HOURS_BEFORE = Reminder("2h", timedelta(hours=2), "remind_two_hours_before")
RESIDENT_REMINDERS = (DAY_BEFORE, TWO_HOURS_BEFORE)


def reminder_key(reminder, registration, starts_at):
    return f"reminder:{reminder.name}:{registration.id}:{int(starts_at.timestamp())}"


def shift_reminder_key(assignment):
    return f"reminder:shift:{assignment.id}:{int(assignment.shift_start.timestamp())}"


# A reminder to write: to whom, of which kind, about which event, its key, and its text.
Due = namedtuple("Due", "user kind event key render")


def queue_due_reminders(now=None):
    """Write every reminder due at ``now`` that has not been written yet, and commit; returns
    {reminder name: how many were written} ("day", "2h", "shift")."""
    now = now or utcnow()
    written = {}
    try:
        for reminder in RESIDENT_REMINDERS:
            written[reminder.name] = _write_once([
                Due(registration.user, REMINDER_KIND, registration.event,
                    reminder_key(reminder, registration, registration.event.starts_at),
                    functools.partial(_reminder_text, registration))
                for registration in _due_registrations(reminder, now)
            ])
        written["shift"] = _write_once([
            Due(assignment.volunteer, ASSIGNMENT_REMINDER_KIND, assignment.event, shift_reminder_key(assignment),
                functools.partial(_shift_text, assignment))
            for assignment in _due_shifts(now)
        ])
    except Exception:
        db.session.rollback()
        raise
    db.session.commit()
    return written


def _due_registrations(reminder, now):
    after, until = reminder.window(now)
    return db.session.scalars(
        sa.select(Registration)
        .join(Registration.event).join(Registration.user)
        .where(Registration.status == CONFIRMED, Event.status == PUBLISHED,
               Event.starts_at > after, Event.starts_at <= until,
               getattr(User, reminder.preference).is_(True), User.is_active_account.is_(True))
        .options(contains_eager(Registration.event), contains_eager(Registration.user),
                 joinedload(Registration.event, Event.venue))
        .order_by(Registration.id)
    ).unique().all()


def _due_shifts(now):
    after, until = DAY_BEFORE.window(now)
    return db.session.scalars(
        sa.select(Assignment)
        .join(Assignment.event).join(Assignment.volunteer)
        .where(Assignment.status == ACCEPTED, Event.status == PUBLISHED,
               Assignment.shift_start > after, Assignment.shift_start <= until,
               User.remind_day_before.is_(True), User.is_active_account.is_(True))
        .options(contains_eager(Assignment.event), contains_eager(Assignment.volunteer),
                 joinedload(Assignment.event, Event.venue))
        .order_by(Assignment.id)
    ).unique().all()


def _write_once(due):
    """Write the message of each ``Due`` whose key is not taken yet (checked first so that nothing is
    rendered in vain; ``insert_unless_written`` skips what another worker wrote meanwhile)."""
    written = 0
    for start in range(0, len(due), BATCH):
        batch = due[start:start + BATCH]
        taken = set(db.session.scalars(
            sa.select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_([d.key for d in batch]))))
        rows = [message_values(d.user, d.kind, d.render, d.event, d.key) for d in batch if d.key not in taken]
        written += len(insert_unless_written(rows))
    return written


# What the reminders say -------------------------------------------------------------------------

def _place_lines(event):
    """Where, and how to get in: the venue's accessible entrance, directions and features."""
    venue = event.venue
    if venue is None:
        return [_("Online: %(url)s", url=event.online_url or "")]
    place = f"{venue.name}, {venue.address}"
    lines = [_("Where: %(place)s", place=place)]
    if venue.accessible_entrance:
        lines.append(_("Accessible entrance: %(entrance)s", entrance=venue.accessible_entrance))
    if venue.directions:
        lines.append(_("How to get there: %(directions)s", directions=venue.directions))
    if venue.features:
        lines.append(_("At the venue: %(features)s", features=_listed(feature_label(code) for code in venue.features)))
    if event.online_url:
        lines.append(_("Online: %(url)s", url=event.online_url))
    return lines


def _listed(labels):
    return _(", ").join(str(label) for label in labels)


def _needs_lines(registration):
    """What the resident asked for, and what the organizer provides at the event."""
    lines = []
    if registration.needs:
        lines.append(_("You asked for: %(needs)s.", needs=_listed(need_label(code) for code in registration.needs)))
    provisions = registration.event.provisions
    if provisions:
        lines.append(_("Arranged at this event: %(provisions)s.",
                       provisions=_listed(need_label(code) for code in provisions)))
    return lines


def _contact_line(event):
    contact = " ".join(part for part in (event.contact_name, event.contact_phone, event.contact_email) if part)
    return _("Questions? Contact %(contact)s.", contact=contact) if contact else None


def _reminder_text(registration):
    event = registration.event
    subject = _("Reminder: %(title)s, %(when)s", title=event.title, when=moment(event.starts_at))
    lines = [_("Hello %(name)s,", name=registration.user.display_name),
             _("A reminder of the event you are registered for."), "",
             _("Event: %(title)s", title=event.title),
             _("When: %(start)s", start=event_when(event))]
    lines += _place_lines(event)
    lines += _needs_lines(registration)
    lines += ["", _("Your check-in code: %(code)s. Show it at the entrance, on your phone or on paper.",
                    code=checkin_token(registration)),
              _("If you cannot come, please cancel in “My registrations” so someone on the waiting list "
                "can have your place.")]
    contact = _contact_line(event)
    if contact:
        lines.append(contact)
    return subject, "\n".join(lines)


def _shift_text(assignment):
    event = assignment.event
    subject = _("Reminder: your shift at “%(event)s”, %(when)s", event=event.title,
                when=moment(assignment.shift_start))
    lines = [_("Hello %(name)s,", name=assignment.volunteer.display_name),
             _("A reminder of your volunteer shift as %(role)s at “%(event)s”.", role=assignment.role,
               event=event.title), "",
             _("Your shift: %(when)s", when=span_when(assignment.shift_start, assignment.shift_end)),
             _("The event: %(when)s", when=event_when(event))]
    lines += _place_lines(event)
    lines += ["", _("If you cannot come after all, please call the organizer as soon as you can.")]
    contact = _contact_line(event)
    if contact:
        lines.append(contact)
    return subject, "\n".join(lines)
