"""privacy: consent records, the append-only audit log, and "needs withdrawn" on registrations

Revision ID: 0016_privacy_consent_audit
Revises: 0015_auth_session_epoch
Create Date: 2026-12-04 18:30:00

On PostgreSQL a trigger refuses UPDATE and DELETE on ``audit_entries`` whatever the client (the ORM
refuses them too, on both databases; see ``activity_hub/privacy/models.py``).
"""
from alembic import op
import sqlalchemy as sa

from activity_hub.db_types import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0016_privacy_consent_audit'
down_revision = '0015_auth_session_epoch'
branch_labels = None
depends_on = None

REFUSE_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_entries_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_entries is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql
"""
REFUSE_TRIGGER = """
CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries
FOR EACH ROW EXECUTE FUNCTION audit_entries_refuse_change()
"""


def upgrade():
    op.create_table(
        'consent_records',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('purpose', sa.String(length=30), nullable=False),
        sa.Column('notice_version', sa.String(length=20), nullable=False),
        sa.Column('given_at', UTCDateTime(), nullable=False),
        sa.Column('given_how', sa.String(length=10), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=True),
        sa.Column('withdrawn_at', UTCDateTime(), nullable=True),
        sa.CheckConstraint("purpose IN ('registration_needs', 'saved_needs', 'sms')",
                           name=op.f('ck_consent_records_known_purpose')),
        sa.CheckConstraint("given_how IN ('self', 'staff')", name=op.f('ck_consent_records_known_how')),
        sa.CheckConstraint("(given_how = 'staff') = (staff_id IS NOT NULL)",
                           name=op.f('ck_consent_records_staff_named')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_consent_records_user_id_users')),
        sa.ForeignKeyConstraint(['staff_id'], ['users.id'], name=op.f('fk_consent_records_staff_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_records')),
    )
    with op.batch_alter_table('consent_records', schema=None) as batch_op:
        batch_op.create_index('ix_consent_records_user_purpose', ['user_id', 'purpose', 'given_at'], unique=False)

    op.create_table(
        'audit_entries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', UTCDateTime(), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('action', sa.String(length=40), nullable=False),
        sa.Column('subject_user_id', sa.Integer(), nullable=True),
        sa.Column('event_id', sa.Integer(), nullable=True),
        sa.Column('address', sa.String(length=45), nullable=False),
        sa.Column('detail', sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_entries_actor_id_users')),
        sa.ForeignKeyConstraint(['subject_user_id'], ['users.id'],
                                name=op.f('fk_audit_entries_subject_user_id_users')),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_audit_entries_event_id_events')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries')),
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entries_at', ['at'], unique=False)
        batch_op.create_index('ix_audit_entries_event_at', ['event_id', 'at'], unique=False)
        batch_op.create_index('ix_audit_entries_subject_at', ['subject_user_id', 'at'], unique=False)
        batch_op.create_index('ix_audit_entries_actor_at', ['actor_id', 'at'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(REFUSE_FUNCTION)
        op.execute(REFUSE_TRIGGER)

    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('needs_withdrawn_at', UTCDateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_column('needs_withdrawn_at')
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER IF EXISTS audit_entries_append_only ON audit_entries')
        op.execute('DROP FUNCTION IF EXISTS audit_entries_refuse_change()')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entries_actor_at')
        batch_op.drop_index('ix_audit_entries_subject_at')
        batch_op.drop_index('ix_audit_entries_event_at')
        batch_op.drop_index('ix_audit_entries_at')
    op.drop_table('audit_entries')
    with op.batch_alter_table('consent_records', schema=None) as batch_op:
        batch_op.drop_index('ix_consent_records_user_purpose')
    op.drop_table('consent_records')
