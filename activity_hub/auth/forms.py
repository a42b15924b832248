"""Account forms. Messages are short, plain and say how to fix the input."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError

from ..accessibility import need_choices
from ..form_fields import MultiCheckboxField, NoControlCharacters, strip_filter
from . import password_policy
from .accounts import normalise_login
from .password_policy import PASSWORD_MAX, PASSWORD_MIN

CODE_LENGTH = 6


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


def account_facts(user):
    """What a password must not be, for an existing account."""
    return {"phone": user.phone, "email": user.email, "name": user.display_name} if user is not None else {}


def _policy(form, field):
    """The password policy (``password_policy``) for the account the form is about: a form names it
    with ``password_account()`` (sign-up: the login and name typed; otherwise the account's own)."""
    reason = password_policy.problem(field.data, **form.password_account())
    if reason is not None:
        raise ValidationError(reason)


class PasswordPolicyForm(FlaskForm):
    """A form that sets a password; ``account`` (a User) is set by the view before validating."""

    account = None

    def password_account(self):
        return account_facts(self.account)


def _new_password_fields():
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter a password")), _policy],
    )
    confirm = PasswordField(
        _l("Type the password again"),
        validators=[DataRequired(_l("Type the password again")),
                    EqualTo("password", message=_l("The two passwords are not the same"))],
    )
    return password, confirm


class SignupForm(PasswordPolicyForm):
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

    def password_account(self):
        parsed = normalise_login(self.login.data) if self.login.data else None
        facts = {"name": self.display_name.data}
        if parsed is not None:
            facts[parsed[0]] = parsed[1]
        return facts


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


class ChangePasswordForm(PasswordPolicyForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(_l("Enter your current password"))])
    password, confirm = _new_password_fields()


def _login_field():
    return StringField(
        _l("Mobile number or e-mail address"),
        filters=[strip_filter],
        validators=[DataRequired(_l("Enter your mobile number or e-mail address")),
                    Length(max=254, message=_l("This is too long to be a mobile number or an e-mail address")),
                    NoControlCharacters(), _valid_login],
    )


def _six_digits(form, field):
    if field.data and not (len(field.data) == CODE_LENGTH and field.data.isascii() and field.data.isdigit()):
        raise ValidationError(_l("The code has 6 digits, like 123456"))


def _code_field():
    return StringField(
        _l("Code"),
        filters=[lambda value: "".join((value or "").split())],
        validators=[DataRequired(_l("Enter the 6-digit code from the message we sent you")), _six_digits],
    )


class CodeRequestForm(FlaskForm):
    """Step one of logging in with a code, or of resetting a forgotten password."""

    login = _login_field()


class CodeLoginForm(FlaskForm):
    """Step two: the code from the message."""

    login = _login_field()
    code = _code_field()
    remember = BooleanField(_l("Keep me logged in on this device"))


class CodeResetForm(PasswordPolicyForm):
    """Step two of resetting a forgotten password: the code and the new password."""

    login = _login_field()
    code = _code_field()
    password, confirm = _new_password_fields()


class SetPasswordForm(PasswordPolicyForm):
    """An invitation's page: the first password of an account staff created."""

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
