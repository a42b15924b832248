"""The icalendar library alone: build and serialise the same VEVENTs from memory.

The events come from the public feed the app served (parsed once, outside the timing),
so the library writes exactly the same properties and text; the time is the library's
own cost for that many events, the yardstick for the app's full feed build.
"""
import statistics
import time

import icalendar

HEADER = ("version", "prodid", "calscale", "method", "name", "x-wr-calname", "description", "x-wr-caldesc",
          "x-wr-timezone")


def events_in_memory(feed_bytes):
    calendar = icalendar.Calendar.from_ical(feed_bytes)
    header = [(name, calendar.decoded(name)) for name in HEADER if name in calendar]
    timezones = [c for c in calendar.subcomponents if c.name == "VTIMEZONE"]
    events = []
    for component in calendar.walk("VEVENT"):
        props = []
        for name in component:
            if name == "CATEGORIES":
                props.append((name, list(component[name].cats)))
            else:
                props.append((name, component.decoded(name)))
        events.append(props)
    return header, timezones, events


def serialise(header, timezones, events):
    calendar = icalendar.Calendar()
    for name, value in header:
        calendar.add(name, value)
    for timezone in timezones:
        calendar.add_component(timezone)
    for props in events:
        vevent = icalendar.Event()
        for name, value in props:
            vevent.add(name, value)
        calendar.add_component(vevent)
    return calendar.to_ical()


def time_icalendar_alone(feed_bytes, repeats=3):
    header, timezones, events = events_in_memory(feed_bytes)
    times, cpu = [], []
    for _ in range(repeats):
        started, cpu_started = time.perf_counter(), time.process_time()
        serialise(header, timezones, events)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    return {"events": len(events), "seconds_each": [round(t, 3) for t in times],
            "median_s": round(statistics.median(times), 3), "cpu_median_s": round(statistics.median(cpu), 3)}
