"""Volunteer pages: the blueprint and what its views share.

The views themselves live in one module per audience: ``my_views`` (a volunteer's
own shifts), ``team_views`` (teams, members, training), ``staffing_views``
(organizers staffing events) and ``report_views`` (hours and projects).
"""
from flask import Blueprint, abort, request

from ..events.models import Event
from ..extensions import db
from ..local_time import current_year, moment

bp = Blueprint("volunteers", __name__, template_folder="templates", static_folder="static",
               url_prefix="/volunteers")


@bp.context_processor
def volunteer_template_helpers():
    from ..accessibility import skill_label
    from .access import is_staff
    from .models import assignment_status_label

    return {"assignment_status_label": assignment_status_label, "volunteer_is_staff": is_staff,
            "skill_label": skill_label}


# "2026年5月16日星期六 14:00": the same words for a time as on the event pages.
bp.add_app_template_filter(moment, "vol_when")


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


def event_or_404(event_id):
    event = db.session.get(Event, event_id)
    if event is None:
        abort(404)
    return event


from . import my_views, report_views, staffing_views, team_views  # noqa: E402,F401  (routes register on bp)
