"""The roster as a spreadsheet: CSV (UTF-8 with a BOM, so Excel reads Chinese) and XLSX.

Cells that a spreadsheet would take for a formula (=, +, -, @ first) are kept as text, so a name
typed as ``=HYPERLINK(...)`` cannot run when an organizer opens the file.
"""
import csv
import io

from flask_babel import format_datetime, gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from .models import registration_status_label
from .roster import need_labels

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def headers():
    return [
        _("No."), _("Full name"), _("Mobile number"), _("E-mail"), _("Status"), _("Waitlist position"),
        _("Companions"), _("Places"), _("Needs"), _("About their needs"), _("Note"), _("Registered at"),
        _("Registered by"), _("Checked in at"), _("No-show"),
    ]


def _when(value):
    return format_datetime(value, "yyyy-MM-dd HH:mm") if value else ""


def rows(entries):
    for number, entry in enumerate(entries, start=1):
        registration, user = entry.registration, entry.user
        registered_by = registration.registered_by
        yield [
            number, user.display_name, user.phone or "", user.email or "",
            str(registration_status_label(registration.status)),
            entry.waitlist_position if entry.waitlist_position is not None else "",
            registration.companions, registration.places, "；".join(need_labels(registration)),
            registration.needs_note, registration.note, _when(registration.created_at),
            registered_by.display_name if registered_by is not None and registered_by.id != user.id else "",
            _when(registration.checked_in_at), _("Yes") if registration.no_show else "",
        ]


def _as_text(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def roster_csv(entries):
    """Bytes of a CSV file: a BOM, a header row, one row per registration."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers())
    for row in rows(entries):
        writer.writerow([_as_text(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def roster_xlsx(entries, title):
    """Bytes of an XLSX workbook with one sheet: the roster, headers bold and frozen."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Roster")[:31]
    sheet.append(headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows(entries):
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, and phone numbers keep their digits
    sheet.freeze_panes = "A2"
    widths = [6, 16, 14, 24, 14, 10, 8, 8, 30, 30, 30, 18, 14, 18, 8]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    workbook.properties.title = title[:200]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
