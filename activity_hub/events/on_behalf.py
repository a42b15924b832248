"""An organizer registers a resident on their behalf (at the desk, on the phone), creating the
resident's account when they have none: the account and the registration are one transaction."""
import secrets

from ..auth import accounts
from ..extensions import db
from ..privacy import audit
from . import registration


def find_resident(organizer, event, phone, address=None):
    """The account with this mobile number, or None; the lookup is in the audit log."""
    resident = accounts.find_user_by_login(phone)
    audit.record(organizer, audit.RESIDENT_LOOKED_UP, subject_user=resident, event=event, address=address)
    return resident


def register_on_behalf(event, resident, phone, display_name, organizer, address=None, **choices):
    """Register ``resident`` (or, when None, a new account with ``phone`` and ``display_name`` and a
    random password) for ``event``; ``choices`` are ``registration.register``'s needs, companions,
    notes and consent. Commits; an AccountError or a RegistrationRefused leaves nothing written."""
    if resident is None:
        try:
            resident = accounts.create_user(phone, display_name, secrets.token_urlsafe(18),
                                            roles=("resident",), district=event.district)
            db.session.flush()
        except accounts.AccountError:
            db.session.rollback()
            raise
    made = registration.register(event.id, resident, registered_by=organizer, **choices)
    audit.record(organizer, audit.REGISTERED_ON_BEHALF, subject_user=made.user_id, event=event, address=address)
    return made
