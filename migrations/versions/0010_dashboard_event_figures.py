"""dashboard: an index of the checked-in registrations the year's figures count

Revision ID: 0010_dashboard_event_figures
Revises: 0009_events_search_trigram
Create Date: 2026-11-28 19:55:00

dashboard/attendance.py counts the checked-in registrations (confirmed, checked_in_at set)
of a year's completed events. A partial index of just those rows, by event, with the id and
companions included on PostgreSQL so they are read from the index alone, replaces a scan of
every registration (declared in dashboard/models.py). The revision id was reserved for the
dashboard's figures; the figures are counted from this index and cached rather than stored.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_dashboard_event_figures'
down_revision = '0009_events_search_trigram'
branch_labels = None
depends_on = None

ATTENDED_REGISTRATIONS = "status = 'confirmed' AND checked_in_at IS NOT NULL"


def upgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.create_index('ix_registrations_attended', ['event_id'], unique=False,
                              postgresql_include=['id', 'companions'],
                              postgresql_where=sa.text(ATTENDED_REGISTRATIONS),
                              sqlite_where=sa.text(ATTENDED_REGISTRATIONS))


def downgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_index('ix_registrations_attended')
