"""messages: delivery bookkeeping on the outbox, the site inbox, and each person's contact preferences

Revision ID: 0012_messages_delivery
Revises: 0011_events_listing_indexes
Create Date: 2026-12-04 17:20:00

The outbox gains what the relay needs to deliver each message at most once and lose none
(attempts, next attempt, lease, last error, the provider's id), the site channel and read
time of the inbox, and a de-duplication key for messages that must be written once (reminders).
Users choose the channel their messages go by and which reminders they get.
"""
from alembic import op
import sqlalchemy as sa

from activity_hub.db_types import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0012_messages_delivery'
down_revision = '0011_events_listing_indexes'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('next_attempt_at', UTCDateTime(), server_default=sa.func.now(), nullable=False))
        batch_op.add_column(sa.Column('lease_expires_at', UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('last_error', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('provider_message_id', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('read_at', UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('dedupe_key', sa.String(length=120), nullable=True))
        batch_op.drop_constraint(batch_op.f('ck_outbox_messages_known_channel'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_outbox_messages_known_status'), type_='check')
        batch_op.create_check_constraint('known_channel', "channel IN ('email', 'sms', 'site')")
        batch_op.create_check_constraint('known_status', "status IN ('queued', 'sending', 'sent', 'failed')")
        batch_op.create_check_constraint('attempts_not_negative', "attempts >= 0")
        batch_op.create_unique_constraint(batch_op.f('uq_outbox_messages_dedupe_key'), ['dedupe_key'])
        batch_op.create_index('ix_outbox_messages_status_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index('ix_outbox_messages_user_created', ['user_id', 'created_at'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('message_channel', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('remind_day_before', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('remind_two_hours_before', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_check_constraint('known_message_channel', "message_channel IN ('sms', 'email', 'site')")


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_users_known_message_channel'), type_='check')
        batch_op.drop_column('remind_two_hours_before')
        batch_op.drop_column('remind_day_before')
        batch_op.drop_column('message_channel')

    op.execute("DELETE FROM outbox_messages WHERE channel = 'site'")
    op.execute("UPDATE outbox_messages SET status = 'queued' WHERE status = 'sending'")
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_messages_user_created')
        batch_op.drop_index('ix_outbox_messages_status_due')
        batch_op.drop_constraint(batch_op.f('uq_outbox_messages_dedupe_key'), type_='unique')
        batch_op.drop_constraint(batch_op.f('ck_outbox_messages_attempts_not_negative'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_outbox_messages_known_status'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_outbox_messages_known_channel'), type_='check')
        batch_op.create_check_constraint('known_channel', "channel IN ('email', 'sms')")
        batch_op.create_check_constraint('known_status', "status IN ('queued', 'sent', 'failed')")
        batch_op.drop_column('dedupe_key')
        batch_op.drop_column('read_at')
        batch_op.drop_column('provider_message_id')
        batch_op.drop_column('last_error')
        batch_op.drop_column('lease_expires_at')
        batch_op.drop_column('next_attempt_at')
        batch_op.drop_column('attempts')
