"""Member states' questionnaire returns (XLSX): merged headers and labels, numbers typed as text (CASES C13, C14).

A return sheet has ``header_rows`` header rows (e.g. a thematic area merged over its indicator columns, then
one indicator per column) and ``label_columns`` label columns on the left (e.g. the country merged over its
year rows, then the year). Only the top-left cell of a merged range holds the value in the file (ECMA-376
Part 1, §18.3.1.55 ``mergeCell``); readers that forward-fill every blank (or read the others as NaN,
pandas-dev/pandas#47487) either lose the pillar/country or invent values. Here merged ranges are expanded
from the sheet's merge list (openpyxl ``ws.merged_cells.ranges``) and a blank cell outside a merge stays blank.

Values are parsed with :func:`~dtforum.observatory.ingest.parsing.parse_localized` under the locale the
return is declared in; each number found in a text cell is logged as "numeric stored as text".

:func:`import_questionnaire` stores one return as ``Observation`` rows of the source
``questionnaire.<ISO3>.<year>``, all or nothing.
"""
from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from dtforum.observatory.ingest.parsing import IngestError, ascii_digits, parse_localized

logger = logging.getLogger(__name__)

#: Label column headers recognised as the country and the year (compared after :func:`search_key`).
COUNTRY_LABELS = ("country", "economy", "member state", "pays", "etat membre", "البلد", "الدوله", "الدولة")
YEAR_LABELS = ("year", "annee", "année", "السنه", "السنة", "العام")

_CODE_IN_BRACKETS = re.compile(r"\(([A-Za-z0-9_.]+)\)\s*$")


@dataclass
class Grid:
    """The cells of one worksheet with merged ranges expanded.

    Attributes
    ----------
    sheet : str
        Worksheet title.
    values : list of list
        ``values[r - 1][c - 1]`` is the value of row ``r``, column ``c`` (1-based as in Excel), shape
        (max_row, max_column); every cell of a merged range holds the value of its top-left cell.
    origin : dict of (int, int) to (int, int)
        For cells inside a merged range other than its top-left cell: ``(row, col) -> (row0, col0)`` of that
        top-left cell. Cells outside merges are absent.
    """

    sheet: str
    values: list[list]
    origin: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)

    def cell(self, row: int, col: int):
        """Value at 1-based ``row``, ``col`` (``None`` outside the used range)."""
        if 1 <= row <= len(self.values) and 1 <= col <= len(self.values[row - 1]):
            return self.values[row - 1][col - 1]
        return None


def expand_merged(ws) -> Grid:
    """Read a worksheet into a :class:`Grid`, copying each merged range's value to all its cells.

    Parameters
    ----------
    ws : openpyxl.worksheet.worksheet.Worksheet
        Loaded with ``read_only=False`` (read-only worksheets do not expose the merge list).

    Returns
    -------
    Grid
        Only cells listed in ``ws.merged_cells.ranges`` are filled; other blank cells stay ``None``.
    """
    values = [list(row) for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column,
                                                 values_only=True)]
    grid = Grid(ws.title, values)
    for merged in ws.merged_cells.ranges:
        top = values[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                if (r, c) != (merged.min_row, merged.min_col):
                    values[r - 1][c - 1] = top
                    grid.origin[(r, c)] = (merged.min_row, merged.min_col)
    return grid


def _text(value) -> str:
    return "" if value is None else " ".join(str(value).split())


def column_keys(grid: Grid, header_rows: int) -> list[tuple[str, ...]]:
    """The multi-row key of every column, e.g. ``("Connectivity", "Fixed broadband")``.

    Parameters
    ----------
    grid : Grid
    header_rows : int
        Number of header rows at the top (>= 1).

    Returns
    -------
    list of tuple of str
        One key per column (index ``c - 1``): the non-blank header texts from top to bottom, blanks
        collapsed. A cell continuing a merge from the row above is not repeated, so ``Country`` merged
        over two header rows gives ``("Country",)``; a horizontal merge repeats its text in every column.
    """
    width = max((len(row) for row in grid.values[:header_rows]), default=0)
    keys = []
    for c in range(1, width + 1):
        parts = []
        for r in range(1, header_rows + 1):
            origin = grid.origin.get((r, c))
            if origin is not None and origin[0] < r:
                continue
            text = _text(grid.cell(r, c))
            if text:
                parts.append(text)
        keys.append(tuple(parts))
    return keys


@dataclass
class QuestionnaireSheet:
    """One sheet of a return, read.

    Attributes
    ----------
    sheet : str
    locale : str or None
        The declared locale the values were parsed with.
    label_keys : list of tuple of str
        Keys of the label columns (e.g. ``[("Country",), ("Year",)]``).
    columns : list of tuple of str
        Keys of the value columns.
    cells : pandas.DataFrame
        One row per value cell of a data row: ``row`` (int, Excel row), ``column`` (letter), ``key`` (tuple),
        ``labels`` (tuple of the label cells' values, merges expanded), ``value`` (float, NaN when blank or a
        missing-data marker), ``from_text`` (bool).
    log : list of str
        One line per converted text cell: ``"sheet 'S', row 5, column 'D': numeric stored as text ..."``.
    """

    sheet: str
    locale: str | None
    label_keys: list[tuple[str, ...]]
    columns: list[tuple[str, ...]]
    cells: pd.DataFrame
    log: list[str]


def read_sheet(ws, *, locale: str | None = None, header_rows: int = 2, label_columns: int = 2,
               file=None) -> QuestionnaireSheet:
    """Read one questionnaire worksheet into labelled numeric cells.

    Parameters
    ----------
    ws : openpyxl Worksheet
        Loaded with ``read_only=False``.
    locale : str, optional
        Declared locale of the return (key of :data:`~dtforum.observatory.ingest.parsing.NUMBER_FORMATS`).
    header_rows : int
        Header rows above the data.
    label_columns : int
        Label columns left of the values (country, year...).
    file : str, optional
        File name for messages.

    Returns
    -------
    QuestionnaireSheet

    Raises
    ------
    IngestError
        A value that is no number in the declared locale (naming file, sheet, row and column), or a value in
        a column without any header text.
    """
    grid = expand_merged(ws)
    keys = column_keys(grid, header_rows)
    label_keys, value_keys = keys[:label_columns], keys[label_columns:]
    records, log = [], []
    for r in range(header_rows + 1, len(grid.values) + 1):
        row = grid.values[r - 1]
        if all(_text(v) == "" for v in row):
            continue
        labels = tuple(grid.cell(r, c) for c in range(1, label_columns + 1))
        for offset, key in enumerate(value_keys):
            c = label_columns + offset + 1
            letter = get_column_letter(c)
            raw = grid.cell(r, c)
            if not key:
                if _text(raw):
                    raise IngestError(file=file, sheet=ws.title, row=r, column=letter, value=raw,
                                      expected="values only under a column header")
                continue
            parsed = parse_localized(raw, locale, file=file, sheet=ws.title, row=r, column=letter)
            if parsed.from_text:
                line = (f"sheet {ws.title!r}, row {r}, column {letter!r}: numeric stored as text {raw!r} "
                        f"read as {parsed.value!r}")
                log.append(line)
                logger.info(line)
            records.append({"row": r, "column": letter, "key": key, "labels": labels, "value": parsed.value,
                            "from_text": parsed.from_text})
    cells = pd.DataFrame.from_records(
        records, columns=["row", "column", "key", "labels", "value", "from_text"])
    cells["value"] = cells["value"].astype("float64")
    return QuestionnaireSheet(ws.title, locale, label_keys, value_keys, cells, log)


def read_questionnaire(path, *, locale: str | None = None, sheet: str | None = None, header_rows: int = 2,
                       label_columns: int = 2) -> QuestionnaireSheet:
    """Open a questionnaire return (XLSX) and read one sheet with :func:`read_sheet`.

    Parameters
    ----------
    path : str or Path
    locale : str, optional
        Declared locale of the return.
    sheet : str, optional
        Worksheet title (default: the first sheet).
    header_rows, label_columns : int
        Layout, see :func:`read_sheet`.

    Returns
    -------
    QuestionnaireSheet

    Raises
    ------
    IngestError
        Unreadable file, unknown sheet, or a malformed cell (see :func:`read_sheet`).
    """
    path = Path(path)
    wb = _open(path)
    if sheet is not None and sheet not in wb.sheetnames:
        raise IngestError(file=path.name, expected=f"a sheet among {wb.sheetnames}", value=sheet)
    ws = wb[sheet] if sheet is not None else wb.worksheets[0]
    return read_sheet(ws, locale=locale, header_rows=header_rows, label_columns=label_columns, file=path.name)


def _label_index(label_keys, names) -> int | None:
    from dtforum.core.arabic import search_key

    wanted = {search_key(n) for n in names}
    for i, key in enumerate(label_keys):
        if key and search_key(key[-1]) in wanted:
            return i
    return None


def _indicator_for(key: tuple[str, ...], indicators) -> object | None:
    """The Indicator of a column key: a code in brackets at the end, the code itself, or a name (en/fr/ar)."""
    from dtforum.core.arabic import search_key

    label = key[-1]
    found = _CODE_IN_BRACKETS.search(label)
    code = found.group(1) if found else label.strip()
    by_code = {i.code.casefold(): i for i in indicators}
    if code.casefold() in by_code:
        return by_code[code.casefold()]
    wanted = search_key(label)
    for ind in indicators:
        if wanted in {search_key(n) for n in (ind.name_en, ind.name_fr, ind.name_ar) if n}:
            return ind
    return None


@dataclass
class QuestionnaireImport:
    """Outcome of :func:`import_questionnaire`: the source code, observations stored, cells read as text."""

    source: str
    observations: int
    from_text: int
    log: list[str]


@dataclass
class CheckedReturn:
    """A questionnaire return checked by :func:`check_questionnaire`, ready to store.

    Attributes
    ----------
    economy : Economy
        The member state answering.
    rows : list of (Indicator, int, float)
        One ``(indicator, year, value)`` per non-empty value cell.
    cells_read : int
        Non-empty value cells read.
    from_text : int
        Of those, numbers typed as text.
    log : list of str
        One line per number typed as text (sheet, row, column).
    sheets : list of str
        Titles of the sheets read.
    """

    economy: object
    rows: list
    cells_read: int
    from_text: int
    log: list[str]
    sheets: list[str]


def _open(path: Path):
    try:
        return load_workbook(path, data_only=True)
    except Exception as exc:   # openpyxl raises zipfile/KeyError/InvalidFileException for non-XLSX files
        raise IngestError(f"cannot be read as an XLSX workbook ({exc})", file=path.name) from exc


def check_questionnaire(path, *, iso3: str, locale: str | None, sheet: str | None = None, all_sheets: bool = False,
                        header_rows: int = 2, label_columns: int = 2) -> CheckedReturn:
    """Read and check a member state's questionnaire return against the store, writing nothing.

    Parameters
    ----------
    path : str or Path
        The returned XLSX file.
    iso3 : str
        The member state answering (ISO 3166-1 alpha-3, an ``Economy`` of the store).
    locale : str or None
        Declared locale of the return (see :func:`~dtforum.observatory.ingest.parsing.parse_localized`).
    sheet : str, optional
        Worksheet to read (default: the first one).
    all_sheets : bool
        Read every worksheet instead (the platform's template has one sheet per thematic area, see
        :func:`dtforum.observatory.uploads.questionnaire_template`); each must have the same layout.
    header_rows, label_columns
        Layout, see :func:`read_sheet`. The label columns must include a year column (header "Year",
        "Année", "السنة"...); a country column, if present, must name ``iso3`` on every row.

    Returns
    -------
    CheckedReturn

    Raises
    ------
    IngestError
        Unknown economy; a malformed value, a missing or bad year, a country other than ``iso3``, an
        indicator column matching no ``Indicator`` (code in brackets, code or name in en/fr/ar), two values
        for the same indicator and year (across sheets too), or no value at all; each naming the file,
        sheet, row and column.
    """
    from dtforum.members.countries import CountryResolver, UnresolvedCountry
    from dtforum.members.models import Economy
    from dtforum.observatory.models import Indicator

    path = Path(path)
    iso3 = iso3.upper()
    economy = Economy.objects.filter(iso3=iso3).first()
    if economy is None:
        raise IngestError(file=path.name, expected="the ISO3 code of an economy of the store", value=iso3)
    wb = _open(path)
    if sheet is not None and sheet not in wb.sheetnames:
        raise IngestError(file=path.name, expected=f"a sheet among {wb.sheetnames}", value=sheet)
    worksheets = wb.worksheets if all_sheets else [wb[sheet] if sheet is not None else wb.worksheets[0]]
    indicators = list(Indicator.objects.all())
    resolver = None
    rows, seen, log, cells_read, from_text = [], {}, [], 0, 0
    for ws in worksheets:
        read = read_sheet(ws, locale=locale, header_rows=header_rows, label_columns=label_columns, file=path.name)
        where = {"file": path.name, "sheet": read.sheet}
        year_at = _label_index(read.label_keys, YEAR_LABELS)
        if year_at is None:
            raise IngestError(row=header_rows, expected=f"a year column among the {label_columns} label columns "
                              f"(header 'Year', 'Année' or 'السنة')", value=[k[-1] if k else "" for k in
                                                                              read.label_keys], **where)
        country_at = _label_index(read.label_keys, COUNTRY_LABELS)
        by_key = {}
        for offset, key in enumerate(read.columns):
            if key:
                ind = _indicator_for(key, indicators)
                if ind is None:
                    raise IngestError(row=header_rows, column=get_column_letter(label_columns + offset + 1),
                                      value=" / ".join(key), expected="an indicator code in brackets, e.g. "
                                      "'Internet users (IT.NET.USER.ZS)', or an indicator name of the store",
                                      **where)
                by_key[key] = ind
        cells = read.cells[read.cells["value"].notna()]
        if country_at is not None and resolver is None:
            resolver = CountryResolver.default()
        for cell in cells.itertuples(index=False):
            year_cell = cell.labels[year_at]
            text = ascii_digits(_text(year_cell)).removesuffix(".0")
            if not re.fullmatch(r"(19|20)\d\d", text):
                raise IngestError(row=cell.row, column=get_column_letter(year_at + 1), value=year_cell,
                                  expected="a year such as 2023", **where)
            if country_at is not None:
                name = _text(cell.labels[country_at])
                code_like = len(name) == 3 and name.isupper()
                try:
                    found = resolver.resolve(name if code_like else None, None if code_like else name)
                except UnresolvedCountry:
                    found = None
                if found != iso3:
                    raise IngestError(row=cell.row, column=get_column_letter(country_at + 1), value=name,
                                      expected=f"{iso3} ({economy.name_en}), the member state of this return",
                                      **where)
            ind = by_key[cell.key]
            k = (ind.pk, int(text))
            if k in seen:
                raise IngestError(row=cell.row, column=cell.column, expected="one value per indicator and year",
                                  value=cell.value, message=f"{ind.code} {text} already given in " + (
                                      f"row {seen[k][1]}" if seen[k][0] == read.sheet
                                      else f"sheet {seen[k][0]!r}, row {seen[k][1]}"), **where)
            seen[k] = (read.sheet, cell.row)
            rows.append((ind, int(text), float(cell.value)))
        cells_read += len(cells)
        from_text += int(cells["from_text"].sum())
        log += read.log
    if not rows:
        raise IngestError("no value found under the indicator columns", file=path.name,
                          sheet=worksheets[0].title if len(worksheets) == 1 else None)
    return CheckedReturn(economy, rows, cells_read, from_text, log, [ws.title for ws in worksheets])


def import_questionnaire(path, *, iso3: str, locale: str | None, user=None, year: int | None = None,
                         sheet: str | None = None, all_sheets: bool = False, header_rows: int = 2,
                         label_columns: int = 2) -> QuestionnaireImport:
    """Store a member state's questionnaire return as observations, all or nothing.

    Parameters
    ----------
    path : str or Path
        The returned XLSX file.
    iso3 : str
        The member state answering (ISO 3166-1 alpha-3, an ``Economy`` of the store).
    locale : str or None
        Declared locale of the return (see :func:`~dtforum.observatory.ingest.parsing.parse_localized`).
    user : User, optional
        Who imports it (recorded in the audit event; ``None`` for the management command).
    year : int, optional
        Year of the questionnaire round, used in the source code ``questionnaire.<ISO3>.<year>``; default
        the latest data year in the return.
    sheet, all_sheets, header_rows, label_columns
        Which sheets and what layout, see :func:`check_questionnaire`.

    Returns
    -------
    QuestionnaireImport

    Raises
    ------
    IngestError
        Whatever :func:`check_questionnaire` refuses, naming the file, sheet, row and column. Nothing is
        written. Re-importing a return replaces the observations of its source.

    Notes
    -----
    Observations carry the flag ``questionnaire``; the import is one audit event
    (``ingest.questionnaire``) written in the same transaction.
    """
    from django.db import transaction
    from django.utils import timezone

    from dtforum.core.audit import record_change
    from dtforum.observatory.models import Observation, Source

    path = Path(path)
    checked = check_questionnaire(path, iso3=iso3, locale=locale, sheet=sheet, all_sheets=all_sheets,
                                  header_rows=header_rows, label_columns=label_columns)
    economy, rows = checked.economy, checked.rows
    iso3 = economy.iso3
    round_year = year or max(r[1] for r in rows)
    code = f"questionnaire.{iso3}.{round_year}"
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with transaction.atomic():
        source, _ = Source.objects.update_or_create(code=code, defaults={
            "publisher": f"{economy.name_en} (questionnaire return)",
            "title": f"Questionnaire return of {economy.name_en}, {round_year}", "path": path.name,
            "vintage": str(round_year), "sha256": digest, "ingested_at": timezone.now(),
            "rows_read": checked.cells_read})
        before = source.observations.count()
        Observation.objects.filter(source=source).delete()
        Observation.objects.bulk_create(
            Observation(economy=economy, indicator=ind, source=source, year=y, value=v, vintage=str(round_year),
                        flags="questionnaire") for ind, y, v in rows)
        Source.objects.filter(pk=source.pk).update(observations_stored=len(rows))
        outcome = QuestionnaireImport(code, len(rows), checked.from_text, checked.log)
        record_change(action="ingest.questionnaire", object_type="observatory.Source", object_id=code,
                      before={"observations": before} if before else None,
                      after={"observations": len(rows), "file": path.name, "sha256": digest, "locale": locale,
                             "numeric_stored_as_text": outcome.from_text, "sheets": checked.sheets},
                      actor=user if user is not None and user.is_authenticated else None,
                      actor_label="" if user is not None else "import_questionnaire")
    return outcome
