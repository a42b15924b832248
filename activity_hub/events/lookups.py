"""Loading an event, a registration or a venue for the person asking, and refusing what they may
not see or act on. The pages and the JSON API call these same functions, so who may see a draft,
a registration or an event's roster is decided in one place; the refusals (``NotFound``,
``Forbidden``) are answered by the app as the error page or as the API's JSON error.

Anything that must not be known to exist is a ``NotFound``: a draft for the public, someone
else's registration. ``Forbidden`` is for what the person may know of but not manage.
"""
import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from ..auth.accounts import is_logged_in
from ..extensions import db
from ..lookup_errors import Forbidden, NotFound
from .event_admin import can_manage_event
from .models import CONFIRMED, DRAFT, Event, Registration, Venue
from .venues import can_manage_venue


def may_see_event(user, event):
    """Published, cancelled and completed events are public; a draft only for those who manage it.
    ``event`` is an ``Event`` or a row with its ``status`` and ``district_id``."""
    return event.status != DRAFT or can_manage_event(user, event)


def ensure_visible(user, event):
    """``event`` (already loaded, or None) if ``user`` may see it; else ``NotFound``, as if absent."""
    if event is None or not may_see_event(user, event):
        raise NotFound()
    return event


def visible_event(user, event_id):
    """The event with its venue (and the venue's district), district and series, if ``user`` may see it."""
    return ensure_visible(user, db.session.scalar(
        sa.select(Event).where(Event.id == event_id)
        .options(joinedload(Event.venue).joinedload(Venue.district), joinedload(Event.district),
                 joinedload(Event.series))
    ))


def managed_event(user, event_id):
    """The event, if it exists (``NotFound``) and ``user`` may manage it (``Forbidden``)."""
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound()
    if not can_manage_event(user, event):
        raise Forbidden()
    return event


def may_see_online_link(user, event, registration=None):
    """An event's online link (the address of its room) is for those whose place is confirmed
    (``registration``: theirs for this event, or None) and for the event's organizers; everyone
    else learns only that there is one. The event page and the API ask this; the calendar feeds
    hold only the person's own registrations and show the link for the confirmed ones."""
    return (registration is not None and registration.status == CONFIRMED) or can_manage_event(user, event)


def online_links_shown(user, events):
    """The ids among ``events`` (each with ``id`` and ``district_id``) whose online link ``user``
    may see by ``may_see_online_link``, for a whole page at once: one query at most."""
    if not is_logged_in(user):
        return set()
    shown = {event.id for event in events if can_manage_event(user, event)}
    others = [event.id for event in events if event.id not in shown]
    if others:
        shown.update(db.session.scalars(sa.select(Registration.event_id).where(
            Registration.user_id == user.id, Registration.status == CONFIRMED, Registration.event_id.in_(others))))
    return shown


def may_see_registration(user, registration):
    """The resident themself, the event's organizers and administrators."""
    if not is_logged_in(user):
        return False
    return user.id == registration.user_id or can_manage_event(user, registration.event)


def visible_registration(user, registration_id):
    """The registration with its event (and venue) and resident, for whoever ``may_see_registration``;
    ``NotFound`` for anyone else."""
    found = db.session.scalar(
        sa.select(Registration).where(Registration.id == registration_id)
        .options(joinedload(Registration.event).joinedload(Event.venue), joinedload(Registration.user))
    )
    if found is None or not may_see_registration(user, found):
        raise NotFound()
    return found


def managed_registration(user, registration_id):
    """A registration of an event ``user`` manages: ``NotFound`` when there is none, ``Forbidden``
    when the event is not theirs (the organizers' roster actions)."""
    found = db.session.get(Registration, registration_id)
    if found is None:
        raise NotFound()
    managed_event(user, found.event_id)
    return found


def own_registrations(user, statuses=None, with_needs=False):
    """``user``'s registrations (only those in ``statuses`` when given) with their events (and, when
    asked, needs), by the event's start, earliest first, then by when they were made: "my
    registrations" on the page and in the API."""
    query = (
        sa.select(Registration).join(Registration.event)
        .where(Registration.user_id == user.id)
        .options(joinedload(Registration.event).joinedload(Event.venue))
        .order_by(Event.starts_at, Registration.id)
    )
    if statuses is not None:
        query = query.where(Registration.status.in_(statuses))
    if with_needs:
        query = query.options(selectinload(Registration.need_rows))
    return list(db.session.scalars(query).unique())


def managed_venue(user, venue_id):
    """The venue, if it exists (``NotFound``) and ``user`` may manage it (``Forbidden``)."""
    venue = db.session.get(Venue, venue_id)
    if venue is None:
        raise NotFound()
    if not can_manage_venue(user, venue):
        raise Forbidden()
    return venue
