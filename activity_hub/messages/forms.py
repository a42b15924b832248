"""Forms of the messages domain's pages."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired

from ..accessibility import need_choices
from ..form_fields import MultiCheckboxField, strip_filter
from .announcements import AUDIENCE_LABELS, BODY_MAX, SUBJECT_MAX
from .contact_preferences import AUTOMATIC, CHANNEL_CHOICES
from .models import AUDIENCES, EMAIL, SITE, SMS


class AnnouncementForm(FlaskForm):
    """An organizer's announcement. The rules (lengths, who may be chosen, an audience of nobody)
    are ``announcements.clean_draft``'s; the view shows its messages beside these fields. The
    required markers make the browser and screen readers say which fields must be filled."""

    audience = RadioField(_l("Who is it for?"), validate_choice=False,
                          validators=[DataRequired(_l("Choose who the message is for."))])
    need = SelectField(_l("Only those with this need"), validate_choice=False)
    subject = StringField(_l("Subject"), filters=[strip_filter],
                          validators=[DataRequired(_l("Enter a subject."))])
    body = TextAreaField(_l("Message"), filters=[strip_filter],
                         validators=[DataRequired(_l("Enter the message."))])
    # Set on the preview page: Send pressed twice sends once.
    submission_key = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.audience.choices = [SelectChoice(code, AUDIENCE_LABELS[code]) for code in AUDIENCES]
        self.need.choices = [SelectChoice("", _l("Everyone in the audience"))] + need_choices()

    subject_max = SUBJECT_MAX
    body_max = BODY_MAX


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
        SelectChoice(DAY_BEFORE, _l("The day before")),
        SelectChoice(TWO_HOURS_BEFORE, _l("Two hours before")),
    ])

    def offer_only(self, channels):
        self.channel.choices = [choice for choice in self.channel.choices if choice.value in channels]
