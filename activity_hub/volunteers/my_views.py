"""A volunteer's own shifts: see them, accept, decline with a reason, and the year's hours."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..privacy import audit
from ..web import render_form
from . import assignments as service, lookups
from .blueprint import bp
from .errors import VolunteerError
from .forms import ConfirmForm, DeclineForm
from .my_shifts import my_shifts
from .view_helpers import perform


@bp.route("/my")
@login_required
def my_assignments():
    lookups.require_volunteer(current_user)
    shifts = my_shifts(db.session, current_user.id)
    page = render_template(
        "volunteers/my_assignments.html", upcoming=shifts.upcoming, past=shifts.past, briefings=shifts.briefings,
        now=shifts.now, year=shifts.year, served_shifts=shifts.served_shifts,
        served_hours=round(shifts.served_hours, 1), form=ConfirmForm(),
    )
    if shifts.briefings:  # the needs of the events they serve: one entry, after the page is built
        audit.record(current_user.id, audit.VOLUNTEER_BRIEFING_VIEWED, address=request.remote_addr,
                     detail="assignments " + ",".join(str(key) for key in sorted(shifts.briefings)))
    return page


@bp.route("/my/<int:assignment_id>/accept", methods=["POST"])
@login_required
def accept(assignment_id):
    assignment = lookups.own_assignment(current_user, assignment_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        service.accept_assignment(db.session, assignment)
    except VolunteerError as error:
        flash(str(error.message), "error")
        return redirect(url_for("volunteers.my_assignments"))
    flash(_("Thank you: you have accepted the shift at “%(event)s”.", event=assignment.event.title), "success")
    return redirect(url_for("volunteers.my_assignments"))


@bp.route("/my/<int:assignment_id>/decline", methods=["GET", "POST"])
@login_required
def decline(assignment_id):
    assignment = lookups.own_assignment(current_user, assignment_id, live=True)
    form = DeclineForm()
    if form.validate_on_submit():
        done, _declined = perform(form, service.decline_assignment, db.session, assignment, form.reason.data)
        if done:
            flash(_("You have declined the shift at “%(event)s”. The organizer has been told.",
                    event=assignment.event.title), "success")
            return redirect(url_for("volunteers.my_assignments"))
    return render_form("volunteers/decline.html", form, assignment=assignment)
