"""Queueing messages to users in their own language, on their preferred channel."""
from flask_babel import force_locale

from ..extensions import db
from .models import EMAIL, SMS, OutboxMessage


def channel_for(user):
    """SMS for text-only residents and phone-only accounts, e-mail otherwise."""
    if user.email and not (user.text_only_contact and user.phone):
        return EMAIL, user.email
    return SMS, user.phone


def queue_message(user, kind, render, event=None):
    """Queue a message; ``render()`` returns (subject, body) and runs in the user's locale."""
    with force_locale(user.locale or "zh_CN"):
        subject, body = render()
        subject, body = str(subject), str(body)
    channel, recipient = channel_for(user)
    message = OutboxMessage(
        user_id=user.id,
        kind=kind,
        channel=channel,
        recipient=recipient,
        locale=user.locale or "zh_CN",
        subject=subject[:200],
        body=body,
        event_id=event.id if event is not None else None,
    )
    db.session.add(message)
    return message
