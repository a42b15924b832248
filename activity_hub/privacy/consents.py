"""Consent records: given (by the resident or by staff on their behalf), listed, withdrawn.

``give`` only adds the row to the session: it is called from inside the operation that collects the
consent (a registration, the account page), which commits both together. ``withdraw`` is an
operation of its own and commits: withdrawing the consent to needs erases the saved usual needs and
the needs of the person's registrations for events that have not started."""
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from ..db_types import utcnow
from ..extensions import db
from .models import BY_SELF, BY_STAFF, PURPOSES, REGISTRATION_NEEDS, SAVED_NEEDS, SMS, ConsentRecord
from .notice import NOTICE_VERSION


SMS_PURPOSE = SMS


class ConsentError(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.code = code


def give(user_id, purpose, staff=None, now=None):
    """Add the record of a consent given now under the current notice (not committed)."""
    if purpose not in PURPOSES:
        raise ConsentError("unknown_purpose")
    by_staff = staff is not None and staff.id != user_id
    record = ConsentRecord(
        user_id=user_id, purpose=purpose, notice_version=NOTICE_VERSION, given_at=now or utcnow(),
        given_how=BY_STAFF if by_staff else BY_SELF, staff_id=staff.id if by_staff else None,
    )
    db.session.add(record)
    return record


def of_user(user_id):
    """Every consent record of the person, newest first, with the staff member who took it."""
    query = (sa.select(ConsentRecord).where(ConsentRecord.user_id == user_id)
             .options(joinedload(ConsentRecord.staff))
             .order_by(ConsentRecord.given_at.desc(), ConsentRecord.id.desc()))
    return list(db.session.scalars(query))


def standing(user_id, purpose):
    """The latest consent for ``purpose`` not withdrawn, or None."""
    query = (sa.select(ConsentRecord)
             .where(ConsentRecord.user_id == user_id, ConsentRecord.purpose == purpose,
                    ConsentRecord.withdrawn_at.is_(None))
             .order_by(ConsentRecord.given_at.desc(), ConsentRecord.id.desc()).limit(1))
    return db.session.scalar(query)


CURRENT, OUTDATED = "current", "outdated"


def needs_consent_state(user_id):
    """``CURRENT`` when the person's standing consent to needs at registration was given under this
    notice (the registration form shows it ticked), ``OUTDATED`` when under an older one (the form
    asks again, saying the notice changed), None when there is none (the form asks)."""
    record = standing(user_id, REGISTRATION_NEEDS)
    if record is None:
        return None
    return CURRENT if record.notice_version == NOTICE_VERSION else OUTDATED


def withdraw(user, purpose):
    """Withdraw every standing consent of ``user`` for ``purpose`` and stop using what it covered;
    commits. Returns how many future registrations lost their needs (for the message)."""
    if purpose not in PURPOSES:
        raise ConsentError("unknown_purpose")
    now = utcnow()
    # The usual needs are erased with the consent to needs, so the consent to keep them ends too.
    purposes = (REGISTRATION_NEEDS, SAVED_NEEDS) if purpose == REGISTRATION_NEEDS else (purpose,)
    try:
        db.session.execute(
            sa.update(ConsentRecord)
            .where(ConsentRecord.user_id == user.id, ConsentRecord.purpose.in_(purposes),
                   ConsentRecord.withdrawn_at.is_(None))
            .values(withdrawn_at=now)
        )
        erased = 0
        if purpose in (REGISTRATION_NEEDS, SAVED_NEEDS):
            user.default_needs = []
            user.default_needs_note = ""
            if purpose == REGISTRATION_NEEDS:
                erased = _erase_future_needs(user.id, now)
        elif purpose == SMS and user.message_channel == SMS:
            user.message_channel = None  # back to choosing automatically
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return erased


def _erase_future_needs(user_id, now):
    from ..events.models import Event, Registration, RegistrationNeed

    future = (sa.select(Registration.id).join(Event, Event.id == Registration.event_id)
              .where(Registration.user_id == user_id, Event.starts_at > now))
    ids = list(db.session.scalars(future))
    if not ids:
        return 0
    db.session.execute(sa.delete(RegistrationNeed).where(RegistrationNeed.registration_id.in_(ids)))
    db.session.execute(
        sa.update(Registration).where(Registration.id.in_(ids))
        .values(needs_note="", wheelchair_space=False, needs_withdrawn_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.expire_all()
    return len(ids)
