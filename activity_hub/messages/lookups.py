"""Load what the staff's message pages act on, and check who may: the event's organizers (of its
district, or city-wide) and administrators for an event's announcements and delivery; only
administrators for the whole queue; a person's own messages for their inbox (to anyone else a message
does not exist, so ids cannot be probed for other people's messages). Refusals are ``lookup_errors`` (the app answers them as the
error page or the API's JSON error)."""
import sqlalchemy as sa

from ..auth.accounts import can_manage_district, organizer_scope
from ..events.models import Event
from ..extensions import db
from ..lookup_errors import Forbidden, NotFound
from .models import OutboxMessage


def _logged_in(user):
    return user is not None and getattr(user, "is_authenticated", False)


def announceable_event(user, event_id):
    """The event whose people ``user`` may write to and whose messages they may see and retry.

    No such event: NotFound. Someone who organizes nothing (a resident, a volunteer), or an
    organizer of another district: Forbidden, as the roster answers them."""
    if not _logged_in(user) or organizer_scope(user) == set():
        raise Forbidden()
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound()
    if not can_manage_district(user, event.district_id):
        raise Forbidden()
    return event


def event_message(user, event_id, message_id):
    """One message of the event, for its organizers (``announceable_event``); NotFound when the
    message belongs to another event or to none."""
    event = announceable_event(user, event_id)
    message = db.session.scalar(
        sa.select(OutboxMessage).where(OutboxMessage.id == message_id, OutboxMessage.event_id == event.id)
    )
    if message is None:
        raise NotFound()
    return event, message


def ensure_queue_admin(user):
    """The whole queue (every person's messages) is for administrators only."""
    if not _logged_in(user) or not user.is_admin:
        raise Forbidden()


# The largest id an INTEGER column holds; a larger number in an address is simply not found
# (PostgreSQL would refuse to compare it with the column).
LARGEST_ID = 2**31 - 1


def own_message(user, message_id):
    """The message ``message_id`` if it was written to ``user``; ``NotFound`` otherwise."""
    if not 0 < message_id <= LARGEST_ID:
        raise NotFound()
    message = db.session.get(OutboxMessage, message_id)
    if message is None or message.user_id != user.id:
        raise NotFound()
    return message
