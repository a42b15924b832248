"""Check-in: the signed codes a volunteer scans or types at the door, checking in, and no-shows.

Neither check-in nor a no-show changes places or the waitlist (a confirmed registration keeps its
place whether or not its resident came); the dashboard counts the checked-in registrations of
completed events.


A code is the registration id and a truncated HMAC (itsdangerous, the app's
SECRET_KEY, salt "checkin"), both in Crockford base32: digits and capital
letters without I, L, O and U, so it reads aloud and types easily, e.g.
``3F-7K2MQ-9XW4D``. Fifty bits of signature are plenty for a code that only an
organizer's check-in page accepts.
"""
import functools
import hashlib
import hmac

import segno
from flask import current_app
from flask_babel import gettext as _
from itsdangerous import Signer
from markupsafe import escape

from ...db_types import utcnow
from ...extensions import db
from ..models import CANCELLED, CONFIRMED, Registration
from .checks import RegistrationRefused, require_manager
from .store import absent_registrations, commit, lock_existing_event, locked_registration_alone, refusal_rolls_back

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
SIGNATURE_LENGTH = 10
# What people type by mistake for the letters the alphabet leaves out.
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def _base32(number):
    digits = []
    while True:
        number, rest = divmod(number, 32)
        digits.append(ALPHABET[rest])
        if number == 0:
            return "".join(reversed(digits))


def _from_base32(text):
    number = 0
    for char in text:
        index = ALPHABET.find(char)
        if index < 0:
            return None
        number = number * 32 + index
    return number


@functools.lru_cache(maxsize=4)
def _signing_key(secret_key):
    # itsdangerous derives the key from the secret and the salt on every signature; it is derived once.
    return Signer(secret_key, salt="checkin", digest_method=hashlib.sha256).derive_key()


def _signature(id_part):
    # What itsdangerous's Signer("checkin", sha256).get_signature gives, before its base64.
    raw = hmac.new(_signing_key(current_app.config["SECRET_KEY"]), id_part.encode(), hashlib.sha256).digest()
    return _base32(int.from_bytes(raw[:8], "big")).rjust(SIGNATURE_LENGTH, "0")[-SIGNATURE_LENGTH:]


def checkin_token(registration):
    """The code for a registration, grouped with hyphens for reading."""
    id_part = _base32(registration.id)
    signature = _signature(id_part)
    return f"{id_part}-{signature[:5]}-{signature[5:]}"


def normalise_token(token):
    """Upper case, without spaces or hyphens, common look-alike letters corrected."""
    text = "".join(ch for ch in (token or "").upper() if ch.isalnum())
    return text.translate(_CONFUSABLE)


def registration_id_from_token(token):
    """The registration id a valid code names, or None for a mistyped or forged code."""
    text = normalise_token(token)
    if len(text) <= SIGNATURE_LENGTH or len(text) > SIGNATURE_LENGTH + 13:
        return None
    id_part, signature = text[:-SIGNATURE_LENGTH], text[-SIGNATURE_LENGTH:]
    id_part = id_part.lstrip("0") or "0"
    registration_id = _from_base32(id_part)
    if registration_id is None or not hmac.compare_digest(signature, _signature(id_part)):
        return None
    return registration_id


def registration_from_token(token):
    """The Registration a valid code names, or None."""
    registration_id = registration_id_from_token(token)
    if registration_id is None:
        return None
    return db.session.get(Registration, registration_id)


def checkin_qr_svg(token, title):
    """The code as an inline SVG QR code, named for screen readers (black on white, so it scans in any theme)."""
    svg = segno.make(token, error="m").svg_inline(scale=6, border=4, dark="#000", light="#fff",
                                                   omitsize=False, svgclass="checkin-qr")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(title)}" ', 1)


# --- at the door -----------------------------------------------------------------------------


@refusal_rolls_back
def check_in(registration_id, by_user, event_id=None):
    """Record that a confirmed resident has arrived; checking in twice changes nothing. Returns it.

    ``event_id`` is the event whose door the resident is at: a code for another event is refused.
    """
    registration = locked_registration_alone(registration_id)
    if registration is None:
        raise RegistrationRefused("not_found", _("This registration does not exist."))
    event = registration.event
    require_manager(by_user, event)
    if event_id is not None and registration.event_id != event_id:
        raise RegistrationRefused("wrong_event", _("This registration is for another event."))
    if event.status == CANCELLED:
        raise RegistrationRefused("event_cancelled", _("This event has been cancelled."))
    if registration.status != CONFIRMED:
        raise RegistrationRefused(
            "not_confirmed", _("This registration is not confirmed, so it cannot be checked in.")
        )
    if registration.checked_in_at is None:
        registration.checked_in_at = utcnow()
        registration.no_show = False
        registration.updated_at = registration.checked_in_at
    commit()
    return registration


@refusal_rolls_back
def mark_no_shows(event_id, by_user):
    """After the start, mark every confirmed registration not checked in as a no-show; returns them."""
    event = lock_existing_event(event_id)
    require_manager(by_user, event)
    if event.starts_at > utcnow():
        raise RegistrationRefused("event_not_started", _("No-shows can be marked once the event has started."))
    absent = absent_registrations(event.id)
    now = utcnow()
    for registration in absent:
        registration.no_show = True
        registration.updated_at = now
    commit()
    return absent
