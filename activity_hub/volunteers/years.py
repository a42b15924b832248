"""Local dates and plan years, under the names the volunteers domain first gave them.

Defined once in ``activity_hub.local_time``; kept here for ``api/volunteers.py``,
``volunteers/forms.py`` and the tests, which import them from this module.
"""
from ..local_time import SHANGHAI, current_year, local_date, local_now, local_today, year_bounds  # noqa: F401
