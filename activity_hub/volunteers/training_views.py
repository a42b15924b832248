"""Training: enrolling a team, recording attendance, marking a team trained for a year."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from ..auth.accounts import can_manage_district
from ..db_types import utcnow
from ..extensions import db
from ..local_time import current_year, moment
from ..lookup_errors import NotFound
from ..web import render_form
from . import lookups, training
from .blueprint import bp
from .forms import AttendanceForm, ConfirmForm, EnrolForm
from .view_helpers import perform, requested_year


@bp.route("/teams/<int:team_id>/training/enrol", methods=["GET", "POST"])
@login_required
def training_enrol(team_id):
    team = lookups.manageable_team(current_user, team_id)
    enrolled = {e.event_id for e in training.team_enrolments(db.session, team.id)}
    sessions = [e for e in training.training_events(db.session, upcoming_from=utcnow()) if e.id not in enrolled]
    form = EnrolForm()
    form.event.choices = [SelectChoice("", _("Choose a training session"))] + [
        SelectChoice(str(e.id), f"{e.title} – {moment(e.starts_at)}") for e in sessions
    ]
    if form.validate_on_submit():
        event = lookups.existing_event(int(form.event.data))
        done, _enrolment = perform(form, training.enrol_team, db.session, team, event, by=current_user)
        if done:
            flash(_("The team is enrolled in “%(event)s”.", event=event.title), "success")
            return redirect(url_for("volunteers.team_detail", team_id=team.id))
    return render_form("volunteers/training_enrol.html", form, team=team, sessions=sessions)


@bp.route("/teams/<int:team_id>/training/<int:year>/complete", methods=["GET", "POST"])
@login_required
def training_complete(team_id, year):
    team = lookups.runnable_team(current_user, team_id)
    if not 2000 <= year <= 2100:
        raise NotFound()
    state = training.training_states(db.session, year, [team.id])[team.id]
    form = ConfirmForm()
    if form.validate_on_submit():
        if request.form.get("action") == "unmark":
            training.unmark_trained(db.session, team, year)
            message = _("“%(name)s” is no longer counted as trained in %(year)s.", name=team.name, year=year)
        else:
            training.mark_trained(db.session, team, year, by=current_user)
            message = _("“%(name)s” is counted as trained in %(year)s.", name=team.name, year=year)
        flash(message, "success")
        return redirect(url_for("volunteers.team_detail", team_id=team.id, year=year if year != current_year() else None))
    return render_form("volunteers/training_complete.html", form, team=team, year=year, state=state,
                       state_label=training.state_label)


@bp.route("/training")
@login_required
def training_sessions():
    lookups.require_staff(current_user)
    year = requested_year()
    sessions = [e for e in training.training_events(db.session, year=year)
                if can_manage_district(current_user, e.district_id)]
    counts = training.enrolment_counts(db.session, [e.id for e in sessions])
    return render_template("volunteers/training_sessions.html", sessions=sessions, counts=counts, year=year)


@bp.route("/training/<int:session_id>/attendance", methods=["GET", "POST"])
@login_required
def training_attendance(session_id):
    """Who attended a training session (an event of category ``training``)."""
    event = lookups.training_session(current_user, session_id)
    roster, attended = training.attendance_roster(db.session, event)
    form = AttendanceForm(data={"attended": [str(user_id) for user_id in attended]})
    form.attended.choices = [SelectChoice(str(m.user_id), m.user.display_name)
                             for _team, members in roster for m in members]
    if form.validate_on_submit():
        done, count = perform(form, training.record_attendance, db.session, event,
                              [int(v) for v in form.attended.data], by=current_user)
        if done:
            flash(_("Attendance saved: %(count)s members attended.", count=count), "success")
            return redirect(url_for("volunteers.training_attendance", session_id=event.id))
        # Shown again with the refusal: the rollback expired what was loaded.
        roster, _attended = training.attendance_roster(db.session, event)
    return render_form("volunteers/training_attendance.html", form, event=event, roster=roster,
                       started=event.starts_at <= utcnow())
