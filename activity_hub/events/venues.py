"""Venues: where events happen and what a resident can count on there.

Organizers manage the venues of their own district; city-wide organizers and admins all of them.
Any organizer may hold an event at any venue, so the event form lists every venue.
"""
import functools

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from ..accessibility import VENUE_FEATURE_CODES
from ..auth.accounts import can_manage_district, organizer_scope
from ..db_types import utcnow
from ..districts import District
from ..extensions import db
from .models import CANCELLED, Event, Venue

LIMITS = {"name": 120, "address": 255, "accessible_entrance": 255, "directions": 5000}
WHEELCHAIR_SPACES_MAX = 10000
FIELDS = ("name", "address", "district_id", "features", "wheelchair_spaces", "accessible_entrance", "directions")


class VenueError(Exception):
    code = "venue_error"

    def __init__(self, message, code=None):
        super().__init__(str(message))
        self.message = message
        self.code = code or self.code


class InvalidVenue(ValueError):
    code = "invalid"

    def __init__(self, errors):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = dict(errors)


def _refusal_rolls_back(operation):
    """A refused change leaves nothing half-written: roll back, then let the refusal through."""
    @functools.wraps(operation)
    def run(*args, **kwargs):
        try:
            return operation(*args, **kwargs)
        except (VenueError, InvalidVenue):
            db.session.rollback()
            raise

    return run


def can_manage_venue(user, venue):
    return venue is not None and can_manage_district(user, venue.district_id)


def managed_venues(user):
    """Venues ``user`` may edit, by district then name, with their districts loaded."""
    query = sa.select(Venue).options(sa.orm.joinedload(Venue.district)).join(District)
    scope = organizer_scope(user)
    if scope is not None:
        query = query.where(Venue.district_id.in_(scope or {-1}))
    return list(db.session.scalars(query.order_by(District.position, Venue.name)))


def venue_choices(blank_label):
    """Every venue as a choice of id and "name (district)" for the event form."""
    rows = db.session.execute(
        sa.select(Venue.id, Venue.name, District).join(District, Venue.district_id == District.id)
        .order_by(District.position, Venue.name)
    )
    return [SelectChoice("", blank_label)] + [SelectChoice(str(venue_id), f"{name}（{district.name}）")
                                              for venue_id, name, district in rows]


def check_venue_values(values):
    errors = {}
    for field, limit in LIMITS.items():
        value = values.get(field)
        if value is None:
            continue
        if not isinstance(value, str):
            errors[field] = _l("Enter text.")
        elif len(value) > limit:
            errors[field] = _l("Keep this to %(limit)s characters or fewer.", limit=limit)
        elif any(ord(ch) < 32 and ch not in "\n\r\t" for ch in value):
            errors[field] = _l("Remove the invisible control characters.")
    if not (values.get("name") or "").strip():
        errors.setdefault("name", _l("Enter the venue's name."))
    if not (values.get("address") or "").strip():
        errors.setdefault("address", _l("Enter the venue's address."))
    district_id = values.get("district_id")
    if not isinstance(district_id, int) or db.session.get(District, district_id) is None:
        errors["district_id"] = _l("Choose a district from the list.")
    features = values.get("features") or []
    if not isinstance(features, (list, tuple, set)) or set(features) - set(VENUE_FEATURE_CODES):
        errors["features"] = _l("Choose features from the list.")
    spaces = values.get("wheelchair_spaces", 0)
    if not isinstance(spaces, int) or isinstance(spaces, bool) or not 0 <= spaces <= WHEELCHAIR_SPACES_MAX:
        errors["wheelchair_spaces"] = _l("Enter the number of wheelchair spaces as a whole number, 0 or more.")
    return errors


def _clean(values):
    values = {k: v for k, v in values.items() if k in FIELDS}
    for field in LIMITS:
        if isinstance(values.get(field), str):
            values[field] = values[field].strip()
    if isinstance(values.get("features"), (list, tuple, set)):
        wanted = set(values["features"])
        values["features"] = [code for code in VENUE_FEATURE_CODES if code in wanted] + sorted(
            wanted - set(VENUE_FEATURE_CODES))
    return values


def _ensure_district(user, district_id):
    if not can_manage_district(user, district_id):
        raise VenueError(_l("You can only manage venues in your own district."), "forbidden")


@_refusal_rolls_back
def create_venue(values, by_user):
    values = {"features": [], "wheelchair_spaces": 0, "accessible_entrance": "", "directions": "", **_clean(values)}
    _ensure_district(by_user, values.get("district_id"))
    errors = check_venue_values(values)
    if errors:
        raise InvalidVenue(errors)
    venue = Venue(**values)
    db.session.add(venue)
    db.session.commit()
    return venue


@_refusal_rolls_back
def update_venue(venue_id, values, by_user):
    """Change a venue. A new name or address is a change of place for its coming events."""
    venue = db.session.get(Venue, venue_id)
    if venue is None:
        raise VenueError(_l("This venue does not exist."), "not_found")
    _ensure_district(by_user, venue.district_id)
    values = _clean(values)
    if "district_id" in values:
        _ensure_district(by_user, values["district_id"])
    errors = check_venue_values({**{f: getattr(venue, f) for f in FIELDS}, **values})
    if errors:
        raise InvalidVenue(errors)
    place_changed = any(values.get(f, getattr(venue, f)) != getattr(venue, f) for f in ("name", "address"))
    for field, value in values.items():
        setattr(venue, field, value)
    venue.updated_at = utcnow()
    if place_changed:
        now = utcnow()
        db.session.execute(
            sa.update(Event)
            .where(Event.venue_id == venue.id, Event.ends_at > now, Event.status != CANCELLED)
            .values(sequence=Event.sequence + 1, updated_at=now)
            .execution_options(synchronize_session=False)
        )
    db.session.commit()
    return venue
