"""The account page for personal API tokens: list, create (the token is shown once), revoke
(with a confirmation page). HTML, so it lives in its own blueprint outside /api/v1."""
from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from . import tokens
from .forms import ConfirmForm, CreateTokenForm
from .lookups import own_token

api_tokens_bp = Blueprint("api_tokens", __name__, template_folder="templates", url_prefix="/account/api-tokens")


@api_tokens_bp.route("", methods=["GET", "POST"])
@login_required
def tokens_page():
    form = CreateTokenForm()
    new_token = None
    if form.validate_on_submit():
        try:
            token, plain = tokens.create_token(current_user, form.name.data)
        except tokens.TokenError as error:
            form.name.errors.append(error.message)
        else:
            new_token = {"name": token.name, "value": plain}
            flash(_("Your token “%(name)s” has been created. Copy it now: it is shown only once.", name=token.name),
                  "success")
            form = CreateTokenForm(formdata=None)
    status = 400 if form.errors else 200
    return render_template(
        "api/tokens.html", form=form, tokens=tokens.active_tokens(current_user), new_token=new_token,
        token_days=current_app.config["API_TOKEN_DAYS"],
    ), status


@api_tokens_bp.route("/<int:token_id>/revoke", methods=["GET", "POST"])
@login_required
def revoke_token_page(token_id):
    token = own_token(current_user, token_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        tokens.revoke_token(token)
        flash(_("The token “%(name)s” has been revoked. Programs using it can no longer sign in.", name=token.name),
              "success")
        return redirect(url_for("api_tokens.tokens_page"))
    return render_template("api/revoke_token.html", form=form, token=token)
