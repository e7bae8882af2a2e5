"""The secretariat's follow-up board as files: CSV (the action items) and XLSX (the items and their counts).

Internal working files of the secretariat, not open data: no licence or attribution block. Both carry the same
rows, one per action item, with stable column codes (:data:`COLUMNS`) so that a spreadsheet kept from one export
to the next lines up; names (owner, area, status) are in the language of the request. The XLSX adds one sheet of
counts per grouping of the board: by status, by thematic area, by owner.
"""
from __future__ import annotations

import csv
import io

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

#: Column codes of the action-item rows, in order.
COLUMNS = ("decision", "action_item", "owner_code", "owner", "area_code", "area", "due_date", "status_code",
           "status", "overdue", "closed_on", "last_report_on")


def item_rows(board: dict) -> list[list]:
    """One row per action item of ``board``, in the order of :data:`COLUMNS`.

    Parameters
    ----------
    board : dict
        As returned by :func:`dtforum.forum.selectors.follow_up_board` (``items`` with owner, area and
        decision loaded).

    Returns
    -------
    list of list
        ``owner_code`` is the ISO3 code or ``"SEC"`` (the secretariat); dates are ``datetime.date``
        (``None`` when empty); ``overdue`` is a bool (open or in progress, and due before the board's day).
    """
    today = board["today"]
    rows = []
    for item in board["items"]:
        last = max((report.created_at for report in item.reports.all()), default=None)
        rows.append([
            item.decision.reference, item.title,
            item.owner_economy.iso3 if item.owner_economy_id else "SEC", item.owner_label,
            item.area.code if item.area_id else "", item.area.name if item.area_id else "",
            item.due_date, item.status, item.get_status_display(),
            item.status in ("open", "in_progress") and item.due_date < today,
            item.closed_at.date() if item.closed_at else None, last.date() if last else None])
    return rows


def board_csv(board: dict) -> str:
    """The action items of ``board`` as CSV text (header of :data:`COLUMNS`, dates ISO 8601, booleans 0/1).

    Parameters
    ----------
    board : dict
        As :func:`item_rows`.

    Returns
    -------
    str
        RFC 4180 CSV with CRLF line ends; a UTF-8 byte-order mark is left to the HTTP response.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in item_rows(board):
        writer.writerow(["" if v is None else int(v) if isinstance(v, bool) else v for v in row])
    return out.getvalue()


def board_xlsx(board: dict) -> bytes:
    """The board as an XLSX workbook: sheet ``items`` (as the CSV) and the counts by status, area and owner.

    Parameters
    ----------
    board : dict
        As :func:`dtforum.forum.selectors.follow_up_board` (``by_status``, ``by_area``, ``by_owner`` used).

    Returns
    -------
    bytes
        The workbook; sheets read right to left when the request is in Arabic.
    """
    book = Workbook()
    counts = (_("open"), _("overdue"), _("done"))
    sheets = [
        ("items", COLUMNS, item_rows(board)),
        ("by_status", (_("Status"), _("Action items")), [[str(label), n] for _value, label, n in board["by_status"]]),
        ("by_area", (_("Thematic area"), *counts),
         [[label, c["open"], c["overdue"], c["done"]] for label, c in board["by_area"]]),
        ("by_owner", (_("Responsible"), *counts),
         [[label, c["open"], c["overdue"], c["done"]] for label, c in board["by_owner"]]),
    ]
    book.remove(book.active)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.sheet_view.rightToLeft = (get_language() or "en").startswith("ar")
        sheet.append(list(header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
