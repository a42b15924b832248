"""Forms of the messages domain's pages."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice

from ..form_fields import MultiCheckboxField
from .contact_preferences import AUTOMATIC, CHANNEL_CHOICES
from .models import EMAIL, SITE, SMS

DAY_BEFORE, TWO_HOURS_BEFORE = "day_before", "two_hours_before"

CHANNEL_LABELS = {
    AUTOMATIC: _l("Let the site choose (recommended)"),
    SMS: _l("By text message (SMS) to my mobile phone"),
    EMAIL: _l("By e-mail"),
    SITE: _l("Only here on the site, in “My messages”"),
}


class ContactPreferencesForm(FlaskForm):
    # Every value reaches the service, which says beside the field why a choice cannot be saved;
    # the view offers only the choices this account can make.
    channel = RadioField(_l("How should we send you messages?"),
                         choices=[SelectChoice(choice, CHANNEL_LABELS[choice]) for choice in CHANNEL_CHOICES],
                         validate_choice=False)
    reminders = MultiCheckboxField(_l("Reminders before an event"), choices=[
        (DAY_BEFORE, _l("The day before")),
        (TWO_HOURS_BEFORE, _l("Two hours before")),
    ])

    def offer_only(self, channels):
        self.channel.choices = [choice for choice in self.channel.choices if choice.value in channels]
