"""Accounts: creating them, checking passwords, roles and who may act for whom."""
import re
import unicodedata

import sqlalchemy as sa
from argon2 import PasswordHasher
from flask import current_app, has_app_context
from argon2.exceptions import InvalidHashError, VerificationError

from ..accessibility import clean_need_codes
from ..districts import all_districts
from ..extensions import db
from .models import DISTRICT_SCOPED_ROLES, ROLES, RoleGrant, User

PHONE_RE = re.compile(r"^1[3-9][0-9]{9}$")
EMAIL_MAX = 254
# E-mail addresses: any script, but no spaces, control characters or punctuation that cannot
# appear unquoted, no empty or doubled dots, and a domain of at least two labels (intranet
# names such as "federation.local" are fine; the address is never looked up).
_LOCAL = r"[^\s\x00-\x1f\x7f<>()\[\]\\,;:\"@.]+(?:\.[^\s\x00-\x1f\x7f<>()\[\]\\,;:\"@.]+)*"
_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
EMAIL_RE = re.compile(rf"^{_LOCAL}@{_LABEL}(?:\.{_LABEL})+$")

_HASHERS = {}


def _hasher():
    """Argon2id with the app's cost settings (``PASSWORD_HASH_PARAMETERS``; argon2-cffi's defaults
    otherwise). The test configuration uses cheap ones so the suite stays fast."""
    params = current_app.config.get("PASSWORD_HASH_PARAMETERS") if has_app_context() else None
    key = tuple(sorted((params or {}).items()))
    if key not in _HASHERS:
        hasher = PasswordHasher(**(params or {}))
        # Verified when no account matches, so a wrong login takes as long as a wrong
        # password and response times do not reveal which numbers have accounts.
        _HASHERS[key] = (hasher, hasher.hash("no account has this password"))
    return _HASHERS[key]


class AccountError(ValueError):
    """A rule about accounts was broken; ``field`` names the form field it belongs to."""

    def __init__(self, message, field=None):
        super().__init__(str(message))
        self.message = message
        self.field = field


def normalise_login(value):
    """A phone number (digits only, +86 stripped) or a lower-cased e-mail address; None if neither.

    NFKC first, so the full-width digits and "＠" of a Chinese keyboard are understood.
    """
    value = unicodedata.normalize("NFKC", value or "").strip()
    if "@" in value:
        value = value.lower()
        if len(value) > EMAIL_MAX or len(value.split("@")[0]) > 64 or not EMAIL_RE.match(value):
            return None
        return ("email", value)
    digits = re.sub(r"[\s\-]", "", value)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    return ("phone", digits) if PHONE_RE.match(digits) else None


def hash_password(password):
    return _hasher()[0].hash(password)


def verify_password(user, password):
    hasher = _hasher()[0]
    try:
        ok = hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if ok and hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return ok


class AccountSwitchedOff(AccountError):
    """The password was right but an administrator has switched the account off: said plainly (only
    to someone who knows the password), with the help line to call."""

    def __init__(self):
        from flask_babel import lazy_gettext as _l

        super().__init__(_l("This account has been switched off, so you cannot log in. "
                            "If you think this is a mistake, call %(phone)s and we will help you.",
                            phone=current_app.config["HELP_PHONE"]))


def authenticate(login, password):
    """The active account for ``login`` if ``password`` is right, else None; AccountSwitchedOff if
    the password is right for a switched-off account."""
    user = find_user_by_login(login)
    if user is None:
        hasher, dummy_hash = _hasher()
        try:
            hasher.verify(dummy_hash, password)
        except VerificationError:
            pass
        return None
    if not verify_password(user, password):
        return None
    if not user.is_active:
        raise AccountSwitchedOff()
    return user


def find_user_by_login(login):
    parsed = normalise_login(login)
    if parsed is None:
        return None
    kind, value = parsed
    column = User.phone if kind == "phone" else User.email
    return db.session.scalar(sa.select(User).where(column == value))


def create_user(login, display_name, password, roles=(), district=None, role_district=None,
                locale="zh_CN", email=None, phone=None):
    """Create an account (not committed). ``login`` is a phone number or an e-mail address."""
    from flask_babel import lazy_gettext as _l

    contact = {}
    if login:
        parsed = normalise_login(login)
        if parsed is None:
            raise AccountError(_l("Enter a mobile number like 13800138000 or an e-mail address like name@example.com"), "login")
        contact[parsed[0]] = parsed[1]
    if phone:
        parsed = normalise_login(phone)
        if parsed is None or parsed[0] != "phone":
            raise AccountError(_l("Enter a mobile number of 11 digits starting with 1"), "phone")
        contact["phone"] = parsed[1]
    if email:
        parsed = normalise_login(email)
        if parsed is None or parsed[0] != "email":
            raise AccountError(_l("Enter an e-mail address like name@example.com"), "email")
        contact["email"] = parsed[1]
    if not contact:
        raise AccountError(_l("Enter a mobile number or an e-mail address"), "login")
    for kind, value in contact.items():
        column = User.phone if kind == "phone" else User.email
        if db.session.scalar(sa.select(User.id).where(column == value)) is not None:
            raise AccountError(_l("An account with this mobile number or e-mail address already exists"), "login")
    user = User(
        phone=contact.get("phone"),
        email=contact.get("email"),
        display_name=display_name.strip(),
        password_hash=hash_password(password),
        district=district,
        default_needs=[],
        locale=locale if locale in ("zh_CN", "en") else "zh_CN",
    )
    db.session.add(user)
    for role in roles or ("resident",):
        grant_role(user, role, role_district if role in DISTRICT_SCOPED_ROLES else None)
    return user


def grant_role(user, role, district=None, granted_by=None):
    """Give ``user`` a role (scoped to ``district`` for organizers and team leaders; None = city-wide).

    Granting a role the user already holds moves it to the new district. Not committed.
    """
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}", "role")
    if role not in DISTRICT_SCOPED_ROLES:
        district = None
    district_id = district.id if district is not None else None
    for grant in user.role_grants:
        if grant.role == role:
            grant.district, grant.district_id = district, district_id
            return grant
    grant = RoleGrant(role=role, district=district, district_id=district_id,
                      granted_by_id=getattr(granted_by, "id", None))
    user.role_grants.append(grant)
    return grant


def withdraw_role(user, role):
    user.role_grants = [grant for grant in user.role_grants if grant.role != role]


def set_default_needs(user, codes, note=""):
    user.default_needs = clean_need_codes(codes)
    user.default_needs_note = (note or "").strip()


def is_logged_in(user):
    """A real account: not None and not Flask-Login's anonymous user."""
    return user is not None and getattr(user, "is_authenticated", False)


def organizer_scope(user):
    """Districts an organizer manages: None for city-wide (or admin), a set of ids, or an empty set."""
    if not is_logged_in(user):
        return set()
    if user.is_admin:
        return None
    district_id = user.role_district_id("organizer")
    if district_id is False:
        return set()
    if district_id is None:
        return None
    return {district_id}


def can_manage_district(user, district_id):
    scope = organizer_scope(user)
    return scope is None or district_id in scope


def managed_districts(user):
    """The districts ``user`` manages, in the usual order: every one for city-wide staff, else theirs."""
    scope = organizer_scope(user)
    return [district for district in all_districts(db.session) if scope is None or district.id in scope]
