"""The one form of the calendar pages: a button that creates or replaces a secret feed link."""
from flask_wtf import FlaskForm


class FeedLinkForm(FlaskForm):
    """No fields: the CSRF token is what makes the POST safe."""
