"""Each person's choice of how messages reach them (automatically, SMS, e-mail or only the site's
inbox) and which reminders they want before an event. The page and the JSON API both save through
``save_contact_preferences``, so the rules (no SMS without a mobile number, no e-mail without an
address) live here once."""
from dataclasses import dataclass
from types import SimpleNamespace

from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..privacy import consents
from .models import EMAIL, SITE, SMS
from .preferences import delivery_channel

# The choice stored as NULL: the site decides (see ``preferences.delivery_channel``).
AUTOMATIC = "automatic"
CHANNEL_CHOICES = (AUTOMATIC, SMS, EMAIL, SITE)


class ContactPreferenceError(ValueError):
    """A choice that cannot be saved; ``field`` names the input the message belongs beside."""

    def __init__(self, message, field):
        super().__init__(str(message))
        self.message = message
        self.field = field


@dataclass(frozen=True)
class ContactPreferences:
    channel: str
    remind_day_before: bool
    remind_two_hours_before: bool


def current_preferences(user):
    return ContactPreferences(
        channel=user.message_channel or AUTOMATIC,
        remind_day_before=bool(user.remind_day_before),
        remind_two_hours_before=bool(user.remind_two_hours_before),
    )


def missing_channel_reasons(user):
    """{channel: why it cannot be chosen} for the channels this account cannot be reached by."""
    reasons = {}
    if not user.phone:
        reasons[SMS] = _l("Text messages (SMS) are not offered because your account has no mobile number.")
    if not user.email:
        reasons[EMAIL] = _l("E-mail is not offered because your account has no e-mail address.")
    return reasons


def available_channels(user):
    """The choices this account can make, in the order they are offered."""
    missing = missing_channel_reasons(user)
    return tuple(choice for choice in CHANNEL_CHOICES if choice not in missing)


def automatic_channel(user):
    """The channel "automatic" means for this account today (``delivery_channel``'s own rule,
    asked as if the person had made no choice)."""
    channel, _recipient = delivery_channel(SimpleNamespace(
        message_channel=None, phone=user.phone, email=user.email, text_only_contact=user.text_only_contact,
    ))
    return channel


def save_contact_preferences(user, channel, remind_day_before, remind_two_hours_before):
    """Check and save the person's choices, and commit. ``ContactPreferenceError`` (nothing saved)
    when the channel is unknown or the account cannot be reached that way."""
    if channel not in CHANNEL_CHOICES:
        raise ContactPreferenceError(_l("Choose one of the ways offered."), "channel")
    reason = missing_channel_reasons(user).get(channel)
    if reason is not None:
        raise ContactPreferenceError(reason, "channel")
    if channel == SMS and user.message_channel != SMS:
        consents.give(user.id, consents.SMS_PURPOSE)  # choosing text messages is consenting to them
    user.message_channel = None if channel == AUTOMATIC else channel
    user.remind_day_before = bool(remind_day_before)
    user.remind_two_hours_before = bool(remind_two_hours_before)
    db.session.commit()
    return current_preferences(user)
