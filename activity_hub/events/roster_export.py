"""The roster as a spreadsheet, CSV or XLSX: one row per registration.

``activity_hub.exports`` writes the files, so a name typed as ``=HYPERLINK(...)`` stays text
when an organizer opens it.
"""
from flask_babel import format_datetime, gettext as _

from ..exports import Sheet, csv_bytes, xlsx_bytes
from .models import registration_status_label
from .roster import need_labels

WIDTHS = (6, 16, 14, 24, 14, 10, 8, 8, 30, 30, 30, 18, 14, 18, 8)


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
            registration.companions, registration.places,
            _("Needs withdrawn") if registration.needs_withdrawn_at else "；".join(need_labels(registration)),
            registration.needs_note, registration.note, _when(registration.created_at),
            registered_by.display_name if registered_by is not None and registered_by.id != user.id else "",
            _when(registration.checked_in_at), _("Yes") if registration.no_show else "",
        ]


def roster_csv(entries):
    """Bytes of a CSV file: a header row, one row per registration."""
    return csv_bytes([headers(), *rows(entries)])


def roster_xlsx(entries, title):
    """Bytes of an XLSX workbook with one sheet: the roster, headers bold, wrapped and frozen."""
    return xlsx_bytes([Sheet(_("Roster"), [headers(), *rows(entries)], widths=WIDTHS, wrap_header=True)], title)
