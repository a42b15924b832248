"""Server-rendered SVG bar charts that people can read and screen readers can too.

Each chart is an ``<svg role="img">`` named by its ``<title>``; its bars carry their value as
text beside them, and a second series is told apart by a hatched pattern and a legend, never
by colour alone. Colours come from the page's CSS variables, so the high-contrast theme
applies. The page shows the same numbers in a data table next to the chart.
"""
from dataclasses import dataclass

from markupsafe import Markup, escape

from .report import Hidden, format_number

WIDTH = 720
FONT = 16
ROW = 24  # height of one horizontal bar
GAP = 12  # space between groups of bars
PAD = 8


@dataclass
class Series:
    label: str
    values: list
    hatched: bool = False


def _text_width(text):
    """A generous estimate of rendered text width: CJK characters are about a full em wide."""
    return sum(FONT if ord(ch) > 0x2E80 else FONT * 0.6 for ch in str(text))


def _number(value):
    return 0 if isinstance(value, Hidden) or value is None else value


def _label(value, hidden_label):
    return str(hidden_label) if isinstance(value, Hidden) else format_number(value)


def _defs(chart_id, series):
    if not any(s.hatched for s in series):
        return ""
    return (
        f'<defs><pattern id="{chart_id}-hatch" width="8" height="8" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="8" height="8" class="chart-hatch-bg"/>'
        f'<line x1="0" y1="0" x2="0" y2="8" class="chart-hatch-line"/></pattern></defs>'
    )


def _bar_attrs(chart_id, series):
    if series.hatched:
        return f'class="chart-bar-hatched" fill="url(#{chart_id}-hatch)"'
    return 'class="chart-bar"'


def _legend(chart_id, series, y):
    if len(series) < 2:
        return "", y
    parts, x = [], PAD
    for s in series:
        parts.append(f'<rect x="{x}" y="{y}" width="{FONT * 2}" height="{FONT}" {_bar_attrs(chart_id, s)}/>')
        parts.append(f'<text x="{x + FONT * 2 + 6}" y="{y + FONT - 2}" class="chart-text">{escape(s.label)}</text>')
        x += FONT * 2 + 6 + _text_width(s.label) + 24
    return "".join(parts), y + FONT + GAP


def _svg(chart_id, title, height, body, series):
    return Markup(
        f'<svg role="img" aria-labelledby="{chart_id}-title" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'class="chart" xmlns="http://www.w3.org/2000/svg" focusable="false">'
        f'<title id="{chart_id}-title">{escape(title)}</title>{_defs(chart_id, series)}{body}</svg>'
    )


def _lines(text, limit):
    """``text`` wrapped to lines no wider than ``limit`` (at spaces, or anywhere in CJK text)."""
    text = str(text)
    if _text_width(text) <= limit:
        return [text]
    sep = " " if " " in text else ""
    words = text.split(" ") if sep else list(text)
    lines, current = [], ""
    for word in words:
        candidate = current + sep + word if current else word
        if current and _text_width(candidate) > limit:
            lines.append(current)
            current = word
        else:
            current = candidate
    return lines + [current]


def horizontal_bars(chart_id, title, categories, series, hidden_label):
    """One row per category, one bar per series, each bar labelled with its value."""
    legend, top = _legend(chart_id, series, PAD)
    label_limit = WIDTH * 0.36
    labels = [_lines(c, label_limit) for c in categories]
    label_width = max((_text_width(line) for lines in labels for line in lines), default=0) + PAD
    value_width = max(_text_width(hidden_label), _text_width("100,000.0")) + PAD
    x0 = PAD + label_width
    span = WIDTH - x0 - value_width
    largest = max((_number(v) for s in series for v in s.values), default=0) or 1
    group = ROW * len(series)
    line_height = FONT + 3
    parts = [legend]
    y = top
    for index, lines in enumerate(labels):
        block = max(group, len(lines) * line_height + 4)
        first = y + block / 2 - (len(lines) - 1) * line_height / 2 + FONT / 2 - 2
        tspans = "".join(
            f'<tspan x="{x0 - PAD:.1f}" y="{first + n * line_height:.1f}">{escape(line)}</tspan>'
            for n, line in enumerate(lines)
        )
        parts.append(f'<text text-anchor="end" class="chart-text">{tspans}</text>')
        bars_top = y + (block - group) / 2
        for offset, s in enumerate(series):
            value = s.values[index]
            length = span * _number(value) / largest
            by = bars_top + offset * ROW
            if length > 0:
                parts.append(f'<rect x="{x0:.1f}" y="{by + 2:.1f}" width="{length:.1f}" height="{ROW - 4}" '
                             f'{_bar_attrs(chart_id, s)}/>')
            parts.append(f'<text x="{x0 + length + 6:.1f}" y="{by + ROW / 2 + FONT / 2 - 2:.1f}" '
                         f'class="chart-text">{escape(_label(value, hidden_label))}</text>')
        y += block + GAP
    parts.append(f'<line x1="{x0:.1f}" y1="{top - 4}" x2="{x0:.1f}" y2="{y - GAP + 4:.1f}" class="chart-axis"/>')
    return _svg(chart_id, title, y + PAD, "".join(parts), series)


def chart_for(table, chart):
    """The SVG of ``chart``, drawn from the rows of ``table`` (the numbers the page's table shows)."""
    from .report import HIDDEN

    labels = {c.key: c.label for c in table.columns}
    series = [
        Series(str(labels[key]), table.column_values(key), hatched=index > 0)
        for index, key in enumerate(chart.columns)
    ]
    categories = [str(row[0]) for row in table.rows]
    return horizontal_bars(chart.key, str(chart.title), categories, series, str(HIDDEN))
