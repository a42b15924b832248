"""Spreadsheet files: CSV that Excel reads correctly, and XLSX.

The city's staff open exports in Excel, so CSV starts with a UTF-8 byte-order mark (without
it Excel reads the Chinese text as another encoding). Numbers stay numbers. Text people typed
(names, notes, team names) must never run as a formula when the file is opened: in CSV a cell
that starts like a formula gets a leading apostrophe; in XLSX every text cell is stored as a
plain string, which Excel never evaluates.

The roster, the volunteer hours and the dashboard's tables all export through here.
"""
import csv
import io
from dataclasses import dataclass

CSV, XLSX = "csv", "xlsx"
MIMETYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters Excel does not allow in sheet names, and its length limit.
SHEET_FORBIDDEN = str.maketrans({ch: " " for ch in "[]:*?/\\"})
SHEET_NAME_MAX = 31


def csv_text(value):
    """The value as a CSV cell that a spreadsheet shows as typed (never runs as a formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(rows):
    """A CSV file: a BOM, then ``rows`` (the header first), lines ended by CRLF."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_text(value) for value in row])
    return buffer.getvalue().encode("utf-8")


@dataclass
class Sheet:
    """One worksheet: ``rows`` with the header row first (shown bold and kept in view)."""

    title: str
    rows: list
    # Column widths in characters, from column A; columns not listed keep Excel's default.
    widths: tuple = ()
    # The first cell that scrolls: "A2" keeps the header in view, "B2" the first column too.
    freeze: str = "A2"
    wrap_header: bool = False


def _sheet_name(title, used):
    name = str(title).translate(SHEET_FORBIDDEN)[:SHEET_NAME_MAX] or "Sheet"
    while name in used:
        name = name[:SHEET_NAME_MAX - 3] + f"~{len(used)}"
    used.add(name)
    return name


def xlsx_bytes(sheets, title=""):
    """An XLSX workbook of ``sheets`` (Sheet), in order; ``title`` becomes the document's title."""
    # Imported here: openpyxl adds ~30 MB to a worker, and only downloads need it.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    if title:
        workbook.properties.title = str(title)[:200]
    used = set()
    for spec in sheets:
        sheet = workbook.create_sheet(_sheet_name(spec.title, used))
        for number, row in enumerate(spec.rows, start=1):
            sheet.append(list(row))
            for cell in sheet[number]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text, never a formula (and phone numbers keep their digits)
                if number == 1:
                    cell.font = Font(bold=True)
                    if spec.wrap_header:
                        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = spec.freeze
        for index, width in enumerate(spec.widths, start=1):
            sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
