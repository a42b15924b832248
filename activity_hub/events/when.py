"""Times as residents read them: in Asia/Shanghai, with the weekday, without seconds."""
from flask_babel import format_time

from ..local_time import local_time, moment


def event_when(event):
    """Start and end; the end as a time only when it is on the same local day."""
    start, end = local_time(event.starts_at), local_time(event.ends_at)
    if start.date() == end.date():
        return f"{moment(event.starts_at)} – {format_time(event.ends_at, 'short')}"
    return f"{moment(event.starts_at)} – {moment(event.ends_at)}"
