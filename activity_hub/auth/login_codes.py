"""Logging in, and resetting a forgotten password, with a 6-digit code sent by SMS or e-mail.

What residents in China expect (短信验证码登录), and the way back into a forgotten account without
phoning the help line. The rules:

- A code is good for ``CODE_MINUTES`` minutes, ``MAX_ATTEMPTS`` wrong tries and one use; only the
  newest code of an account counts. A new code is made at most once a ``RESEND_SECONDS``; asked
  again sooner, the code already sent stands.
- The answer to "send me a code" is the same whether the login has an account or not, and nothing
  is sent for an unknown login, so the page tells no stranger which numbers are registered.
- The limits of ``login_limits`` apply as they do to passwords: a wrong code counts as a failed
  login for the account and the address; every request for a code spends one of the address's
  attempts, so one address cannot make the site send messages to number after number.
- The code goes to the phone number or e-mail address that was typed, whatever channel the person
  chose for other messages: that is the address the person has in hand right now.
"""
import hashlib
import hmac
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from ..db_types import utcnow
from ..extensions import db
from ..i18n import gettext as _, ngettext
from ..messages.outbox import queue_message
from . import accounts, login_limits, password_policy, sessions
from .accounts import AccountError
from .models import CODE_LOGIN, CODE_PURPOSES, CODE_RESET, LoginCode

KIND = "login_code"
CODE_DIGITS = 6
CODE_MINUTES = 10
MAX_ATTEMPTS = 5
RESEND_SECONDS = 60


class CodeRefused(AccountError):
    """A code request or a code was refused; ``code`` is machine-readable ("too_many_attempts",
    "invalid_code"), ``message`` says in plain words what to do, ``field`` where to show it."""

    def __init__(self, code, message, field=None):
        super().__init__(message, field)
        self.code = code


def _digest(user_id, code):
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{user_id}:{code}".encode(), hashlib.sha256).hexdigest()


def account_key(login):
    """The key the failure counters use for ``login``: its normal form when it has one."""
    parsed = accounts.normalise_login(login)
    return parsed[1] if parsed else (login or "")


def _locked_message():
    minutes = login_limits.lockout_minutes()
    return ngettext(
        "Too many tries. For your safety, codes are paused for %(num)d minute. Please wait and try again.",
        "Too many tries. For your safety, codes are paused for %(num)d minutes. Please wait and try again.",
        minutes,
    )


def _render_code(code, purpose):
    """The subject carries the code: an SMS sends only the subject within its approved template."""
    def render():
        if purpose == CODE_RESET:
            subject = _("Code to reset your password: %(code)s", code=code)
            body = _("Your code to reset your password is %(code)s. It works for %(minutes)d minutes. "
                     "If you did not ask for it, ignore this message: your password stays as it is.",
                     code=code, minutes=CODE_MINUTES)
        else:
            subject = _("Code to log in: %(code)s", code=code)
            body = _("Your code to log in is %(code)s. It works for %(minutes)d minutes. "
                     "Do not tell it to anyone, not even to staff.", code=code, minutes=CODE_MINUTES)
        return subject, body

    return render


def refuse_locked_address(address):
    """CodeRefused while ``address`` has used up its attempts; otherwise spend one of them."""
    if login_limits.is_locked(None, address):
        raise CodeRefused("too_many_attempts", _locked_message(), "login")
    login_limits.record_failure(None, address)


def request_code(login, purpose, address):
    """Make and send a code for ``login`` (committed). Returns None whatever the login: the caller
    says "if this is an account, a code is on its way". Raises CodeRefused("too_many_attempts")
    while the login or the address is locked (the same for every login)."""
    if purpose not in CODE_PURPOSES:
        raise ValueError(purpose)
    key = account_key(login)
    if login_limits.is_locked(key, address):
        raise CodeRefused("too_many_attempts", _locked_message(), "login")
    login_limits.record_failure(None, address)
    parsed = accounts.normalise_login(login)
    user = accounts.find_user_by_login(login)
    if user is None or not user.is_active:
        db.session.rollback()
        return None
    newest = db.session.scalar(
        sa.select(LoginCode.created_at).where(LoginCode.user_id == user.id)
        .order_by(LoginCode.created_at.desc()).limit(1)
    )
    if newest is not None and utcnow() - newest < timedelta(seconds=RESEND_SECONDS):
        db.session.rollback()
        return None
    issue_code(user, parsed, purpose)
    db.session.commit()
    return None


def issue_code(user, parsed_login, purpose):
    """Make a code for ``user`` and queue its message to ``parsed_login`` (``normalise_login``'s
    (kind, value)), with no limits checked: for ``request_code`` and sign-up. Not committed."""
    now = utcnow()
    # Only the newest code counts: the account's spent and expired ones are of no more use.
    db.session.execute(sa.delete(LoginCode).where(
        LoginCode.user_id == user.id, sa.or_(LoginCode.expires_at < now, LoginCode.used_at.is_not(None))))
    code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
    db.session.add(LoginCode(user_id=user.id, purpose=purpose, code_hash=_digest(user.id, code), created_at=now,
                             expires_at=now + timedelta(minutes=CODE_MINUTES), attempts=0))
    message = queue_message(user, KIND, _render_code(code, purpose))
    # To the address typed (a phone number by SMS, an e-mail address by e-mail).
    message.channel, message.recipient = ("sms" if parsed_login[0] == "phone" else "email"), parsed_login[1]


def _wrong_code():
    return _l("This code is not right or no longer works. Check the newest message we sent you, "
              "or ask for a new code. A code works for 10 minutes and for 5 tries.")


def _use_code(login, code, purposes, address):
    """The account whose newest live code of one of ``purposes`` is ``code``, with the code spent
    (not committed); CodeRefused otherwise, the failure counted (committed)."""
    key = account_key(login)
    if login_limits.is_locked(key, address):
        raise CodeRefused("too_many_attempts", _locked_message(), "code")
    user = accounts.find_user_by_login(login)
    now = utcnow()
    row = None
    if user is not None and user.is_active:
        row = db.session.scalar(
            sa.select(LoginCode).where(LoginCode.user_id == user.id)
            .order_by(LoginCode.created_at.desc(), LoginCode.id.desc()).limit(1)
        )
    expected = row.code_hash if row is not None else _digest(0, "no code")
    matches = hmac.compare_digest(expected, _digest(user.id if user is not None else 0, code or ""))
    live = (row is not None and row.purpose in purposes and row.used_at is None and row.expires_at > now
            and row.attempts < MAX_ATTEMPTS)
    if not (live and matches):
        if row is not None and row.used_at is None:
            row.attempts += 1
            db.session.commit()
        else:
            db.session.rollback()
        login_limits.record_failure(key, address)
        raise CodeRefused("invalid_code", _wrong_code(), "code")
    row.used_at = now
    login_limits.clear_failures(key)
    return user


def log_in_with_code(login, code, address, purposes=(CODE_LOGIN,)):
    """The account, its code spent (committed), or CodeRefused."""
    user = _use_code(login, code, purposes, address)
    db.session.commit()
    return user


def reset_password(login, code, new_password, address, purposes=(CODE_RESET,)):
    """Set a new password with a code (committed) and return the account; AccountError (field
    "password") for a password the policy refuses, CodeRefused for the code. A refused password
    leaves the code unspent for another try. The rules that need the account (not its own number or
    name) are checked only once the code is right, so the answer tells a stranger nothing."""
    reason = password_policy.problem(new_password)
    if reason is not None:
        raise AccountError(reason, "password")
    user = _use_code(login, code, purposes, address)
    reason = password_policy.problem(new_password, phone=user.phone, email=user.email, name=user.display_name)
    if reason is not None:
        db.session.rollback()
        raise AccountError(reason, "password")
    user.password_hash = accounts.hash_password(new_password)
    # Whoever knew the old password (a lost phone still logged in, a stolen token) is out.
    sessions.end_all_sessions(user, sessions.PASSWORD_RESET, commit=False)
    db.session.commit()
    return user
