"""What became of the messages: per event for its organizers, the whole queue for administrators;
and the retry buttons for failed messages (POST with the CSRF token).

Thin: figures and retries are ``delivery_status``'s and ``queue_health``'s, who may is ``lookups``'s.
"""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user

from ..auth.permissions import require_login
from ..lookup_errors import NotFound
from ..local_time import moment
from . import delivery_status, queue_health
from .blueprint import bp
from .lookups import announceable_event, ensure_queue_admin, event_message


def _message_id():
    """The one message a retry button names, or None for "retry all"; a malformed id is a 404."""
    raw = request.form.get("message_id", "")
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 9:
        raise NotFound()
    return int(raw)


def _retried(count):
    if count:
        flash(ngettext("%(num)d message is back in the queue and will be sent again now.",
                       "%(num)d messages are back in the queue and will be sent again now.", count), "success")
    else:
        flash(_("Nothing to retry: those messages are no longer failed."), "info")


@bp.route("/organize/events/<int:event_id>/messages")
def event_delivery(event_id):
    require_login()
    event = announceable_event(current_user, event_id)
    return render_template(
        "messages/event_delivery.html", event=event, figures=delivery_status.figures_by_kind(event.id),
        failed=delivery_status.failed_messages(event.id), moment=moment,
    )


@bp.route("/organize/events/<int:event_id>/messages/retry", methods=["POST"])
def retry_event_messages(event_id):
    require_login()
    message_id = _message_id()
    if message_id is None:
        event = announceable_event(current_user, event_id)
        count = delivery_status.retry_failed(event_id=event.id)
    else:
        event, message = event_message(current_user, event_id, message_id)
        count = delivery_status.retry_failed(event_id=event.id, message_ids=[message.id])
    _retried(count)
    return redirect(url_for("messages.event_delivery", event_id=event.id))


@bp.route("/admin/messages")
def queue_page():
    require_login()
    ensure_queue_admin(current_user)
    return render_template("messages/queue_health.html", health=queue_health.queue_health(),
                           failed=delivery_status.failed_messages(), moment=moment)


@bp.route("/admin/messages/retry", methods=["POST"])
def retry_queue_messages():
    require_login()
    ensure_queue_admin(current_user)
    message_id = _message_id()
    _retried(delivery_status.retry_failed(message_ids=None if message_id is None else [message_id]))
    return redirect(url_for("messages.queue_page"))
