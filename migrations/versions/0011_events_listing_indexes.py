"""events listing: a partial index of public events by start, with their end

Revision ID: 0011_events_listing_indexes
Revises: 0010_dashboard_event_figures
Create Date: 2026-11-28 20:30:00

The catalogue and GET /api/v1/events list public events (published, cancelled, completed)
that are not over yet, by start. Walking the plain starts_at index read every event that
had already ended (all of the city's history) before the first one shown. This index holds
only public events, keyed by start and then end, so ended events are skipped inside the
index (their rows are never read). Declared in events/models.py.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_events_listing_indexes'
down_revision = '0010_dashboard_event_figures'
branch_labels = None
depends_on = None

LISTED_EVENTS = "status IN ('published', 'cancelled', 'completed')"


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_listed_starts_at', ['starts_at', 'ends_at'], unique=False,
                              postgresql_where=sa.text(LISTED_EVENTS), sqlite_where=sa.text(LISTED_EVENTS))


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_listed_starts_at')
