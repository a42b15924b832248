"""CSV and XLSX files of the report's tables: the same rows the page shows.

CSV starts with a UTF-8 byte-order mark so that Excel, which the city's staff use, reads
the Chinese text correctly. Numbers are written as numbers (no thousands separators).
Text typed by people (team names, target names) is never run as a spreadsheet formula:
in CSV it gets a leading apostrophe, in XLSX it is stored as a plain string.
"""
import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from .report import Hidden

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters Excel does not allow in sheet names.
SHEET_FORBIDDEN = str.maketrans({ch: " " for ch in "[]:*?/\\"})


def _cell(value):
    if isinstance(value, Hidden):
        return str(value)
    if value is None:
        return ""
    return value if isinstance(value, (int, float)) else str(value)


def _csv_safe(value):
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def _rows(table):
    yield [str(column.label) + (" (%)" if column.kind == "percent" else "") for column in table.columns]
    for row in table.rows:
        yield [_cell(value) for value in row]
    if table.total is not None:
        yield [_cell(value) for value in table.total]


def table_csv(table):
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in _rows(table):
        writer.writerow([_csv_safe(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def tables_xlsx(tables, heading):
    """One sheet per table, each with a bold header row; ``heading`` becomes the workbook title."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = str(heading)
    used = set()
    for table in tables:
        name = str(table.title).translate(SHEET_FORBIDDEN)[:31] or table.key
        while name in used:
            name = name[:28] + f"~{len(used)}"
        used.add(name)
        sheet = workbook.create_sheet(name)
        for number, row in enumerate(_rows(table), start=1):
            sheet.append(row)
            for cell in sheet[number]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text, not a formula
                if number == 1:
                    cell.font = Font(bold=True)
        sheet.freeze_panes = "B2"
        for index, column in enumerate(table.columns, start=1):
            width = 48 if column.key == "definition" else 18
            sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
