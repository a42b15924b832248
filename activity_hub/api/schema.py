"""Declared request fields: one declaration both validates the input and describes it in
the OpenAPI document, so the two cannot drift apart.

``Field`` checks one JSON value (or one query-string value) and returns it cleaned;
``Fields`` checks a whole object: unknown names, missing required names, each value.
Every failure is collected into ``{field name: translated message}``.
"""
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Largest integer a PostgreSQL INTEGER column takes; larger numbers are refused, not overflowed.
INT_MAX = 2**31 - 1
MISSING = object()
# Text may not hold control characters other than tab and line breaks (see ``_clean_string``);
# the document says so with this pattern, in the regular-expression dialect JSON Schema uses.
NO_CONTROL_CHARACTERS = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F]*$"


class Invalid(ValueError):
    """One value is wrong; the message is shown to the user."""


class Field:
    def __init__(self, kind, *, required=False, nullable=False, minimum=None, maximum=None,
                 max_length=None, min_length=None, enum=None, items=None, max_items=None,
                 description=None, example=MISSING, pattern=None, checked_by_service=False):
        self.kind = kind
        self.required = required
        self.nullable = nullable
        self.minimum = minimum
        self.maximum = maximum if maximum is not None or kind != "integer" else INT_MAX
        self.max_length = max_length
        self.min_length = min_length
        self.enum = tuple(enum) if enum is not None else None
        self.items = items
        self.max_items = max_items
        self.description = description
        self.example = example
        # ``checked_by_service``: the range and ``pattern`` are the service's rules, stated here for the
        # document; the service checks them with the others, so one answer names every wrong field.
        if pattern is not None and not checked_by_service:
            raise ValueError("a pattern is only documented; give checked_by_service=True")
        self.pattern = pattern
        self.checked_by_service = checked_by_service

    # -- OpenAPI --------------------------------------------------------------------------
    def schema(self):
        base = {
            "string": {"type": "string"},
            "integer": {"type": "integer"},
            "boolean": {"type": "boolean"},
            "datetime": {"type": "string", "format": "date-time"},
            "date": {"type": "string", "format": "date"},
            "array": {"type": "array"},
        }[self.kind]
        schema = dict(base)
        if self.kind == "string" and self.enum is None:
            schema["pattern"] = self.pattern or NO_CONTROL_CHARACTERS
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        if self.max_length is not None:
            schema["maxLength"] = self.max_length
        if self.min_length is not None:
            schema["minLength"] = self.min_length
        if self.enum is not None:
            schema["enum"] = list(self.enum)
        if self.items is not None:
            schema["items"] = self.items.schema()
        if self.max_items is not None:
            schema["maxItems"] = self.max_items
        if self.nullable:
            schema["type"] = [schema["type"], "null"]
            if "enum" in schema:
                schema["enum"].append(None)
        if self.description:
            schema["description"] = self.description
        if self.example is not MISSING:
            schema["examples"] = [self.example]
        return schema

    def largest_json_bytes(self):
        """The longest JSON text a valid value can be (see ``Fields.largest_json_bytes``)."""
        if self.kind == "string":
            if self.enum is not None:
                return max(12 * len(str(choice)) for choice in self.enum) + 2
            return 12 * self.max_length + 2 if self.max_length is not None else None
        if self.kind == "array":
            item = self.items.largest_json_bytes()
            if self.max_items is None or item is None:
                return None
            return self.max_items * (item + 2) + 2
        return 64  # a number, a boolean, a date and time, null

    # -- JSON values ----------------------------------------------------------------------
    def clean(self, value):
        if value is None:
            if self.nullable:
                return None
            raise Invalid(_("This cannot be empty"))
        method = getattr(self, f"_clean_{self.kind}")
        return method(value)

    def _clean_string(self, value):
        if not isinstance(value, str):
            raise Invalid(_("Give text (a JSON string)"))
        # Before stripping: a control character at either end is refused too, as the document says.
        if any(ord(ch) < 32 and ch not in "\n\r\t" for ch in value):
            raise Invalid(_("Remove the invisible control characters"))
        value = value.strip()
        if self.min_length is not None and len(value) < self.min_length:
            raise Invalid(_("This cannot be empty") if self.min_length == 1 else
                          _("Give at least %(count)s characters", count=self.min_length))
        if self.max_length is not None and len(value) > self.max_length:
            raise Invalid(_("Give %(count)s characters or fewer", count=self.max_length))
        return self._check_enum(value)

    def _clean_integer(self, value):
        if isinstance(value, float) and value.is_integer() and abs(value) <= INT_MAX:
            value = int(value)  # JSON has one kind of number: 3.0 is the whole number 3
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid(_("Give a whole number"))
        if abs(value) > INT_MAX:
            raise Invalid(_("This number is too large"))
        if self.checked_by_service:
            return self._check_enum(value)
        if self.minimum is not None and value < self.minimum:
            raise Invalid(_("Give a number of at least %(minimum)s", minimum=self.minimum))
        if self.maximum is not None and value > self.maximum:
            raise Invalid(_("Give a number of at most %(maximum)s", maximum=self.maximum))
        return self._check_enum(value)

    def _clean_boolean(self, value):
        if not isinstance(value, bool):
            raise Invalid(_("Give true or false"))
        return value

    def _clean_datetime(self, value):
        if not isinstance(value, str) or len(value) > 40:
            raise Invalid(_("Give a date and time like 2025-05-18T09:30:00+08:00"))
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise Invalid(_("Give a date and time like 2025-05-18T09:30:00+08:00")) from None
        if parsed.tzinfo is None:
            # A time without an offset is a Wuhan time, the way residents and organizers think.
            parsed = parsed.replace(tzinfo=SHANGHAI)
        return parsed

    def _clean_date(self, value):
        if not isinstance(value, str) or len(value) > 10:
            raise Invalid(_("Give a date like 2025-05-18"))
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise Invalid(_("Give a date like 2025-05-18")) from None

    def _clean_array(self, value):
        if not isinstance(value, list):
            raise Invalid(_("Give a list (a JSON array)"))
        if self.max_items is not None and len(value) > self.max_items:
            raise Invalid(_("Give %(count)s items or fewer", count=self.max_items))
        cleaned = []
        for item in value:
            item = self.items.clean(item)
            if item not in cleaned:
                cleaned.append(item)
        return cleaned

    def _check_enum(self, value):
        if self.enum is not None and value not in self.enum:
            raise Invalid(_("Choose one of: %(choices)s", choices=", ".join(str(c) for c in self.enum)))
        return value

    # -- query-string values ----------------------------------------------------------------
    @property
    def empty_text_is_absent(self):
        """``?q=`` is no search; but ``?date_to=`` or ``?status=`` is not a date or a status, and is
        refused rather than silently ignored (the document allows only dates and listed values)."""
        return self.kind == "string" and self.enum is None and not self.min_length

    def clean_text(self, values):
        """Clean the query-string value(s) of this parameter (a list of strings)."""
        if self.kind == "array":
            return self._clean_array([self.items.clean_text([v]) for v in values])
        if len(values) > 1:
            raise Invalid(_("Give this only once"))
        text = values[0]
        if self.kind == "integer":
            text = text.strip()
            if not text.lstrip("-").isdigit() or len(text) > 12:
                raise Invalid(_("Give a whole number"))
            return self._clean_integer(int(text))
        if self.kind == "boolean":
            if text.lower() in ("true", "1", "yes"):
                return True
            if text.lower() in ("false", "0", "no"):
                return False
            raise Invalid(_("Give true or false"))
        return self.clean(text)


class Fields:
    """The fields of a JSON object (a request body) or of a query string."""

    def __init__(self, fields, *, description=None, example=None):
        self.fields = fields
        self.description = description
        self.example = example

    def schema(self):
        schema = {
            "type": "object",
            "additionalProperties": False,
            "properties": {name: field.schema() for name, field in self.fields.items()},
        }
        required = [name for name, field in self.fields.items() if field.required]
        if required:
            schema["required"] = required
        if self.description:
            schema["description"] = self.description
        if self.example is not None:
            schema["examples"] = [self.example]
        return schema

    def largest_json_bytes(self):
        """The longest JSON text a valid object of these fields can be (None: unbounded), counting
        every character as the 12 bytes of an escaped surrogate pair, so a body of valid values is
        never refused as too large."""
        total = 2
        for name, field in self.fields.items():
            value = field.largest_json_bytes()
            if value is None:
                return None
            total += 12 * len(name) + 4 + value
        return total

    def parameters(self):
        """OpenAPI ``in: query`` parameters."""
        params = []
        for name, field in self.fields.items():
            param = {"name": name, "in": "query", "required": field.required, "schema": field.schema()}
            if field.kind == "array":
                param["style"] = "form"
                param["explode"] = True
            if field.description:
                param["description"] = field.description
            params.append(param)
        return params

    def clean(self, data):
        """(cleaned values of the names given, {name: message}) for a decoded JSON object."""
        cleaned, errors = {}, {}
        for name in data:
            if name not in self.fields:
                errors[str(name)[:100]] = _("This field is not known")
        for name, field in self.fields.items():
            if name not in data:
                if field.required:
                    errors[name] = _("This field is required")
                continue
            try:
                cleaned[name] = field.clean(data[name])
            except Invalid as error:
                errors[name] = str(error)
        return cleaned, errors

    def clean_query(self, args):
        """Same for a query string (a werkzeug MultiDict)."""
        cleaned, errors = {}, {}
        for name in args:
            if name not in self.fields:
                errors[str(name)[:100]] = _("This parameter is not known")
        for name, field in self.fields.items():
            values = args.getlist(name)
            if not values or (values == [""] and field.empty_text_is_absent):
                if field.required:
                    errors[name] = _("This parameter is required")
                continue
            try:
                cleaned[name] = field.clean_text(values)
            except Invalid as error:
                errors[name] = str(error)
        return cleaned, errors
