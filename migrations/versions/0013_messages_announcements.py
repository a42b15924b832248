"""messages: organizers' announcements to an event's people, kept with the event

Revision ID: 0013_messages_announcements
Revises: 0012_messages_delivery
Create Date: 2026-12-04 17:40:00

One row per announcement (who wrote it, to which audience, optionally only those with one need,
the text, how many it went to); the recipients' copies are outbox messages of kind
``announcement``.
"""
from alembic import op
import sqlalchemy as sa

from activity_hub.db_types import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0013_messages_announcements'
down_revision = '0012_messages_delivery'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'announcements',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('audience', sa.String(length=20), nullable=False),
        sa.Column('need', sa.String(length=40), nullable=True),
        sa.Column('subject', sa.String(length=100), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('recipient_count', sa.Integer(), nullable=False),
        sa.Column('submission_key', sa.String(length=64), nullable=True),
        sa.CheckConstraint("audience IN ('confirmed', 'waitlist', 'volunteers')",
                           name=op.f('ck_announcements_known_audience')),
        sa.CheckConstraint('recipient_count >= 0', name=op.f('ck_announcements_recipient_count_not_negative')),
        sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_announcements_author_id_users')),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_announcements_event_id_events'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_announcements')),
        sa.UniqueConstraint('submission_key', name=op.f('uq_announcements_submission_key')),
    )
    with op.batch_alter_table('announcements', schema=None) as batch_op:
        batch_op.create_index('ix_announcements_event_created', ['event_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_announcements_author_id'), ['author_id'], unique=False)


def downgrade():
    with op.batch_alter_table('announcements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_announcements_author_id'))
        batch_op.drop_index('ix_announcements_event_created')
    op.drop_table('announcements')
