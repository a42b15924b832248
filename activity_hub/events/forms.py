"""Resident forms: the catalogue filters and the registration form.

The registration form only binds the fields: the rules (companions, needs, lengths,
consent) are checked by ``registration.register`` so the HTML pages and the API
give the same answers.
"""
import re
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from ..accessibility import need_choices
from ..form_fields import MultiCheckboxField, NoControlCharacters, strip_filter
from .catalogue import MAX_SEARCH_LENGTH
from .models import CATEGORIES, category_label

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _known_choice(form, field):
    if field.data and field.data not in {choice.value for choice in field.iter_choices()}:
        raise ValidationError(_l("Choose from the options given"))


def _iso_date(form, field):
    if not field.data:
        return
    try:
        if not DATE_RE.match(field.data):
            raise ValueError
        date.fromisoformat(field.data)
    except ValueError:
        raise ValidationError(_l("Enter a date like 2026-05-17 (year, month, day)")) from None


def parsed_date(field):
    return date.fromisoformat(field.data) if field.data and not field.errors else None


class CatalogueFilterForm(FlaskForm):
    """Filters read from the query string (GET), so every result page can be bookmarked and shared."""

    class Meta:
        csrf = False

    q = StringField(
        _l("Search in titles and summaries"), filters=[strip_filter],
        validators=[Optional(), Length(max=MAX_SEARCH_LENGTH, message=_l("Use 100 characters or fewer")),
                    NoControlCharacters()],
    )
    category = SelectField(_l("Kind of event"), validators=[Optional(), _known_choice], validate_choice=False,
                           default="")
    district = SelectField(_l("District"), validators=[Optional(), _known_choice], validate_choice=False, default="")
    provision = SelectField(_l("Accessibility the event provides"), validators=[Optional(), _known_choice],
                            validate_choice=False, default="")
    date_from = StringField(_l("From (date)"), filters=[strip_filter], validators=[Optional(), _iso_date])
    date_to = StringField(_l("Until (date)"), filters=[strip_filter], validators=[Optional(), _iso_date])

    def __init__(self, *args, district_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = [SelectChoice("", _l("Any kind"))] + [
            SelectChoice(code, category_label(code)) for code in CATEGORIES]
        self.district.choices = [SelectChoice("", _l("Any district"))] + list(district_choices)
        self.provision.choices = [SelectChoice("", _l("Any"))] + need_choices()

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        start, end = parsed_date(self.date_from), parsed_date(self.date_to)
        if start and end and end < start:
            self.date_to.errors = list(self.date_to.errors) + [_l("The end date must be on or after the start date")]
            ok = False
        return ok


class RegistrationForm(FlaskForm):
    needs = MultiCheckboxField(_l("What you need at this event"))
    needs_note = TextAreaField(_l("More about what you need"), filters=[strip_filter])
    companions = SelectField(_l("Companions coming with you"), validate_choice=False, default="0")
    note = TextAreaField(_l("Anything else the organizer should know"), filters=[strip_filter])
    consent = BooleanField(_l("I agree that the organizer may use the needs I give here to arrange this event"))

    def __init__(self, *args, max_companions=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs.choices = need_choices()
        self.companions.choices = [SelectChoice(str(n)) for n in range(max_companions + 1)]

    def add_refusal(self, refused):
        """Put each problem the service found beside its field, the others in the summary."""
        for _code, field_name, message in refused.errors:
            field = getattr(self, field_name, None) if field_name else None
            if field is None:
                self.form_errors.append(message)
            elif not field.errors:  # the field's own message already says what to fix
                field.errors = [message]
