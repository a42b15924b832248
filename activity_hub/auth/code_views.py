"""Pages for getting in without a password: log in with a code, reset a forgotten password with a
code, and accept an invitation (set the first password of an account staff made)."""
from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from ..web import home_url, render_form
from . import invitations, login_codes
from .accounts import AccountError
from .blueprint import bp
from .forms import CodeLoginForm, CodeRequestForm, CodeResetForm, SetPasswordForm
from .models import CODE_LOGIN, CODE_RESET
from .views import client_address, safe_next

# The login typed in step one, offered again in step two (kept in the session, not in the address).
CODE_LOGIN_KEY = "code_login"


def _code_sent_notice(login):
    return _("If %(login)s has an account, we have sent it a message with a 6-digit code. The code works "
             "for 10 minutes. If nothing arrives, wait a minute and ask for a new code.", login=login)


def _request_code(purpose, template, next_endpoint):
    form = CodeRequestForm()
    if request.method == "GET" and session.get(CODE_LOGIN_KEY):
        form.login.data = session[CODE_LOGIN_KEY]
    if form.validate_on_submit():
        try:
            login_codes.request_code(form.login.data, purpose, client_address())
        except login_codes.CodeRefused as refused:
            form.login.errors.append(refused.message)
            return render_template(template, form=form), 429
        session[CODE_LOGIN_KEY] = form.login.data
        flash(_code_sent_notice(form.login.data), "info")
        return redirect(url_for(next_endpoint, next=request.args.get("next")))
    return render_form(template, form)


def _refused(template, form, error):
    """The page again with the refusal beside its field: 429 while paused, else 400."""
    getattr(form, error.field or "code").errors.append(error.message)
    status = 429 if getattr(error, "code", None) == "too_many_attempts" else 400
    return render_template(template, form=form), status


@bp.route("/login/code", methods=["GET", "POST"])
def code_login_request():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    return _request_code(CODE_LOGIN, "auth/code_request.html", "auth.code_login")


@bp.route("/login/code/enter", methods=["GET", "POST"])
def code_login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = CodeLoginForm()
    if request.method == "GET":
        form.login.data = session.get(CODE_LOGIN_KEY, "")
    if form.validate_on_submit():
        try:
            user = login_codes.log_in_with_code(form.login.data, form.code.data, client_address())
        except login_codes.CodeRefused as refused:
            return _refused("auth/code_login.html", form, refused)
        session.pop(CODE_LOGIN_KEY, None)
        login_user(user, remember=form.remember.data)
        flash(_("You are logged in."), "success")
        return redirect(safe_next(request.args.get("next")))
    return render_form("auth/code_login.html", form)


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    return _request_code(CODE_RESET, "auth/forgot_password.html", "auth.reset_password")


@bp.route("/password/reset", methods=["GET", "POST"])
def reset_password():
    form = CodeResetForm()
    if request.method == "GET":
        form.login.data = session.get(CODE_LOGIN_KEY, "")
    if form.validate_on_submit():
        try:
            user = login_codes.reset_password(form.login.data, form.code.data, form.password.data, client_address())
        except (login_codes.CodeRefused, AccountError) as refused:
            return _refused("auth/reset_password.html", form, refused)
        session.pop(CODE_LOGIN_KEY, None)
        login_user(user)
        flash(_("Your new password is saved and you are logged in. Any other devices where you were "
                "logged in are now logged out."), "success")
        return redirect(home_url())
    return render_form("auth/reset_password.html", form)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token):
    try:
        user = invitations.account_for_token(token)
    except invitations.InvitationInvalid as invalid:
        return render_template("auth/invitation_invalid.html", expired=invalid.expired), 410 if invalid.expired else 404
    form = SetPasswordForm()
    form.account = user
    if form.validate_on_submit():
        try:
            user = invitations.accept(token, form.password.data)
        except AccountError as error:
            form.password.errors.append(error.message)
        except invitations.InvitationInvalid as invalid:
            return render_template("auth/invitation_invalid.html", expired=invalid.expired), 410
        else:
            login_user(user)
            flash(_("Your password is saved and you are logged in. Welcome!"), "success")
            return redirect(url_for("auth.profile"))
    return render_form("auth/invitation.html", form, user=user)
