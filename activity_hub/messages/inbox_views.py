"""The resident's side of messages: the inbox "我的消息", one message, and the contact preferences.

Thin views over ``inbox`` and ``contact_preferences``. Every answer carries
``Cache-Control: no-store``: messages and contact choices are personal.
"""
import re

from flask import flash, g, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required
from markupsafe import Markup, escape

from ..local_time import moment
from ..web import render_form
from . import contact_preferences, inbox
from .blueprint import bp
from .forms import DAY_BEFORE, TWO_HOURS_BEFORE, ContactPreferencesForm
from .lookups import own_message

INBOX_ENDPOINT = "messages.inbox"

# "2026年5月17日星期日 14:30" in Asia/Shanghai: a day and time as people say it, no seconds.
bp.add_app_template_filter(moment, "message_when")

# A web address in a message's text, also right after Chinese text or punctuation (where Jinja's
# ``urlize``, which needs spaces around it, finds none); it ends at a space or full-width punctuation.
WEB_ADDRESS = re.compile(r"https?://[^\s<>\"'，。、；：！？（）《》“”]+")


@bp.app_template_filter("message_line")
def message_line(line):
    """One line of a message's plain text as HTML: escaped, its web addresses made links."""
    parts, last = [], 0
    for found in WEB_ADDRESS.finditer(line):
        address = found.group(0).rstrip(".,;:!?)")
        parts.append(escape(line[last:found.start()]))
        parts.append(Markup('<a href="{0}">{0}</a>').format(address))
        last = found.start() + len(address)
    parts.append(escape(line[last:]))
    return Markup("").join(parts)


def _personal(response):
    response = make_response(response)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/me/messages", endpoint="inbox")
@login_required
def inbox_page():
    page = request.args.get("page", 1, type=int)
    found = inbox.inbox_page(current_user, page=page)
    return _personal(render_template("messages/inbox.html", found=found))


@bp.route("/me/messages/read-all", methods=["POST"])
@login_required
def mark_all_read():
    count = inbox.mark_all_read(current_user)
    if count:
        flash(ngettext("%(num)d message marked as read.", "%(num)d messages marked as read.", count), "success")
    else:
        flash(_("You had no unread messages."), "info")
    return redirect(url_for("messages.inbox"))


@bp.route("/me/messages/<int:message_id>", endpoint="message")
@login_required
def message_page(message_id):
    """Opening a message marks it read; SMS and e-mails link here."""
    message = own_message(current_user, message_id)
    inbox.mark_read(message)
    return _personal(render_template("messages/message.html", message=message,
                                     event_title=inbox.event_title(message)))


@bp.route("/me/messages/settings", methods=["GET", "POST"])
@login_required
def settings():
    user = current_user._get_current_object()
    form = ContactPreferencesForm()
    form.offer_only(contact_preferences.available_channels(user))
    if request.method == "GET":
        chosen = contact_preferences.current_preferences(user)
        form.channel.data = chosen.channel
        form.reminders.data = [value for value, wanted in (
            (DAY_BEFORE, chosen.remind_day_before), (TWO_HOURS_BEFORE, chosen.remind_two_hours_before)) if wanted]
    elif form.validate_on_submit():
        reminders = form.reminders.data or ()  # None when the form was sent empty
        try:
            contact_preferences.save_contact_preferences(
                user, form.channel.data, DAY_BEFORE in reminders, TWO_HOURS_BEFORE in reminders,
            )
        except contact_preferences.ContactPreferenceError as error:
            getattr(form, error.field).errors.append(str(error.message))
        else:
            flash(_("Your message settings have been saved."), "success")
            return redirect(url_for("messages.settings"))
    body, status = render_form(
        "messages/settings.html", form,
        missing_reasons=contact_preferences.missing_channel_reasons(user).values(),
        automatic_channel=contact_preferences.automatic_channel(user),
    )
    return _personal((body, status))


def inbox_nav_label(label):
    """The navigation's label of the inbox for the logged-in person, with the unread count in
    words ("我的消息（3 条未读）"), so screen readers say it as it reads. One statement a request."""
    count = g.get("_inbox_unread_count")
    if count is None:
        count = g._inbox_unread_count = inbox.unread_count(current_user.id)
    if not count:
        return label
    return ngettext("%(label)s (%(num)d unread)", "%(label)s (%(num)d unread)", count, label=label)


@bp.record_once
def _label_the_navigation(state):
    state.app.extensions.setdefault("nav_labels", {})[INBOX_ENDPOINT] = inbox_nav_label
