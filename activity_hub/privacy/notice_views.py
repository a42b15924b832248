"""The privacy notice, in full and easy-read."""
from flask import current_app, render_template

from ..accessibility import NEEDS
from .blueprint import bp
from .notice import NOTICE_VERSION, retention_needs_days


def _context():
    return {"version": NOTICE_VERSION, "retention_days": retention_needs_days(), "needs": NEEDS,
            "phone": current_app.config["HELP_PHONE"], "email": current_app.config["HELP_EMAIL"]}


@bp.route("/privacy")
def notice():
    return render_template("privacy/notice.html", **_context())


@bp.route("/privacy/easy-read")
def notice_easy_read():
    return render_template("privacy/notice_easy_read.html", **_context())
