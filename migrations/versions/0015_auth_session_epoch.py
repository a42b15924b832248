"""login sessions kept on the server; API tokens expire

Revision ID: 0015_auth_session_epoch
Revises: 0014_auth_login_codes

A session cookie used to hold the account id and a mark of the password hash; now it holds the id
and the key of a row of ``login_sessions``, so logging out, "log out of all devices", a new password
and switching an account off end sessions without touching the password. Existing cookies carry no
key and are refused: everyone logs in once more after this release. Existing API tokens get 90 days
from now (the default ``API_TOKEN_DAYS``).
"""
from datetime import datetime, timedelta, timezone

from alembic import op
import sqlalchemy as sa

import activity_hub.db_types


revision = '0015_auth_session_epoch'
down_revision = '0014_auth_login_codes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key_digest', sa.String(length=64), nullable=False),
    sa.Column('created_at', activity_hub.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', activity_hub.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_login_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_sessions')),
    sa.UniqueConstraint('key_digest', name=op.f('uq_login_sessions_key_digest'))
    )
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_sessions_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_sessions_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', activity_hub.db_types.UTCDateTime(timezone=True), nullable=True))
    api_tokens = sa.table('api_tokens', sa.column('expires_at', activity_hub.db_types.UTCDateTime(timezone=True)))
    op.execute(api_tokens.update().values(expires_at=datetime.now(timezone.utc) + timedelta(days=90)))
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.alter_column('expires_at', existing_type=activity_hub.db_types.UTCDateTime(timezone=True),
                              nullable=False)


def downgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('expires_at')
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_sessions_user_id'))
        batch_op.drop_index(batch_op.f('ix_login_sessions_expires_at'))
    op.drop_table('login_sessions')
