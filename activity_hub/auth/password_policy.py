"""What makes a password acceptable, in one place for every way a password is set: sign-up, change,
reset by code, an invitation, ``flask users create`` and ``flask users import``.

At least 8 characters; not one of the 10,000 most common passwords (``data/common_passwords.txt``: the
first 10,000 lines, most common first, of the list Django ships, compiled by Royce Williams from public
breach corpora); not the account's own phone number, e-mail address or name, nor anything that merely
contains the phone number's digits. Each refusal says why in plain words (``problem``).
"""
import functools
import re
import unicodedata
from importlib import resources

from flask_babel import lazy_gettext as _l

PASSWORD_MIN = 8
PASSWORD_MAX = 128


@functools.cache
def common_passwords():
    """The list, lower-cased, loaded once per process."""
    text = resources.files(__package__).joinpath("data/common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def _folded(text):
    return unicodedata.normalize("NFKC", text or "").strip().lower()


def problem(password, *, phone=None, email=None, name=None):
    """None if ``password`` may be used by an account with this phone, e-mail and name; otherwise
    the reason (a lazy string, translated where it is shown)."""
    password = password or ""
    if len(password) < PASSWORD_MIN:
        return _l("Your password must have at least 8 characters. A short sentence you remember is a good password.")
    if len(password) > PASSWORD_MAX:
        return _l("Your password must be 128 characters or fewer")
    folded = _folded(password)
    if folded in common_passwords():
        return _l("This password is one of the most common passwords and easy to guess. Choose another one.")
    digits = re.sub(r"\D", "", folded)
    if phone and (phone in digits or phone in folded):
        return _l("Your password must not contain your mobile number. Choose something others cannot guess.")
    if email:
        email = _folded(email)
        if folded in (email, email.split("@")[0]):
            return _l("Your password must not be your e-mail address. Choose something others cannot guess.")
    if name:
        compact_name = re.sub(r"\s+", "", _folded(name))
        if compact_name and re.sub(r"\s+", "", folded) == compact_name:
            return _l("Your password must not be your name. Choose something others cannot guess.")
    return None


def problem_in_english(password, **account):
    """The reason as plain English text, for the command line and its import report."""
    from flask_babel import force_locale

    reason = problem(password, **account)
    if reason is None:
        return None
    with force_locale("en"):
        return str(reason)
