"""Organizers write to an event's people: the form, the "check your answers" preview (the SMS and
the e-mail as they will look), sending, and the event's announcements kept with it.

Thin: the rules are ``announcements``'s, who may is ``lookups.announceable_event``'s.
"""
import secrets

from flask import flash, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user

from ..accessibility import need_label
from ..auth.permissions import require_login
from ..local_time import moment
from . import announcements
from .blueprint import bp
from .delivery_status import channel_label
from .forms import AnnouncementForm
from .lookups import announceable_event

def _event(event_id):
    require_login()
    return announceable_event(current_user, event_id)


def _event_link(event):
    return url_for("events.event_detail", event_id=event.id, _external=True)


def _values(form):
    return dict(audience=form.audience.data, need=form.need.data or None, subject=form.subject.data or "",
                body=form.body.data or "")


def _checked_preview(event, form):
    """The preview when the form is right; otherwise None, with every problem beside its field."""
    valid = form.validate()
    try:
        result = announcements.preview(event, link=_event_link(event), **_values(form))
    except announcements.InvalidAnnouncement as invalid:
        for name, message in invalid.errors.items():
            field = getattr(form, name)
            if not field.errors:
                field.errors = [message]
        return None
    return result if valid else None


def _form_page(event, form, status=200):
    return render_template("messages/announcement_form.html", event=event, form=form,
                           subject_max=announcements.SUBJECT_MAX, body_max=announcements.BODY_MAX), status


@bp.route("/organize/events/<int:event_id>/announcements")
def event_announcements(event_id):
    event = _event(event_id)
    return render_template("messages/announcements.html", event=event,
                           announcements=announcements.event_announcements(event.id),
                           audience_label=announcements.audience_label, need_label=need_label, moment=moment)


@bp.route("/organize/events/<int:event_id>/announcements/new", methods=["GET", "POST"])
def write_announcement(event_id):
    """GET: the empty form. POST: the preview of what was written, or the form with its errors."""
    event = _event(event_id)
    if request.method == "GET":
        return _form_page(event, AnnouncementForm(formdata=None, audience=request.args.get("audience")))
    form = AnnouncementForm()
    result = _checked_preview(event, form)
    if result is None:
        return _form_page(event, form, 400)
    form.submission_key.data = secrets.token_urlsafe(24)
    return render_template("messages/announcement_preview.html", event=event, form=form, preview=result,
                           audience_label=announcements.audience_label, need_label=need_label,
                           channel_label=channel_label)


@bp.route("/organize/events/<int:event_id>/announcements", methods=["POST"])
def send_announcement(event_id):
    """From the preview: "Change" goes back to the filled-in form; "Send" sends."""
    event = _event(event_id)
    form = AnnouncementForm()
    if request.form.get("action") == "change":
        form.submission_key.data = ""
        return _form_page(event, form)
    if not form.validate():
        _checked_preview(event, form)
        return _form_page(event, form, 400)
    try:
        sent = announcements.send_announcement(
            event, current_user._get_current_object(), link=_event_link(event),
            submission_key=form.submission_key.data or None, **_values(form))
    except announcements.InvalidAnnouncement as invalid:
        for name, message in invalid.errors.items():
            getattr(form, name).errors = [message]
        return _form_page(event, form, 400)
    flash(ngettext("Your message “%(subject)s” is on its way to %(num)d person.",
                   "Your message “%(subject)s” is on its way to %(num)d people.",
                   sent.recipient_count, subject=sent.subject), "success")
    return redirect(url_for("messages.event_announcements", event_id=event.id))

