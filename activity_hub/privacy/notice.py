"""What the privacy notice promises, in one place: its version and the retention it states.

A new ``NOTICE_VERSION`` makes the registration form ask for consent to needs again of everyone whose
last consent was given under an older version."""
from flask import current_app

NOTICE_VERSION = "2026-12"
RETENTION_NEEDS_DAYS = 90


def retention_needs_days():
    """The days after an event ends that its needs are kept (``RETENTION_NEEDS_DAYS`` in the config)."""
    return int(current_app.config.get("RETENTION_NEEDS_DAYS", RETENTION_NEEDS_DAYS))
