"""Consent records and the audit log.

A consent record is kept for every consent a person gives (to needs at registration, to saved usual
needs, to text messages): who, for what, under which version of the notice, when, and how (by the
resident, or by a staff member on the phone, named). Withdrawing sets ``withdrawn_at``; the row stays
as the proof that consent was given and then withdrawn.

The audit log is append-only: rows are added, never changed or removed. The ORM refuses to flush a
change or a deletion of an entry and refuses bulk UPDATE/DELETE statements on the table
(``refuse_audit_changes``); on PostgreSQL the migration adds a trigger that refuses them in the
database too, whatever the client.
"""
import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session, relationship

from ..db_types import UTCDateTime, utcnow
from ..extensions import db

REGISTRATION_NEEDS, SAVED_NEEDS, SMS = "registration_needs", "saved_needs", "sms"
PURPOSES = (REGISTRATION_NEEDS, SAVED_NEEDS, SMS)
BY_SELF, BY_STAFF = "self", "staff"


class ConsentRecord(db.Model):
    __tablename__ = "consent_records"
    __table_args__ = (
        sa.CheckConstraint("purpose IN ('registration_needs', 'saved_needs', 'sms')", name="known_purpose"),
        sa.CheckConstraint("given_how IN ('self', 'staff')", name="known_how"),
        # Given by staff names the staff member; given by the resident names nobody else.
        sa.CheckConstraint("(given_how = 'staff') = (staff_id IS NOT NULL)", name="staff_named"),
        sa.Index("ix_consent_records_user_purpose", "user_id", "purpose", "given_at"),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    user_id = sa.Column(sa.Integer, sa.ForeignKey("users.id"), nullable=False)
    purpose = sa.Column(sa.String(30), nullable=False)
    notice_version = sa.Column(sa.String(20), nullable=False)
    given_at = sa.Column(UTCDateTime, nullable=False, default=utcnow)
    given_how = sa.Column(sa.String(10), nullable=False, default=BY_SELF)
    staff_id = sa.Column(sa.Integer, sa.ForeignKey("users.id"))
    withdrawn_at = sa.Column(UTCDateTime)

    user = relationship("User", foreign_keys=[user_id])
    staff = relationship("User", foreign_keys=[staff_id])


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"
    __table_args__ = (
        sa.Index("ix_audit_entries_at", "at"),
        sa.Index("ix_audit_entries_event_at", "event_id", "at"),
        sa.Index("ix_audit_entries_subject_at", "subject_user_id", "at"),
        sa.Index("ix_audit_entries_actor_at", "actor_id", "at"),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    at = sa.Column(UTCDateTime, nullable=False, default=utcnow)
    # Nobody for a failed login of an unknown or a wrong password.
    actor_id = sa.Column(sa.Integer, sa.ForeignKey("users.id"))
    action = sa.Column(sa.String(40), nullable=False)
    subject_user_id = sa.Column(sa.Integer, sa.ForeignKey("users.id"))
    event_id = sa.Column(sa.Integer, sa.ForeignKey("events.id"))
    address = sa.Column(sa.String(45), nullable=False, default="")
    detail = sa.Column(sa.String(500), nullable=False, default="")

    actor = relationship("User", foreign_keys=[actor_id])
    subject_user = relationship("User", foreign_keys=[subject_user_id])
    event = relationship("Event")


class AuditLogIsAppendOnly(Exception):
    """Raised when code tries to change or remove an audit entry."""


@sa_event.listens_for(Session, "before_flush")
def refuse_audit_changes(session, _flush_context, _instances):
    for instance in list(session.dirty) + list(session.deleted):
        if isinstance(instance, AuditEntry) and (instance in session.deleted or session.is_modified(instance)):
            raise AuditLogIsAppendOnly("audit entries are never changed or removed")


@sa_event.listens_for(Session, "do_orm_execute")
def refuse_audit_bulk_changes(execute_state):
    if execute_state.is_update or execute_state.is_delete:
        table = getattr(execute_state.statement, "table", None)
        if table is not None and getattr(table, "name", None) == AuditEntry.__tablename__:
            raise AuditLogIsAppendOnly("audit entries are never changed or removed")
