"""calendar feed tokens

Revision ID: 0006_calendar
Revises: 0001
Create Date: 2026-11-28 16:40:27.247835

"""
from alembic import op
import sqlalchemy as sa

import activity_hub.db_types


# revision identifiers, used by Alembic.
revision = '0006_calendar'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_feed_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', activity_hub.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('registrations', 'assignments')", name=op.f('ck_calendar_feed_tokens_known_kind')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_calendar_feed_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feed_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_feed_tokens_token_hash')),
    sa.UniqueConstraint('user_id', 'kind', name=op.f('uq_calendar_feed_tokens_user_kind'))
    )


def downgrade():
    op.drop_table('calendar_feed_tokens')
