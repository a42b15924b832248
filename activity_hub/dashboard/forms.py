"""Dashboard forms: choosing a year, and an administrator's plan target."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from ..form_fields import NoControlCharacters, strip_filter
from .models import MANUAL
from .targets import UNITS, measure_choices

YEAR_MIN, YEAR_MAX = 2000, 2100
NUMBER_MAX = 100_000_000


class YearForm(FlaskForm):
    """The year a page shows (a GET form: no CSRF token, works without JavaScript)."""

    class Meta:
        csrf = False

    year = IntegerField(
        _l("Year"),
        validators=[
            Optional(),
            NumberRange(min=YEAR_MIN, max=YEAR_MAX, message=_l("Enter a year between 2000 and 2100, like 2021")),
        ],
    )

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.year.raw_data and self.year.raw_data[0].strip() and self.year.data is None:
            self.year.errors = [_l("Enter the year as four digits, like 2021")]
        return ok and not self.errors


def _label_field(label):
    return StringField(
        label,
        filters=[strip_filter],
        validators=[
            DataRequired(_l("Enter the name of the target in this language")),
            Length(max=200, message=_l("The name must be 200 characters or fewer")),
            NoControlCharacters(),
        ],
    )


class TargetForm(FlaskForm):
    year = IntegerField(
        _l("Year"),
        validators=[
            InputRequired(_l("Enter the year of the plan, like 2021")),
            NumberRange(min=YEAR_MIN, max=YEAR_MAX, message=_l("Enter a year between 2000 and 2100, like 2021")),
        ],
    )
    key = StringField(
        _l("Short key"),
        filters=[strip_filter],
        validators=[
            DataRequired(_l("Enter a short key, like legal_sessions")),
            Length(max=40, message=_l("The key must be 40 characters or fewer")),
            Regexp(r"^[a-z][a-z0-9_]*$",
                   message=_l("Use lower-case letters, digits and underscores, starting with a letter")),
        ],
    )
    label_zh = _label_field(_l("Name in Chinese"))
    label_en = _label_field(_l("Name in English"))
    target = IntegerField(
        _l("Target number"),
        validators=[
            InputRequired(_l("Enter the target as a whole number, like 50")),
            NumberRange(min=1, max=NUMBER_MAX, message=_l("Enter a whole number from 1 to 100,000,000")),
        ],
    )
    unit = SelectField(_l("Unit"), choices=lambda: [SelectChoice(code, label) for code, label in UNITS.items()],
                       validators=[InputRequired(_l("Choose a unit"))])
    measure = SelectField(_l("How progress is measured"),
                          choices=measure_choices,
                          validators=[InputRequired(_l("Choose how progress is measured"))])
    manual_actual = IntegerField(
        _l("Figure so far (entered by hand)"),
        validators=[
            Optional(),
            NumberRange(min=0, max=NUMBER_MAX, message=_l("Enter a whole number from 0 to 100,000,000")),
        ],
    )
    source = StringField(
        _l("Where the target comes from"),
        filters=[strip_filter],
        validators=[Optional(), Length(max=200, message=_l("This must be 200 characters or fewer")),
                    NoControlCharacters()],
    )

    CHOICE_MESSAGES = {
        "unit": _l("Choose a unit from the list"),
        "measure": _l("Choose how progress is measured from the list"),
    }
    WHOLE_NUMBER_MESSAGES = {
        "year": _l("Enter the year as four digits, like 2021"),
        "target": _l("Enter the target as a whole number, like 50"),
        "manual_actual": _l("Enter the figure as a whole number, like 420"),
    }

    def validate_manual_actual(self, field):
        if field.data is not None and self.measure.data != MANUAL:
            raise ValidationError(_l("Leave this empty: only targets entered by hand have a figure typed in"))

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        for name, message in self.WHOLE_NUMBER_MESSAGES.items():
            field = self[name]
            if field.raw_data and field.raw_data[0].strip() and field.data is None:
                field.errors = [message]
        for name, message in self.CHOICE_MESSAGES.items():
            field = self[name]
            if field.errors and field.data not in {choice.value for choice in field.choices}:
                field.errors = [message]
        return ok and not self.errors
