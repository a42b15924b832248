"""Venues, events, registrations and their invariants.

Capacity is never stored as a running counter: the places taken are the sum of
the active registrations, computed under a lock on the event row (see
``registration/``). The database backs the rules with check constraints and a
partial unique index that allows one active registration per resident and event.
"""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import relationship

from ..db_types import UTCDateTime, utcnow
from ..extensions import db

CATEGORIES = ("culture", "sports", "legal", "training", "other")
DRAFT, PUBLISHED, CANCELLED, COMPLETED = "draft", "published", "cancelled", "completed"
EVENT_STATUSES = (DRAFT, PUBLISHED, CANCELLED, COMPLETED)

PENDING, CONFIRMED, WAITLISTED = "pending", "confirmed", "waitlisted"
REG_CANCELLED, REJECTED = "cancelled", "rejected"
REGISTRATION_STATUSES = (PENDING, CONFIRMED, WAITLISTED, REG_CANCELLED, REJECTED)
# Registrations that hold (or wait for) places.
ACTIVE_STATUSES = (PENDING, CONFIRMED, WAITLISTED)
# Registrations that hold places now.
HOLDING_STATUSES = (PENDING, CONFIRMED)


def _in(column, values):
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


class Venue(db.Model):
    __tablename__ = "venues"

    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.String(120), nullable=False)
    address = sa.Column(sa.String(255), nullable=False)
    district_id = sa.Column(sa.Integer, sa.ForeignKey("districts.id"), nullable=False, index=True)
    # Codes from accessibility.VENUE_FEATURES.
    features = sa.Column(sa.JSON, nullable=False, default=list)
    wheelchair_spaces = sa.Column(sa.Integer, nullable=False, default=0)
    accessible_entrance = sa.Column(sa.String(255), nullable=False, default="")
    directions = sa.Column(sa.Text, nullable=False, default="")
    created_at = sa.Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = sa.Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)

    __table_args__ = (sa.CheckConstraint("wheelchair_spaces >= 0", name="wheelchair_spaces_positive"),)

    district = relationship("District")

    def has_feature(self, code):
        return code in (self.features or ())


class Series(db.Model):
    """A series or campaign that groups events, e.g. "八五"普法 or 残疾人文化周."""

    __tablename__ = "series"

    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.String(120), nullable=False, unique=True)
    description = sa.Column(sa.Text, nullable=False, default="")


class Event(db.Model):
    __tablename__ = "events"
    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("capacity >= 0", name="capacity_positive"),
        sa.CheckConstraint("wheelchair_spaces >= 0 AND wheelchair_spaces <= capacity", name="wheelchair_within_capacity"),
        sa.CheckConstraint("max_companions >= 0", name="companions_positive"),
        sa.CheckConstraint(_in("category", CATEGORIES), name="known_category"),
        sa.CheckConstraint(_in("status", EVENT_STATUSES), name="known_status"),
        sa.CheckConstraint("venue_id IS NOT NULL OR online_url IS NOT NULL", name="has_place"),
        sa.Index("ix_events_status_starts_at", "status", "starts_at"),
        # The catalogue's filters, each with the sort column (catalogue.py).
        sa.Index("ix_events_district_status_starts_at", "district_id", "status", "starts_at"),
        sa.Index("ix_events_category_status_starts_at", "category", "status", "starts_at"),
        sa.Index("ix_events_status_ends_at", "status", "ends_at"),
        # The listing's default order (start) over public events, with the end beside it so
        # events already over are passed over inside the index, never read (migration 0011).
        sa.Index("ix_events_listed_starts_at", "starts_at", "ends_at",
                 postgresql_where=sa.text(_in("status", ("published", "cancelled", "completed"))),
                 sqlite_where=sa.text(_in("status", ("published", "cancelled", "completed")))),
        # The catalogue's substring search (ILIKE '%word%'): trigram GIN indexes on PostgreSQL
        # (pg_trgm, created before the table below), plain indexes elsewhere. Migration 0009.
        sa.Index("ix_events_title_trgm", "title", postgresql_using="gin", postgresql_ops={"title": "gin_trgm_ops"}),
        sa.Index("ix_events_summary_trgm", "summary", postgresql_using="gin",
                 postgresql_ops={"summary": "gin_trgm_ops"}),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    title = sa.Column(sa.String(200), nullable=False)
    summary = sa.Column(sa.String(500), nullable=False, default="")
    description = sa.Column(sa.Text, nullable=False, default="")
    easy_read_summary = sa.Column(sa.Text, nullable=False, default="")
    category = sa.Column(sa.String(20), nullable=False, index=True)
    series_id = sa.Column(sa.Integer, sa.ForeignKey("series.id"), index=True)
    district_id = sa.Column(sa.Integer, sa.ForeignKey("districts.id"), nullable=False, index=True)
    venue_id = sa.Column(sa.Integer, sa.ForeignKey("venues.id"), index=True)
    online_url = sa.Column(sa.String(500))
    starts_at = sa.Column(UTCDateTime, nullable=False, index=True)
    ends_at = sa.Column(UTCDateTime, nullable=False)
    capacity = sa.Column(sa.Integer, nullable=False)
    wheelchair_spaces = sa.Column(sa.Integer, nullable=False, default=0)
    max_companions = sa.Column(sa.Integer, nullable=False, default=1)
    registration_opens_at = sa.Column(UTCDateTime)
    registration_closes_at = sa.Column(UTCDateTime)
    requires_approval = sa.Column(sa.Boolean, nullable=False, default=False)
    contact_name = sa.Column(sa.String(80), nullable=False, default="")
    contact_phone = sa.Column(sa.String(20), nullable=False, default="")
    contact_email = sa.Column(sa.String(254), nullable=False, default="")
    status = sa.Column(sa.String(20), nullable=False, default=DRAFT)
    # Raised on every change of time, place or status (iCalendar SEQUENCE).
    sequence = sa.Column(sa.Integer, nullable=False, default=0)
    created_by_id = sa.Column(sa.Integer, sa.ForeignKey("users.id"))
    created_at = sa.Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = sa.Column(UTCDateTime, nullable=False, default=utcnow)
    cancelled_at = sa.Column(UTCDateTime)

    series = relationship("Series")
    district = relationship("District")
    venue = relationship("Venue")
    provision_rows = relationship(
        "EventProvision", cascade="all, delete-orphan", lazy="selectin", order_by="EventProvision.code"
    )

    @property
    def provisions(self):
        from ..accessibility import clean_need_codes
        return clean_need_codes(row.code for row in self.provision_rows)

    def set_provisions(self, codes):
        from ..accessibility import clean_need_codes
        wanted = clean_need_codes(codes)
        self.provision_rows = [row for row in self.provision_rows if row.code in wanted]
        have = {row.code for row in self.provision_rows}
        for code in wanted:
            if code not in have:
                self.provision_rows.append(EventProvision(code=code))

    def __repr__(self):
        return f"<Event {self.id} {self.title!r}>"


# create_all (tests, first setup) needs the extension before the trigram indexes; migrations create it too.
sa.event.listen(Event.__table__, "before_create",
                sa.DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"))


class EventProvision(db.Model):
    """An accessibility provision an event offers (a need code it provides for)."""

    __tablename__ = "event_provisions"

    event_id = sa.Column(sa.Integer, sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    code = sa.Column(sa.String(40), primary_key=True, index=True)


class Registration(db.Model):
    __tablename__ = "registrations"
    __table_args__ = (
        sa.CheckConstraint("companions >= 0", name="companions_positive"),
        sa.CheckConstraint(_in("status", REGISTRATION_STATUSES), name="known_status"),
        # One active registration per resident and event; the backstop for the service's check.
        sa.Index(
            "uq_registrations_active_per_user",
            "event_id",
            "user_id",
            unique=True,
            sqlite_where=sa.text(_in("status", ACTIVE_STATUSES)),
            postgresql_where=sa.text(_in("status", ACTIVE_STATUSES)),
        ),
        sa.Index("ix_registrations_event_status", "event_id", "status"),
        sa.Index("ix_registrations_user_status", "user_id", "status"),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    event_id = sa.Column(sa.Integer, sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False)
    user_id = sa.Column(sa.Integer, sa.ForeignKey("users.id"), nullable=False)
    status = sa.Column(sa.String(20), nullable=False)
    companions = sa.Column(sa.Integer, nullable=False, default=0)
    # True when the registration needs one of the event's wheelchair spaces.
    wheelchair_space = sa.Column(sa.Boolean, nullable=False, default=False)
    needs_note = sa.Column(sa.String(1000), nullable=False, default="")
    note = sa.Column(sa.String(1000), nullable=False, default="")
    consent_at = sa.Column(UTCDateTime)
    # Arrival order: the waitlist is served in (created_at, id) order.
    created_at = sa.Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = sa.Column(UTCDateTime, nullable=False, default=utcnow)
    registered_by_id = sa.Column(sa.Integer, sa.ForeignKey("users.id"))
    checked_in_at = sa.Column(UTCDateTime)
    no_show = sa.Column(sa.Boolean, nullable=False, default=False)
    cancelled_at = sa.Column(UTCDateTime)
    # Set when the resident withdrew their consent to needs: the needs were erased, and the roster
    # says so rather than showing "no needs".
    needs_withdrawn_at = sa.Column(UTCDateTime)

    event = relationship("Event")
    user = relationship("User", foreign_keys=[user_id])
    registered_by = relationship("User", foreign_keys=[registered_by_id])
    need_rows = relationship(
        "RegistrationNeed", cascade="all, delete-orphan", lazy="selectin", order_by="RegistrationNeed.code"
    )

    @property
    def places(self):
        return 1 + self.companions

    @property
    def needs(self):
        from ..accessibility import clean_need_codes
        return clean_need_codes(row.code for row in self.need_rows)

    def set_needs(self, codes):
        from ..accessibility import clean_need_codes
        wanted = clean_need_codes(codes)
        self.need_rows = [row for row in self.need_rows if row.code in wanted]
        have = {row.code for row in self.need_rows}
        for code in wanted:
            if code not in have:
                self.need_rows.append(RegistrationNeed(code=code))
        self.wheelchair_space = "wheelchair_space" in wanted

    @property
    def is_active(self):
        return self.status in ACTIVE_STATUSES


class RegistrationNeed(db.Model):
    __tablename__ = "registration_needs"

    registration_id = sa.Column(
        sa.Integer, sa.ForeignKey("registrations.id", ondelete="CASCADE"), primary_key=True
    )
    code = sa.Column(sa.String(40), primary_key=True, index=True)


def category_label(code):
    labels = {
        "culture": _l("Culture"),
        "sports": _l("Sports"),
        "legal": _l("Legal awareness"),
        "training": _l("Training"),
        "other": _l("Other"),
    }
    return labels.get(code, code)


def event_status_label(code):
    labels = {
        DRAFT: _l("Draft"),
        PUBLISHED: _l("Published"),
        CANCELLED: _l("Cancelled"),
        COMPLETED: _l("Completed"),
    }
    return labels.get(code, code)


def registration_status_label(code):
    labels = {
        PENDING: _l("Pending approval"),
        CONFIRMED: _l("Confirmed"),
        WAITLISTED: _l("On the waiting list"),
        REG_CANCELLED: _l("Cancelled"),
        REJECTED: _l("Not accepted"),
    }
    return labels.get(code, code)
