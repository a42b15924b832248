"""Organizer forms: events, series, venues, cancelling, registering a resident, check-in.

The forms parse what was typed (dates and times in Asia/Shanghai, whole numbers) and show each
message beside its field; the rules themselves live in ``event_rules`` and ``venues`` and the
forms ask them, so the JSON API gets the same answers.
"""
import re
from datetime import date, datetime, time

from flask_babel import gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ..accessibility import feature_choices, need_choices
from ..auth.accounts import managed_districts, normalise_login
from ..form_fields import MultiCheckboxField, NoControlCharacters, strip_filter
from ..local_time import SHANGHAI
from . import event_rules
from .models import CATEGORIES, category_label


class LocalDateField(StringField):
    """A date typed as YYYY-MM-DD (the browser's date picker sends that; 2025/3/5 is accepted too)."""

    def __init__(self, label, invalid_message=None, **kwargs):
        super().__init__(label, **kwargs)
        self.invalid_message = invalid_message or _l("Enter a real date, like 2025-05-18.")

    def process_formdata(self, valuelist):
        self.raw = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if not self.raw:
            return
        parts = re.split(r"[-/.年月日\s]+", self.raw.strip("日 "))
        try:
            year, month, day = (int(p) for p in parts)
            self.data = date(year, month, day)
        except (ValueError, TypeError):
            raise ValueError(self.invalid_message) from None

    def _value(self):
        if self.data:
            return self.data.isoformat()
        return getattr(self, "raw", "") or ""


class LocalTimeField(StringField):
    """A time of day typed as HH:MM (24-hour clock)."""

    def __init__(self, label, invalid_message=None, **kwargs):
        super().__init__(label, **kwargs)
        self.invalid_message = invalid_message or _l("Enter a real time on the 24-hour clock, like 14:30.")

    def process_formdata(self, valuelist):
        self.raw = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if not self.raw:
            return
        match = re.fullmatch(r"(\d{1,2})[:：](\d{2})(?:[:：]\d{2})?", self.raw)
        try:
            self.data = time(int(match.group(1)), int(match.group(2)))
        except (AttributeError, ValueError):
            raise ValueError(self.invalid_message) from None

    def _value(self):
        if self.data:
            return self.data.strftime("%H:%M")
        return getattr(self, "raw", "") or ""


class WholeNumberField(StringField):
    """A whole number; the message says what to type instead of WTForms' generic one."""

    def __init__(self, label, invalid_message, **kwargs):
        super().__init__(label, **kwargs)
        self.invalid_message = invalid_message

    def process_formdata(self, valuelist):
        self.raw = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if not self.raw:
            return
        if len(self.raw) > 9 or not re.fullmatch(r"-?\d+", self.raw):
            raise ValueError(self.invalid_message)
        self.data = int(self.raw)

    def _value(self):
        if self.data is not None:
            return str(self.data)
        return getattr(self, "raw", "") or ""


def _text(label, limit, required_message=None, area=False):
    validators = [DataRequired(required_message)] if required_message else [Optional()]
    validators += [Length(max=limit, message=_l("Keep this to %(limit)s characters or fewer.", limit=limit)),
                   NoControlCharacters()]
    field = TextAreaField if area else StringField
    return field(label, filters=[strip_filter], validators=validators)


def _local(day, clock):
    return datetime.combine(day, clock, tzinfo=SHANGHAI) if day and clock else None


# Where the service's messages about combined values go on the form.
SERVICE_FIELD_TO_FORM = {
    "starts_at": "start_date", "ends_at": "end_time",
    "registration_opens_at": "opens_date", "registration_closes_at": "closes_date",
}

# Service values made of several form fields, or missing because another field is wrong.
DERIVED_FROM = {
    "starts_at": ("start_date", "start_time"), "ends_at": ("start_date", "end_date", "end_time"),
    "venue_id": ("venue_id", "online_url"),
}


class EventForm(FlaskForm):
    L = event_rules.LIMITS
    title = _text(_l("Title"), L["title"], _l("Enter a title."))
    summary = _text(_l("Summary"), L["summary"], area=True)
    description = _text(_l("Full description"), L["description"], area=True)
    easy_read_summary = _text(_l("Easy-read summary"), L["easy_read_summary"], area=True)
    category = SelectField(_l("Category"), validators=[DataRequired(_l("Choose a category."))])
    series_name = _text(_l("Series or campaign"), L["series_name"])
    district_id = SelectField(_l("District"), validators=[DataRequired(_l("Choose a district."))])
    venue_id = SelectField(_l("Venue"), validators=[Optional()], default="")
    online_url = _text(_l("Online link"), L["online_url"])
    start_date = LocalDateField(_l("Start date"), validators=[InputRequired(_l("Enter the date the event starts."))])
    start_time = LocalTimeField(_l("Start time"), validators=[InputRequired(_l("Enter the time the event starts."))])
    end_date = LocalDateField(_l("End date"), validators=[Optional()])
    end_time = LocalTimeField(_l("End time"), validators=[InputRequired(_l("Enter the time the event ends."))])
    capacity = WholeNumberField(_l("Places"), _l("Enter the number of places as a whole number, like 30."),
                                validators=[InputRequired(_l("Enter how many places there are."))])
    wheelchair_spaces = WholeNumberField(
        _l("Wheelchair spaces"), _l("Enter the number of wheelchair spaces as a whole number, 0 or more."),
        validators=[Optional()], default=0)
    max_companions = WholeNumberField(
        _l("Companions per registration"), _l("Enter a number of companions between 0 and %(max)s.",
                                               max=event_rules.COMPANIONS_MAX),
        validators=[Optional()], default=1)
    opens_date = LocalDateField(_l("Registration opens on"), validators=[Optional()])
    opens_time = LocalTimeField(_l("Registration opens at (time)"), validators=[Optional()])
    closes_date = LocalDateField(_l("Registration closes on"), validators=[Optional()])
    closes_time = LocalTimeField(_l("Registration closes at (time)"), validators=[Optional()])
    requires_approval = BooleanField(_l("Registrations need my approval"))
    provisions = MultiCheckboxField(_l("What the event provides"))
    contact_name = _text(_l("Contact name"), L["contact_name"])
    contact_phone = _text(_l("Contact phone"), L["contact_phone"])
    contact_email = _text(_l("Contact e-mail"), L["contact_email"])
    del L

    def __init__(self, *args, district_choices=(), venue_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = [SelectChoice("", _l("Choose a category"))] + [
            SelectChoice(c, category_label(c)) for c in CATEGORIES]
        self.district_id.choices = list(district_choices)
        self.venue_id.choices = list(venue_choices)
        self.provisions.choices = need_choices()

    def fill_from(self, values):
        """Show an event's stored values (times in Asia/Shanghai)."""
        for name in ("title", "summary", "description", "easy_read_summary", "category", "series_name",
                     "online_url", "capacity", "wheelchair_spaces", "max_companions", "requires_approval",
                     "contact_name", "contact_phone", "contact_email"):
            self[name].data = values.get(name)
        self.district_id.data = str(values.get("district_id") or "")
        self.venue_id.data = str(values.get("venue_id") or "")
        self.provisions.data = list(values.get("provisions") or [])
        for prefix, field in (("start", "starts_at"), ("end", "ends_at"),
                              ("opens", "registration_opens_at"), ("closes", "registration_closes_at")):
            value = values.get(field)
            if value is not None:
                local = value.astimezone(SHANGHAI)
                self[f"{prefix}_date"].data, self[f"{prefix}_time"].data = local.date(), local.time()

    def values(self):
        """The parsed values, as the event service takes them (fields with errors are left out)."""
        ok = lambda name: not self[name].errors  # noqa: E731
        values = {}
        for name in ("title", "summary", "description", "easy_read_summary", "category", "series_name",
                     "online_url", "contact_name", "contact_phone", "contact_email"):
            if ok(name):
                values[name] = self[name].data or ""
        for name in ("district_id", "venue_id"):
            if ok(name):
                values[name] = int(self[name].data) if (self[name].data or "").isdigit() else None
        for name, default in (("capacity", None), ("wheelchair_spaces", 0), ("max_companions", 1)):
            if ok(name):
                values[name] = self[name].data if self[name].data is not None else default
        values["requires_approval"] = bool(self.requires_approval.data)
        if ok("provisions"):
            values["provisions"] = list(self.provisions.data or [])
        if ok("start_date") and ok("start_time"):
            values["starts_at"] = _local(self.start_date.data, self.start_time.data)
            if ok("end_date") and ok("end_time"):
                values["ends_at"] = _local(self.end_date.data or self.start_date.data, self.end_time.data)
        for prefix, field in (("opens", "registration_opens_at"), ("closes", "registration_closes_at")):
            if ok(f"{prefix}_date") and ok(f"{prefix}_time"):
                values[field] = _local(self[f"{prefix}_date"].data, self[f"{prefix}_time"].data)
        return values

    def add_errors(self, errors):
        """Put the service's messages beside the fields they are about (one message per field)."""
        added = False
        for field, message in errors.items():
            name = SERVICE_FIELD_TO_FORM.get(field, field)
            if name not in self:
                self.form_errors.append(message)
                added = True
            elif not self[name].errors:
                self[name].errors = [message]
                added = True
        return added

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        for prefix, date_message, time_message in (
            ("opens", _l("Enter the date registration opens."), _l("Enter the time registration opens.")),
            ("closes", _l("Enter the date registration closes."), _l("Enter the time registration closes.")),
        ):
            day, clock = self[f"{prefix}_date"], self[f"{prefix}_time"]
            if day.data and clock.data is None and not clock.errors:
                clock.errors = [time_message]
                valid = False
            elif clock.data and day.data is None and not day.errors:
                day.errors = [date_message]
                valid = False
        values = self.values()
        errors = event_rules.check_event_values(values, required=True)
        for field, sources in DERIVED_FROM.items():
            if values.get(field) is None and any(self[name].errors for name in sources):
                errors.pop(field, None)  # the field it comes from already says what is wrong
        added = self.add_errors(errors)
        return valid and not added


class SeriesForm(EventForm):
    count = WholeNumberField(_l("How many sessions"), _l("Enter a number of sessions between 2 and %(max)s.",
                                                         max=event_rules.SERIES_MAX),
                             validators=[InputRequired(_l("Enter how many sessions there are."))], default=12)
    interval = SelectField(_l("How often"), default="monthly")
    publish = BooleanField(_l("Publish the sessions now (otherwise they are saved as drafts)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.interval.choices = [
            SelectChoice("monthly", _l("Every month, on the same weekday (e.g. every second Tuesday)")),
            SelectChoice("weekly", _l("Every week, on the same weekday")),
        ]

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        added = self.add_errors(event_rules.check_series(self.values(), self.count.data, self.interval.data))
        return valid and not added


class CancelEventForm(FlaskForm):
    reason = _text(_l("Reason, sent to everyone registered"), event_rules.REASON_MAX, area=True)


class VenueForm(FlaskForm):
    name = _text(_l("Name of the venue"), 120, _l("Enter the venue's name."))
    address = _text(_l("Address"), 255, _l("Enter the venue's address."))
    district_id = SelectField(_l("District"), validators=[DataRequired(_l("Choose a district."))])
    features = MultiCheckboxField(_l("Accessibility features"))
    wheelchair_spaces = WholeNumberField(
        _l("Wheelchair spaces"), _l("Enter the number of wheelchair spaces as a whole number, 0 or more."),
        validators=[Optional()], default=0)
    accessible_entrance = _text(_l("Accessible entrance"), 255)
    directions = _text(_l("How to get there"), 5000, area=True)

    def __init__(self, *args, district_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.district_id.choices = list(district_choices)
        self.features.choices = feature_choices()

    def values(self):
        return {
            "name": self.name.data or "", "address": self.address.data or "",
            "district_id": int(self.district_id.data) if (self.district_id.data or "").isdigit() else None,
            "features": list(self.features.data or []),
            "wheelchair_spaces": self.wheelchair_spaces.data if self.wheelchair_spaces.data is not None else 0,
            "accessible_entrance": self.accessible_entrance.data or "", "directions": self.directions.data or "",
        }

    def add_errors(self, errors):
        for field, message in errors.items():
            if field in self and not self[field].errors:
                self[field].errors = [message]


def _valid_phone(form, field):
    parsed = normalise_login(field.data) if field.data else None
    if field.data and (parsed is None or parsed[0] != "phone"):
        raise ValidationError(_l("Enter a mobile number of 11 digits starting with 1, like 13800138000"))


class FindResidentForm(FlaskForm):
    """Step one of registering a resident: their mobile number (a GET form)."""

    class Meta:
        csrf = False

    phone = StringField(_l("The resident's mobile number"), filters=[strip_filter],
                        validators=[DataRequired(_l("Enter the resident's mobile number.")),
                                    Length(max=20, message=_l("Enter a mobile number of 11 digits starting with 1, like 13800138000")),
                                    _valid_phone])


class RegisterResidentForm(FlaskForm):
    """Step two: the registration itself, with the name when a new account is made."""

    phone = StringField(_l("The resident's mobile number"), filters=[strip_filter],
                        validators=[DataRequired(_l("Enter the resident's mobile number.")), _valid_phone])
    display_name = _text(_l("The resident's name"), 80)
    needs = MultiCheckboxField(_l("What the resident needs at this event"))
    needs_note = _text(_l("Anything else about their needs"), 1000, area=True)
    companions = WholeNumberField(_l("Companions"), _l("Enter the number of companions as a whole number, 0 or more."),
                                  validators=[Optional()], default=0)
    note = _text(_l("Note"), 1000, area=True)
    consent = BooleanField(_l("The resident agrees that their needs may be used to arrange this event"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs.choices = need_choices()


class CheckInSearchForm(FlaskForm):
    """The check-in desk: a scanned or typed QR token, or part of a name or phone number (GET)."""

    class Meta:
        csrf = False

    q = StringField(_l("QR code, name or mobile number"), filters=[strip_filter],
                    validators=[DataRequired(_l("Scan the QR code, or type a name or mobile number.")),
                                Length(max=500, message=_l("This is too long."))])


class EventListFilterForm(FlaskForm):
    """Filters of the organizer's event list (a GET form)."""

    class Meta:
        csrf = False

    status = SelectField(_l("Status"), validators=[Optional()], default="")
    when = SelectField(_l("When"), default="upcoming")

    def __init__(self, *args, **kwargs):
        from .models import EVENT_STATUSES, event_status_label

        super().__init__(*args, **kwargs)
        self.when.choices = [SelectChoice("upcoming", _l("Coming and running now")), SelectChoice("past", _l("Past")),
                             SelectChoice("all", _l("All dates"))]
        self.status.choices = [SelectChoice("", _l("Any status"))] + [
            SelectChoice(s, event_status_label(s)) for s in EVENT_STATUSES]


class RosterFilterForm(FlaskForm):
    """Filters of a roster (a GET form): by status and by need."""

    class Meta:
        csrf = False

    status = SelectField(_l("Status"), default="active")
    need = SelectField(_l("Need"), validators=[Optional()], default="")

    def __init__(self, *args, **kwargs):
        from .models import REGISTRATION_STATUSES, registration_status_label

        super().__init__(*args, **kwargs)
        self.status.choices = [SelectChoice("active", _l("Coming or waiting")), SelectChoice("all", _l("Everyone"))] + [
            SelectChoice(s, registration_status_label(s)) for s in REGISTRATION_STATUSES]
        self.need.choices = [SelectChoice("", _l("Any need"))] + need_choices()


def district_choices_for(user):
    """The districts ``user`` may put an event or a venue in, with a blank first when there are several."""
    districts = managed_districts(user)
    blank = [SelectChoice("", _("Choose a district"))] if len(districts) != 1 else []
    return blank + [SelectChoice(str(d.id), d.name) for d in districts]
