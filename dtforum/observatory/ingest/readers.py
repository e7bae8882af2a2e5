"""One reader per publisher file format, each returning the same tidy frame.

Every reader takes the file path (and the data folder, only for messages) plus format options set in
:mod:`dtforum.observatory.ingest.catalog`, and returns a :class:`pandas.DataFrame` with the columns
:data:`TIDY_COLUMNS`:

``country_code``  code as printed by the publisher (ISO3, World Bank aggregate code...), ``""`` if none
``country_name``  name as printed (stripped of surrounding blanks), ``""`` if none
``m49``           UN M49 number (nullable Int64), for publishers keyed by M49 only
``indicator``     the publisher's own variable name (mapped to our codes by the catalogue)
``year``          int
``value``         float64, never NaN (missing cells are dropped after validation)
``flags``         publisher markers kept verbatim (``""`` if none)
``row``           1-based line/row of the record in the file, for error messages
``aggregate``     True where the publisher's own coding marks a region/group (HDR ``ZZ*``, OWID ``OWID_*``,
                  UNCTAD 4-digit groups); World Bank aggregates are told apart later from WDI country metadata

Readers never resolve country codes: that happens once, in :mod:`dtforum.observatory.ingest.store`.
Cells are parsed with :func:`~dtforum.observatory.ingest.parsing.parse_column`, so a malformed cell raises
:class:`~dtforum.observatory.ingest.parsing.IngestError` naming file, row and column.
"""
from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from dtforum.observatory.ingest.parsing import IngestError, parse_column, relative

TIDY_COLUMNS = ["country_code", "country_name", "m49", "indicator", "year", "value", "flags", "row", "aggregate"]


def read_text(path: Path, data_dir: Path | None = None) -> str:
    """Read a whole publisher text file (CSV, JSON) as UTF-8, byte-order mark removed.

    Parameters
    ----------
    path : Path
        The file.
    data_dir : Path, optional
        Data folder, only to print paths relative to it.

    Returns
    -------
    str
        The text, line ends kept as they are (as the ``csv`` module requires).

    Raises
    ------
    IngestError
        The file cannot be read (permission, I/O error), is empty, or is not UTF-8 (the message gives the line
        of the first undecodable byte, and says UTF-16 when the file starts with a UTF-16 byte-order mark).
    """
    file = relative(path, data_dir)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise IngestError(f"the file cannot be read ({exc.strerror or exc})", file=file) from exc
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise IngestError("the file is UTF-16 text (e.g. saved as 'Unicode text'); save it as UTF-8", file=file,
                          expected="UTF-8 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise IngestError(f"byte 0x{data[exc.start]:02x} is not UTF-8 (latin-1 or Windows-1252 text?); save the "
                          "file as UTF-8", file=file, row=line, expected="UTF-8 text") from exc
    if not text.strip():
        raise IngestError("the file is empty", file=file, expected="a header line and data rows")
    return text


def _check_records(text: str, file: str, *, sep: str, skiprows: int) -> None:
    """Refuse a duplicated header name and any record whose field count differs from the header's.

    pandas silently fills a short record (a file truncated mid-row, a lost separator) with NaN and, in some
    layouts, drops a surplus field without a word; both shift values between columns, so they stop the ingest.
    """
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    try:
        for _ in range(skiprows):
            next(reader, None)
        header = next(reader, None) or []
        twice = sorted({c for c in header if c.strip() and header.count(c) > 1})
        if twice:
            raise IngestError(f"column name(s) {twice} appear more than once in the header", file=file,
                              row=skiprows + 1, expected="unique column names")
        for record in reader:
            if record and len(record) != len(header):
                raise IngestError(
                    f"{len(record)} field(s) where the header has {len(header)} (a row cut short, e.g. a "
                    "truncated file, or a separator too many or too few)", file=file, row=reader.line_num,
                    expected=f"{len(header)} fields separated by {sep!r}")
    except csv.Error as exc:   # e.g. a line break inside an unquoted field
        raise IngestError(f"not a readable CSV record ({exc})", file=file, row=reader.line_num) from exc


def _read_text_csv(path: Path, data_dir: Path | None, *, sep: str = ",", skiprows: int = 0,
                   text: str | None = None) -> pd.DataFrame:
    """Read a CSV with every cell as text (no NA guessing), BOM removed; errors name the file."""
    file = relative(path, data_dir)
    text = read_text(path, data_dir) if text is None else text
    _check_records(text, file, sep=sep, skiprows=skiprows)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, skiprows=skiprows)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise IngestError(f"not a readable CSV file ({exc})", file=file) from exc
    # A trailing separator on every line (World Bank API files) yields an empty "Unnamed: N" column.
    return frame.loc[:, [c for c in frame.columns if not (c.startswith("Unnamed:") and (frame[c] == "").all())]]


def _require(frame: pd.DataFrame, columns: Iterable[str], file: str) -> None:
    missing = [c for c in columns if c and c not in frame.columns]
    if missing:
        raise IngestError(f"missing column(s) {missing}; columns found: {list(frame.columns)}", file=file)


def _years(values: pd.Series, rows, file: str, column: str, sheet: str | None = None) -> pd.Series:
    parsed = parse_column(values, file=file, sheet=sheet, column=column, rows=rows)
    bad = parsed.notna() & ((parsed % 1 != 0) | (parsed < 1900) | (parsed > 2100))
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise IngestError(file=file, sheet=sheet, row=int(list(rows)[pos]), column=column,
                          value=str(values.iloc[pos]), expected="a calendar year (1900-2100)")
    return parsed


def _finish(frame: pd.DataFrame) -> pd.DataFrame:
    """Normalise dtypes, drop missing values and order the tidy columns."""
    out = frame.copy()
    for col, default in (("country_code", ""), ("country_name", ""), ("flags", "")):
        out[col] = out[col].fillna(default).astype(str).str.strip() if col in out else default
    out["m49"] = out["m49"].astype("Int64") if "m49" in out else pd.array([pd.NA] * len(out), dtype="Int64")
    out["aggregate"] = out["aggregate"].astype(bool) if "aggregate" in out else False
    out = out[out["value"].notna() & out["year"].notna()]
    out = out.astype({"year": "int64", "value": "float64", "row": "int64", "indicator": str})
    return out[TIDY_COLUMNS].reset_index(drop=True)


def read_table(path: Path, *, data_dir: Path | None = None, sep: str = ",", skiprows: int = 0,
               code: str | None = None, name: str | None = None, m49: str | None = None,
               year: str | None = None, year_value: int | None = None,
               values: Iterable[str] | None = None, variable: str | None = None, value: str | None = None,
               variables: Iterable[str] | None = None, flags: str | None = None,
               percent: bool = False) -> pd.DataFrame:
    """Read a flat CSV table, long (a variable and a value column) or wide (one column per variable).

    This is the engine of most publisher readers below; each fixes the column names of its format.

    Parameters
    ----------
    path : Path
        The CSV file.
    data_dir : Path, optional
        Data folder, only to print paths relative to it.
    sep, skiprows
        CSV separator and number of physical lines before the header.
    code, name, m49 : str, optional
        Columns holding the country code, name, UN M49 number (at least one).
    year : str, optional
        Column holding the year; else ``year_value`` gives the one year of the whole file (an edition).
    values : iterable of str, optional
        Wide layout: the value columns; the column name becomes ``indicator``.
    variable, value : str, optional
        Long layout: the column naming the variable and the column holding the value.
    variables : iterable of str, optional
        Keep only these variables (long layout: values of ``variable``; wide layout: defaults ``values``).
        Cells of other variables are not parsed.
    flags : str, optional
        Column with publisher flags, kept verbatim.
    percent : bool
        Accept ``"12.3%"`` cells (A4AI).

    Returns
    -------
    pandas.DataFrame
        Tidy frame (:data:`TIDY_COLUMNS`).

    Raises
    ------
    IngestError
        Missing columns, malformed numbers or years (naming file, row and column).
    """
    file = relative(path, data_dir)
    raw = _read_text_csv(path, data_dir, sep=sep, skiprows=skiprows)
    rows = np.arange(len(raw)) + skiprows + 2  # 1-based, header line counted
    raw = raw.assign(_row=rows)
    _require(raw, [code, name, m49, year, variable, value, flags], file)
    if year is None and year_value is None:
        raise ValueError("read_table needs a year column or a year_value")
    keys = pd.DataFrame({
        "country_code": raw[code] if code else "",
        "country_name": raw[name] if name else "",
        "m49": parse_column(raw[m49], file=file, column=m49, rows=rows) if m49 else np.nan,
        "flags": raw[flags] if flags else "",
        "row": raw["_row"],
    })
    keys["year"] = _years(raw[year], rows, file, year) if year else year_value
    parts = []
    if variable is not None:
        keep = raw if variables is None else raw[raw[variable].isin(set(variables))]
        part = keys.loc[keep.index].assign(
            indicator=keep[variable],
            value=parse_column(keep[value], file=file, column=value, rows=keep["_row"], percent=percent))
        parts.append(part)
    else:
        columns = list(values if values is not None else variables)
        _require(raw, columns, file)
        for col in columns:
            parts.append(keys.assign(indicator=col, value=parse_column(raw[col], file=file, column=col,
                                                                       rows=rows, percent=percent)))
    return _finish(pd.concat(parts, ignore_index=True))


def read_wb_api_wide(path: Path, *, data_dir: Path | None = None, **_: object) -> pd.DataFrame:
    """World Bank WDI bulk ``API_<code>_DS2_en_csv_v2_*.csv``: one row per economy, one column per year.

    The original download starts with four preamble lines (``"Data Source"``, ``"Last Updated Date"``
    and blanks); copies found in the wild often have them stripped. The header line is located as the
    first line whose first field is ``Country Name``, so both variants read the same.

    Parameters
    ----------
    path : Path
        The CSV file.
    data_dir : Path, optional
        Data folder, only for messages.

    Returns
    -------
    pandas.DataFrame
        Tidy frame; ``indicator`` is the WDI series code from the ``Indicator Code`` column.
        ``frame.attrs["last_updated"]`` holds the preamble's date when present, ``frame.attrs["header_line"]``
        the 0-based line of the header (4 with preamble, 0 without).

    Raises
    ------
    IngestError
        No ``Country Name`` header in the first 10 lines, or a malformed year cell.
    """
    file = relative(path, data_dir)
    last_updated = ""
    header_line = None
    text = read_text(path, data_dir)
    for i, line in enumerate(csv.reader(io.StringIO(text))):
        if i >= 10:
            break
        if line and line[0].strip() == "Last Updated Date" and len(line) > 1:
            last_updated = line[1].strip()
        if line and line[0].strip() == "Country Name":
            header_line = i
            break
    if header_line is None:
        raise IngestError("no header line starting with 'Country Name' in the first 10 lines", file=file,
                          expected="a World Bank API bulk CSV")
    raw = _read_text_csv(path, data_dir, skiprows=header_line, text=text)
    _require(raw, ["Country Name", "Country Code", "Indicator Code"], file)
    rows = np.arange(len(raw)) + header_line + 2
    year_cols = [c for c in raw.columns if c.strip().isdigit()]
    parts = [
        pd.DataFrame({"country_code": raw["Country Code"], "country_name": raw["Country Name"],
                      "indicator": raw["Indicator Code"], "year": int(col), "row": rows,
                      "value": parse_column(raw[col], file=file, column=col, rows=rows)})
        for col in year_cols
    ]
    out = _finish(pd.concat(parts, ignore_index=True))
    out.attrs.update(last_updated=last_updated, header_line=header_line)
    return out


def read_wdi_pipe(path: Path, *, data_dir: Path | None = None, **_: object) -> pd.DataFrame:
    """WDI series pulled with the R ``WDI`` package and written pipe-delimited (``|``), long format.

    Columns ``country | iso2c | iso3c | year | <series code> [| Topic]``; R's ``NA`` marks missing values.
    The series code is the fifth column's name.
    """
    file = relative(path, data_dir)
    raw = _read_text_csv(path, data_dir, sep="|")
    _require(raw, ["country", "iso3c", "year"], file)
    if len(raw.columns) < 5:
        raise IngestError("expected a fifth column named after the WDI series", file=file)
    return read_table(path, data_dir=data_dir, sep="|", code="iso3c", name="country", year="year",
                      values=[raw.columns[4]])


def read_bipa_long(path: Path, *, data_dir: Path | None = None, variables=None, **_: object) -> pd.DataFrame:
    """Blavatnik Index of Public Administration source files: ``cc_iso3c, ref_year, variable, value``."""
    return read_table(path, data_dir=data_dir, code="cc_iso3c", year="ref_year", variable="variable",
                      value="value", variables=variables)


def read_wb_api_long(path: Path, *, data_dir: Path | None = None, variables=None, **_: object) -> pd.DataFrame:
    """World Bank API v2 pull flattened to long CSV (``ind_id, cty_nm, cty_iso, date, value, obs_sttus``)."""
    return read_table(path, data_dir=data_dir, code="cty_iso", name="cty_nm", year="date", variable="ind_id",
                      value="value", flags="obs_sttus", variables=variables)


#: UN E-Government Survey columns of each layout, mapped to the variable names used in the catalogue.
EGOV_LAYOUTS = {
    "unu": {"code": "country-code", "name": "country-name",
            "columns": {"e-gov-index": "EGDI", "e-pat-index": "EPART", "osi": "OSI", "hci": "HCI", "tii": "TII",
                        "e-gov-rank": "RANK"}},
    "undesa2022": {"name": "Country Name", "year": "Survey Year",
                   "columns": {"E-Government Index": "EGDI", "E-Participation Index": "EPART",
                               "Online Service Index": "OSI", "Human Capital Index": "HCI",
                               "Telecommunication Infrastructure Index": "TII", "E-Government Rank": "RANK"}},
    "undesa2024": {"name": "Country", "year": "Survey Year",
                   "columns": {"E_Index": "EGDI", "E_Participation": "EPART", "Online_Service": "OSI",
                               "Human_Capital": "HCI", "Tele_Infra": "TII", "Rank": "RANK"}},
}


def read_un_egov(path: Path, *, data_dir: Path | None = None, year: int | None = None, **_: object) -> pd.DataFrame:
    """UN DESA E-Government Survey, any edition 2010-2024.

    Three layouts exist (:data:`EGOV_LAYOUTS`), told apart from the header: UNU-EGOV files of 2010-2018
    carry ISO3 codes but no year (``year`` must be given); UN Data Center exports of 2022/2024 carry a
    ``Survey Year`` and only country names, with trailing blanks (stripped here, resolved later by name).
    Indicators come out as ``EGDI, EPART, OSI, HCI, TII, RANK``.
    """
    file = relative(path, data_dir)
    header = next(csv.reader(io.StringIO(read_text(path, data_dir))))
    for layout in EGOV_LAYOUTS.values():
        if set(layout["columns"]) <= set(header) and layout.get("code", layout["name"]) in header:
            break
    else:
        raise IngestError(f"unknown E-Government layout, header {header}", file=file,
                          expected="a UNU-EGOV or UN Data Center E-Government export")
    if "year" not in layout and year is None:
        raise IngestError("this layout has no year column; set 'year' in the catalogue", file=file)
    out = read_table(path, data_dir=data_dir, code=layout.get("code"), name=layout["name"],
                     year=layout.get("year"), year_value=year, values=list(layout["columns"]))
    out["indicator"] = out["indicator"].map(layout["columns"])
    return out


def read_hdr_wide(path: Path, *, data_dir: Path | None = None, variables=None, **_: object) -> pd.DataFrame:
    """UNDP HDRO composite indices time series: columns ``iso3, country, ...`` then ``<var>_<year>``.

    Only the columns of ``variables`` (e.g. ``{"eys", "mys"}``) are parsed. HDRO aggregates have iso3
    codes beginning ``ZZ`` (``ZZK.WORLD``) and are flagged ``aggregate``.
    """
    file = relative(path, data_dir)
    raw = _read_text_csv(path, data_dir)
    _require(raw, ["iso3", "country"], file)
    rows = np.arange(len(raw)) + 2
    wanted = set(variables) if variables is not None else None
    parts = []
    for col in raw.columns:
        var, _, yr = col.rpartition("_")
        if yr.isdigit() and len(yr) == 4 and (wanted is None or var in wanted):
            parts.append(pd.DataFrame({
                "country_code": raw["iso3"], "country_name": raw["country"], "indicator": var,
                "year": int(yr), "row": rows, "aggregate": raw["iso3"].str.startswith("ZZ"),
                "value": parse_column(raw[col], file=file, column=col, rows=rows)}))
    if not parts:
        raise IngestError(f"no <variable>_<year> columns for {sorted(wanted or [])}", file=file)
    return _finish(pd.concat(parts, ignore_index=True))


def read_findex_xlsx(path: Path, *, data_dir: Path | None = None, variables=None, sheet: str = "Data",
                     **_: object) -> pd.DataFrame:
    """World Bank Global Findex database ("DatabankWide" workbook), sheet ``Data``.

    One row per economy and survey year (``Country Name, ISO, Year``), one column per indicator, values
    as fractions 0-1 (the catalogue rescales to percent). Only the columns in ``variables`` are kept.
    """
    file = relative(path, data_dir)
    wanted = list(variables or [])
    try:
        with open(path, "rb") as fh:
            magic = fh.read(4)
        is_zip = zipfile.is_zipfile(path)
    except OSError as exc:
        raise IngestError(f"the file cannot be read ({exc.strerror or exc})", file=file) from exc
    if not is_zip:
        # An XLSX is a ZIP container: a ZIP header without a readable directory is a cut-short download.
        why = ("the workbook is damaged or truncated" if magic == b"PK\x03\x04"
               else "the file is not a workbook (a CSV or XLS file renamed .xlsx?)")
        raise IngestError(why, file=file, expected="an XLSX workbook (Office Open XML)")
    try:
        raw = pd.read_excel(path, sheet_name=sheet, dtype=object, engine="openpyxl",
                            usecols=lambda c: c in {"Country Name", "ISO", "Year", *wanted})
    except ValueError as exc:  # pandas raises ValueError for a missing sheet
        raise IngestError(str(exc), file=file, sheet=sheet) from exc
    except (zipfile.BadZipFile, KeyError, OSError) as exc:  # a damaged or truncated ZIP container
        raise IngestError(f"the workbook cannot be opened ({exc})", file=file,
                          expected="an XLSX workbook (Office Open XML)") from exc
    missing = [c for c in ["Country Name", "ISO", "Year", *wanted] if c not in raw.columns]
    if missing:
        raise IngestError(f"missing column(s) {missing}", file=file, sheet=sheet)
    rows = np.arange(len(raw)) + 2
    years = _years(raw["Year"], rows, file, "Year", sheet=sheet)
    parts = [pd.DataFrame({"country_code": raw["ISO"], "country_name": raw["Country Name"], "indicator": col,
                           "year": years, "row": rows,
                           "value": parse_column(raw[col], file=file, sheet=sheet, column=col, rows=rows)})
             for col in wanted]
    return _finish(pd.concat(parts, ignore_index=True))


def read_unctad_m49(path: Path, *, data_dir: Path | None = None, variables=None, **_: object) -> pd.DataFrame:
    """UNCTADstat "International trade in ICT services" export, economies keyed by UN M49 numbers.

    Columns ``Year, Economy (M49), Economy Label, Flow (01 imports / 02 exports), US dollars at current
    prices in millions, Percentage of total trade in services``. Variables produced:
    ``exports_usd``, ``exports_share``, ``imports_usd``, ``imports_share``. UNCTAD's own groupings
    (4-digit codes such as 0000 World, 1400 Developing economies) are flagged ``aggregate``.
    """
    file = relative(path, data_dir)
    raw = _read_text_csv(path, data_dir)
    measures = {"usd": "US dollars at current prices in millions", "share": "Percentage of total trade in services"}
    _require(raw, ["Year", "Economy", "Economy Label", "Flow", *measures.values()], file)
    rows = np.arange(len(raw)) + 2
    flows = {"01": "imports", "02": "exports"}
    unknown = ~raw["Flow"].isin(list(flows))
    if unknown.any():
        pos = int(np.flatnonzero(unknown.to_numpy())[0])
        raise IngestError(file=file, row=int(rows[pos]), column="Flow", value=raw["Flow"].iloc[pos],
                          expected="01 (imports) or 02 (exports)")
    m49 = parse_column(raw["Economy"], file=file, column="Economy", rows=rows)
    years = _years(raw["Year"], rows, file, "Year")
    parts = []
    for key, column in measures.items():
        parts.append(pd.DataFrame({
            "m49": m49, "country_name": raw["Economy Label"], "year": years, "row": rows,
            "indicator": raw["Flow"].map(flows) + "_" + key, "aggregate": raw["Economy"].str.len() > 3,
            "value": parse_column(raw[column], file=file, column=column, rows=rows)}))
    out = pd.concat(parts, ignore_index=True)
    if variables is not None:
        out = out[out["indicator"].isin(set(variables))]
    return _finish(out)


def read_futuregrid_json(path: Path, *, data_dir: Path | None = None, years=None, **_: object) -> pd.DataFrame:
    """FutureGrid ``global-ai-metrics.json``: ``{"metrics": {name: {ISO3: value | {sub: value}}}}``.

    The JSON carries no year per value, so ``years`` maps each variable to its edition year, e.g.
    ``{"governmentReadiness": 2023, "readinessSubIndices.humanCapital": 2023}``; only those variables are
    read. Nested metrics are addressed as ``<metric>.<sub-key>``. ``row`` is 0 (no lines in JSON); the
    error names the JSON field instead of a column.
    """
    file = relative(path, data_dir)
    text = read_text(path, data_dir)
    try:
        metrics = json.loads(text)["metrics"]
    except json.JSONDecodeError as exc:
        raise IngestError(f"not valid JSON: {exc.msg}", file=file, row=exc.lineno,
                          expected='a JSON object with a "metrics" field') from exc
    except (KeyError, TypeError) as exc:
        raise IngestError("no \"metrics\" field at the top level", file=file,
                          expected='a JSON object with a "metrics" field') from exc
    if not isinstance(metrics, dict):
        raise IngestError(file=file, field="metrics", value=type(metrics).__name__,
                          expected="an object of metrics keyed by name")
    records = []
    for var, year in (years or {}).items():
        metric, _, sub = var.partition(".")
        if metric not in metrics:
            raise IngestError(f"metric {metric!r} not found; metrics: {sorted(metrics)}", file=file)
        if not isinstance(metrics[metric], dict):
            raise IngestError(file=file, field=f"metrics.{metric}", value=type(metrics[metric]).__name__,
                              expected="an object keyed by ISO3 code")
        for iso3, cell in metrics[metric].items():
            cell = cell.get(sub) if sub and isinstance(cell, dict) else cell
            if isinstance(cell, dict):
                raise IngestError(file=file, field=f"metrics.{metric}.{iso3}", value=str(cell)[:60],
                                  expected="a number (give the sub-key as '<metric>.<key>')")
            records.append((iso3, var, year, cell, f"metrics.{var}.{iso3}"))
    frame = pd.DataFrame(records, columns=["country_code", "indicator", "year", "cell", "field"])
    bad = frame["cell"].map(lambda c: c is not None and (isinstance(c, bool) or not isinstance(c, (int, float))))
    if bad.any():
        first = frame[bad].iloc[0]
        raise IngestError(file=file, field=first["field"], value=str(first["cell"]), expected="a number or null")
    frame["value"] = pd.to_numeric(frame["cell"]).astype("float64")
    frame["row"] = 0
    return _finish(frame)


def read_owid_grapher(path: Path, *, data_dir: Path | None = None, **_: object) -> pd.DataFrame:
    """Our World in Data grapher CSV: ``Entity, Code, Year, <value column>``.

    OWID regions have an empty ``Code`` or an ``OWID_*`` code and are flagged ``aggregate``, except
    ``OWID_KOS``, OWID's code for Kosovo, which is rewritten to the World Bank code ``XKX`` (CASE C15).
    """
    file = relative(path, data_dir)
    raw = _read_text_csv(path, data_dir)
    _require(raw, ["Entity", "Code", "Year"], file)
    if len(raw.columns) != 4:
        raise IngestError(f"expected 4 columns, found {list(raw.columns)}", file=file)
    out = read_table(path, data_dir=data_dir, code="Code", name="Entity", year="Year", values=[raw.columns[3]])
    out["country_code"] = out["country_code"].replace({"OWID_KOS": "XKX"})
    out["aggregate"] = (out["country_code"] == "") | out["country_code"].str.startswith("OWID_")
    return out


def read_ookla(path: Path, *, data_dir: Path | None = None, **_: object) -> pd.DataFrame:
    """Ookla Speedtest Global Index as mirrored by UNDP's compass: ``#, Year, Country, Mbps`` (names only)."""
    return read_table(path, data_dir=data_dir, name="Country", year="Year", values=["Mbps"])


def read_a4ai_pricing(path: Path, *, data_dir: Path | None = None, variables=None, year: int = 2020,
                      **_: object) -> pd.DataFrame:
    """A4AI/ITU mobile broadband pricing: ``ISO3, CountryName, Cost_<basket>_USD / _Share_GNICM ("5.46%")``."""
    return read_table(path, data_dir=data_dir, code="ISO3", name="CountryName", year_value=year,
                      values=variables, percent=True)


def read_name_table(path: Path, *, data_dir: Path | None = None, name: str = "Country", variables=None,
                    year: int | None = None, **_: object) -> pd.DataFrame:
    """A one-edition ranking table keyed by country name only (Portulans NRI, UNCTAD B2C index).

    Parameters
    ----------
    name : str
        Column with the country name (trailing blanks are stripped).
    variables : list of str
        Value columns to read.
    year : int
        The edition year of the whole file.
    """
    return read_table(path, data_dir=data_dir, name=name, year_value=year, values=variables)


def read_gsma_mci(path: Path, *, data_dir: Path | None = None, variables=None, **_: object) -> pd.DataFrame:
    """GSMA Mobile Connectivity Index data (``ISO Code, Country, Year`` then indicator score columns)."""
    return read_table(path, data_dir=data_dir, code="ISO Code", name="Country", year="Year", values=variables)


def read_uis_sdg(path: Path, *, data_dir: Path | None = None, variables=None, **_: object) -> pd.DataFrame:
    """UIS/ITU SDG export (``SDG_IND, LOCATION, Country, TIME, Value, Flag Codes``), e.g. SDG 4.4.1."""
    return read_table(path, data_dir=data_dir, code="LOCATION", name="Country", year="TIME",
                      variable="SDG_IND", value="Value", flags="Flag Codes", variables=variables)


def read_gii(path: Path, *, data_dir: Path | None = None, variables=None, year: int = 2021,
             **_: object) -> pd.DataFrame:
    """WIPO Global Innovation Index dataset (``ISO2`` holds ISO3 codes, ``IndCode``, ``Score``).

    The year stored is the GII edition (``year``); the data year of each value (``DataYear``) is kept
    in ``flags`` as ``data_year=YYYY``.
    """
    out = read_table(path, data_dir=data_dir, code="ISO2", name="Economy", year_value=year, variable="IndCode",
                     value="Score", flags="DataYear", variables=variables)
    out["flags"] = np.where(out["flags"] != "", "data_year=" + out["flags"], "")
    return out
