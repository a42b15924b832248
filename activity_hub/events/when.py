"""Times as residents read them: in Asia/Shanghai, with the weekday, without seconds."""
from ..local_time import clock_time, local_time, moment


def span_when(starts_at, ends_at):
    """Start and end; the end as a time only when it is on the same local day."""
    start, end = local_time(starts_at), local_time(ends_at)
    if start.date() == end.date():
        return f"{moment(starts_at)} – {clock_time(ends_at)}"
    return f"{moment(starts_at)} – {moment(ends_at)}"


def event_when(event):
    """An event's start and end (``span_when``)."""
    return span_when(event.starts_at, event.ends_at)
