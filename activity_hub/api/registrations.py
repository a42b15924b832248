"""Registrations: a resident registers, sees and cancels their own; organizers approve,
reject, move up and check in. Every rule is in ``events.registration``."""
from flask_babel import gettext as _
from flask_login import current_user

from ..accessibility import NEED_CODES
from ..events import registration as service
from ..events.lookups import managed_event, own_registrations, visible_event, visible_registration
from ..events.models import ACTIVE_STATUSES, REGISTRATION_STATUSES, Registration
from ..events.roster import RosterEntry
from ..extensions import db
from ..lookup_errors import NotFound
from . import service_errors  # noqa: F401  (registers the service error handlers)
from .framework import ApiError, Routes, json_body, query_args, require_user, validation_error
from .schema import Field, Fields
from .serializers import registration_json, roster_entry_json

OPENAPI_PATHS = {}
route = Routes(OPENAPI_PATHS, tag="Registrations")

REGISTER = Fields({
    "needs": Field("array", items=Field("string", enum=NEED_CODES), max_items=len(NEED_CODES),
                   description="What the resident needs to take part (codes of the accessibility taxonomy)."),
    "needs_note": Field("string", max_length=service.NOTE_MAX, description="Anything else about the needs."),
    "companions": Field("integer", minimum=0, description="Carers or family members; each takes a place."),
    "note": Field("string", max_length=service.NOTE_MAX),
    "consent": Field("boolean", required=True,
                     description="The resident agrees that the organizer may use the needs to arrange the event."),
}, example={"needs": ["wheelchair_space", "sign_language"], "companions": 1, "note": "", "consent": True})


def own_registration_json(registration, position):
    return registration_json(registration, position, event=True, checkin_code=service.checkin_token(registration))


@route("POST", "/events/<int:event_id>/registrations", summary="Register for an event", body=REGISTER,
       response="MyRegistration", status=201, errors=(409,))
def register(event_id):
    """The answer says `confirmed`, `pending` (approval needed) or `waitlisted` with the
    position. Refusals are 409 with a code: `already_registered`, `closed`, `not_open_yet`,
    `event_cancelled`, `event_past`, `not_published` (a draft, for its organizers; a 404 for
    everyone else)."""
    user = require_user()
    data = json_body(REGISTER)
    # An unknown event is the service's "not_found" refusal (a 404): no second load of the event here.
    try:
        made, position = service.register_with_position(
            event_id, user, needs=data.get("needs", []), companions=data.get("companions", 0),
            note=data.get("note", ""), needs_note=data.get("needs_note", ""), consent=data["consent"],
        )
    except service.RegistrationRefused as refused:
        if refused.code == "not_published":
            visible_event(user, event_id)  # a draft is a 404 for whoever may not see it, as on the page
        raise
    return own_registration_json(made, position), 201


MY_QUERY = Fields({
    "status": Field("string", enum=("active", "all") + REGISTRATION_STATUSES,
                    description="`active` (default): confirmed, pending and waitlisted."),
})


@route("GET", "/me/registrations", summary="My registrations", query=MY_QUERY, response="MyRegistrationList")
def my_registrations():
    """Newest event first."""
    user = require_user()
    args = query_args(MY_QUERY)
    status = args.get("status", "active")
    statuses = ACTIVE_STATUSES if status == "active" else REGISTRATION_STATUSES if status == "all" else (status,)
    registrations = own_registrations(user, statuses, with_needs=True)[::-1]
    positions = service.waitlist_positions(registrations)
    return {"items": [own_registration_json(r, positions.get(r.id)) for r in registrations]}


def _answer(registration_id):
    db.session.expire_all()
    registration = visible_registration(current_user, registration_id)
    position = service.waitlist_position(registration)
    if registration.user_id == current_user.id:
        return own_registration_json(registration, position)
    return registration_json(registration, position)


@route("GET", "/registrations/<int:registration_id>", summary="One registration (mine, or of an event I organize)",
       response="Registration")
def registration_detail(registration_id):
    visible_registration(require_user(), registration_id)
    return _answer(registration_id)


@route("DELETE", "/registrations/<int:registration_id>", summary="Cancel a registration",
       response="Registration", errors=(409,))
def cancel_registration(registration_id):
    """By the resident, or by an organizer of the event. The places freed go to the
    waitlist at once. Answers with the cancelled registration."""
    user = require_user()
    visible_registration(user, registration_id)
    service.cancel_registration(registration_id, user)
    return _answer(registration_id)


def _organizer_action(action, registration_id):
    user = require_user()
    visible_registration(user, registration_id)
    action(registration_id, user)
    return _answer(registration_id)


@route("POST", "/registrations/<int:registration_id>/approve", summary="Approve a pending registration",
       response="Registration", errors=(409,))
def approve_registration(registration_id):
    return _organizer_action(service.approve, registration_id)


@route("POST", "/registrations/<int:registration_id>/reject", summary="Turn down a pending or waitlisted registration",
       response="Registration", errors=(409,))
def reject_registration(registration_id):
    return _organizer_action(service.reject, registration_id)


@route("POST", "/registrations/<int:registration_id>/move-up",
       summary="Confirm a waitlisted registration out of turn (if it fits whole)", response="Registration", errors=(409,))
def move_up_registration(registration_id):
    return _organizer_action(service.move_up, registration_id)


CHECK_IN = Fields({
    "token": Field("string", min_length=1, max_length=100, description="The code of the resident's QR code."),
    "registration_id": Field("integer", minimum=1, description="Instead of a token, e.g. found by name."),
}, description="Give `token` or `registration_id`.", example={"token": "3F-7K2MQ-9XW4D"})


@route("POST", "/events/<int:event_id>/check-ins", summary="Check a resident in", body=CHECK_IN,
       response="CheckIn", errors=(404, 409))
def check_in(event_id):
    """Checking in twice changes nothing. The answer shows the resident's needs, so the
    person at the door can arrange them."""
    user = require_user()
    data = json_body(CHECK_IN)
    managed_event(user, event_id)
    if ("token" in data) == ("registration_id" in data):
        raise validation_error({"token": _("Give either the check-in code or the registration id")})
    if "token" in data:
        registration = service.registration_from_token(data["token"])
        if registration is None:
            raise ApiError(404, "unknown_code", _("This check-in code is not valid. Check it and try again."))
    else:
        registration = db.session.get(Registration, data["registration_id"])
        if registration is None:
            raise NotFound()
    registration = service.check_in(registration.id, user, event_id=event_id)
    return roster_entry_json(RosterEntry(registration, None))
