"""Organizers staffing events: coverage, assigning, suggestions, cancelling, confirming who served."""
import re
from datetime import timedelta

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload
from wtforms import SelectChoice

from ..accessibility import skill_label
from ..auth.accounts import find_user_by_login
from ..db_types import utcnow
from ..events.event_admin import managed_events_query
from ..events.models import CANCELLED as EVENT_CANCELLED, Event
from ..extensions import db
from ..web import render_form
from . import assignments as service, lookups, matching
from .blueprint import bp
from .coverage import event_coverage, staffing_overview
from .forms import AssignForm, ConfirmForm, ServedForm, ShiftForm, SuggestionsForm
from .training import TRAINING
from .view_helpers import perform

PICK_RE = re.compile(r"^(\d+):([a-z_]+)$")
LIST_LIMIT = 100


@bp.route("/events")
@login_required
def staffing_events():
    lookups.require_staff(current_user)
    now = utcnow()
    query = (managed_events_query(current_user).options(joinedload(Event.venue), joinedload(Event.district))
             .where(Event.ends_at >= now - timedelta(days=14), Event.status != EVENT_CANCELLED,
                    Event.category != TRAINING)
             .order_by(Event.starts_at, Event.id).limit(LIST_LIMIT))
    events = list(db.session.scalars(query).unique())
    return render_template("volunteers/staffing_events.html", events=events, now=now,
                           staffing=staffing_overview(db.session, [e.id for e in events]))


@bp.route("/events/<int:event_id>")
@login_required
def event_staffing(event_id):
    event = lookups.staffable_event(current_user, event_id)
    now = utcnow()
    assignments = service.event_assignments(db.session, event.id)
    return render_template(
        "volunteers/event_staffing.html", event=event, coverage=event_coverage(db.session, event),
        assignments=assignments, now=now, any_started=any(a.is_live and a.shift_start <= now for a in assignments),
    )


@bp.route("/events/<int:event_id>/assign", methods=["GET", "POST"])
@login_required
def assign(event_id):
    event = lookups.staffable_event(current_user, event_id)
    start, end = service.default_shift(event)
    form = AssignForm(data={"shift_start": start, "shift_end": end})
    if form.validate_on_submit():
        done, assignment = perform(
            form, service.assign_volunteer, db.session, event, find_user_by_login(form.volunteer.data),
            form.role.data, form.shift_start.data, form.shift_end.data, skill=form.skill.data or None, by=current_user,
        )
        if done:
            flash(_("%(name)s has been asked to help. They will see it under “My assignments”.",
                    name=assignment.volunteer.display_name), "success")
            return redirect(url_for("volunteers.event_staffing", event_id=event.id))
    return render_form("volunteers/assign.html", form, event=event)


@bp.route("/events/<int:event_id>/suggestions", methods=["GET", "POST"])
@login_required
def suggestions(event_id):
    event = lookups.staffable_event(current_user, event_id)
    form = SuggestionsForm()
    result = matching.suggest_assignments(db.session, event)
    choices = [SelectChoice(f"{s.volunteer_id}:{s.skill}", s.volunteer.display_name) for s in result.suggestions]
    offered = {choice.value for choice in choices}
    posted = [value for value in (form.picks.raw_data or []) if PICK_RE.match(value)] if form.is_submitted() else []
    form.picks.choices = choices + [SelectChoice(value) for value in posted if value not in offered]
    if not form.is_submitted():
        form.picks.data = [choice.value for choice in choices]
    if form.validate_on_submit():
        picks = [(int(m.group(1)), m.group(2)) for m in map(PICK_RE.match, form.picks.data)]
        done, created = perform(form, matching.assign_suggested, db.session, event, picks, by=current_user)
        if done:
            flash(_("%(count)s volunteers have been asked to help.", count=len(created)), "success")
            return redirect(url_for("volunteers.event_staffing", event_id=event.id))
        # Shown again with the refusal: the rollback expired what was loaded.
        result = matching.suggest_assignments(db.session, event)
    return render_form("volunteers/suggestions.html", form, event=event, result=result, skill_label=skill_label)


@bp.route("/events/<int:event_id>/assignments/<int:assignment_id>/cancel", methods=["GET", "POST"])
@login_required
def assignment_cancel(event_id, assignment_id):
    event = lookups.staffable_event(current_user, event_id)
    assignment = lookups.event_assignment(event, assignment_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        name = assignment.volunteer.display_name
        done, _cancelled = perform(form, service.cancel_assignment, db.session, assignment)
        if done:
            flash(_("%(name)s is no longer on this event's team and has been told.", name=name), "success")
            return redirect(url_for("volunteers.event_staffing", event_id=event.id))
    return render_form("volunteers/assignment_cancel.html", form, event=event, assignment=assignment)


@bp.route("/events/<int:event_id>/assignments/<int:assignment_id>/shift", methods=["GET", "POST"])
@login_required
def assignment_shift(event_id, assignment_id):
    event = lookups.staffable_event(current_user, event_id)
    assignment = lookups.event_assignment(event, assignment_id)
    form = ShiftForm(data={"shift_start": assignment.shift_start, "shift_end": assignment.shift_end})
    if form.validate_on_submit():
        done, _changed = perform(form, service.change_shift, db.session, assignment, form.shift_start.data,
                                 form.shift_end.data)
        if done:
            flash(_("The shift of %(name)s has been moved and they have been told.",
                    name=assignment.volunteer.display_name), "success")
            return redirect(url_for("volunteers.event_staffing", event_id=event.id))
    return render_form("volunteers/assignment_shift.html", form, event=event, assignment=assignment)


@bp.route("/events/<int:event_id>/served", methods=["GET", "POST"])
@login_required
def served(event_id):
    event = lookups.staffable_event(current_user, event_id)
    now = utcnow()
    started = [a for a in service.event_assignments(db.session, event.id) if a.is_live and a.shift_start <= now]
    form = ServedForm(data={"served": [str(a.id) for a in started if a.served_confirmed]})
    form.served.choices = [SelectChoice(str(a.id), a.volunteer.display_name) for a in started]
    if form.validate_on_submit():
        done, counts = perform(form, service.confirm_served, db.session, event, [int(v) for v in form.served.data],
                               by=current_user)
        if done:
            flash(_("Saved: %(confirmed)s confirmed, %(unconfirmed)s no longer confirmed.",
                    confirmed=counts[0], unconfirmed=counts[1]), "success")
            return redirect(url_for("volunteers.event_staffing", event_id=event.id))
        # Shown again with the refusal: the rollback expired what was loaded.
        started = [a for a in service.event_assignments(db.session, event.id) if a.is_live and a.shift_start <= now]
    return render_form("volunteers/served.html", form, event=event, started=started)
