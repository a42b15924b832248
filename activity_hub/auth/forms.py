"""Account forms. Messages are short, plain and say how to fix the input."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError

from ..accessibility import need_choices
from ..form_fields import MultiCheckboxField, NoControlCharacters, strip_filter
from .accounts import normalise_login

PASSWORD_MIN = 8
PASSWORD_MAX = 128


def _valid_login(form, field):
    if field.data and normalise_login(field.data) is None:
        raise ValidationError(_l("Enter a mobile number like 13800138000 or an e-mail address like name@example.com"))


def _valid_phone(form, field):
    if field.data:
        parsed = normalise_login(field.data)
        if parsed is None or parsed[0] != "phone":
            raise ValidationError(_l("Enter a mobile number of 11 digits starting with 1, like 13800138000"))


def _display_name_field():
    return StringField(
        _l("Your name"),
        filters=[strip_filter],
        validators=[
            DataRequired(_l("Enter your name")),
            Length(max=80, message=_l("Your name must be 80 characters or fewer")),
            NoControlCharacters(),
        ],
    )


def _new_password_fields():
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(_l("Enter a password")),
            Length(min=PASSWORD_MIN, max=PASSWORD_MAX,
                   message=_l("Your password must be between 8 and 128 characters")),
        ],
    )
    confirm = PasswordField(
        _l("Type the password again"),
        validators=[DataRequired(_l("Type the password again")),
                    EqualTo("password", message=_l("The two passwords are not the same"))],
    )
    return password, confirm


class SignupForm(FlaskForm):
    login = StringField(
        _l("Mobile number or e-mail address"),
        filters=[strip_filter],
        validators=[DataRequired(_l("Enter a mobile number or an e-mail address")),
                    Length(max=254, message=_l("This is too long to be a mobile number or an e-mail address")),
                    NoControlCharacters(), _valid_login],
    )
    display_name = _display_name_field()
    password, confirm = _new_password_fields()
    district = SelectField(_l("Your district"), validators=[Optional()], default="")


class LoginForm(FlaskForm):
    login = StringField(
        _l("Mobile number or e-mail address"),
        filters=[strip_filter],
        validators=[DataRequired(_l("Enter your mobile number or e-mail address")),
                    Length(max=254, message=_l("This is too long to be a mobile number or an e-mail address")),
                    NoControlCharacters()],
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password")),
                                                       Length(max=PASSWORD_MAX, message=_l("This password is too long"))])
    remember = BooleanField(_l("Keep me logged in on this device"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(_l("Enter your current password"))])
    password, confirm = _new_password_fields()


class ProfileForm(FlaskForm):
    display_name = _display_name_field()
    district = SelectField(_l("Your district"), validators=[Optional()], default="")
    default_needs = MultiCheckboxField(_l("What you usually need at events"))
    default_needs_note = TextAreaField(
        _l("Anything else organizers should know"),
        filters=[strip_filter],
        validators=[Optional(), Length(max=500, message=_l("Keep this to 500 characters or fewer")), NoControlCharacters()],
    )
    text_only_contact = BooleanField(_l("Contact me by text only (SMS or e-mail), never by phone call"))
    emergency_contact_name = StringField(
        _l("Emergency contact's name"), filters=[strip_filter],
        validators=[Optional(), Length(max=80, message=_l("The name must be 80 characters or fewer")), NoControlCharacters()],
    )
    emergency_contact_phone = StringField(
        _l("Emergency contact's mobile number"), filters=[strip_filter],
        validators=[Optional(), Length(max=20, message=_l("Enter a mobile number of 11 digits starting with 1, like 13800138000")), _valid_phone],
    )
    locale = SelectField(_l("Language"), choices=[SelectChoice("zh_CN", "中文"), SelectChoice("en", "English")])
    prefers_easy_read = BooleanField(_l("Show easy-read summaries first"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_needs.choices = need_choices()


class UserSearchForm(FlaskForm):
    """The administrators' search (GET, so results can be bookmarked; nothing changes, so no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField(
        _l("Name, mobile number or e-mail address"), filters=[strip_filter],
        validators=[Optional(), Length(max=100, message=_l("Search for 100 characters or fewer")), NoControlCharacters()],
    )
    role = SelectField(_l("Role"), validators=[Optional()], default="")


class GrantRoleForm(FlaskForm):
    role = SelectField(_l("Role"), validators=[DataRequired(_l("Choose a role"))])
    district = SelectField(_l("District"), validators=[Optional()], default="")


class ConfirmForm(FlaskForm):
    """A confirmation step: only the CSRF token."""
