"""The volunteers domain's pages. Each view module registers its routes on ``bp``; this module
imports them (they never import it back from one another): ``my_views`` (a volunteer's own
shifts), ``team_views`` (teams, members, qualifications), ``training_views`` (enrolment,
attendance, completion), ``staffing_views`` (organizers staffing events) and ``report_views``
(hours and projects).
"""
import importlib

from flask import Blueprint

from ..local_time import moment

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

# One line per view module of this domain.
VIEW_MODULES = (
    "my_views",
    "team_views",
    "training_views",
    "staffing_views",
    "report_views",
)

for _name in VIEW_MODULES:
    importlib.import_module(f"{__package__}.{_name}")
