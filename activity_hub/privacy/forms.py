"""Forms of the privacy pages: the administrators' audit search and withdrawing a consent."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField
from wtforms.validators import NumberRange, Optional, ValidationError

from .audit import ACTIONS
from .labels import action_label


class AuditSearchForm(FlaskForm):
    """Read from the query string (GET): no CSRF token needed for a search."""
    class Meta:
        csrf = False

    person = IntegerField(_l("Person (account number)"), validators=[Optional(), NumberRange(min=1, message=_l(
        "Enter an account number: a whole number, 1 or more."))])
    event = IntegerField(_l("Event (number)"), validators=[Optional(), NumberRange(min=1, message=_l(
        "Enter an event number: a whole number, 1 or more."))])
    first_day = DateField(_l("From (day)"), validators=[Optional()])
    last_day = DateField(_l("To (day)"), validators=[Optional()])
    action = SelectField(_l("What was done"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.action.choices = [("", _l("Anything"))] + [(code, action_label(code)) for code in ACTIONS]

    def validate_last_day(self, field):
        if field.data and self.first_day.data and field.data < self.first_day.data:
            raise ValidationError(_l("The last day cannot be before the first day."))


class WithdrawConsentForm(FlaskForm):
    """Only the CSRF token: the purpose is in the address."""
