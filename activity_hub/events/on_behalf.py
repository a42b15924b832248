"""An organizer registers a resident on their behalf (at the desk, on the phone), creating the
resident's account when they have none: the account and the registration are one transaction.

Finding the resident by phone number is scoped: the saved needs and note of their profile are shown
only to organizers of the resident's own district (and city-wide staff); any other organizer learns
only that an account exists, and can register it for their event, asking what is needed there.
"""
from ..auth import accounts, invitations
from ..auth.accounts import can_manage_district
from ..extensions import db
from ..privacy import audit
from . import registration


def may_see_saved_needs(organizer, resident):
    """Whether ``organizer`` may read ``resident``'s saved needs and note (and their name): an
    organizer of the resident's district, a city-wide organizer or an administrator."""
    return can_manage_district(organizer, resident.district_id)


def find_resident(organizer, event, phone, address=None):
    """(the account with this mobile number or None, whether ``organizer`` may see its saved needs);
    the lookup is written to the audit log (the resident can read it in their access log)."""
    resident = accounts.find_user_by_login(phone)
    audit.record(organizer, audit.RESIDENT_LOOKED_UP, subject_user=resident, event=event, address=address)
    return resident, resident is not None and may_see_saved_needs(organizer, resident)


def register_on_behalf(event, resident, phone, display_name, organizer, address=None, **choices):
    """Register ``resident`` (or, when None, a new account with ``phone`` and ``display_name`` and a
    password nobody knows and an invitation to choose one) for ``event``; ``choices`` are
    ``registration.register``'s needs, companions,
    notes and consent. Commits; an AccountError or a RegistrationRefused leaves nothing written."""
    if resident is None:
        try:
            resident = accounts.create_user(phone, display_name, invitations.unusable_password(),
                                            roles=("resident",), district=event.district)
            db.session.flush()
            invitations.send_invitation(resident)
        except accounts.AccountError:
            db.session.rollback()
            raise
    made = registration.register(event.id, resident, registered_by=organizer, **choices)
    audit.record(organizer, audit.REGISTERED_ON_BEHALF, subject_user=made.user_id, event=event, address=address)
    return made
