"""The one exception the volunteer services raise when a rule is broken."""


class VolunteerError(ValueError):
    """A rule was broken.

    ``field`` names the form field the message belongs beside (None: the whole form);
    ``code`` is a stable machine-readable name for refusals of the operation itself
    (the JSON API answers them with 409 and this code).
    """

    def __init__(self, message, field=None, code=None):
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.code = code or ("invalid_input" if field else "refused")
