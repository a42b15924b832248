"""Organizers' announcements: a message written once to one audience of an event (confirmed
registrants, the waiting list, or its volunteers; optionally only the registrants with one need).

The organizer writes in one language and each person receives the text as written, on their own
channel; only the line that names the event is in the recipient's language. ``preview`` shows
what the SMS and the e-mail will look like before anything is written; ``send_announcement``
writes the announcement and one outbox message per recipient in one transaction.
"""
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext, lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ..accessibility import NEED_CODES
from ..auth.models import User
from ..events.models import CONFIRMED, WAITLISTED, Registration, RegistrationNeed
from ..extensions import db
from ..volunteers.models import LIVE_STATUSES, Assignment
from .models import (
    ANNOUNCEMENT_KIND, AUDIENCE_CONFIRMED, AUDIENCE_VOLUNTEERS, AUDIENCE_WAITLIST, AUDIENCES, Announcement,
)
from .outbox import queue_message
from .preferences import delivery_channel

SUBJECT_MAX = 100
BODY_MAX = 2000
# Alibaba Cloud SMS refuses a template variable longer than 35 characters; the SMS carries the
# subject in one variable, so a longer subject is cut and ends with "…".
SMS_PARAMETER_MAX = 35
ELLIPSIS = "…"

AUDIENCE_LABELS = {
    AUDIENCE_CONFIRMED: _l("Confirmed registrants"),
    AUDIENCE_WAITLIST: _l("People on the waiting list"),
    AUDIENCE_VOLUNTEERS: _l("Volunteers assigned to the event"),
}


def audience_label(code):
    return AUDIENCE_LABELS.get(code, code)


class InvalidAnnouncement(Exception):
    """What is wrong, field by field (``audience``, ``need``, ``subject``, ``body``), in the
    organizer's language: the form shows each message beside its field, the API in ``fields``."""

    def __init__(self, errors):
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class Draft:
    audience: str
    need: str | None
    subject: str
    body: str


@dataclass
class Preview:
    draft: Draft
    recipient_count: int
    # How many get it by each channel ("email", "sms", "site"); all of them see it in their inbox too.
    by_channel: dict
    sms_subject: str
    sms_text: str
    email_subject: str
    email_body: str
    sms_subject_cut: bool = field(default=False)


def _has_control_characters(text):
    return any(ord(ch) < 32 and ch not in "\n\r\t" for ch in text)


def clean_draft(audience, need, subject, body):
    """The draft with surrounding spaces removed; InvalidAnnouncement with every problem at once."""
    errors = {}
    subject = (subject or "").strip()
    body = (body or "").strip()
    need = need or None
    if audience not in AUDIENCES:
        errors["audience"] = gettext("Choose who the message is for.")
    if need is not None and need not in NEED_CODES:
        errors["need"] = gettext("Choose a need from the list, or everyone.")
    elif need is not None and audience == AUDIENCE_VOLUNTEERS:
        errors["need"] = gettext("Volunteers have no needs on record: choose “everyone” for volunteers.")
    if not subject:
        errors["subject"] = gettext("Enter a subject.")
    elif len(subject) > SUBJECT_MAX:
        errors["subject"] = gettext("The subject must be %(max)s characters or fewer.", max=SUBJECT_MAX)
    elif _has_control_characters(subject):
        errors["subject"] = gettext("Remove the invisible control characters.")
    if not body:
        errors["body"] = gettext("Enter the message.")
    elif len(body) > BODY_MAX:
        errors["body"] = gettext("The message must be %(max)s characters or fewer.", max=BODY_MAX)
    elif _has_control_characters(body):
        errors["body"] = gettext("Remove the invisible control characters.")
    if errors:
        raise InvalidAnnouncement(errors)
    return Draft(audience, need, subject, body)


def recipients_query(event_id, audience, need=None):
    """A select of the users an announcement to ``audience`` reaches, each once, in a fixed order."""
    if audience == AUDIENCE_VOLUNTEERS:
        people = sa.select(Assignment.volunteer_id).where(
            Assignment.event_id == event_id, Assignment.status.in_(LIVE_STATUSES))
    else:
        status = CONFIRMED if audience == AUDIENCE_CONFIRMED else WAITLISTED
        people = sa.select(Registration.user_id).where(Registration.event_id == event_id, Registration.status == status)
        if need is not None:
            people = people.where(sa.exists().where(
                RegistrationNeed.registration_id == Registration.id, RegistrationNeed.code == need))
    return sa.select(User).where(User.id.in_(people)).order_by(User.id)


def recipients(event, draft):
    """The people the draft goes to; InvalidAnnouncement (beside the audience) when nobody."""
    people = list(db.session.scalars(recipients_query(event.id, draft.audience, draft.need)))
    if not people:
        field_name = "need" if draft.need else "audience"
        raise InvalidAnnouncement({field_name: gettext(
            "Nobody is in this audience yet, so there is no one to write to. Choose another audience.")})
    return people


def sms_parameter(text):
    """``text`` as one SMS template variable: at most ``SMS_PARAMETER_MAX`` characters."""
    if len(text) <= SMS_PARAMETER_MAX:
        return text
    return text[:SMS_PARAMETER_MAX - len(ELLIPSIS)].rstrip() + ELLIPSIS


def event_line(event, link=None):
    """The line under the organizer's text that says which event it is about (in the language
    it is rendered in: each recipient's own)."""
    if link:
        return gettext("About the event “%(title)s”: %(link)s", title=event.title, link=link)
    return gettext("About the event “%(title)s”.", title=event.title)


def _email_body(event, draft, link):
    return f"{draft.body}\n\n{event_line(event, link)}"


def preview(event, audience, need, subject, body, link=None):
    """What the announcement would look like as an SMS and as an e-mail, and whom it reaches.

    Writes nothing. ``link`` is the event's page (the SMS carries it instead of the text)."""
    draft = clean_draft(audience, need, subject, body)
    people = recipients(event, draft)
    by_channel = {}
    for person in people:
        channel, _recipient = delivery_channel(person)
        by_channel[channel] = by_channel.get(channel, 0) + 1
    sms_subject = sms_parameter(draft.subject)
    sms_text = gettext("%(subject)s Details: %(link)s", subject=sms_subject, link=link) if link else sms_subject
    return Preview(
        draft=draft, recipient_count=len(people), by_channel=by_channel, sms_subject=sms_subject,
        sms_text=sms_text, email_subject=draft.subject, email_body=_email_body(event, draft, link),
        sms_subject_cut=sms_subject != draft.subject,
    )


def _existing(event, submission_key):
    if not submission_key:
        return None
    return db.session.scalar(sa.select(Announcement).where(
        Announcement.submission_key == submission_key, Announcement.event_id == event.id))


def send_announcement(event, author, audience, need, subject, body, link=None, submission_key=None):
    """Write the announcement and one outbox message (kind ``announcement``) per recipient, and
    commit. The same ``submission_key`` twice (Send pressed twice, a client retrying) returns the
    first announcement and writes nothing more."""
    already = _existing(event, submission_key)
    if already is not None:
        return already
    draft = clean_draft(audience, need, subject, body)
    people = recipients(event, draft)
    announcement = Announcement(
        event_id=event.id, author_id=author.id, audience=draft.audience, need=draft.need,
        subject=draft.subject, body=draft.body, recipient_count=len(people), submission_key=submission_key or None,
    )
    try:
        db.session.add(announcement)
        db.session.flush()
        for person in people:
            message = queue_message(person, ANNOUNCEMENT_KIND,
                                    lambda: (draft.subject, _email_body(event, draft, link)), event=event)
            message.dedupe_key = f"announcement:{announcement.id}:{person.id}"
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        already = _existing(event, submission_key)
        if already is None:
            raise
        return already
    except Exception:
        db.session.rollback()
        raise
    return announcement


def event_announcements(event_id):
    """The event's announcements, newest first, with their authors (one statement)."""
    return list(db.session.scalars(
        sa.select(Announcement).options(joinedload(Announcement.author))
        .where(Announcement.event_id == event_id)
        .order_by(Announcement.created_at.desc(), Announcement.id.desc())
    ))
