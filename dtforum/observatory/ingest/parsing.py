"""Numeric parsing of publisher cells (CASES C11, C14).

Publishers mark missing data with ``..`` (World Bank DataBank), ``n/a`` (EIU), ``NA`` (R exports) or an
empty cell, write thousands separators (``"1,234.5"``) and sometimes percent signs (``"12.3%"``, A4AI).
Reading such a column with a plain ``float()`` or ``pd.to_numeric(errors="coerce")`` either fails on the
whole column or silently turns typos into NaN; pandas' own ``thousands=","`` accepts malformed cells such as
``"1 ,"`` (pandas-dev/pandas PR #65397). Here every cell must be a missing-data marker or a well-formed
number, otherwise :class:`IngestError` names the file, row and column.

Digits may be typed as Arabic-Indic (U+0660-U+0669) or Eastern Arabic-Indic (U+06F0-U+06F9, Persian/Urdu
keyboards) with the Arabic decimal separator U+066B and thousands separator U+066C (Unicode Standard 15, §9.2
"Arabic"); they are translated to ASCII before matching, so ``"٤٥٫٦"`` is 45.6 and ``"١٬٢٣٤"`` is 1234. Other
scripts' digits are rejected rather than silently accepted by Python's ``float``.

Member states' questionnaire returns are typed in the member's own convention (``"288,140982"`` in French);
:func:`parse_localized` reads them under a *declared* locale (:data:`NUMBER_FORMATS`) and refuses a comma or a
space-grouped number when no locale is declared, because ``"1,234"`` is 1234 in English and 1.234 in French.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
from pandas.api.types import is_bool_dtype, is_numeric_dtype

#: Cell texts meaning "no data" (compared after stripping blanks, case-insensitively).
MISSING_MARKERS = frozenset({"", "..", "n/a", "na", "nan", "null", "none"})

# Thousands groups must be exactly three digits ("1,234.5"), so "1 ," or "12,34" are rejected.
_NUMBER = r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][+-]?\d+)?"
# re.ASCII: \d must not match other scripts' digits, which float() would accept without our translation.
_NUMBER_RE = re.compile(_NUMBER, re.ASCII)
_NUMBER_PCT_RE = re.compile(_NUMBER + r"%?", re.ASCII)

ARABIC_DECIMAL = "\u066b"
ARABIC_THOUSANDS = "\u066c"
_DIGITS = {**{0x0660 + i: str(i) for i in range(10)}, **{0x06F0 + i: str(i) for i in range(10)}}
#: Arabic-Indic and Eastern Arabic-Indic digits to ASCII (``str.translate`` table).
ARABIC_DIGITS = str.maketrans(_DIGITS)
# For the default (English-convention) parser the Arabic separators map to "." and ",".
_ARABIC_TO_EN = str.maketrans({**_DIGITS, ord(ARABIC_DECIMAL): ".", ord(ARABIC_THOUSANDS): ",", 0x2212: "-"})


def ascii_digits(text: str) -> str:
    """Translate Arabic-Indic (U+0660-0669) and Eastern Arabic-Indic (U+06F0-06F9) digits to ASCII.

    Parameters
    ----------
    text : str

    Returns
    -------
    str
        ``text`` with those digits replaced by ``0``-``9``; every other character unchanged.

    Examples
    --------
    >>> ascii_digits("٢٠٢٤ and ۱۴۰۳")
    '2024 and 1403'
    """
    return text.translate(ARABIC_DIGITS)


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
        Column name.
    field : str, optional
        Field path in a JSON file (``metrics.readiness.JOR``), where a text file has no rows and columns.
    expected : str, optional
        What the cell or file should have held.
    value : object, optional
        The offending value, quoted in the message.

    Notes
    -----
    The message lists every known location element, e.g.
    ``wdi_api/API_X.csv, row 12, column '2021': expected a number or a missing-data marker, got '12a'``.
    """

    def __init__(self, message: str = "", *, file=None, sheet=None, row=None, column=None, field=None,
                 expected=None, value=None):
        self.file = str(file) if file is not None else None
        self.sheet = sheet
        self.row = row
        self.column = column
        self.field = field
        self.expected = expected
        self.value = value
        where = [self.file] if self.file else []
        if sheet is not None:
            where.append(f"sheet {sheet!r}")
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        if field is not None:
            where.append(f"field {field!r}")
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

    Notes
    -----
    English convention (``.`` decimal, ``,`` thousands); Arabic-Indic digits and the Arabic separators are
    accepted (``"٤٥٫٦"`` -> 45.6, ``"١٬٢٣٤"`` -> 1234). For other conventions use :func:`parse_localized`.
    """
    if cell is None or (isinstance(cell, float) and np.isnan(cell)):
        return float("nan")
    if isinstance(cell, (int, float, np.integer, np.floating)) and not isinstance(cell, bool):
        return float(cell)
    text = str(cell).strip().translate(_ARABIC_TO_EN)
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
    text = values.astype("string").str.strip().str.translate(_ARABIC_TO_EN)
    missing = text.isna() | text.str.lower().isin(MISSING_MARKERS)
    pattern = _NUMBER_PCT_RE if percent else _NUMBER_RE
    ok = (text.str.fullmatch(pattern.pattern, flags=re.ASCII).fillna(False)
          & text.str.contains(r"[0-9]").fillna(False))
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


class NumberFormat(NamedTuple):
    """How numbers are written in one locale.

    Attributes
    ----------
    decimal : str
        The decimal separator.
    groups : str
        Every character accepted as a thousands (group) separator, in groups of exactly three digits.
    """

    decimal: str
    groups: str


_SPACES = " \u00a0\u202f"   # space, no-break space, narrow no-break space (CLDR "fr" uses U+202F)

#: Declared locales of questionnaire returns (CLDR number symbols, latn numbering system; spreadsheets
#: typed on French keyboards also show a plain or no-break space as group separator). The Arabic separators
#: U+066B/U+066C and Arabic-Indic digits are accepted under every locale, and with no locale declared.
NUMBER_FORMATS: dict[str, NumberFormat] = {
    "en": NumberFormat(".", ","),
    "ar": NumberFormat(".", ","),
    "fr": NumberFormat(",", _SPACES),
    "tr": NumberFormat(",", "."),
    "id": NumberFormat(",", "."),
    "ms": NumberFormat(".", ","),
}


class ParsedCell(NamedTuple):
    """A parsed spreadsheet cell: ``value`` (float, ``nan`` if missing) and ``from_text`` (the number was typed
    as text, e.g. ``'45`` or ``"288,140982"``: Excel's "number stored as text")."""

    value: float
    from_text: bool


def _pattern(decimals: str, groups: str) -> re.Pattern:
    dec = "[" + re.escape(decimals) + "]"
    if groups:
        whole = r"(?:\d{1,3}(?:[" + re.escape(groups) + r"]\d{3})+|\d+)"
    else:
        whole = r"\d+"
    return re.compile(r"([+-]?)(" + whole + r")(?:" + dec + r"(\d+))?", re.ASCII)


_LOCALE_PATTERNS = {name: _pattern(f.decimal + ARABIC_DECIMAL, f.groups + ARABIC_THOUSANDS)
                    for name, f in NUMBER_FORMATS.items()}
_UNDECLARED_PATTERN = _pattern("." + ARABIC_DECIMAL, ARABIC_THOUSANDS)
_AMBIGUOUS = re.compile(r"[0-9][," + re.escape(_SPACES) + r"][0-9]")


def parse_localized(cell, locale: str | None = None, *, file=None, sheet=None, row=None, column=None) -> ParsedCell:
    """Parse one spreadsheet cell under a declared locale (CASE C14: numbers stored as text, decimal commas).

    Parameters
    ----------
    cell : str, int, float or None
        The cell as read by openpyxl: a number for numeric cells, a string for text cells.
    locale : str, optional
        Key of :data:`NUMBER_FORMATS` (``"fr"``: ``"288,140982"`` -> 288.140982, ``"1 234,5"`` -> 1234.5 with a
        space, U+00A0 or U+202F as group separator). ``None``: only ``.`` as decimal separator; a comma or a
        space between digits is refused as ambiguous.
    file, sheet, row, column
        Location used in the error message (see :class:`IngestError`).

    Returns
    -------
    ParsedCell
        ``value`` as float (``nan`` for blank cells and :data:`MISSING_MARKERS`) and ``from_text``, true when a
        text cell held the number (leading apostrophe, blanks around it, locale separators).

    Raises
    ------
    IngestError
        Unknown locale; a text that is no number in the locale; with no locale, a comma or space-grouped
        number (``"288,140982"`` is 288.140982 in French but would be 288140982 with ``,`` as thousands
        separator).

    Examples
    --------
    >>> parse_localized("1\u202f234,5", "fr")
    ParsedCell(value=1234.5, from_text=True)
    >>> parse_localized(45, "fr")
    ParsedCell(value=45.0, from_text=False)
    """
    if locale is not None and locale not in NUMBER_FORMATS:
        raise IngestError(file=file, sheet=sheet, expected=f"a locale among {sorted(NUMBER_FORMATS)}",
                          value=locale)
    if cell is None or (isinstance(cell, float) and np.isnan(cell)):
        return ParsedCell(float("nan"), False)
    if isinstance(cell, (int, float, np.integer, np.floating)) and not isinstance(cell, bool):
        return ParsedCell(float(cell), False)
    text = str(cell).strip()
    if text.startswith("'"):        # Excel's text prefix, when it was typed or pasted into the value itself
        text = text[1:].strip()
    if text.lower() in MISSING_MARKERS:
        return ParsedCell(float("nan"), False)
    text = text.translate(ARABIC_DIGITS).replace("\u2212", "-")
    match = (_LOCALE_PATTERNS[locale] if locale else _UNDECLARED_PATTERN).fullmatch(text)
    if match is None:
        if locale is None and _AMBIGUOUS.search(text):
            raise IngestError("the decimal and thousands separators are ambiguous without a declared locale "
                              "(e.g. 'fr' reads '288,140982' as 288.140982); declare the sheet's locale",
                              file=file, sheet=sheet, row=row, column=column, value=str(cell),
                              expected="a number with '.' as decimal separator")
        fmt = NUMBER_FORMATS.get(locale)
        rule = (f"decimal separator {fmt.decimal!r}, thousands separator among {list(fmt.groups)}" if fmt
                else "decimal separator '.'")
        raise IngestError(file=file, sheet=sheet, row=row, column=column, value=str(cell),
                          expected=f"a number ({rule}) or a missing-data marker ('..', 'n/a', empty)")
    sign, whole, fraction = match.groups()
    digits = re.sub(r"[^0-9]", "", whole)
    return ParsedCell(float(f"{sign}{digits}.{fraction or '0'}"), True)


def relative(path: Path, data_dir: Path | None) -> str:
    """Path of ``path`` relative to ``data_dir`` for messages (the full path if it is outside)."""
    if data_dir is not None:
        try:
            return str(Path(path).relative_to(data_dir))
        except ValueError:
            pass
    return str(path)
