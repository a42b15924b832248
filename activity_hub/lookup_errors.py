"""The one family of errors that every domain's ``lookups.py`` raises when a thing cannot be
loaded for the current person: it does not exist (or must not be known to exist), or they may
not act on it. The app maps them once: pages answer with the site's error page, the JSON API
with its error body (``create_app`` registers the mapping)."""


class LookupRefused(Exception):
    """Base class; ``status`` is the HTTP status the refusal is answered with."""

    status = 400
    code = "refused"


class NotFound(LookupRefused):
    """Nothing to show at this address (also used where saying "forbidden" would reveal that
    something exists)."""

    status = 404
    code = "not_found"


class Forbidden(LookupRefused):
    """The thing exists and the person may know it, but may not do this with it."""

    status = 403
    code = "forbidden"
