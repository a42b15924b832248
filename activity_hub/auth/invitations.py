"""Invitations: an account made by staff (an organizer registering a resident by phone, the
administrators, ``flask users create`` and ``flask users import``) gets a message with a link to
set its own password, so that its owner can log in; before, such accounts had a random password
nobody was told.

The link carries a signed token (itsdangerous) naming the account and a mark of its current
password hash: it is good for ``VALID_DAYS`` days and once, because setting the password changes the
hash and so the mark. Sending the invitation again makes a new link; the old ones work until a
password is set. No table is needed.
"""
import hashlib
import secrets

from flask import current_app, has_request_context, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ..extensions import db
from ..i18n import gettext as _
from ..messages.outbox import queue_message
from . import accounts, password_policy
from .accounts import AccountError
from .models import User

KIND = "invitation"
VALID_DAYS = 7
_SALT = "activity_hub.invitation"


class InvitationInvalid(ValueError):
    """The link is not one we made, has been used, or has expired (``expired`` says which)."""

    def __init__(self, expired=False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def unusable_password():
    """The password of an account until its owner sets one: random, told to no one."""
    return secrets.token_urlsafe(24)


def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _mark(user):
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def make_token(user):
    return _serializer().dumps({"u": user.id, "m": _mark(user)})


def invitation_link(user):
    """The absolute link of a fresh invitation: under ``SITE_URL`` when set (so messages queued by
    the command line link to the real site), else under the request's own address."""
    token = make_token(user)
    site = current_app.config.get("SITE_URL")
    if has_request_context() and not site:
        return url_for("auth.accept_invitation", token=token, _external=True)
    with current_app.test_request_context(base_url=site or "http://localhost/"):
        return url_for("auth.accept_invitation", token=token, _external=True)


def send_invitation(user):
    """Queue the invitation message (not committed: it joins the transaction that made the account,
    or the caller commits it when sending again)."""
    link = invitation_link(user)

    def render():
        subject = _("Your account at the activity hub is ready")
        body = _("An account has been made for you at the activity hub, so you can sign up for events. "
                 "Log in with %(login)s. To choose your password, open this link within %(days)d days: %(link)s",
                 login=user.login_name, days=VALID_DAYS, link=link)
        return subject, body

    return queue_message(user, KIND, render)


def send_again(user):
    """Staff send the invitation once more (committed)."""
    send_invitation(user)
    db.session.commit()


def account_for_token(token):
    """The account a live invitation token names; InvitationInvalid otherwise."""
    try:
        data = _serializer().loads(token, max_age=VALID_DAYS * 24 * 3600)
    except SignatureExpired:
        raise InvitationInvalid(expired=True) from None
    except BadSignature:
        raise InvitationInvalid() from None
    if not isinstance(data, dict):
        raise InvitationInvalid()
    user = db.session.get(User, data.get("u")) if isinstance(data.get("u"), int) else None
    if user is None or not user.is_active or data.get("m") != _mark(user):
        raise InvitationInvalid()
    return user


def accept(token, password):
    """Set the account's first password through the invitation (committed) and return the account.
    The link then no longer works. InvitationInvalid, or AccountError("password") from the policy."""
    user = account_for_token(token)
    reason = password_policy.problem(password, phone=user.phone, email=user.email, name=user.display_name)
    if reason is not None:
        raise AccountError(reason, "password")
    user.password_hash = accounts.hash_password(password)
    db.session.commit()
    return user
