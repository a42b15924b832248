"""Writing messages for the inbox tests the way business operations do (``queue_message``)."""
from datetime import timedelta

from activity_hub.auth.models import User
from activity_hub.extensions import db
from activity_hub.messages.models import OutboxMessage
from activity_hub.messages.outbox import queue_message


def add_messages(app, user_id, count=1, subject="消息{n}", body="正文{n}", event_id=None, kind="test_notice"):
    """Queue ``count`` messages to the user, one second apart (the last is the newest); their ids."""
    from activity_hub.events.models import Event

    with app.app_context():
        user = db.session.get(User, user_id)
        event = db.session.get(Event, event_id) if event_id else None
        messages = []
        for n in range(count):
            message = queue_message(user, kind, lambda n=n: (subject.format(n=n), body.format(n=n)), event=event)
            db.session.flush()
            message.created_at = message.created_at + timedelta(seconds=n)
            messages.append(message)
        db.session.commit()
        return [message.id for message in messages]


def message_row(app, message_id):
    with app.app_context():
        message = db.session.get(OutboxMessage, message_id)
        db.session.expunge(message)
        return message
