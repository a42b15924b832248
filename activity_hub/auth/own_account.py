"""What a person does with their own account: sign up, log in, change their details, password and
language. Each function commits its own transaction, or, refused, rolls it back."""
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ..db_types import utcnow
from ..extensions import db
from ..i18n import gettext as _
from ..messages.outbox import queue_message
from ..privacy import audit, consents
from ..privacy.models import SAVED_NEEDS
from . import accounts, login_codes, login_limits, sessions
from .accounts import AccountError
from .models import CODE_LOGIN


SIGNUP_ATTEMPT_KIND = "signup_attempt_on_existing"


def sign_up(login, display_name, password, address, district=None, locale="zh_CN"):
    """Sign up with ``login`` (committed); the new account is logged in with the code sent to the
    login, which proves the number or address is the person's own. Returns None either way.

    A login that already has an account is not refused on the page (that would tell a stranger whose
    number is registered): its owner is told by message instead, and the page reads the same. The
    password is hashed in both cases, so the time taken tells nothing either. AccountError for a
    login that is not right; CodeRefused while the address has made too many attempts."""
    parsed = accounts.normalise_login(login)
    if parsed is None:
        raise AccountError(_l("Enter a mobile number like 13800138000 or an e-mail address like name@example.com"),
                           "login")
    login_codes.refuse_locked_address(address)
    existing = accounts.find_user_by_login(login)
    if existing is None:
        try:
            user = accounts.create_user(login, display_name, password, district=district, locale=locale)
            db.session.flush()
            login_codes.issue_code(user, parsed, CODE_LOGIN)
            db.session.commit()
            return None
        except AccountError:
            db.session.rollback()
            raise
        except IntegrityError:  # the same login signed up a moment ago in another request
            db.session.rollback()
            existing = accounts.find_user_by_login(login)
    else:
        accounts.hash_password(password)  # as long as making an account takes
    if existing is not None:
        _tell_owner_of_signup_attempt(existing)
    return None


def _tell_owner_of_signup_attempt(user):
    """One message an hour at most, whatever a stranger repeats (committed)."""
    hour = utcnow().strftime("%Y%m%d%H")

    def render():
        return (_("Someone tried to sign up with your number or address"),
                _("Someone just tried to make a new account at the activity hub with your mobile number or "
                  "e-mail address. You already have an account. If it was you, log in, or log in with a code "
                  "if you have forgotten your password. If it was not you, you need not do anything."))

    try:
        with db.session.begin_nested():
            queue_message(user, SIGNUP_ATTEMPT_KIND, render, dedupe_key=f"signup_attempt:{user.id}:{hour}")
        db.session.commit()
    except IntegrityError:
        db.session.rollback()


def log_in(login, password, account_key, address):
    """The account if ``password`` is right for ``login`` (its failed attempts forgotten, a password
    hash renewed, committed); else None, with the failure counted for ``account_key`` and ``address``.
    AccountSwitchedOff (nothing written) for the right password of a switched-off account."""
    try:
        user = accounts.authenticate(login, password)
    except accounts.AccountSwitchedOff:
        db.session.rollback()
        raise
    if user is not None:
        login_limits.clear_failures(account_key)
        audit.record(user, audit.LOGIN, subject_user=user, address=address, commit=False)
        db.session.commit()
        return user
    db.session.rollback()
    login_limits.record_failure(account_key, address)
    audit.record(None, audit.LOGIN_FAILED, subject_user=accounts.find_user_by_login(login), address=address)
    return None


def remember_locale(user, locale):
    """Keep the language a logged-in person chose, for the messages the site sends them."""
    if user.locale != locale:
        user.locale = locale
        db.session.commit()


def update_profile(user, *, display_name, district, default_needs, default_needs_note, text_only_contact,
                   emergency_contact_name, emergency_contact_phone, locale, prefers_easy_read):
    """Save the account page: name, district, usual needs, how to be contacted, language."""
    user.display_name = display_name
    user.district = district
    accounts.set_default_needs(user, default_needs, default_needs_note)
    if (user.default_needs or user.default_needs_note) and consents.standing(user.id, SAVED_NEEDS) is None:
        consents.give(user.id, SAVED_NEEDS)  # saving usual needs is consenting to keep them
    user.text_only_contact = text_only_contact
    user.emergency_contact_name = emergency_contact_name or ""
    parsed = accounts.normalise_login(emergency_contact_phone) if emergency_contact_phone else None
    user.emergency_contact_phone = parsed[1] if parsed else ""
    user.locale = locale
    user.prefers_easy_read = prefers_easy_read
    db.session.commit()


def change_password(user, password):
    """A new password, committed together with the end of every session and API token of the account
    (``sessions.end_all_sessions``): whoever knew the old password is out. The view logs this
    browser in again."""
    user.password_hash = accounts.hash_password(password)
    sessions.end_all_sessions(user, sessions.PASSWORD_CHANGED, commit=False)
    db.session.commit()


def log_out_everywhere(user):
    """"Log out of all devices": every session, remember-me cookie and API token of the account ends."""
    sessions.end_all_sessions(user, sessions.LOGGED_OUT_EVERYWHERE)
