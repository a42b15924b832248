"""auth: one-time codes to log in or reset a forgotten password

Revision ID: 0014_auth_login_codes
Revises: 0013_messages_announcements
Create Date: 2026-12-04 18:00:00

One row per code sent: whose, what for (log in or reset), a keyed hash of the code (never the code),
when it was made and ends, how many wrong tries it has had and when it was used.
"""
from alembic import op
import sqlalchemy as sa

from activity_hub.db_types import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0014_auth_login_codes'
down_revision = '0013_messages_announcements'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'login_codes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('purpose', sa.String(length=10), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('expires_at', UTCDateTime(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('used_at', UTCDateTime(), nullable=True),
        sa.CheckConstraint("purpose IN ('login', 'reset')", name=op.f('ck_login_codes_known_purpose')),
        sa.CheckConstraint('attempts >= 0', name=op.f('ck_login_codes_attempts_not_negative')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_login_codes_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_login_codes')),
    )
    op.create_index('ix_login_codes_user_created', 'login_codes', ['user_id', 'created_at'], unique=False)


def downgrade():
    op.drop_index('ix_login_codes_user_created', table_name='login_codes')
    op.drop_table('login_codes')
