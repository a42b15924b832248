"""Outbox rows for the channel tests, written as business operations write them."""
from activity_hub.extensions import db
from activity_hub.messages.models import OutboxMessage


def outbox_message(user_id, channel, recipient, subject="报名成功", body="您已报名。", kind="registration_confirmed",
                   locale="zh_CN"):
    message = OutboxMessage(user_id=user_id, kind=kind, channel=channel, recipient=recipient, locale=locale,
                            subject=subject, body=body)
    db.session.add(message)
    db.session.commit()
    return message
