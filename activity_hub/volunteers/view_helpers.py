"""What the volunteers' view modules share: running a form's operation with its refusal shown beside
the field, the year asked for, and the districts a form offers."""
from flask import abort, request
from wtforms import SelectChoice

from ..auth.accounts import managed_districts
from ..local_time import current_year
from .errors import VolunteerError


def apply_error(form, error):
    """Show a VolunteerError beside its field (or in the summary when it concerns the whole form)."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None and hasattr(field, "errors"):
        field.errors = list(field.errors) + [str(error.message)]
    else:
        form.form_errors.append(str(error.message))


def requested_year():
    """The ``year`` query parameter (2000-2100), or the current year; anything else is a bad request."""
    raw = request.args.get("year", "").strip()
    if not raw:
        return current_year()
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        abort(400)
    return int(raw)


def district_choices_for(user):
    return [SelectChoice(str(d.id), d.name) for d in managed_districts(user)]


def perform(form, operation, *args, **kwargs):
    """Run a service operation for a submitted form: ``(True, its result)``, or ``(False, None)``
    with the refusal shown beside its field (the service has rolled its transaction back)."""
    try:
        return True, operation(*args, **kwargs)
    except VolunteerError as error:
        apply_error(form, error)
        return False, None
