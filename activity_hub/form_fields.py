"""Form pieces shared by every domain."""
from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes; rendered by the ``checkboxes`` macro in a fieldset."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        known = {choice.value for choice in self.iter_choices()}
        for value in self.data or ():
            if value not in known:
                raise ValidationError(_l("Choose from the options given"))


def strip_filter(value):
    return value.strip() if isinstance(value, str) else value


class NoControlCharacters:
    """Refuse control characters (they break exports and screen readers), allow any script or emoji."""

    def __call__(self, form, field):
        value = field.data or ""
        if any(ord(ch) < 32 and ch not in "\n\r\t" for ch in value):
            raise ValidationError(_l("Remove the invisible control characters"))
