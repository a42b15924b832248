"""Times as residents read them: in Asia/Shanghai, with the weekday, without seconds."""
from ..local_time import clock_time, local_time, moment


def event_when(event):
    """Start and end; the end as a time only when it is on the same local day."""
    start, end = local_time(event.starts_at), local_time(event.ends_at)
    if start.date() == end.date():
        return f"{moment(event.starts_at)} – {clock_time(event.ends_at)}"
    return f"{moment(event.starts_at)} – {moment(event.ends_at)}"
