"""Each write of the volunteer services is one transaction, and the service owns it.

``one_transaction`` wraps a service function taking the session first: the function's
changes are committed when it returns and rolled back when it raises (a ``VolunteerError``
or anything else), so a refusal never leaves half a change behind and a view or an API
endpoint never commits or rolls back itself. A service called from inside another one
(``assign_suggested`` assigning several volunteers, ``add_member`` setting skills) joins
the outer transaction: all of it is committed together, or none of it.
"""
import functools

_OPEN = "activity_hub.volunteers.transaction_open"


def one_transaction(operation):
    @functools.wraps(operation)
    def run(session, *args, **kwargs):
        if session.info.get(_OPEN):
            return operation(session, *args, **kwargs)
        session.info[_OPEN] = True
        try:
            result = operation(session, *args, **kwargs)
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.info.pop(_OPEN, None)
        return result

    return run
