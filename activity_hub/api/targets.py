"""Plan targets and their progress: ``GET /api/v1/targets?year=YYYY``.

The figures come from ``dashboard.targets`` (the measures, each defined once) — the same
numbers as the dashboard, with the same attendance counts, reused for ``DASHBOARD_FIGURES_TTL``
seconds (see ``dashboard.attendance``). Organizers and administrators get every figure; other
callers get what the public results page shows, where a count of fewer than five people is withheld.
"""
from flask_login import current_user

from ..dashboard.report import Hidden, shown_actual
from ..dashboard.targets import current_year, target_progress, unit_label
from ..extensions import db
from .framework import Routes, query_args
from .schema import Field, Fields

OPENAPI_PATHS = {}
route = Routes(OPENAPI_PATHS, tag="Plan targets")

NULLABLE_INTEGER = {"type": ["integer", "null"]}
OPENAPI_SCHEMAS = {
    "PlanTarget": {
        "type": "object",
        "required": ["key", "label", "label_zh", "label_en", "target", "actual", "unit", "unit_label",
                     "measure", "percent", "reached", "suppressed", "definition"],
        "properties": {
            "key": {"type": "string", "description": "Stable identifier within the year."},
            "label": {"type": "string", "description": "In the request's language."},
            "label_zh": {"type": "string"},
            "label_en": {"type": "string"},
            "target": {"type": "integer", "minimum": 1},
            "actual": {**NULLABLE_INTEGER, "description": "The figure so far; null when there is none yet, "
                                                           "or when it is withheld (see `suppressed`)."},
            "unit": {"type": "string", "description": "Unit code, e.g. `events`, `person_times`."},
            "unit_label": {"type": "string"},
            "measure": {"type": "string", "description": "How progress is measured; `manual` when entered by hand."},
            "percent": {**NULLABLE_INTEGER, "description": "Whole per cent of the target reached, rounded down."},
            "reached": {"type": "boolean"},
            "suppressed": {"type": "boolean", "description": "True when the figure counts fewer than five people "
                                                             "and the caller is not an organizer or administrator."},
            "definition": {"type": "string", "description": "How the figure is counted."},
        },
    },
    "PlanTargetList": {
        "type": "object",
        "required": ["year", "items"],
        "properties": {
            "year": {"type": "integer"},
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/PlanTarget"}},
        },
    },
}

TARGETS_QUERY = Fields({
    "year": Field("integer", minimum=2000, maximum=2100, description="The plan year; the current year if omitted.",
                  example=2021),
})


def target_json(progress, public):
    actual = shown_actual(progress, public)
    suppressed = isinstance(actual, Hidden)
    target = progress.target
    return {
        "key": target.key,
        "label": target.label,
        "label_zh": target.label_zh,
        "label_en": target.label_en,
        "target": target.target,
        "actual": None if suppressed else actual,
        "unit": target.unit,
        "unit_label": str(unit_label(target.unit)),
        "measure": target.measure,
        "percent": None if suppressed else progress.percent,
        "reached": progress.reached,
        "suppressed": suppressed,
        "definition": str(progress.definition),
    }


@route("GET", "/targets", summary="Plan targets of a year with their progress", query=TARGETS_QUERY,
       response="PlanTargetList", auth="optional")
def plan_targets():
    """Each target with its figure so far. Anyone may ask; only organizers and administrators
    see counts of fewer than five people. Figures counted from attendance (events held,
    person-times, needs met) may be up to a minute old (the site's default)."""
    year = query_args(TARGETS_QUERY).get("year") or current_year()
    public = not (current_user.is_authenticated and current_user.has_role("organizer", "admin"))
    _figures, progress = target_progress(db.session, year)
    return {"year": year, "items": [target_json(item, public) for item in progress]}
