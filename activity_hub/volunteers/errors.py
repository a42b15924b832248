"""The one exception the volunteer services raise when a rule is broken."""


class VolunteerError(ValueError):
    """A rule was broken; ``field`` names the form field the message belongs beside (None: the whole form)."""

    def __init__(self, message, field=None):
        super().__init__(str(message))
        self.message = message
        self.field = field
