"""Administrators' pages for a person's access: switch the account off or on again, and see and
revoke their API tokens. Each change is confirmed on a page of its own first."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..api import tokens as api_tokens
from ..api.lookups import own_token
from . import account_status
from .accounts import AccountError
from .blueprint import bp
from .forms import ConfirmForm
from .lookups import user_for_admin
from .permissions import roles_required


@bp.route("/admin/users/<int:user_id>/deactivate", methods=["GET", "POST"])
@roles_required("admin")
def admin_deactivate_user(user_id):
    """GET asks "are you sure?"; POST switches the account off and ends its sessions and tokens."""
    user = user_for_admin(user_id)
    form = ConfirmForm()
    problem = None
    if form.validate_on_submit():
        try:
            account_status.deactivate_account(user, by=current_user)
        except AccountError as error:
            problem = error.message
        else:
            flash(_("%(name)s’s account is switched off. They are logged out everywhere and their API tokens "
                    "no longer work.", name=user.display_name), "success")
            return redirect(url_for("auth.admin_user", user_id=user.id))
    status = 400 if problem is not None else 200
    return render_template("auth/admin/deactivate_user.html", user=user, form=form, problem=problem), status


@bp.route("/admin/users/<int:user_id>/reactivate", methods=["GET", "POST"])
@roles_required("admin")
def admin_reactivate_user(user_id):
    """GET asks "are you sure?"; POST lets the person log in again."""
    user = user_for_admin(user_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        account_status.reactivate_account(user)
        flash(_("%(name)s’s account is switched on again. They can log in with their password.",
                name=user.display_name), "success")
        return redirect(url_for("auth.admin_user", user_id=user.id))
    return render_template("auth/admin/reactivate_user.html", user=user, form=form)


@bp.route("/admin/users/<int:user_id>/api-tokens/<int:token_id>/revoke", methods=["GET", "POST"])
@roles_required("admin")
def admin_revoke_token(user_id, token_id):
    """GET asks "are you sure?"; POST revokes one of the person's API tokens."""
    user = user_for_admin(user_id)
    token = own_token(user, token_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        api_tokens.revoke_token(token)
        flash(_("The token “%(name)s” of %(person)s has been revoked.", name=token.name, person=user.display_name),
              "success")
        return redirect(url_for("auth.admin_user", user_id=user.id))
    return render_template("auth/admin/revoke_token.html", user=user, token=token, form=form)
