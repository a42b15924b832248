"""Switching an account off and on again (administrators, ``flask users deactivate``/``reactivate``).

A switched-off account keeps its data but cannot log in, and every session and API token it had ends
at once. Each function commits, or, refused, writes nothing.
"""
from flask_babel import lazy_gettext as _l

from ..extensions import db
from . import sessions
from .accounts import AccountError


def deactivate_account(user, by=None):
    """Switch ``user`` off and end all their sessions and tokens; False if it was off already.
    An administrator cannot switch off their own account (AccountError): nobody could switch it on."""
    if by is not None and by.id == user.id:
        raise AccountError(_l("You cannot switch off your own account. Ask another administrator."))
    if not user.is_active_account:
        return False
    user.is_active_account = False
    sessions.end_all_sessions(user, sessions.DEACTIVATED, commit=False)
    db.session.commit()
    return True


def reactivate_account(user):
    """Let ``user`` log in again (with their password; old sessions and tokens stay ended).
    False if it was on already."""
    if user.is_active_account:
        return False
    user.is_active_account = True
    db.session.commit()
    return True
