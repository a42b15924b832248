""""Log out of all devices": a confirmation page, then every session and API token of the account ends."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from . import own_account
from .blueprint import bp
from .forms import ConfirmForm


@bp.route("/account/log-out-everywhere", methods=["GET", "POST"])
@login_required
def log_out_everywhere():
    """GET asks "are you sure?"; POST ends every session (this one too) and every API token."""
    form = ConfirmForm()
    if form.validate_on_submit():
        own_account.log_out_everywhere(current_user._get_current_object())
        logout_user()
        flash(_("You are logged out on all your devices, and your API tokens no longer work. "
                "Log in again to carry on."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/log_out_everywhere.html", form=form)
