"""Plan targets: what the federation committed to for a year, and how progress is measured.

A target names a measure from ``targets.MEASURES`` (computed from the data) or ``manual``
for plan items this system does not run; only manual targets carry a hand-entered figure,
and the database refuses one anywhere else.
"""
import sqlalchemy as sa
from sqlalchemy.orm import relationship

from ..db_types import UTCDateTime, utcnow
from ..events.models import Registration
from ..extensions import db
from ..locale_text import pick

MANUAL = "manual"


class PlanTarget(db.Model):
    __tablename__ = "plan_targets"
    __table_args__ = (
        sa.UniqueConstraint("year", "key", name="uq_plan_targets_year_key"),
        sa.CheckConstraint("year BETWEEN 2000 AND 2100", name="year_range"),
        sa.CheckConstraint("target > 0", name="target_positive"),
        sa.CheckConstraint("manual_actual IS NULL OR manual_actual >= 0", name="actual_not_negative"),
        sa.CheckConstraint("manual_actual IS NULL OR measure = 'manual'", name="actual_only_manual"),
    )

    id = sa.Column(sa.Integer, primary_key=True)
    year = sa.Column(sa.Integer, nullable=False)
    # Stable identifier within the year (used by the API and the exports), e.g. "legal_sessions".
    key = sa.Column(sa.String(40), nullable=False)
    label_zh = sa.Column(sa.String(200), nullable=False)
    label_en = sa.Column(sa.String(200), nullable=False)
    target = sa.Column(sa.Integer, nullable=False)
    # A code from ``targets.UNITS``.
    unit = sa.Column(sa.String(20), nullable=False)
    # A key of ``targets.MEASURES``, or ``manual``.
    measure = sa.Column(sa.String(40), nullable=False)
    manual_actual = sa.Column(sa.Integer)
    # Where the commitment comes from, e.g. "武残联〔2021〕6号 （十）".
    source = sa.Column(sa.String(200), nullable=False, default="")
    position = sa.Column(sa.Integer, nullable=False, default=0)
    created_at = sa.Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = sa.Column(UTCDateTime, nullable=False, default=utcnow)
    updated_by_id = sa.Column(sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL"))

    updated_by = relationship("User")

    @property
    def label(self):
        return pick(self.label_zh, self.label_en)

    @property
    def is_manual(self):
        return self.measure == MANUAL

    def __repr__(self):
        return f"<PlanTarget {self.year} {self.key}>"


# The dashboard's index on another domain's table, declared here because the dashboard is what
# reads it: ``attendance.count_attendance`` reads the checked-in registrations of a year's
# completed events (about a tenth of all registrations). With this partial index it reads just
# those, from the index alone on PostgreSQL (INCLUDE), instead of scanning every registration:
# at city scale 91 -> 16 ms for events held, 207 -> 77 ms for the needs asked and met.
ATTENDED_REGISTRATIONS = "status = 'confirmed' AND checked_in_at IS NOT NULL"
sa.Index(
    "ix_registrations_attended", Registration.event_id,
    postgresql_include=["id", "companions"],
    postgresql_where=sa.text(ATTENDED_REGISTRATIONS), sqlite_where=sa.text(ATTENDED_REGISTRATIONS),
)
