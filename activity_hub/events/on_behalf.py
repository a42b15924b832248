"""An organizer registers a resident on their behalf (at the desk, on the phone), creating the
resident's account when they have none: the account and the registration are one transaction."""
from ..auth import accounts, invitations
from ..extensions import db
from . import registration


def register_on_behalf(event, resident, phone, display_name, organizer, **choices):
    """Register ``resident`` (or, when None, a new account with ``phone`` and ``display_name`` and a
    password nobody knows and an invitation to choose one) for ``event``; ``choices`` are ``registration.register``'s needs, companions,
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
    return registration.register(event.id, resident, registered_by=organizer, **choices)
