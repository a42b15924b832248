"""A volunteer's own shifts: see them, accept, decline with a reason, and the year's hours."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..auth.permissions import require_role
from ..db_types import utcnow
from ..extensions import db
from ..local_time import current_year
from ..web import render_form
from . import assignments as service
from .briefing import assignment_briefings
from .errors import VolunteerError
from .forms import ConfirmForm, DeclineForm
from .hours import volunteer_year_hours
from .skills import VOLUNTEER_ROLES
from .views import apply_error, bp


def _own_or_404(assignment_id):
    assignment = service.own_assignment(db.session, current_user.id, assignment_id)
    if assignment is None:
        abort(404)
    return assignment


@bp.route("/my")
@login_required
def my_assignments():
    require_role(*VOLUNTEER_ROLES)
    now = utcnow()
    mine = service.assignments_of_volunteer(db.session, current_user.id)
    upcoming = sorted((a for a in mine if a.shift_end > now), key=lambda a: (a.shift_start, a.id))
    past = [a for a in mine if a.shift_end <= now]
    briefings = assignment_briefings(db.session, upcoming + past)
    year = current_year()
    shifts, minutes = volunteer_year_hours(db.session, current_user.id, year)
    return render_template(
        "volunteers/my_assignments.html", upcoming=upcoming, past=past, briefings=briefings, now=now,
        year=year, served_shifts=shifts, served_hours=round(minutes / 60.0, 1), form=ConfirmForm(),
    )


@bp.route("/my/<int:assignment_id>/accept", methods=["POST"])
@login_required
def accept(assignment_id):
    require_role(*VOLUNTEER_ROLES)
    assignment = _own_or_404(assignment_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        service.accept_assignment(db.session, assignment)
        db.session.commit()
    except VolunteerError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("volunteers.my_assignments"))
    flash(_("Thank you: you have accepted the shift at “%(event)s”.", event=assignment.event.title), "success")
    return redirect(url_for("volunteers.my_assignments"))


@bp.route("/my/<int:assignment_id>/decline", methods=["GET", "POST"])
@login_required
def decline(assignment_id):
    require_role(*VOLUNTEER_ROLES)
    assignment = _own_or_404(assignment_id)
    if not assignment.is_live:
        abort(404)
    form = DeclineForm()
    if form.validate_on_submit():
        try:
            service.decline_assignment(db.session, assignment, form.reason.data)
            db.session.commit()
        except VolunteerError as error:
            db.session.rollback()
            assignment = _own_or_404(assignment_id)
            apply_error(form, error)
        else:
            flash(_("You have declined the shift at “%(event)s”. The organizer has been told.",
                    event=assignment.event.title), "success")
            return redirect(url_for("volunteers.my_assignments"))
    return render_form("volunteers/decline.html", form, assignment=assignment)
