"""The requests of each scenario (every generator is finite)."""
import itertools
from urllib.parse import quote

from .load import Request

CAP = 1_000_000  # no scenario sends more than this many requests
FILTERS = [
    "category=culture", "district=wuchang", "provision=sign_language", "category=legal&district=hongshan",
    "q=" + quote("讲座"), "category=sports&provision=wheelchair_space", "district=jiangan&page=2",
    "provision=captions&category=culture",
]


def catalogue_pages():
    return (Request("GET", "/events?" + f) for f in itertools.islice(itertools.cycle(FILTERS), CAP))


def api_listing():
    return (Request("GET", "/api/v1/events?" + f) for f in itertools.islice(itertools.cycle(FILTERS), CAP))


def event_pages(event_ids):
    return (Request("GET", f"/events/{event_id}") for event_id in itertools.islice(itertools.cycle(event_ids), CAP))


def api_registrations(tokens, event_ids):
    """Distinct residents in turn, each time for another event: no resident registers twice for one event."""
    def pairs():
        for round_ in range(len(event_ids)):
            for n, token in enumerate(tokens):
                yield token, event_ids[(n + round_) % len(event_ids)]
    return (
        Request("POST", f"/api/v1/events/{event_id}/registrations", headers={"Authorization": f"Bearer {token}"},
                json={"consent": True, "companions": 0, "needs": ["large_print"] if n % 3 == 0 else []},
                expect=(201,))
        for n, (token, event_id) in enumerate(itertools.islice(pairs(), CAP))
    )


def conditional_feed(etags):
    """``etags``: {instance base URL: the feed's ETag there} (the ETag names the host in links)."""
    bases = list(etags)
    return (Request("GET", "/calendar/events.ics", headers={"If-None-Match": etags[bases[n % len(bases)]]},
                    expect=(304,), base=bases[n % len(bases)]) for n in range(CAP))


def full_feed(count):
    return (Request("GET", "/calendar/events.ics") for _ in range(count))


def dashboard(cookie):
    return (Request("GET", "/dashboard/", headers={"Cookie": cookie}) for _ in range(CAP))


def floor_constant():
    return (Request("GET", "/constant") for _ in range(CAP))


def floor_transaction():
    return (Request("POST", "/take", expect=(201,)) for _ in range(CAP))
