"""CSV and XLSX files of the report's tables: the same rows the page shows.

Numbers are written as numbers (no thousands separators); ``activity_hub.exports`` writes
the files, so text typed by people (team names, target names) never runs as a formula.
"""
from ..exports import Sheet, csv_bytes, xlsx_bytes
from .report import Hidden


def _cell(value):
    if isinstance(value, Hidden):
        return str(value)
    if value is None:
        return ""
    return value if isinstance(value, (int, float)) else str(value)


def _rows(table):
    yield [str(column.label) + (" (%)" if column.kind == "percent" else "") for column in table.columns]
    for row in table.rows:
        yield [_cell(value) for value in row]
    if table.total is not None:
        yield [_cell(value) for value in table.total]


def table_csv(table):
    return csv_bytes(_rows(table))


def tables_xlsx(tables, heading):
    """One sheet per table, its first column kept in view; ``heading`` becomes the workbook title."""
    return xlsx_bytes([
        Sheet(str(table.title) or table.key, list(_rows(table)), freeze="B2",
              widths=tuple(48 if column.key == "definition" else 18 for column in table.columns))
        for table in tables
    ], heading)
