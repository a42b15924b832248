"""What a person does with their own account: sign up, log in, change their details, password and
language. Each function commits its own transaction, or, refused, rolls it back."""
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..privacy import audit, consents
from ..privacy.models import SAVED_NEEDS
from . import accounts, login_limits
from .accounts import AccountError


def sign_up(login, display_name, password, district=None, locale="zh_CN"):
    """A new resident's account, committed. AccountError (nothing written) for a login that is not
    right or already taken, also when the same one signed up a moment ago in another request."""
    try:
        user = accounts.create_user(login, display_name, password, district=district, locale=locale)
        db.session.commit()
    except AccountError:
        db.session.rollback()
        raise
    except IntegrityError:
        db.session.rollback()
        raise AccountError(_l("An account with this mobile number or e-mail address already exists"),
                           "login") from None
    return user


def log_in(login, password, account_key, address):
    """The account if ``password`` is right for ``login`` (its failed attempts forgotten, a password
    hash renewed, committed); else None, with the failure counted for ``account_key`` and ``address``."""
    user = accounts.authenticate(login, password)
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
    """A new password, committed: sessions on other devices end with the old one."""
    user.password_hash = accounts.hash_password(password)
    db.session.commit()
