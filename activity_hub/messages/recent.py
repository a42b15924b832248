"""The newest messages of the outbox, whoever they are for: what the developers' page shows so a
newcomer sees what residents would receive (in development nothing leaves the machine)."""
import sqlalchemy as sa

from .models import OutboxMessage

RECENT_LIMIT = 100


def recent_messages(session, limit=RECENT_LIMIT):
    """Newest first; one query whatever the number shown."""
    return session.scalars(
        sa.select(OutboxMessage).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc()).limit(limit)
    ).all()
