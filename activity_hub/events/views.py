"""Resident pages: the catalogue, an event, registering, the registration and cancelling it.

Thin: read the request, call ``catalogue`` or ``registration``, render or redirect.
Every page checks on the server who may see what (``lookups``: the same checks as the API).
"""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from ..accessibility import VENUE_FEATURES, feature_label, need_label
from ..db_types import utcnow
from ..privacy import consents
from . import event_page, registration
from .blueprint import bp
from .catalogue_page import catalogue_results
from .event_admin import can_manage_event
from .registration.checkin import checkin_qr_svg
from .forms import RegistrationForm
from .lookups import may_see_online_link, own_registrations, visible_event, visible_registration
from .models import (
    CONFIRMED, PENDING, REJECTED, WAITLISTED, category_label, event_status_label, registration_status_label,
)
from ..local_time import moment
from .when import event_when


@bp.context_processor
def event_helpers():
    return {
        "category_label": category_label,
        "need_label": need_label,
        "feature_label": feature_label,
        "event_status_label": event_status_label,
        "registration_status_label": registration_status_label,
        "event_when": event_when,
        "moment": moment,
        "VENUE_FEATURES": VENUE_FEATURES,
    }


# --- the catalogue ----------------------------------------------------------------------


@bp.route("/events", endpoint="catalogue")
@bp.route("/", endpoint="catalogue")
def catalogue_page():
    """The filters and results may be a few seconds old (catalogue_page.py says why and how long)."""
    title, results_html, status = catalogue_results()
    return render_template("events/catalogue.html", page_title=title, results_html=results_html), status


# --- one event ------------------------------------------------------------------------------


@bp.route("/events/<int:event_id>")
def event_detail(event_id):
    """What depends only on the event may be reused from the cache (event_page.py says when);
    places, registration and everything about the visitor are read for this request."""
    event, places = event_page.page_event(event_id)
    mine = None
    if current_user.is_authenticated:
        mine = registration.active_registration(event.id, current_user.id)
    return render_template(
        "events/detail.html", event=event, parts=event_page.event_parts(event), places=places, mine=mine,
        closed=registration.closed_reason(event),
        easy_read_first=bool(current_user.is_authenticated and current_user.prefers_easy_read),
        can_manage=can_manage_event(current_user, event),
        show_online_link=may_see_online_link(current_user, event, mine),
    )


@bp.route("/events/<int:event_id>/register", methods=["GET", "POST"])
@login_required
def register(event_id):
    refused = None
    if request.method == "POST":
        # The form as sent goes straight to the operation, which decides everything under the event's
        # lock (open, already registered, places): the page's own reads are for showing it again.
        sent = RegistrationForm()
        if sent.validate():
            try:
                made = registration.register(
                    event_id, current_user, needs=sent.needs.data, companions=sent.companions.data,
                    note=sent.note.data, needs_note=sent.needs_note.data, consent=sent.consent.data,
                )
            except registration.RegistrationRefused as refusal:
                refused = refusal
            else:
                flash(_("Your registration is saved. We are also sending you a message about it."), "success")
                return redirect(url_for("events.registration_result", registration_id=made.id))
    event = visible_event(current_user, event_id)
    blocked = registration.closed_reason(event)
    mine = registration.active_registration(event.id, current_user.id)
    if blocked is None and mine is not None:
        return redirect(url_for("events.registration_result", registration_id=mine.id))
    form = RegistrationForm(max_companions=event.max_companions)
    consent_state = None
    if request.method == "GET":
        form.needs.data = list(current_user.default_needs or [])
        form.needs_note.data = current_user.default_needs_note or ""
        consent_state = consents.needs_consent_state(current_user.id)
        form.consent.data = consent_state == consents.CURRENT
    if blocked is not None:
        return render_template("events/register.html", event=event, form=form, blocked=blocked), (
            409 if request.method == "POST" else 200)
    if request.method == "POST":
        form_ok = form.validate()
        companions = form.companions.data
        try:
            if refused is not None:
                raise refused
            if not form_ok:
                registration.check_input(event, form.needs.data, companions, form.note.data,
                                         form.needs_note.data, form.consent.data)
        except registration.RegistrationRefused as refused:
            if refused.field is None:  # e.g. closed, cancelled or registered in another tab meanwhile
                return render_template("events/register.html", event=event, form=form, blocked=refused), 409
            form.add_refusal(refused)
        return render_template("events/register.html", event=event, form=form, blocked=None), 400
    return render_template("events/register.html", event=event, form=form, blocked=None, consent_state=consent_state)


# --- registrations ------------------------------------------------------------------------------


def status_sentence(found, position=None):
    """What happened, in one sentence for the heading and the status message."""
    title = found.event.title
    if found.status == CONFIRMED:
        return _("You are registered for %(title)s: your place is confirmed.", title=title)
    if found.status == PENDING:
        return _("Your registration for %(title)s is waiting for the organizer's approval.", title=title)
    if found.status == WAITLISTED:
        return _("You are on the waiting list for %(title)s at position %(position)d.", title=title,
                 position=position or 0)
    if found.status == REJECTED:
        return _("Your registration for %(title)s was not accepted.", title=title)
    return _("Your registration for %(title)s is cancelled.", title=title)


@bp.route("/registrations/<int:registration_id>")
@login_required
def registration_result(registration_id):
    found = visible_registration(current_user, registration_id)
    position = registration.waitlist_position(found)
    token = qr = None
    if found.status == CONFIRMED:
        token = registration.checkin_token(found)
        qr = Markup(checkin_qr_svg(token, _("QR code for check-in. The code is written below it.")))
    return render_template(
        "events/registration.html", registration=found, event=found.event, position=position,
        heading=status_sentence(found, position), is_owner=found.user_id == current_user.id,
        token=token, qr=qr, can_cancel=registration.can_cancel(found),
    )


@bp.route("/registrations/<int:registration_id>/cancel", methods=["GET", "POST"])
@login_required
def cancel_registration(registration_id):
    found = visible_registration(current_user, registration_id)
    is_owner = found.user_id == current_user.id
    if request.method == "POST":
        title = found.event.title
        try:
            registration.cancel_registration(found.id, current_user)
        except registration.RegistrationRefused as refused:
            return render_template("events/cancel.html", registration=found, event=found.event,
                                   refused=refused, is_owner=is_owner), 409
        flash(_("Your registration for %(title)s is cancelled.", title=title) if is_owner
              else _("The registration is cancelled and the resident has been told."), "success")
        if is_owner:
            return redirect(url_for("events.my_registrations"))
        return redirect(url_for("events.registration_result", registration_id=registration_id))
    if not registration.can_cancel(found):
        return redirect(url_for("events.registration_result", registration_id=registration_id))
    return render_template("events/cancel.html", registration=found, event=found.event, refused=None,
                           is_owner=is_owner)


@bp.route("/my/registrations")
@login_required
def my_registrations():
    rows = own_registrations(current_user)
    now = utcnow()
    upcoming = [r for r in rows if r.event.ends_at >= now]
    past = [r for r in reversed(rows) if r.event.ends_at < now]
    return render_template(
        "events/my_registrations.html", upcoming=upcoming, past=past,
        positions=registration.waitlist_positions(rows), can_cancel=registration.can_cancel,
    )
