"""How each person wants to be reached: the channel a message to them goes by."""
from .models import EMAIL, SMS


def delivery_channel(user):
    """(channel, recipient) for a message to ``user``: SMS for text-only residents and phone-only
    accounts, e-mail otherwise."""
    if user.email and not (user.text_only_contact and user.phone):
        return EMAIL, user.email
    return SMS, user.phone
