"""Cost guards: how many statements an operation runs, what a statement binds, which plan it gets.

They pin implementation on purpose (a change that costs more must show up here), so they live
apart from the behaviour tests. Every count goes through ``tests.conftest.recorded_statements``.
"""
from tests.api.conftest import make_token  # noqa: F401  (the API's bearer tokens, as a fixture here too)
from tests.events.conftest import move_event  # noqa: F401  (changing an event directly, as the event tests do)

