"""``/dev/messages``: the developers' view of the outbox. It answers only in the development
configuration (everyone's messages are on it); elsewhere the address does not exist."""
from flask import abort, current_app, render_template

from ..extensions import db
from .blueprint import bp
from .recent import RECENT_LIMIT, recent_messages


@bp.route("/dev/messages")
def dev_messages():
    if current_app.config.get("CONFIG_NAME") != "development":
        abort(404)
    return render_template("messages/dev_messages.html", messages=recent_messages(db.session), limit=RECENT_LIMIT)
