"""Numeric parsing of publisher cells (CASE C11)."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from dtforum.observatory.ingest.parsing import IngestError, parse_column, parse_number


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
