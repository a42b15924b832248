"""What a feed address names, checked before a feed is built: a category or district that does
not exist, a personal feed's secret that is unknown or replaced, or a kind of personal feed the
person has no use for, is a ``NotFound`` (the same answer whichever it is, so a guessed secret
learns nothing)."""
from ..lookup_errors import NotFound
from . import feeds
from .feed_tokens import resolve_feed_link


def feed_category(code):
    """``code``, if it names a category of events."""
    if not feeds.known_category(code):
        raise NotFound()
    return code


def feed_district(code):
    """``code``, if it names a district."""
    if not feeds.known_district(code):
        raise NotFound()
    return code


def feed_owner(secret, kind):
    """Whose personal feed of ``kind`` the secret opens (with their language)."""
    owner = resolve_feed_link(secret, kind)
    if owner is None:
        raise NotFound()
    return owner


def offered_kind(kind, offered):
    """``kind``, if it is one of the personal feeds ``offered`` to the person."""
    if kind not in offered:
        raise NotFound()
    return kind
