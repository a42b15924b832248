"""Organizer pages about the people coming: roster and its actions, registering a resident on
their behalf, check-in, no-shows, the needs summary, exports and the printable sign-in sheet.

Only the event's organizers and admins reach these pages (``managed_event``). The registration
rules themselves (places, waitlist, approval, check-in) are ``registration``'s; these views only
call them and say what happened.
"""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accessibility import NEEDS, need_label
from ..auth import accounts
from ..auth.permissions import acting_user
from ..extensions import db
from ..lookup_errors import NotFound
from ..web import download
from . import registration as reg
from . import roster as roster_service
from .blueprint import organizer_bp
from .lookups import managed_event, managed_registration
from .models import CONFIRMED, Registration, registration_status_label
from ..privacy import audit
from .on_behalf import find_resident, may_see_saved_needs, register_on_behalf
from .organizer_forms import CheckInSearchForm, FindResidentForm, RegisterResidentForm, RosterFilterForm
from .roster_export import roster_csv, roster_xlsx

ACTIONS = {
    "approve": (reg.approve, lambda name: _("%(name)s is approved and confirmed.", name=name)),
    "reject": (reg.reject, lambda name: _("%(name)s's registration has been turned down.", name=name)),
    "move-up": (reg.move_up, lambda name: _("%(name)s has been moved up from the waiting list and is confirmed.",
                                             name=name)),
    "check-in": (reg.check_in, lambda name: _("%(name)s is checked in.", name=name)),
}


def _filters():
    status = request.args.get("status", roster_service.ACTIVE)
    status = status if status in roster_service.STATUS_FILTERS else roster_service.ACTIVE
    need = request.args.get("need", "")
    need = need if need in {n.code for n in NEEDS} else ""
    return status, need


def _back_to(default):
    """Return to where the action was started, if that is one of these pages."""
    target = request.form.get("next", "")
    if target.startswith("/organize/") and "//" not in target and "\\" not in target:
        return redirect(target)
    return redirect(default)


@organizer_bp.route("/events/<int:event_id>/roster")
def roster(event_id):
    event = managed_event(current_user, event_id)
    status, need = _filters()
    entries = roster_service.roster(event, status, need or None)
    return _audited(audit.ROSTER_VIEWED, event, render_template(
        "events/organizer/roster.html", event=event, entries=entries, status=status, need=need,
        status_filters=roster_service.STATUS_FILTERS, needs=NEEDS, status_label=registration_status_label,
        availability=reg.availability([event.id]).get(event.id),
        filters=RosterFilterForm(formdata=None, status=status, need=need),
    ))


def _audited(action, event, answer, subject_user=None, detail=None):
    """Record the reading in the audit log once the answer is built: the entry's commit then
    expires nothing the page still reads (one INSERT, whatever the number of residents)."""
    audit.record(acting_user(), action, event=event, subject_user=subject_user, detail=detail,
                 address=request.remote_addr)
    return answer


@organizer_bp.route("/registrations/<int:registration_id>/<any(approve, reject, 'move-up', 'check-in'):action>",
                    methods=["POST"])
def registration_action(registration_id, action):
    registration = managed_registration(current_user, registration_id)
    event_id, name = registration.event_id, registration.user.display_name
    operation, done = ACTIONS[action]
    try:
        operation(registration.id, acting_user())
    except reg.RegistrationRefused as refused:
        flash(refused.message, "error")
    else:
        flash(done(name), "success")
    return _back_to(url_for("organize.roster", event_id=event_id))


@organizer_bp.route("/events/<int:event_id>/register-resident", methods=["GET", "POST"])
def register_resident(event_id):
    """Step one (GET ?phone=): find the account by mobile number. Step two (POST): register,
    creating the account (phone and name, a random password) when there is none."""
    event = managed_event(current_user, event_id)
    if request.method == "GET":
        find = FindResidentForm(formdata=request.args if "phone" in request.args else None)
        if "phone" not in request.args or not find.validate():
            status = 400 if find.errors else 200
            return render_template("events/organizer/register_find.html", event=event, form=find), status
        resident, needs_shown = find_resident(acting_user(), event, find.phone.data, request.remote_addr)
        form = RegisterResidentForm(formdata=None, phone=accounts.normalise_login(find.phone.data)[1])
        if needs_shown:
            form.needs.data = list(resident.default_needs or [])
            form.needs_note.data = resident.default_needs_note
        return _register_page(event, form, resident)

    form = RegisterResidentForm()
    parsed = accounts.normalise_login(form.phone.data) if form.phone.data else None
    resident = accounts.find_user_by_login(parsed[1]) if parsed and parsed[0] == "phone" else None
    valid = form.validate()
    if resident is None and not form.display_name.data and not form.display_name.errors:
        form.display_name.errors = [_("Enter the resident's name, for their new account.")]
        valid = False
    if not valid:
        return _register_page(event, form, resident, 400)
    try:
        registration = register_on_behalf(
            event, resident, form.phone.data, form.display_name.data, acting_user(), needs=form.needs.data,
            companions=form.companions.data or 0, note=form.note.data or "", needs_note=form.needs_note.data or "",
            consent=form.consent.data, address=request.remote_addr,
        )
    except accounts.AccountError as error:
        form.phone.errors = [error.message]
        return _register_page(event, form, None, 400)
    except reg.RegistrationRefused as refused:
        for _code, field, message in refused.errors:
            if field and field in form and not form[field].errors:
                form[field].errors = [message]
            else:
                form.form_errors.append(message)
        return _register_page(event, form, accounts.find_user_by_login(form.phone.data), 400)
    flash(_registered_message(registration), "success")
    return redirect(url_for("organize.roster", event_id=event.id))


def _register_page(event, form, resident, status=200):
    if not (form.errors or form.form_errors):
        status = 200
    return render_template("events/organizer/register_resident.html", event=event, form=form, resident=resident,
                           resident_shown=resident is not None and may_see_saved_needs(current_user, resident)), status


def _registered_message(registration):
    name = registration.user.display_name
    if registration.status == "waitlisted":
        return _("%(name)s is on the waiting list, at position %(position)s.", name=name,
                 position=reg.waitlist_position(registration))
    if registration.status == "pending":
        return _("%(name)s is registered and waiting for approval.", name=name)
    return _("%(name)s is registered and confirmed.", name=name)


@organizer_bp.route("/events/<int:event_id>/check-in", methods=["GET", "POST"])
def check_in(event_id):
    """Scan or type a QR code, or search by name or mobile number; the needs are shown before
    the resident is checked in, so the desk can arrange them at once."""
    event = managed_event(current_user, event_id)
    if request.method == "POST":
        registration = db.session.get(Registration, request.form.get("registration_id", type=int) or 0)
        if registration is None:
            raise NotFound()
        try:
            reg.check_in(registration.id, acting_user(), event_id=event.id)
        except reg.RegistrationRefused as refused:
            if refused.code == "wrong_event":
                raise NotFound() from None
            flash(refused.message, "error")
        else:
            flash(_checked_in_message(registration), "success")
        return redirect(url_for("organize.check_in", event_id=event.id))
    form = CheckInSearchForm(formdata=request.args if "q" in request.args else None)
    results, by_token, status = None, False, 200
    if "q" in request.args:
        if form.validate():
            found = reg.registration_from_token(form.q.data)
            if found is not None and found.event_id == event.id:
                results, by_token = roster_service.roster_entries([found]), True
            else:
                results = roster_service.search_for_checkin(event, form.q.data)
        else:
            status = 400
    if not form.errors:
        form.q.render_kw = {"autofocus": True}  # ready for the next scan
    checked_in = roster_service.checked_in_count(event)
    page = render_template("events/organizer/check_in.html", event=event, form=form, results=results,
                           by_token=by_token, checked_in=checked_in, status_label=registration_status_label)
    if results is not None:
        page = _audited(audit.CHECKIN_LOOKUP, event, page,
                        subject_user=results[0].registration.user_id if len(results) == 1 else None)
    return page, status


def _checked_in_message(registration):
    needs = "、".join(need_label(code) for code in registration.needs)
    parts = [_("%(name)s is checked in.", name=registration.user.display_name)]
    if registration.companions:
        parts.append(_("Companions: %(count)s.", count=registration.companions))
    if needs:
        parts.append(_("Needs: %(needs)s.", needs=needs))
    return " ".join(parts)


@organizer_bp.route("/events/<int:event_id>/no-shows", methods=["GET", "POST"])
def no_shows(event_id):
    """A confirmation page listing who has not checked in (GET); marking them (POST)."""
    event = managed_event(current_user, event_id)
    if request.method == "POST":
        try:
            marked = reg.mark_no_shows(event.id, acting_user())
        except reg.RegistrationRefused as refused:
            flash(refused.message, "error")
            return redirect(url_for("organize.event", event_id=event.id))
        flash(_("%(count)s residents are marked as not having come.", count=len(marked)), "success")
        return redirect(url_for("organize.roster", event_id=event.id, status=CONFIRMED))
    absent = [e for e in roster_service.roster(event, CONFIRMED)
              if e.registration.checked_in_at is None and not e.registration.no_show]
    return render_template("events/organizer/no_shows.html", event=event, absent=absent,
                           started=roster_service.has_started(event))


@organizer_bp.route("/events/<int:event_id>/needs")
def needs_summary(event_id):
    event = managed_event(current_user, event_id)
    return _audited(audit.NEEDS_SUMMARY_VIEWED, event, render_template(
        "events/organizer/needs.html", event=event, summary=roster_service.needs_summary(event)))


def _export_entries(event):
    status, need = _filters()
    return roster_service.roster(event, status, need or None)


@organizer_bp.route("/events/<int:event_id>/roster.csv")
def roster_csv_export(event_id):
    event = managed_event(current_user, event_id)
    return _audited(audit.ROSTER_EXPORTED, event,
                    download(roster_csv(_export_entries(event)), f"roster-{event.id}.csv"),
                    detail="csv")


@organizer_bp.route("/events/<int:event_id>/roster.xlsx")
def roster_xlsx_export(event_id):
    event = managed_event(current_user, event_id)
    return _audited(audit.ROSTER_EXPORTED, event, download(roster_xlsx(_export_entries(event), event.title),
                                                           f"roster-{event.id}.xlsx"), detail="xlsx")


@organizer_bp.route("/events/<int:event_id>/sign-in-sheet")
def sign_in_sheet(event_id):
    event = managed_event(current_user, event_id)
    return _audited(audit.SIGN_IN_SHEET_VIEWED, event, render_template(
        "events/organizer/sign_in_sheet.html", event=event, entries=roster_service.roster(event, CONFIRMED),
        masked_phone=roster_service.masked_phone))
