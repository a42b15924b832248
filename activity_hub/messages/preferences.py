"""How each person wants to be reached: the channel a message to them goes by."""
from .models import EMAIL, SITE, SMS

# The recipient written on messages that are only shown in the site's inbox.
INBOX_RECIPIENT = "inbox"


def delivery_channel(user):
    """(channel, recipient) for a message to ``user``.

    Their own choice where they made one and can be reached that way; otherwise SMS for text-only
    residents and phone-only accounts, e-mail for the rest. Every message is in their inbox on the
    site whatever the channel; "site" means the inbox only."""
    chosen = user.message_channel
    if chosen == SITE:
        return SITE, INBOX_RECIPIENT
    if chosen == SMS and user.phone:
        return SMS, user.phone
    if chosen == EMAIL and user.email:
        return EMAIL, user.email
    if user.email and not (user.text_only_contact and user.phone):
        return EMAIL, user.email
    return SMS, user.phone
