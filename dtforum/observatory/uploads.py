"""Questionnaire returns uploaded by focal points: the blank template, the checks, the record of each upload.

Flow: :func:`receive_return` checks who acts for which member state (:mod:`dtforum.core.permissions`), checks
the file (size, an XLSX by content: a ZIP package whose ``[Content_Types].xml`` declares the SpreadsheetML
workbook, ECMA-376 Part 2 §10.1), reads and checks every value against the store
(:func:`~dtforum.observatory.ingest.questionnaire.check_questionnaire`); only then is the file stored and the
import handed to the task :func:`~dtforum.observatory.tasks.import_questionnaire_task`. Nothing is stored when
any check fails. The audit trail is the record of uploads: one ``questionnaire.upload`` event per accepted
file, then ``questionnaire.upload.imported`` or ``.failed`` from the task, keyed by the upload id.
"""
from __future__ import annotations

import hashlib
import io
import tempfile
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from django.utils.translation import override
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from dtforum.core import permissions
from dtforum.core.audit import record_change
from dtforum.observatory.ingest.parsing import NUMBER_FORMATS, IngestError
from dtforum.observatory.ingest.questionnaire import check_questionnaire
from dtforum.observatory.tasks import (
    UPLOAD_FAILED,
    UPLOAD_IMPORTED,
    UPLOAD_RECEIVED,
    import_questionnaire_task,
)

XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
#: Locales a return may be declared in (number conventions of :data:`~.parsing.NUMBER_FORMATS`).
LOCALES = tuple(NUMBER_FORMATS)
_SHEET_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


class UploadError(ValueError):
    """An uploaded return refused; ``messages`` are in the active language, each naming what and where."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("; ".join(messages))


# --- the blank template ---------------------------------------------------------------------------------

def questionnaire_template(iso3: str, language: str = "en", edition: str | None = None) -> bytes:
    """A blank questionnaire workbook for ``iso3`` built from ``methodology/<edition>.yaml``.

    One sheet per thematic area of the framework: row 1 holds "Country" and "Year" (each merged over rows
    1-2) and the area's name merged over its indicator columns; row 2 one indicator per column as
    ``"<name> (<code>)"``; then one row per year of the data-selection window
    ``[reference_year - window, reference_year]``, the country's ISO3 code merged over those rows. This is
    the layout :func:`~dtforum.observatory.ingest.questionnaire.check_questionnaire` reads with its defaults
    (2 header rows, 2 label columns, ``all_sheets=True``).

    Parameters
    ----------
    iso3 : str
        Member state the template is for (ISO 3166-1 alpha-3).
    language : str
        ``"en"``, ``"fr"`` or ``"ar"``: labels and sheet names; Arabic sheets are shown right to left.
    edition : str, optional
        Framework edition (default ``DTFORUM_DEFAULT_EDITION``).

    Returns
    -------
    bytes
        The XLSX file.

    Raises
    ------
    FileNotFoundError
        No framework file for ``edition``.
    """
    edition = edition or settings.DTFORUM_DEFAULT_EDITION
    path = Path(settings.DTFORUM_METHODOLOGY_DIR) / f"{edition}.yaml"
    framework = yaml.safe_load(path.read_text(encoding="utf-8"))
    end = int(framework["reference_year"])
    years = list(range(end - int(framework.get("window", 5)), end + 1))
    wb = Workbook()
    wb.remove(wb.active)
    with override(language):
        country_label, year_label = _("Country"), _("Year")
    bold, centre = Font(bold=True), Alignment(horizontal="center", vertical="center", wrap_text=True)
    used = set()
    for area in framework["areas"]:
        title = " ".join(str(area["name"].get(language) or area["name"]["en"]).translate(_SHEET_FORBIDDEN).split())
        if len(title) > 31:   # Excel's limit on sheet names: cut at a word boundary
            title = title[:32].rsplit(" ", 1)[0][:31]
        if title in used:
            title = area["code"][:31]
        used.add(title)
        ws = wb.create_sheet(title)
        ws.sheet_view.rightToLeft = language == "ar"
        indicators = area["indicators"]
        last = get_column_letter(2 + len(indicators))
        ws["A1"], ws["B1"], ws["C1"] = country_label, year_label, area["name"].get(language) or area["name"]["en"]
        ws.merge_cells("A1:A2")
        ws.merge_cells("B1:B2")
        if len(indicators) > 1:
            ws.merge_cells(f"C1:{last}1")
        for i, ind in enumerate(indicators, start=3):
            name = ind["name"].get(language) or ind["name"]["en"]
            ws.cell(row=2, column=i, value=f"{name} ({ind['code']})")
            ws.column_dimensions[get_column_letter(i)].width = 28
        for row, year in enumerate(years, start=3):
            ws.cell(row=row, column=2, value=year)
        ws["A3"] = iso3
        ws.merge_cells(f"A3:A{2 + len(years)}")
        for row in ws.iter_rows(min_row=1, max_row=2):
            for cell in row:
                cell.font, cell.alignment = bold, centre
        ws["A3"].alignment = centre
        ws.freeze_panes = "C3"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- checks ----------------------------------------------------------------------------------------------

def check_xlsx_bytes(content: bytes, name: str, max_bytes: int | None = None) -> None:
    """Refuse a file that is too large or is not an XLSX workbook by its content (never by its name).

    Parameters
    ----------
    content : bytes
    name : str
        The user's file name, for messages.
    max_bytes : int, optional
        Largest size accepted (default ``DTFORUM_UPLOAD_MAX_BYTES``).

    Raises
    ------
    UploadError
        Empty or too large; not a ZIP package; no ``[Content_Types].xml``; a package of another kind (e.g. a
        Word document or a macro-enabled workbook).
    """
    limit = settings.DTFORUM_UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    if not content:
        raise UploadError([_("%(file)s is empty.") % {"file": name}])
    if len(content) > limit:
        raise UploadError([_("%(file)s is %(size)s bytes; the largest file accepted is %(limit)s bytes.")
                           % {"file": name, "size": len(content), "limit": limit}])
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            types = package.read("[Content_Types].xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError):
        raise UploadError([_("%(file)s is not an Excel workbook (.xlsx): expected an Office Open XML package "
                             "with [Content_Types].xml.") % {"file": name}]) from None
    if XLSX_MAIN not in types:
        raise UploadError([_("%(file)s is an Office Open XML package but not an Excel workbook (.xlsx).")
                           % {"file": name}])


def describe(error: IngestError) -> str:
    """An :class:`IngestError` in the active language: sheet, row and column, then what was expected.

    The location words and the fixed phrases of the questionnaire reader are translated; values and names
    from the file are quoted as they are.
    """
    where = []
    if error.sheet is not None:
        where.append(_("sheet “%(sheet)s”") % {"sheet": error.sheet})
    if error.row is not None:
        where.append(_("row %(row)s") % {"row": error.row})
    if error.column is not None:
        where.append(_("column %(column)s") % {"column": error.column})
    text = str(error).split(": ", 1)[-1] if (error.file or where) else str(error)
    if error.expected:
        text = _("expected %(expected)s") % {"expected": _(error.expected)}
        if error.value is not None:
            text += _(", found “%(value)s”") % {"value": error.value}
    return f"{', '.join(where)}: {text}" if where else text


# --- receiving a return ----------------------------------------------------------------------------------

@dataclass
class Received:
    """An accepted upload: its id, the stored file, the values checked and the import task's result."""

    upload_id: str
    stored_name: str
    values: int
    task_result: object


def receive_return(user, economy, uploaded, locale: str) -> Received:
    """Check a questionnaire return, store it and start its import; all checks before anything is stored.

    Parameters
    ----------
    user : User
        A focal point of ``economy`` or secretariat staff.
    economy : Economy
        The member state the return is for.
    uploaded : UploadedFile
        The file from the form (read whole: it is at most ``DTFORUM_UPLOAD_MAX_BYTES``).
    locale : str
        Declared number convention, one of :data:`LOCALES`.

    Returns
    -------
    Received

    Raises
    ------
    PermissionDenied
        The user does not act for ``economy``.
    UploadError
        Unknown locale, a file check failed, or the content does not import (the reader's message, in the
        active language, naming sheet, row and column).
    """
    permissions.require_acts_for(user, economy)
    if locale not in LOCALES:
        raise UploadError([_("Unknown number convention %(locale)s; expected one of %(locales)s.")
                           % {"locale": locale, "locales": ", ".join(LOCALES)}])
    name = Path(uploaded.name or "return.xlsx").name
    size_limit = settings.DTFORUM_UPLOAD_MAX_BYTES
    if (uploaded.size or 0) > size_limit:   # refused before reading it
        raise UploadError([_("%(file)s is %(size)s bytes; the largest file accepted is %(limit)s bytes.")
                           % {"file": name, "size": uploaded.size, "limit": size_limit}])
    content = uploaded.read(size_limit + 1)
    check_xlsx_bytes(content, name)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        try:
            checked = check_questionnaire(path, iso3=economy.iso3, locale=locale, all_sheets=True)
        except IngestError as exc:
            raise UploadError([describe(exc)]) from exc
    upload_id = uuid.uuid4().hex
    stored = default_storage.save(f"questionnaires/{economy.iso3}/{upload_id}.xlsx", ContentFile(content))
    record_change(action=UPLOAD_RECEIVED, object_type="questionnaire.upload", object_id=upload_id, actor=user,
                  after={"economy": economy.iso3, "locale": locale, "file": name, "stored": stored,
                         "size": len(content), "sha256": hashlib.sha256(content).hexdigest(),
                         "values": len(checked.rows), "sheets": checked.sheets})
    result = import_questionnaire_task.enqueue(upload_id, stored, name, economy.iso3, locale, user.pk)
    return Received(upload_id, stored, len(checked.rows), result)


def uploads(economy=None, limit: int = 100) -> list[dict]:
    """The latest uploads with their status, newest first (the secretariat's list; a focal point's own).

    Parameters
    ----------
    economy : Economy, optional
        Only this member state's uploads.
    limit : int
        At most this many.

    Returns
    -------
    list of dict
        ``id``, ``at``, ``by`` (user or ``None``), ``economy`` (ISO3), ``file``, ``locale``, ``values``,
        ``status`` (``"queued"``, ``"imported"`` or ``"failed"``) and ``detail`` (source code and count, or
        the error message).
    """
    from dtforum.core.models import AuditEvent

    received = AuditEvent.objects.filter(action=UPLOAD_RECEIVED).select_related("actor").order_by("-pk")
    if economy is not None:
        received = received.filter(after__economy=economy.iso3)
    received = list(received[:limit])
    outcomes = {e.object_id: e for e in AuditEvent.objects.filter(
        action__in=(UPLOAD_IMPORTED, UPLOAD_FAILED), object_id__in=[e.object_id for e in received]).order_by("pk")}
    rows = []
    for event in received:
        done = outcomes.get(event.object_id)
        status = "queued" if done is None else ("imported" if done.action == UPLOAD_IMPORTED else "failed")
        detail = "" if done is None else (done.after.get("error") or
                                          f"{done.after['source']}: {done.after['observations']}")
        rows.append({"id": event.object_id, "at": event.at, "by": event.actor,
                     "economy": event.after["economy"], "file": event.after["file"], "locale": event.after["locale"],
                     "values": event.after["values"], "status": status, "detail": detail})
    return rows


def require_uploader(user) -> None:
    """Raise :class:`PermissionDenied` unless ``user`` is secretariat staff or a focal point."""
    from dtforum.members.models import Role

    if not (permissions.is_secretariat(user) or permissions.role_of(user) == Role.FOCAL_POINT):
        raise PermissionDenied(_("Only focal points and the Forum secretariat may upload questionnaire returns."))
