"""Forms of the API-token account page."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from ..form_fields import NoControlCharacters, strip_filter
from .tokens import NAME_MAX


class CreateTokenForm(FlaskForm):
    name = StringField(
        _l("Name of the new token"),
        filters=[strip_filter],
        validators=[
            DataRequired(_l("Enter a name for the token, like “my phone”")),
            Length(max=NAME_MAX, message=_l("The token name must be 80 characters or fewer")),
            NoControlCharacters(),
        ],
    )


class ConfirmForm(FlaskForm):
    """A confirmation step: only the CSRF token."""
