"""The tables of a year's report: one definition feeds the page, its charts and the exports.

The public version hides every group of fewer than five people (primary suppression) and,
where a column has a total, enough other cells that no hidden number can be worked out by
subtraction (secondary suppression).
"""
from dataclasses import dataclass, field
from datetime import date

from babel.dates import format_skeleton
from babel.numbers import format_decimal
from flask_babel import get_locale, gettext as _, lazy_gettext as _l

from .. import caching
from ..accessibility import NEEDS
from ..districts import all_districts
from ..locale_text import pick
from .attendance import figures_ttl
from .targets import MEASURES, MONTHS, collect_year_figures, target_progress, unit_label

MIN_GROUP = 5


class Hidden:
    """A cell left out of the public page because it describes fewer than five people."""

    def __str__(self):
        return _("not shown")

    def __repr__(self):
        return "HIDDEN"


HIDDEN = Hidden()


def format_number(value):
    if value is None:
        return ""
    if isinstance(value, Hidden):
        return str(value)
    locale = str(get_locale() or "zh_CN")
    # A page of the report formats several hundred numbers, most of them the same few (0, 1, ...);
    # Babel's formatting costs ~10 µs each, a remembered answer well under 1 (caching.py).
    return caching.remembered("formatted_numbers", (locale, type(value), value),
                              lambda: _formatted_number(locale, type(value), value))


def _formatted_number(locale, kind, value):
    if kind is float:
        return format_decimal(value, format="#,##0.0", locale=locale)
    return format_decimal(value, locale=locale)


@dataclass
class Column:
    key: str
    label: object
    kind: str = "number"  # "text", "number" or "percent"


@dataclass
class Chart:
    """A chart drawn from columns of its table: one series per column, categories from the rows."""

    key: str
    title: object
    columns: tuple
    # False when adding the bars up means nothing (a registration may ask for several needs).
    totals: bool = True
    summary: str = ""


@dataclass
class Table:
    key: str
    title: object
    columns: list
    rows: list = field(default_factory=list)
    total: list | None = None
    note: object = None
    charts: list = field(default_factory=list)

    def column_values(self, key):
        index = [c.key for c in self.columns].index(key)
        return [row[index] for row in self.rows]

    def records(self):
        """Rows as dicts by column key (for tests and the API)."""
        keys = [c.key for c in self.columns]
        return [dict(zip(keys, row)) for row in self.rows]


def suppress(values, with_total=True):
    """Which cells to hide: (hidden flags, total hidden).

    Counts from 1 to 4 are hidden. When a column has a total and anything is hidden, the
    smallest other counts are hidden too until at least two are and they add up to five or
    more, so no hidden count can be recovered from the total; if that cannot be done, the
    total is hidden as well.
    """
    hidden = [0 < value < MIN_GROUP for value in values]

    def exposed():
        chosen = [v for v, h in zip(values, hidden) if h]
        return bool(chosen) and (len(chosen) < 2 or sum(chosen) < MIN_GROUP)

    while with_total and exposed():
        visible = [(v, i) for i, (v, h) in enumerate(zip(values, hidden)) if not h and v > 0]
        if not visible:
            break
        hidden[min(visible)[1]] = True
    total_hidden = with_total and (0 < sum(values) < MIN_GROUP or exposed())
    return hidden, total_hidden


def _mask_rows(table, people_columns, with_total=True):
    """Hide, in every column of ``people_columns``, the rows any one of them needs hidden."""
    indexes = [[c.key for c in table.columns].index(key) for key in people_columns]
    rows_hidden = [False] * len(table.rows)
    total_hidden = False
    for index in indexes:
        flags, total_flag = suppress([row[index] for row in table.rows], with_total)
        rows_hidden = [a or b for a, b in zip(rows_hidden, flags)]
        total_hidden = total_hidden or total_flag
    for row, hide in zip(table.rows, rows_hidden):
        for index in indexes:
            if hide:
                row[index] = HIDDEN
    if table.total is not None and total_hidden:
        for index in indexes:
            table.total[index] = HIDDEN


def month_label(year, month):
    return format_skeleton("yMMM", date(year, month, 1), locale=get_locale() or "zh_CN")


def shown_actual(progress, public):
    """A target's figure as a page or the API may show it: on public pages a count of
    fewer than five people is HIDDEN (``None`` still means "no figure yet")."""
    actual = progress.actual
    if public and progress.counts_people and actual is not None and 0 < actual < MIN_GROUP:
        return HIDDEN
    return actual


# -- the tables -----------------------------------------------------------------------------

def targets_table(progress, public):
    table = Table("targets", _l("Progress against the plan"), [
        Column("target", _l("Target"), "text"),
        Column("actual", _l("Achieved")),
        Column("goal", _l("Target number")),
        Column("unit", _l("Unit"), "text"),
        Column("percent", _l("Percentage reached"), "percent"),
        Column("status", _l("Status"), "text"),
        Column("definition", _l("How it is counted"), "text"),
    ])
    for item in progress:
        actual = shown_actual(item, public)
        percent = HIDDEN if isinstance(actual, Hidden) else item.percent
        if actual is None:
            status = _("No figure yet")
        elif isinstance(actual, Hidden):
            status = _("Not shown: fewer than 5 people")
        else:
            status = _("Reached") if item.reached else _("Not yet reached")
        definition = str(item.definition)
        if item.target.is_manual and item.actual is not None:
            definition += " " + _("Figure last updated on %(day)s.", day=item.target.updated_at.date().isoformat())
        table.rows.append([item.target.label, actual, item.target.target, str(unit_label(item.target.unit)),
                           percent, status, definition])
    return table


def districts_table(figures, districts, public):
    table = Table("districts", _l("By district"), [
        Column("district", _l("District"), "text"),
        Column("events_held", _l("Events held")),
        Column("culture_sports", _l("Cultural and sports events held")),
        Column("legal_sessions", _l("Legal-awareness sessions held")),
        Column("attendees", _l("Residents checked in")),
        Column("person_times", _l("Person-times")),
        Column("teams_trained", _l("Volunteer teams trained")),
        Column("projects_incubated", _l("Assistance projects incubated")),
    ], charts=[Chart("districts-person-times", _l("Person-times by district"), ("person_times",))])
    held = figures.by_district(lambda g: g.events)
    culture = figures.by_district(lambda g: g.events, ("culture", "sports"))
    legal = figures.by_district(lambda g: g.events, ("legal",))
    attendees = figures.by_district(lambda g: g.attendees)
    person_times = figures.by_district(lambda g: g.person_times)
    for district in districts:
        table.rows.append([
            district.name, held[district.id], culture[district.id], legal[district.id], attendees[district.id],
            person_times[district.id], figures.teams_trained.get(district.id, 0),
            figures.projects_incubated.get(district.id, 0),
        ])
    if figures.projects_incubated.get(None):
        table.rows.append([_("City-wide (no district)"), 0, 0, 0, 0, 0, 0, figures.projects_incubated[None]])
    table.total = [_("Total")] + [sum(row[i] for row in table.rows) for i in range(1, len(table.columns))]
    if public:
        _mask_rows(table, ("attendees", "person_times"))
    return table


def months_table(figures, public):
    table = Table("months", _l("By month"), [
        Column("month", _l("Month"), "text"),
        Column("events_held", _l("Events held")),
        Column("person_times", _l("Person-times")),
    ], charts=[
        Chart("months-events", _l("Events held by month"), ("events_held",)),
        Chart("months-person-times", _l("Person-times by month"), ("person_times",)),
    ])
    events = figures.by_month(lambda g: g.events)
    person_times = figures.by_month(lambda g: g.person_times)
    for month in MONTHS:
        table.rows.append([month_label(figures.year, month), events[month], person_times[month]])
    table.total = [_("Total"), sum(events.values()), sum(person_times.values())]
    if public:
        _mask_rows(table, ("person_times",))
    return table


def needs_table(figures, public):
    table = Table("needs", _l("Accessibility needs served"), [
        Column("need", _l("Need"), "text"),
        Column("asked", _l("Registrations that asked")),
        Column("met", _l("Met")),
        Column("not_met", _l("Not met")),
    ], charts=[Chart("needs-served", _l("Accessibility needs: asked and met"), ("asked", "met"),
                                totals=False)])
    table.note = _l("Checked-in registrations at events held in the year. %(definition)s Needs that nobody asked "
                    "for are left out.", definition=_l("A need counts as met when the event listed it among its "
                                                        "provisions, or a volunteer with the matching skill had an "
                                                        "accepted assignment at the event."))
    for need in NEEDS:
        asked, met = figures.needs.get(need.code, (0, 0))
        if not asked:
            continue
        row = [need.label, asked, met, asked - met]
        if public:
            if 0 < asked < MIN_GROUP:
                row[1:] = [HIDDEN] * 3
            elif 0 < met < MIN_GROUP or 0 < asked - met < MIN_GROUP:
                row[2:] = [HIDDEN] * 2
        table.rows.append(row)
    return table


def team_hours_table(figures, districts, public):
    names = {d.id: d.name for d in districts}
    table = Table("volunteer_hours", _l("Volunteer hours by team"), [
        Column("team", _l("Team"), "text"),
        Column("district", _l("District"), "text"),
        Column("volunteers", _l("Volunteers who served")),
        Column("hours", _l("Hours served")),
    ], charts=[Chart("team-hours", _l("Hours served by each team"), ("hours",))])
    table.note = MEASURES["volunteer_hours"].definition
    for team in figures.team_hours:
        name = team.name if team.team_id is not None else _("Served without a team")
        table.rows.append([name, names.get(team.district_id, ""), team.volunteers, team.hours])
    table.total = [_("Total"), "", None, round(figures.volunteer_minutes() / 60, 1)]
    if public:
        flags, total_hidden = suppress([row[2] for row in table.rows])
        for row, hide in zip(table.rows, flags):
            if hide:
                row[2] = row[3] = HIDDEN
        if total_hidden:
            table.total[3] = HIDDEN
    return table


# -- summaries for the charts -----------------------------------------------------------

def chart_summary(table, chart):
    """What the chart shows, in words: each series' total and its highest bar."""
    sentences = []
    categories = [row[0] for row in table.rows]
    keys = [c.key for c in table.columns]
    any_hidden = False
    for key in chart.columns:
        label = table.columns[keys.index(key)].label
        values = table.column_values(key)
        shown = [(v, c) for v, c in zip(values, categories) if not isinstance(v, Hidden)]
        hidden = len(shown) < len(values)
        any_hidden = any_hidden or hidden
        if not chart.totals:
            total = None
        elif table.total is not None:
            total = table.total[keys.index(key)]
            total = None if isinstance(total, Hidden) else total
        else:
            total = None if hidden else sum(v for v, _c in shown)
        top_value = max((v for v, _c in shown), default=0)
        if not top_value and not hidden:
            sentences.append(_("%(label)s: none yet.", label=label))
            continue
        if total is not None:
            sentences.append(_("%(label)s: %(total)s in all.", label=label, total=format_number(total)))
        if top_value:
            top = pick("、", ", ").join(c for v, c in shown if v == top_value)
            if hidden:
                sentences.append(_("Highest %(label)s shown: %(top)s (%(value)s).",
                                   label=label, top=top, value=format_number(top_value)))
            else:
                sentences.append(_("Highest %(label)s: %(top)s (%(value)s).",
                                   label=label, top=top, value=format_number(top_value)))
    if any_hidden:
        sentences.append(_("Some figures are not shown because they describe fewer than 5 people, "
                           "or would let such a figure be worked out."))
    return pick("", " ").join(sentences)


# -- the whole report ------------------------------------------------------------------------

@dataclass
class Report:
    year: int
    public: bool
    figures: object
    progress: list
    tables: dict
    # Seconds the attendance figures may be reused (0: counted for this page).
    recount_seconds: int = 0

    @property
    def counted_at(self):
        """When the attendance figures were counted (they may be up to ``recount_seconds`` old)."""
        return self.figures.attendance_counted_at

    @property
    def needs_summary(self):
        """(checked-in registrations that asked for a need, those whose needs were all met)."""
        asked, all_met = self.figures.registrations_with_needs, self.figures.registrations_all_met
        if self.public:
            # all_met follows the rule of the targets table; asked is hidden when it, or the
            # number it would reveal (asked - all_met), is a group of fewer than five.
            small = lambda n: 0 < n < MIN_GROUP  # noqa: E731
            shown_asked = HIDDEN if small(asked) or small(asked - all_met) else asked
            return shown_asked, HIDDEN if small(all_met) else all_met
        return asked, all_met


def build_report(session, year, public=False):
    """Every table of the year's report in a fixed number of queries (see ``collect_year_figures``)."""
    figures = collect_year_figures(session, year)
    figures, progress = target_progress(session, year, figures)
    districts = all_districts(session)
    tables = [
        targets_table(progress, public),
        districts_table(figures, districts, public),
        months_table(figures, public),
        needs_table(figures, public),
        team_hours_table(figures, districts, public),
    ]
    for table in tables:
        for chart in table.charts:
            chart.summary = chart_summary(table, chart)
    return Report(year, public, figures, progress, {table.key: table for table in tables}, figures_ttl())
