"""Every kind of message the site sends, in one place: production checks that each has an
approved SMS template (``delivery_settings``), and the README lists the template text of each.

The modules that queue messages spell the same names (``events/registration/messages.py``,
``volunteers/assignments.py``, the notices and reminders); a new kind is added here too, or
production refuses to start until its SMS template is configured.
"""

REGISTRATION_KINDS = (
    "registration_confirmed",
    "registration_pending",
    "registration_waitlisted",
    "registration_promoted",
    "registration_approved",
    "registration_rejected",
    "registration_cancelled",
)
EVENT_KINDS = (
    "event_cancelled",
    "event_changed",
    "event_reminder",
    "announcement",
)
VOLUNTEER_KINDS = (
    "assignment_proposed",
    "assignment_changed",
    "assignment_cancelled",
    "assignment_declined",
    "assignment_reminder",
)

# Getting into an account (auth/login_codes.py, auth/invitations.py, auth/own_account.py).
ACCOUNT_KINDS = (
    "login_code",
    "invitation",
    "signup_attempt_on_existing",
)

MESSAGE_KINDS = REGISTRATION_KINDS + EVENT_KINDS + VOLUNTEER_KINDS + ACCOUNT_KINDS
