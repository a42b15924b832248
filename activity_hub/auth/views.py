"""Sign-up, log-in, log-out, language, profile and password pages."""
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required, login_user, logout_user

from ..districts import District, district_choices
from ..extensions import db
from ..i18n import LANGUAGE_COOKIE, normalise_locale, remember_language
from ..web import home_url, render_form
from . import accounts, login_codes, login_limits, own_account
from .blueprint import bp
from .forms import ChangePasswordForm, LoginForm, ProfileForm, SignupForm


def safe_next(target, default=None):
    """Only same-site paths may be redirected to (no "//host", no "/\\host", no hidden characters)."""
    default = default or home_url()
    if not target or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target or any(not ch.isprintable() or ch.isspace() for ch in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


def client_address():
    return request.remote_addr or "unknown"


@bp.route("/language")
def set_language():
    """Switch language (a plain link or GET form, so it works without JavaScript) and remember it."""
    locale = normalise_locale(request.args.get("lang")) or "zh_CN"
    response = remember_language(redirect(safe_next(request.args.get("next"))), locale)
    if current_user.is_authenticated:
        own_account.remember_locale(current_user, locale)
    return response


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    if current_user.is_authenticated:
        return redirect(home_url())
    form = SignupForm()
    form.district.choices = district_choices(db.session, blank_label=_("Choose a district (optional)"))
    if form.validate_on_submit():
        district = db.session.get(District, int(form.district.data)) if form.district.data else None
        try:
            own_account.sign_up(
                form.login.data, form.display_name.data, form.password.data, client_address(),
                district=district, locale=normalise_locale(request.cookies.get(LANGUAGE_COOKIE)) or "zh_CN",
            )
        except login_codes.CodeRefused as refused:
            form.login.errors.append(refused.message)
            return render_template("auth/signup.html", form=form), 429
        except accounts.AccountError as error:
            getattr(form, error.field or "login").errors.append(error.message)
        else:
            # The same words whether the login is new or already has an account (its owner is told
            # by message), so the page reveals no one's account.
            session["code_login"] = form.login.data
            flash(_("Check your messages: we have sent a message to %(login)s. Enter the code from it "
                    "below to finish signing up and log in.", login=form.login.data), "info")
            return redirect(url_for("auth.code_login"))
    return render_form("auth/signup.html", form)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        parsed = accounts.normalise_login(form.login.data)
        account_key = parsed[1] if parsed else form.login.data
        if login_limits.is_locked(account_key, client_address()):
            minutes = login_limits.lockout_minutes()
            form.form_errors.append(ngettext(
                "Too many wrong attempts. For your safety, logging in is paused for %(num)d minute. "
                "Please wait and try again. If you have forgotten your password, call %(phone)s and we will help you.",
                "Too many wrong attempts. For your safety, logging in is paused for %(num)d minutes. "
                "Please wait and try again. If you have forgotten your password, call %(phone)s and we will help you.",
                minutes, phone=current_app.config["HELP_PHONE"],
            ))
            return render_template("auth/login.html", form=form, locked=True), 429
        try:
            user = own_account.log_in(form.login.data, form.password.data, account_key, client_address())
        except accounts.AccountSwitchedOff as error:
            form.form_errors.append(error.message)
            return render_form("auth/login.html", form)
        if user is not None:
            login_user(user, remember=form.remember.data)
            flash(_("You are logged in."), "success")
            return redirect(safe_next(request.args.get("next")))
        form.password.errors.append(_("The mobile number, e-mail address or password is not right"))
    return render_form("auth/login.html", form)


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    flash(_("You are logged out."), "success")
    return redirect(home_url())


@bp.route("/account", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user if request.method == "GET" else None)
    form.district.choices = district_choices(db.session, blank_label=_("Choose a district (optional)"))
    if request.method == "GET":
        form.district.data = str(current_user.district_id or "")
        form.default_needs.data = list(current_user.default_needs or [])
    if form.validate_on_submit():
        user = current_user
        own_account.update_profile(
            user, display_name=form.display_name.data,
            district=db.session.get(District, int(form.district.data)) if form.district.data else None,
            default_needs=form.default_needs.data, default_needs_note=form.default_needs_note.data,
            text_only_contact=form.text_only_contact.data, emergency_contact_name=form.emergency_contact_name.data,
            emergency_contact_phone=form.emergency_contact_phone.data, locale=form.locale.data,
            prefers_easy_read=form.prefers_easy_read.data,
        )
        flash(_("Your details have been saved."), "success")
        return remember_language(redirect(url_for("auth.profile")), user.locale)
    return render_form("auth/profile.html", form)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    form.account = current_user
    if form.validate_on_submit():
        if not accounts.verify_password(current_user, form.current_password.data):
            form.current_password.errors.append(_("Your current password is not right"))
        else:
            user = current_user._get_current_object()
            own_account.change_password(user, form.password.data)
            # Other devices are logged out by the new password; this one stays logged in.
            remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
            login_user(user, remember=remembered)
            flash(_("Your password has been changed. Any other devices where you were logged in are now logged out."),
                  "success")
            return redirect(url_for("auth.profile"))
    return render_form("auth/change_password.html", form)
