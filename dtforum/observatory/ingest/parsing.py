"""Numeric parsing of publisher cells (CASE C11).

Publishers mark missing data with ``..`` (World Bank DataBank), ``n/a`` (EIU), ``NA`` (R exports) or an
empty cell, write thousands separators (``"1,234.5"``) and sometimes percent signs (``"12.3%"``, A4AI).
Reading such a column with a plain ``float()`` or ``pd.to_numeric(errors="coerce")`` either fails on the
whole column or silently turns typos into NaN; pandas' own ``thousands=","`` accepts malformed cells such as
``"1 ,"`` (pandas-dev/pandas PR #65397). Here every cell must be a missing-data marker or a well-formed
number, otherwise :class:`IngestError` names the file, row and column.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api.types import is_bool_dtype, is_numeric_dtype

#: Cell texts meaning "no data" (compared after stripping blanks, case-insensitively).
MISSING_MARKERS = frozenset({"", "..", "n/a", "na", "nan", "null", "none"})

# Thousands groups must be exactly three digits ("1,234.5"), so "1 ," or "12,34" are rejected.
_NUMBER = r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][+-]?\d+)?"
_NUMBER_RE = re.compile(_NUMBER)
_NUMBER_PCT_RE = re.compile(_NUMBER + r"%?")


class IngestError(ValueError):
    """A snapshot file cannot be ingested as it is.

    Parameters
    ----------
    message : str
        What is wrong, in plain words.
    file : str or Path, optional
        The file concerned (path relative to the data folder where known).
    sheet : str, optional
        Worksheet name for spreadsheets.
    row : int, optional
        1-based row number in the file as a spreadsheet or text editor shows it (header line included).
    column : str, optional
        Column (or field) name.
    expected : str, optional
        What the cell or file should have held.
    value : object, optional
        The offending value, quoted in the message.

    Notes
    -----
    The message lists every known location element, e.g.
    ``wdi_api/API_X.csv, row 12, column '2021': expected a number or a missing-data marker, got '12a'``.
    """

    def __init__(self, message: str = "", *, file=None, sheet=None, row=None, column=None, expected=None,
                 value=None):
        self.file = str(file) if file is not None else None
        self.sheet = sheet
        self.row = row
        self.column = column
        self.expected = expected
        self.value = value
        where = [self.file] if self.file else []
        if sheet is not None:
            where.append(f"sheet {sheet!r}")
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        text = ""
        if expected:
            text = f"expected {expected}"
            if value is not None:
                text += f", got {value!r}"
        if message:
            text = f"{text}; {message}" if text else message
        super().__init__(f"{', '.join(where)}: {text}" if where else text)


def parse_number(cell, *, file=None, row=None, column=None, sheet=None, percent: bool = False) -> float:
    """Parse one publisher cell into a float.

    Parameters
    ----------
    cell : str, int, float or None
        The cell as read (text or already numeric).
    file, row, column, sheet
        Location used in the error message (see :class:`IngestError`).
    percent : bool
        Accept a trailing ``%`` (the number is kept as is: ``"12.3%"`` -> 12.3 percent).

    Returns
    -------
    float
        The value; ``nan`` for a missing-data marker (:data:`MISSING_MARKERS`).

    Raises
    ------
    IngestError
        If the cell is neither a marker nor a well-formed number (e.g. ``"1 ,"``, ``"12a"``).
    """
    if cell is None or (isinstance(cell, float) and np.isnan(cell)):
        return float("nan")
    if isinstance(cell, (int, float, np.integer, np.floating)) and not isinstance(cell, bool):
        return float(cell)
    text = str(cell).strip()
    if text.lower() in MISSING_MARKERS:
        return float("nan")
    if not (_NUMBER_PCT_RE if percent else _NUMBER_RE).fullmatch(text) or not any(c.isdigit() for c in text):
        raise IngestError(file=file, sheet=sheet, row=row, column=column, value=str(cell),
                          expected="a number" + (" (optionally with %)" if percent else "")
                          + " or a missing-data marker ('..', 'n/a', empty)")
    return float(text.replace(",", "").rstrip("%"))


def parse_column(values: pd.Series, *, file=None, column=None, rows=None, sheet=None,
                 percent: bool = False) -> pd.Series:
    """Parse a whole column of publisher cells into float64 (vectorised :func:`parse_number`).

    Parameters
    ----------
    values : pandas.Series
        Cells as read, shape (n,); object/string or already numeric.
    file, column, sheet
        Location used in the error message.
    rows : array-like of int, shape (n,), optional
        File row number of each cell (default: the Series index).
    percent : bool
        Accept a trailing ``%``.

    Returns
    -------
    pandas.Series
        float64, same index as ``values``; markers become NaN.

    Raises
    ------
    IngestError
        Naming the first malformed cell (file, row, column, value) and how many others are malformed.

    Examples
    --------
    >>> parse_column(pd.Series(["61.2", "..", "1,234.5", "n/a"])).tolist()
    [61.2, nan, 1234.5, nan]
    """
    if is_numeric_dtype(values) and not is_bool_dtype(values):
        return values.astype("float64")
    text = values.astype("string").str.strip()
    missing = text.isna() | text.str.lower().isin(MISSING_MARKERS)
    pattern = _NUMBER_PCT_RE if percent else _NUMBER_RE
    ok = text.str.fullmatch(pattern.pattern).fillna(False) & text.str.contains(r"\d").fillna(False)
    bad = ~missing & ~ok
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        row = (list(rows) if rows is not None else list(values.index))[pos]
        more = int(bad.sum()) - 1
        raise IngestError(
            f"{more} more malformed cell(s) in this column" if more else "",
            file=file, sheet=sheet, row=int(row), column=column, value=str(values.iloc[pos]),
            expected="a number" + (" (optionally with %)" if percent else "")
            + " or a missing-data marker ('..', 'n/a', empty)",
        )
    cleaned = text.mask(missing).str.replace(",", "", regex=False).str.rstrip("%")
    return pd.to_numeric(cleaned).astype("float64")


def relative(path: Path, data_dir: Path | None) -> str:
    """Path of ``path`` relative to ``data_dir`` for messages (the full path if it is outside)."""
    if data_dir is not None:
        try:
            return str(Path(path).relative_to(data_dir))
        except ValueError:
            pass
    return str(path)
