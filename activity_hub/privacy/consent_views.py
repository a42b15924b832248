"""A person's own privacy pages: their consents (and withdrawing one) and who looked at their data."""
from flask import flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..auth.permissions import acting_user
from . import audit, consents
from .blueprint import bp
from .forms import WithdrawConsentForm
from .labels import WITHDRAW_EFFECTS, action_label, how_label, purpose_label
from .lookups import known_purpose
from .models import PURPOSES
from .notice import NOTICE_VERSION


def _personal(body, status=200):
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/me/consents")
@login_required
def my_consents():
    records = consents.of_user(current_user.id)
    standing = {purpose: next((r for r in records if r.purpose == purpose and r.withdrawn_at is None), None)
                for purpose in PURPOSES}
    return _personal(render_template(
        "privacy/consents.html", records=records, standing=standing, purposes=PURPOSES, version=NOTICE_VERSION,
        purpose_label=purpose_label, how_label=how_label, effects=WITHDRAW_EFFECTS, form=WithdrawConsentForm()))


@bp.route("/me/consents/<purpose>/withdraw", methods=["POST"])
@login_required
def withdraw_consent(purpose):
    known_purpose(purpose)
    form = WithdrawConsentForm()
    if not form.validate():
        flash(_("Your request could not be checked. Please try again."), "error")
        return redirect(url_for("privacy.my_consents"))
    erased = consents.withdraw(acting_user(), purpose)
    flash(_("Your consent is withdrawn.") + " " + str(WITHDRAW_EFFECTS[purpose]), "success")
    if erased:
        flash(_("Needs erased from %(count)d registrations for events that have not started.", count=erased), "info")
    return redirect(url_for("privacy.my_consents"))


@bp.route("/me/access-log")
@login_required
def my_access_log():
    entries = audit.access_log(current_user.id)
    return _personal(render_template("privacy/access_log.html", entries=entries, action_label=action_label))
