"""Display preferences: text size, high-contrast theme, reduced motion, easy-read first.

Remembered per browser in one cookie, and per account when logged in (the User
columns). They reach the page as classes on <html>, so they work without any
JavaScript. No request or response objects here: views read the cookie and pass
its value in.
"""
from dataclasses import dataclass, replace

from .auth.models import TEXT_SIZES, THEMES
from .extensions import db

COOKIE = "display"
DEFAULT_THEME = "default"


@dataclass(frozen=True)
class DisplayPreferences:
    text_size: int = 100
    theme: str = DEFAULT_THEME
    reduced_motion: bool = False
    easy_read: bool = False

    @property
    def is_default(self):
        return self == DisplayPreferences()

    @property
    def html_classes(self):
        """The classes site.css knows: text-125 ... text-200, theme-high_contrast, reduced-motion."""
        classes = []
        if self.text_size != 100:
            classes.append(f"text-{self.text_size}")
        if self.theme != DEFAULT_THEME:
            classes.append(f"theme-{self.theme}")
        if self.reduced_motion:
            classes.append("reduced-motion")
        return " ".join(classes)

    def cookie_value(self):
        return f"{self.text_size}.{self.theme}.{int(self.reduced_motion)}.{int(self.easy_read)}"


def clean(text_size=100, theme=DEFAULT_THEME, reduced_motion=False, easy_read=False):
    """Known values only; anything else falls back to the default."""
    try:
        size = int(text_size)
    except (TypeError, ValueError):
        size = 100
    return DisplayPreferences(
        text_size=size if size in TEXT_SIZES else 100,
        theme=theme if theme in THEMES else DEFAULT_THEME,
        reduced_motion=bool(reduced_motion),
        easy_read=bool(easy_read),
    )


def from_cookie(value):
    """Parse the cookie written by ``cookie_value``; a damaged cookie gives the defaults."""
    parts = (value or "").split(".")
    if len(parts) != 4:
        return DisplayPreferences()
    size, theme, motion, easy = parts
    return clean(size, theme, motion == "1", easy == "1")


def from_user(user):
    return clean(user.text_size, user.theme, user.reduced_motion, user.prefers_easy_read)


def save_to_user(user, preferences):
    """Keep the choice on the account (committed), so it follows the person to other devices."""
    user.text_size = preferences.text_size
    user.theme = preferences.theme
    user.reduced_motion = preferences.reduced_motion
    user.prefers_easy_read = preferences.easy_read
    db.session.commit()


def effective(user, cookie_value):
    """What this page should use.

    A logged-in account's own choice wins. An account that never chose anything
    takes the browser's choice, so someone who enlarged the text before logging
    in (or signing up) does not see it shrink back.
    """
    browser = from_cookie(cookie_value)
    if user is not None and getattr(user, "is_authenticated", False):
        account = from_user(user)
        if account.is_default and not browser.is_default:
            return replace(browser)
        return account
    return browser
