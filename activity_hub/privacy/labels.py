"""Words shown for the privacy domain's codes, in the reader's language."""
from flask_babel import lazy_gettext as _l

from . import audit
from .models import BY_STAFF, REGISTRATION_NEEDS, SAVED_NEEDS, SMS

PURPOSE_LABELS = {
    REGISTRATION_NEEDS: _l("Using the needs you give when you register, to arrange the event"),
    SAVED_NEEDS: _l("Keeping your usual needs on your account, to fill in registrations"),
    SMS: _l("Sending you text messages"),
}

WITHDRAW_EFFECTS = {
    REGISTRATION_NEEDS: _l(
        "We erase your usual needs and the needs of your registrations for events that have not started. "
        "Your places stay yours, but the organizers will only see \"needs withdrawn\": they will not "
        "prepare anything for you (for example a wheelchair space, a sign-language interpreter or braille). "
        "You can tell the organizer again at any time by registering again or by calling us."),
    SAVED_NEEDS: _l("We erase the usual needs saved on your account. Your registrations keep their needs."),
    SMS: _l("Text messages are no longer your chosen way to hear from us: the site chooses again. "
            "You can choose how messages reach you on the page \"Choose how messages reach you\"."),
}

ACTION_LABELS = {
    audit.ROSTER_VIEWED: _l("Viewed the roster"),
    audit.ROSTER_EXPORTED: _l("Exported the roster"),
    audit.NEEDS_SUMMARY_VIEWED: _l("Viewed the needs summary"),
    audit.SIGN_IN_SHEET_VIEWED: _l("Printed the sign-in sheet"),
    audit.CHECKIN_LOOKUP: _l("Looked up at check-in"),
    audit.VOLUNTEER_BRIEFING_VIEWED: _l("Viewed the volunteers' needs briefing"),
    audit.RESIDENT_LOOKED_UP: _l("Looked up by mobile number"),
    audit.REGISTERED_ON_BEHALF: _l("Registered on the resident's behalf"),
    audit.ROLE_GRANTED: _l("Granted a role"),
    audit.ROLE_WITHDRAWN: _l("Withdrew a role"),
    audit.ACCOUNT_DEACTIVATED: _l("Deactivated an account"),
    audit.LOGIN: _l("Logged in"),
    audit.LOGIN_FAILED: _l("Failed to log in"),
}


def purpose_label(code):
    return PURPOSE_LABELS.get(code, code)


def action_label(code):
    return ACTION_LABELS.get(code, code)


def how_label(record):
    if record.given_how == BY_STAFF:
        name = record.staff.display_name if record.staff is not None else ""
        return _l("By staff on your behalf: %(name)s", name=name)
    return _l("By you")
