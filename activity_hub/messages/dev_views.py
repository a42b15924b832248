"""``/dev/messages``: the developers' view of the outbox (everyone's messages are on it), so the
route exists only in the development configuration; elsewhere the address is not there at all."""
from flask import render_template

from ..extensions import db
from .blueprint import bp
from .recent import RECENT_LIMIT, recent_messages


def dev_messages():
    return render_template("messages/dev_messages.html", messages=recent_messages(db.session), limit=RECENT_LIMIT)


@bp.record
def _route_in_development(state):
    if state.app.config.get("CONFIG_NAME") == "development":
        state.add_url_rule("/dev/messages", "dev_messages", dev_messages)
