"""The outbox messages that tell a resident what happened to their registration.

Each message is rendered in the resident's own language (``queue_message`` runs
the render function in their locale) and says what happened, when and where the
event is, and what to do next, in plain words that also read well as an SMS.
"""
from ...i18n import gettext as _, ngettext, one_catalogue
from ...messages.outbox import queue_message
from ..models import CONFIRMED, PENDING
from ..when import event_when
from .checkin import checkin_token

CONFIRMED_KIND = "registration_confirmed"
PENDING_KIND = "registration_pending"
WAITLISTED_KIND = "registration_waitlisted"
PROMOTED_KIND = "registration_promoted"
APPROVED_KIND = "registration_approved"
REJECTED_KIND = "registration_rejected"
CANCELLED_KIND = "registration_cancelled"


def _rendered_once(render):
    """``render`` with the catalogue looked up once as it starts: the resident's, as ``queue_message``
    runs it under ``force_locale``."""
    def run():
        with one_catalogue():
            return render()

    return run


def _place(event):
    if event.venue is not None:
        return f"{event.venue.name}, {event.venue.address}"
    return _("Online: %(url)s", url=event.online_url or "")


def _event_lines(event):
    lines = [
        _("Event: %(title)s", title=event.title),
        _("When: %(start)s", start=event_when(event)),
        _("Where: %(place)s", place=_place(event)),
    ]
    return lines


def _places_line(registration):
    if registration.companions:
        return ngettext(
            "Places: you and %(num)d companion.", "Places: you and %(num)d companions.",
            registration.companions,
        )
    return _("Places: you only, no companions.")


def _contact_line(event):
    contact = " ".join(part for part in (event.contact_name, event.contact_phone, event.contact_email) if part)
    return _("Questions? Contact %(contact)s.", contact=contact) if contact else None


def _checkin_line(registration):
    return _("Your check-in code: %(code)s. Show it at the entrance, on your phone or on paper.",
             code=checkin_token(registration))


def _body(registration, headline, *extra):
    event = registration.event
    lines = [_("Hello %(name)s,", name=registration.user.display_name), headline, ""]
    lines += _event_lines(event)
    lines += [line for line in extra if line]
    contact = _contact_line(event)
    if contact:
        lines += ["", contact]
    return "\n".join(lines)


def _cancel_hint():
    return _("If you cannot come, please cancel in \u201cMy registrations\u201d so someone on the waiting list "
             "can have your place.")


def queue_confirmed(registration, queue=queue_message):
    def render():
        return (
            _("Registration confirmed: %(title)s", title=registration.event.title),
            _body(registration, _("Your place is confirmed."), _places_line(registration),
                  _checkin_line(registration), _cancel_hint()),
        )

    return queue(registration.user, CONFIRMED_KIND, _rendered_once(render), registration.event)


def queue_pending(registration, queue=queue_message):
    def render():
        return (
            _("Registration received, waiting for approval: %(title)s", title=registration.event.title),
            _body(registration,
                  _("We have received your registration. The organizer checks each registration for this event; "
                    "your places are held while you wait. We will write to you again when they have decided."),
                  _places_line(registration)),
        )

    return queue(registration.user, PENDING_KIND, _rendered_once(render), registration.event)


def queue_waitlisted(registration, position, queue=queue_message):
    def render():
        return (
            _("You are on the waiting list: %(title)s", title=registration.event.title),
            _body(registration,
                  _("The event is full, so you are on the waiting list at position %(position)d. "
                    "If places become free we will give them to you and write to you straight away.",
                    position=position or 0),
                  _places_line(registration)),
        )

    return queue(registration.user, WAITLISTED_KIND, _rendered_once(render), registration.event)


def queue_promoted(registration):
    def render():
        title = registration.event.title
        if registration.status == PENDING:
            return (
                _("A place became free, waiting for approval: %(title)s", title=title),
                _body(registration,
                      _("A place became free and it is held for you. The organizer checks each registration "
                        "for this event; we will write to you again when they have decided."),
                      _places_line(registration)),
            )
        return (
            _("You have a place now: %(title)s", title=title),
            _body(registration, _("A place became free and it is yours: your registration is confirmed."),
                  _places_line(registration), _checkin_line(registration), _cancel_hint()),
        )

    return queue_message(registration.user, PROMOTED_KIND, _rendered_once(render), registration.event)


def queue_approved(registration):
    def render():
        return (
            _("Registration approved: %(title)s", title=registration.event.title),
            _body(registration, _("The organizer has approved your registration. Your place is confirmed."),
                  _places_line(registration), _checkin_line(registration), _cancel_hint()),
        )

    return queue_message(registration.user, APPROVED_KIND, _rendered_once(render), registration.event)


def queue_rejected(registration):
    def render():
        return (
            _("Registration not accepted: %(title)s", title=registration.event.title),
            _body(registration,
                  _("We are sorry: the organizer could not accept your registration for this event. "
                    "Please contact them if you would like to know why.")),
        )

    return queue_message(registration.user, REJECTED_KIND, _rendered_once(render), registration.event)


def queue_cancelled(registration, by_organizer=False):
    def render():
        headline = (
            _("The organizer has cancelled your registration for this event.")
            if by_organizer else _("Your registration is cancelled, as you asked. Thank you for letting us know.")
        )
        return (
            _("Registration cancelled: %(title)s", title=registration.event.title),
            _body(registration, headline),
        )

    return queue_message(registration.user, CANCELLED_KIND, _rendered_once(render), registration.event)


def queue_for_new_status(registration, waitlist_position=None, queue=queue_message):
    """The message for a fresh registration: confirmed, pending or waitlisted.

    ``queue`` keeps it: ``queue_message`` (the session's unit of work) or ``messages.outbox.message_values``
    (its row's values are returned, for a caller that writes the row with the registration's)."""
    if registration.status == CONFIRMED:
        return queue_confirmed(registration, queue=queue)
    if registration.status == PENDING:
        return queue_pending(registration, queue=queue)
    return queue_waitlisted(registration, waitlist_position, queue=queue)
