"""The administrators' audit log: search by person, event, action and days; export as CSV."""
from flask import render_template, request
from flask_login import current_user

from ..exports import csv_bytes
from ..local_time import local_time
from ..web import download
from . import audit
from .blueprint import bp
from .forms import AuditSearchForm
from .labels import action_label
from .lookups import audit_reader


def _search(form):
    return audit.search(person_id=form.person.data, event_id=form.event.data, first_day=form.first_day.data,
                        last_day=form.last_day.data, action=form.action.data or None,
                        limit=None if request.path.endswith(".csv") else audit.SEARCH_LIMIT)


@bp.route("/admin/audit")
def admin_audit():
    audit_reader(current_user)
    form = AuditSearchForm(request.args)
    searched = bool(request.args)
    valid = form.validate() if searched else True
    entries = _search(form) if valid else []
    return render_template("privacy/admin_audit.html", form=form, entries=entries, searched=searched,
                           action_label=action_label, limit=audit.SEARCH_LIMIT,
                           export_query=request.query_string.decode()), (200 if valid else 400)


@bp.route("/admin/audit.csv")
def admin_audit_csv():
    audit_reader(current_user)
    form = AuditSearchForm(request.args)
    if not form.validate():
        return admin_audit()
    rows = [["id", "at", "actor_id", "actor", "action", "subject_user_id", "subject", "event_id", "event",
             "address", "detail"]]
    rows += [[
        entry.id, local_time(entry.at).isoformat(), entry.actor_id or "",
        entry.actor.display_name if entry.actor else "", entry.action, entry.subject_user_id or "",
        entry.subject_user.display_name if entry.subject_user else "", entry.event_id or "",
        entry.event.title if entry.event else "", entry.address, entry.detail,
    ] for entry in _search(form)]
    return download(csv_bytes(rows), "audit.csv")
