"""Who may see what of the privacy domain: a person their own consents and access log; only
administrators the audit log. Refusals are ``lookup_errors``."""
from ..auth.accounts import is_logged_in
from ..lookup_errors import Forbidden, NotFound
from .models import PURPOSES


def audit_reader(user):
    """Only administrators read the audit log (organizers do not read residents' logs)."""
    if not is_logged_in(user) or not user.has_role("admin"):
        raise Forbidden()
    return user


def known_purpose(purpose):
    if purpose not in PURPOSES:
        raise NotFound()
    return purpose
