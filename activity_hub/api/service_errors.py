"""How the events services' refusals become API errors (registered on the API blueprint).

A refusal tied to an input field is invalid input (400 ``validation_failed`` with
``fields``); a refusal of the operation itself is a 409 carrying the service's own code
(``already_registered``, ``closed``, ``event_cancelled``, ...).
"""
from flask_babel import gettext as _

from ..events.event_admin import EventAdminError, NotAllowed
from ..events.event_rules import InvalidEvent
from ..events.registration import RegistrationRefused
from ..extensions import db
from .framework import bp, error_response


def _fields(errors):
    return {str(field): str(message) for field, message in errors.items()}


@bp.errorhandler(RegistrationRefused)
def registration_refused(error):
    db.session.rollback()
    if error.code == "not_found":
        return error_response(404, "not_found", error.message)
    if error.code == "not_allowed":
        return error_response(403, "forbidden", error.message)
    fields = {field: message for _code, field, message in error.errors if field}
    if fields:
        return error_response(400, "validation_failed", _("Some of the values given are not right"), fields)
    return error_response(409, error.code, error.message)


@bp.errorhandler(InvalidEvent)
def invalid_event(error):
    db.session.rollback()
    return error_response(400, "validation_failed", _("Some of the values given are not right"), _fields(error.errors))


@bp.errorhandler(EventAdminError)
def event_admin_refused(error):
    db.session.rollback()
    if isinstance(error, NotAllowed):
        return error_response(403, "forbidden", error.message)
    if error.code == "not_found":
        return error_response(404, "not_found", error.message)
    return error_response(409, error.code, error.message)
