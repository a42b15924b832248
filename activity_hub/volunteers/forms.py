"""Volunteer forms. Messages are short, plain and say how to fix the input."""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l, lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, StopValidation, ValidationError

from ..accessibility import skill_choices
from ..form_fields import MultiCheckboxField, NoControlCharacters, strip_filter
from .models import PROJECT_STAGES, project_stage_label
from .years import SHANGHAI

DATE_HINT = _l("For example 2026-05-16")
DATETIME_HINT = _l("Date and time in Beijing time, for example 2026-05-16 13:30")


class _ParsedField(StringField):
    def pre_validate(self, form):
        # A value that could not be read already has its message; "required" would only repeat it.
        if self.process_errors:
            raise StopValidation()


class LocalDateField(_ParsedField):
    """A calendar date typed as YYYY-MM-DD (rendered as type=date where browsers help)."""

    def process_formdata(self, valuelist):
        raw = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if not raw:
            return
        try:
            self.data = date.fromisoformat(raw.replace("/", "-"))
        except ValueError:
            raise ValueError(_l("Enter a real date, for example 2026-05-16"))

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.data.isoformat() if isinstance(self.data, date) else ""


class LocalDateTimeField(_ParsedField):
    """A date and time in Asia/Shanghai (datetime-local input, or typed as 2026-05-16 13:30); data is aware."""

    FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y/%m/%d %H:%M")

    def process_formdata(self, valuelist):
        raw = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if not raw:
            return
        for fmt in self.FORMATS:
            try:
                self.data = datetime.strptime(raw, fmt).replace(tzinfo=SHANGHAI)
                return
            except ValueError:
                continue
        raise ValueError(_l("Enter a date and time like 2026-05-16 13:30"))

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if isinstance(self.data, datetime):
            return self.data.astimezone(SHANGHAI).strftime("%Y-%m-%dT%H:%M")
        return ""


def _login_field(label, hint_message):
    return StringField(label, filters=[strip_filter], validators=[
        DataRequired(hint_message), Length(max=254, message=_l("This is too long to be a mobile number or an e-mail address")),
    ])


def _notes_field():
    return TextAreaField(_l("When they are available"), filters=[strip_filter], validators=[
        Optional(), Length(max=500, message=_l("The notes must be 500 characters or fewer")), NoControlCharacters(),
    ])


def _skills_field():
    return MultiCheckboxField(_l("Skills"), choices=skill_choices(), validators=[Optional()])


class TeamForm(FlaskForm):
    name = StringField(_l("Team name"), filters=[strip_filter], validators=[
        DataRequired(_l("Enter the team's name")), Length(max=120, message=_l("The name must be 120 characters or fewer")),
        NoControlCharacters()])
    district = SelectField(_l("District"), validators=[DataRequired(_l("Choose the team's district"))])
    leader = _login_field(_l("Leader's mobile number or e-mail address"), _l("Enter the leader's mobile number or e-mail address"))


class MemberAddForm(FlaskForm):
    login = _login_field(_l("Volunteer's mobile number or e-mail address"),
                         _l("Enter the volunteer's mobile number or e-mail address"))
    availability_notes = _notes_field()
    skills = _skills_field()


class MemberEditForm(FlaskForm):
    availability_notes = _notes_field()
    skills = _skills_field()


class QualificationForm(FlaskForm):
    skill = SelectField(_l("Skill it certifies"), validators=[DataRequired(_l("Choose the skill this qualification is for"))])
    title = StringField(_l("Name of the qualification"), filters=[strip_filter], validators=[
        DataRequired(_l("Enter the name of the qualification")),
        Length(max=120, message=_l("The name must be 120 characters or fewer")), NoControlCharacters()])
    issued_on = LocalDateField(_l("Date issued"), validators=[Optional()])
    expires_on = LocalDateField(_l("Expiry date"), validators=[DataRequired(_l("Enter the expiry date"))])

    def validate_expires_on(self, field):
        if self.issued_on.data and field.data and field.data < self.issued_on.data:
            raise ValidationError(_l("The expiry date must be on or after the date it was issued"))


class EnrolForm(FlaskForm):
    event = SelectField(_l("Training session"), validators=[DataRequired(_l("Choose a training session"))])


class AttendanceForm(FlaskForm):
    attended = MultiCheckboxField(_l("Members who attended"), validators=[Optional()])


class ConfirmForm(FlaskForm):
    """A confirmation page's form: only the CSRF token."""


class DeclineForm(FlaskForm):
    reason = TextAreaField(_l("Why can you not come?"), filters=[strip_filter], validators=[
        DataRequired(_l("Tell the organizer why you cannot come")),
        Length(max=500, message=_l("The reason must be 500 characters or fewer")), NoControlCharacters()])


class AssignForm(FlaskForm):
    volunteer = _login_field(_l("Volunteer's mobile number or e-mail address"),
                             _l("Enter the volunteer's mobile number or e-mail address"))
    role = StringField(lazy_pgettext("volunteer assignment", "Role"), filters=[strip_filter], validators=[
        DataRequired(_l("Enter the volunteer's role, for example “sign-language interpreter”")),
        Length(max=120, message=_l("The role must be 120 characters or fewer")), NoControlCharacters()])
    skill = SelectField(_l("Needs they cover"), validators=[Optional()], default="")
    shift_start = LocalDateTimeField(_l("Shift starts"), validators=[DataRequired(_l("Enter when the shift starts"))])
    shift_end = LocalDateTimeField(_l("Shift ends"), validators=[DataRequired(_l("Enter when the shift ends"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.skill.choices = [SelectChoice("", _l("General help (no particular need)"))] + skill_choices()

    def validate_shift_end(self, field):
        if self.shift_start.data and field.data and field.data <= self.shift_start.data:
            raise ValidationError(_l("The shift must end after it starts"))


class ShiftForm(FlaskForm):
    """A shift's new time (the organizer moves it; the volunteer is told)."""
    shift_start = LocalDateTimeField(_l("Shift starts"), validators=[DataRequired(_l("Enter when the shift starts"))])
    shift_end = LocalDateTimeField(_l("Shift ends"), validators=[DataRequired(_l("Enter when the shift ends"))])

    def validate_shift_end(self, field):
        if self.shift_start.data and field.data and field.data <= self.shift_start.data:
            raise ValidationError(_l("The shift must end after it starts"))


class SuggestionsForm(FlaskForm):
    picks = MultiCheckboxField(_l("Volunteers to ask"), validators=[DataRequired(_l("Choose at least one volunteer"))])


class ServedForm(FlaskForm):
    served = MultiCheckboxField(_l("Volunteers who served"), validators=[Optional()])


class ProjectForm(FlaskForm):
    name = StringField(_l("Project name"), filters=[strip_filter], validators=[
        DataRequired(_l("Enter the project's name")), Length(max=120, message=_l("The name must be 120 characters or fewer")),
        NoControlCharacters()])
    team = SelectField(_l("Team behind the project"), validators=[Optional()], default="")
    organisation = StringField(_l("Or the organisation behind it"), filters=[strip_filter], validators=[
        Optional(), Length(max=120, message=_l("The name of the organisation must be 120 characters or fewer")),
        NoControlCharacters()])
    district = SelectField(_l("District"), validators=[Optional()], default="")
    description = TextAreaField(_l("Description"), filters=[strip_filter], validators=[
        Optional(), Length(max=5000, message=_l("The description must be 5000 characters or fewer")), NoControlCharacters()])
    stage = SelectField(_l("Stage"), validators=[DataRequired(_l("Choose a stage"))])
    proposed_on = LocalDateField(_l("Date proposed"), validators=[Optional()])
    incubating_on = LocalDateField(_l("Date incubation started"), validators=[Optional()])
    launched_on = LocalDateField(_l("Date launched"), validators=[Optional()])
    closed_on = LocalDateField(_l("Date closed"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stage.choices = [SelectChoice(stage, project_stage_label(stage)) for stage in PROJECT_STAGES]


