"""Loading a message for the person asking: only its owner may see it, and anyone else is told
it does not exist (``NotFound``), so ids cannot be probed for other people's messages."""
from ..extensions import db
from ..lookup_errors import NotFound
from .models import OutboxMessage

# The largest id an INTEGER column holds; a larger number in an address is simply not found
# (PostgreSQL would refuse to compare it with the column).
LARGEST_ID = 2**31 - 1


def own_message(user, message_id):
    """The message ``message_id`` if it was written to ``user``; ``NotFound`` otherwise."""
    if not 0 < message_id <= LARGEST_ID:
        raise NotFound()
    message = db.session.get(OutboxMessage, message_id)
    if message is None or message.user_id != user.id:
        raise NotFound()
    return message
