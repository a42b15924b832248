"""Organizer pages: the events they manage, creating and editing events and series.

Thin: read the form, call ``event_admin``, render or redirect. Every request needs the organizer or
admin role (checked before each request) and every event page checks the event's district.
The roster, check-in and venue pages register on the same blueprint from their own modules.
"""
import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from ..accessibility import feature_label, need_label
from ..auth.models import ADMIN, ORGANIZER
from ..auth.permissions import acting_user, require_role
from ..db_types import utcnow
from ..extensions import db
from . import event_admin
from .registration import availability
from .blueprint import organizer_bp
from .event_admin import EventAdminError, InvalidEvent, NotAllowed
from .lookups import managed_event
from .models import CANCELLED, DRAFT, EVENT_STATUSES, PUBLISHED, Event, category_label, event_status_label
from .organizer_forms import CancelEventForm, EventForm, EventListFilterForm, SeriesForm, district_choices_for
from .venues import venue_choices
from ..local_time import moment
from ..web import render_form
from .when import event_when

PER_PAGE = 25
WHEN_FILTERS = ("upcoming", "past", "all")


@organizer_bp.before_request
def require_organizer():
    require_role(ORGANIZER, ADMIN)


@organizer_bp.context_processor
def labels():
    return {"need_label": need_label, "feature_label": feature_label, "category_label": category_label,
            "event_status_label": event_status_label, "moment": moment, "event_when": event_when}


def _event_form(form_class=EventForm, **kwargs):
    return form_class(district_choices=district_choices_for(current_user),
                      venue_choices=venue_choices(_("No venue (online event)")), **kwargs)


@organizer_bp.route("/")
def events():
    """The events this organizer manages, with their status and registration counts."""
    status = request.args.get("status", "")
    status = status if status in EVENT_STATUSES else ""
    when = request.args.get("when", "upcoming")
    when = when if when in WHEN_FILTERS else "upcoming"
    page = max(1, request.args.get("page", 1, type=int) or 1)
    query = event_admin.managed_events_query(current_user)
    if status:
        query = query.where(Event.status == status)
    now = utcnow()
    if when == "upcoming":
        query = query.where(Event.ends_at >= now).order_by(Event.starts_at, Event.id)
    elif when == "past":
        query = query.where(Event.ends_at < now).order_by(Event.starts_at.desc(), Event.id.desc())
    else:
        query = query.order_by(Event.starts_at.desc(), Event.id.desc())
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery()))
    page_events = list(db.session.scalars(
        query.options(joinedload(Event.district), joinedload(Event.venue))
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    ))
    ids = [e.id for e in page_events]
    return render_template(
        "events/organizer/events.html", events=page_events, status=status, when=when, page=page,
        pages=max(1, -(-total // PER_PAGE)), total=total, statuses=EVENT_STATUSES,
        counts=event_admin.registration_counts(ids), availability=availability(ids),
        filters=EventListFilterForm(formdata=None, status=status, when=when),
    )


@organizer_bp.route("/events/new", methods=["GET", "POST"])
def new_event():
    form = _event_form()
    if form.validate_on_submit():
        try:
            event = event_admin.create_event(form.values(), acting_user(), publish=request.form.get("action") == "publish")
        except InvalidEvent as invalid:
            form.add_errors(invalid.errors)
        else:
            flash(_("The event has been saved as a draft.") if event.status == DRAFT
                  else _("The event has been published."), "success")
            return redirect(url_for("organize.event", event_id=event.id))
    return render_form("events/organizer/event_form.html", form, event=None)


@organizer_bp.route("/events/<int:event_id>")
def event(event_id):
    event = managed_event(current_user, event_id)
    counts = event_admin.registration_counts([event.id])[event.id]
    return render_template("events/organizer/event.html", event=event, counts=counts,
                           availability=availability([event.id]).get(event.id), now=utcnow(),
                           cancel_form=CancelEventForm())


@organizer_bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
def edit_event(event_id):
    event = managed_event(current_user, event_id)
    if event.status == CANCELLED:
        flash(_("A cancelled event cannot be changed."), "error")
        return redirect(url_for("organize.event", event_id=event.id))
    form = _event_form()
    if request.method == "GET":
        form.fill_from(event_admin.event_values(event))
    if form.validate_on_submit():
        try:
            changed = event_admin.update_event(event.id, form.values(), acting_user())
        except InvalidEvent as invalid:
            form.add_errors(invalid.errors)
        except NotAllowed:
            raise  # a Forbidden: the 403 page
        except EventAdminError as error:
            flash(error.message, "error")
            return redirect(url_for("organize.event", event_id=event_id))
        else:
            flash(_("Your changes have been saved.") if changed else _("Nothing was changed."), "success")
            return redirect(url_for("organize.event", event_id=event_id))
    return render_form("events/organizer/event_form.html", form, event=event)


def _state_change(event_id, action, done_message):
    managed_event(current_user, event_id)
    try:
        action(event_id, acting_user())
    except NotAllowed:
        raise  # a Forbidden: the 403 page
    except EventAdminError as error:
        flash(error.message, "error")
    else:
        flash(done_message, "success")
    return redirect(url_for("organize.event", event_id=event_id))


@organizer_bp.route("/events/<int:event_id>/publish", methods=["POST"])
def publish_event(event_id):
    return _state_change(event_id, event_admin.publish_event,
                         _("The event is published: residents can now find it and register."))


@organizer_bp.route("/events/<int:event_id>/complete", methods=["POST"])
def complete_event(event_id):
    return _state_change(event_id, event_admin.complete_event, _("The event is marked as completed."))


@organizer_bp.route("/events/<int:event_id>/duplicate", methods=["POST"])
def duplicate_event(event_id):
    managed_event(current_user, event_id)
    copy = event_admin.duplicate_event(event_id, acting_user())
    flash(_("This is a draft copy. Change the date and anything else, then save."), "success")
    return redirect(url_for("organize.edit_event", event_id=copy.id))


@organizer_bp.route("/events/<int:event_id>/cancel", methods=["GET", "POST"])
def cancel_event(event_id):
    """A confirmation page (GET); cancelling and telling everyone registered (POST)."""
    event = managed_event(current_user, event_id)
    form = CancelEventForm()
    if event.status not in (DRAFT, PUBLISHED):
        flash(_("Only a draft or published event can be cancelled."), "error")
        return redirect(url_for("organize.event", event_id=event.id))
    if form.validate_on_submit():
        try:
            told = event_admin.cancel_event(event.id, acting_user(), form.reason.data or "")
        except InvalidEvent as invalid:
            form.reason.errors = list(invalid.errors.values())
        except EventAdminError as error:
            flash(error.message, "error")
            return redirect(url_for("organize.event", event_id=event_id))
        else:
            flash(_("The event is cancelled. %(count)s registered residents will be told.", count=told), "success")
            return redirect(url_for("organize.event", event_id=event_id))
    active = availability([event.id]).get(event.id)
    counts = event_admin.registration_counts([event.id])[event.id]
    registered = sum(counts.get(s, (0, 0))[0] for s in ("pending", "confirmed", "waitlisted"))
    return render_form("events/organizer/cancel.html", form, event=event, registered=registered, availability=active)


@organizer_bp.route("/series/new", methods=["GET", "POST"])
def new_series():
    form = _event_form(SeriesForm)
    if form.validate_on_submit():
        try:
            created = event_admin.create_series(form.values(), form.count.data, form.interval.data,
                                                acting_user(), publish=form.publish.data)
        except InvalidEvent as invalid:
            form.add_errors(invalid.errors)
        else:
            flash(_("%(count)s sessions have been created.", count=len(created)), "success")
            return redirect(url_for("organize.events", when="all"))
    return render_form("events/organizer/series_form.html", form)
