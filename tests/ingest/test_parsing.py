"""Numeric parsing of publisher cells (CASE C11)."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from dtforum.observatory.ingest.parsing import IngestError, parse_column, parse_localized, parse_number


def test_c11_markers_and_thousands_separators_parse_to_float64():
    # CASES.md C11 input: value column ["61.2", "..", "1,234.5", "n/a"] -> [61.2, NaN, 1234.5, NaN].
    cells = pd.Series(["61.2", "..", "1,234.5", "n/a"])
    out = parse_column(cells, file="c11.csv", column="value", rows=[2, 3, 4, 5])
    assert out.dtype == "float64"
    assert out.iloc[0] == 61.2 and out.iloc[2] == 1234.5
    assert math.isnan(out.iloc[1]) and math.isnan(out.iloc[3])


@pytest.mark.parametrize("bad", ["1 ,", "12a", "1,23", "."])
def test_c11_malformed_cell_is_rejected_with_file_row_column(bad):
    cells = pd.Series(["61.2", bad, "3"])
    with pytest.raises(IngestError) as info:
        parse_column(cells, file="c11.csv", column="value", rows=[2, 3, 4])
    err = info.value
    assert (err.file, err.row, err.column, err.value) == ("c11.csv", 3, "value", bad)
    assert "c11.csv, row 3, column 'value'" in str(err) and repr(bad) in str(err)


def test_c11_empty_cell_is_missing_and_blanks_are_stripped():
    out = parse_column(pd.Series(["", " 7 ", None]))
    assert math.isnan(out.iloc[0]) and out.iloc[1] == 7.0 and math.isnan(out.iloc[2])


def test_percent_cells_only_where_allowed():
    # A4AI writes shares as "5.46%": kept as 5.46 (percent), rejected where percent is not expected.
    assert parse_number("5.46%", percent=True) == 5.46
    assert parse_column(pd.Series(["12.3%", "1,000%"]), percent=True).tolist() == [12.3, 1000.0]
    with pytest.raises(IngestError, match="got '5.46%'"):
        parse_number("5.46%", file="a.csv", row=2, column="x")


def test_error_counts_further_malformed_cells_and_names_sheet():
    with pytest.raises(IngestError) as info:
        parse_column(pd.Series(["x", "1", "y"]), file="f.xlsx", sheet="Data", column="Year", rows=[2, 3, 4])
    assert str(info.value).startswith("f.xlsx, sheet 'Data', row 2, column 'Year': expected a number")
    assert "1 more malformed cell(s)" in str(info.value)


# --- Arabic-Indic digits (everywhere numbers are read) and declared locales (CASE C14)

@pytest.mark.parametrize("cell, expected", [
    ("٤٥٫٦", 45.6),        # Arabic-Indic 4 5, Arabic decimal separator U+066B, 6
    ("١٬٢٣٤", 1234.0),     # 1 U+066C 2 3 4: Arabic thousands separator
    ("۱۲۳۴٫۵", 1234.5),    # Eastern Arabic-Indic (Persian/Urdu) digits
    ("-٣", -3.0),
])
def test_arabic_indic_digits_and_separators(cell, expected):
    assert parse_number(cell) == expected
    assert parse_column(pd.Series([cell, ".."])).tolist()[0] == expected
    assert parse_localized(cell, "ar").value == expected
    # French declares "," as decimal, but the Arabic separators are unambiguous under every locale.
    assert parse_localized(cell, "fr").value == expected
    assert parse_localized(cell, None).value == expected


def test_other_scripts_digits_are_rejected_not_read_by_float():
    # float("१२") is 12.0 in Python (any Nd digit); a Devanagari number in a WDI file is a fault to report.
    with pytest.raises(IngestError, match="got '१२'"):
        parse_number("१२", file="x.csv", row=3, column="v")


@pytest.mark.parametrize("group", [" ", "\u00a0", "\u202f"])
def test_c14_french_locale_text_numbers(group):
    assert parse_localized(45, "fr") == (45.0, False)              # a real numeric cell
    assert parse_localized("45", "fr") == (45.0, True)             # number stored as text
    assert parse_localized(" 45 ", "fr") == (45.0, True)
    assert parse_localized("'45", "fr") == (45.0, True)            # apostrophe typed into the value
    assert parse_localized("288,140982", "fr") == (288.140982, True)
    assert parse_localized(f"1{group}234,5", "fr") == (1234.5, True)
    assert parse_localized(f"12{group}345{group}678", "fr").value == 12345678.0
    assert math.isnan(parse_localized("..", "fr").value)


def test_c14_without_declared_locale_a_decimal_comma_is_ambiguous():
    with pytest.raises(IngestError) as err:
        parse_localized("288,140982", None, file="ret.xlsx", sheet="Data", row=7, column="C")
    message = str(err.value)
    assert message.startswith("ret.xlsx, sheet 'Data', row 7, column 'C':")
    assert "ambiguous" in message and "288,140982" in message
    with pytest.raises(IngestError, match="ambiguous"):
        parse_localized("1\u202f234,5", None)
    assert parse_localized("45.5", None) == (45.5, True)


@pytest.mark.parametrize("locale, cell", [("fr", "1.234,5"), ("fr", "12,34,5"), ("fr", "1 23,5"),
                                          ("tr", "1 234,5"), ("en", "1,23")])
def test_declared_locale_rejects_numbers_of_another_convention(locale, cell):
    with pytest.raises(IngestError, match="row 4, column 'D'"):
        parse_localized(cell, locale, row=4, column="D")


def test_unknown_locale_is_refused():
    with pytest.raises(IngestError, match="expected a locale among"):
        parse_localized("1", "xx", sheet="Data")
