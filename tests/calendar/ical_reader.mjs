// An independent iCalendar reader for the tests: Mozilla's ical.js (as in Thunderbird).
// Reads one iCalendar document on stdin and prints what a calendar app would show, as JSON.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const text = readFileSync(0, "utf8");
const calendar = new ICAL.Component(ICAL.parse(text));

const timezones = calendar.getAllSubcomponents("vtimezone").map((vtimezone) => {
  const zone = new ICAL.Timezone(vtimezone);
  ICAL.TimezoneService.register(zone);
  return zone.tzid;
});

function utc(time) {
  return time ? time.toJSDate().toISOString() : null;
}

function zoneOf(time) {
  if (!time) return null;
  if (time.isDate) return "date";
  return time.zone ? time.zone.tzid : "floating";
}

const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
  const event = new ICAL.Event(vevent);
  return {
    uid: event.uid,
    summary: event.summary,
    description: event.description,
    location: event.location,
    start: utc(event.startDate),
    end: utc(event.endDate),
    start_zone: zoneOf(event.startDate),
    end_zone: zoneOf(event.endDate),
    status: vevent.getFirstPropertyValue("status"),
    sequence: event.sequence,
    dtstamp: utc(vevent.getFirstPropertyValue("dtstamp")),
    last_modified: utc(vevent.getFirstPropertyValue("last-modified")),
    url: vevent.getFirstPropertyValue("url"),
    categories: vevent.getAllProperties("categories").flatMap((p) => p.getValues()),
    alarms: vevent.getAllSubcomponents("valarm").map((alarm) => ({
      action: alarm.getFirstPropertyValue("action"),
      trigger: String(alarm.getFirstPropertyValue("trigger")),
    })),
  };
});

process.stdout.write(JSON.stringify({
  name: calendar.getFirstPropertyValue("name"),
  wr_calname: calendar.getFirstPropertyValue("x-wr-calname"),
  version: calendar.getFirstPropertyValue("version"),
  prodid: calendar.getFirstPropertyValue("prodid"),
  refresh_interval: String(calendar.getFirstPropertyValue("refresh-interval")),
  timezones,
  events,
}));
