"""Data selection, denomination and coverage screening."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from compindex import CompindexError, denominate, latest_within_window, screen_coverage, to_wide


def long(rows):
    return pd.DataFrame(rows, columns=["unit", "indicator", "year", "value"])


def test_c08_latest_non_empty_value_within_window():
    # CASES.md C08: reference year 2024, window 5 -> years 2019..2024 inclusive.
    wide = pd.DataFrame({2016: [6.5, 8.1, None], 2019: [None, 7.9, None], 2021: [None, 8.0, None],
                         2023: [None, None, None], 2024: [None, None, 31.2]}, index=["CHN", "FRA", "EGY"])
    panel = (wide.rename_axis("unit").reset_index().melt(id_vars="unit", var_name="year", value_name="value")
             .assign(indicator="x"))
    out = latest_within_window(panel, reference_year=2024, window=5).set_index("unit")
    # CHN: only 2016, outside the window -> missing.
    assert np.isnan(out.loc["CHN", "value"]) and out.loc["CHN", "source_year"] is pd.NA
    # FRA: 2023 and 2024 empty, latest non-empty is 2021 (mrnev, not mrv).
    assert out.loc["FRA", "value"] == 8.0 and out.loc["FRA", "source_year"] == 2021
    assert out.loc["EGY", "value"] == 31.2 and out.loc["EGY", "source_year"] == 2024
    assert str(out["source_year"].dtype) == "Int64"
    # Window boundary is inclusive: with reference year 2023 and window 4, FRA's 2019 value still counts ...
    fra = panel[panel["unit"] == "FRA"]
    only_2019 = fra[fra["year"] != 2021]
    got = latest_within_window(only_2019, 2023, 4).iloc[0]
    assert (got["value"], got["source_year"]) == (7.9, 2019)
    # ... and with window 3 (2020..2023) nothing is eligible.
    assert np.isnan(latest_within_window(only_2019, 2023, 3).iloc[0]["value"])


def test_years_after_reference_year_ignored_and_per_indicator_window():
    panel = long([("A", "x", 2025, 9.0), ("A", "x", 2020, 1.0), ("A", "y", 2020, 2.0), ("A", "y", 2018, 3.0)])
    out = latest_within_window(panel, 2024, {"x": 5, "y": 2}).set_index("indicator")
    assert out.loc["x", "value"] == 1.0 and out.loc["x", "source_year"] == 2020  # 2025 is after 2024
    assert np.isnan(out.loc["y", "value"])  # y window 2 -> 2022..2024


def test_panel_errors_name_rows_and_columns():
    with pytest.raises(CompindexError, match=r"missing column\(s\) \['year'\]"):
        latest_within_window(pd.DataFrame({"unit": [], "indicator": [], "value": []}), 2024, 5)
    with pytest.raises(CompindexError, match=r"column 'value' is not numeric in row\(s\) \[1\], e.g. '12a'"):
        latest_within_window(long([("A", "x", 2020, 1.0), ("B", "x", 2020, "12a")]), 2024, 5)
    with pytest.raises(CompindexError, match=r"several rows for the same unit, indicator and year in rows \[0, 1\]"):
        latest_within_window(long([("A", "x", 2020, 1.0), ("A", "x", 2020, 2.0)]), 2024, 5)


def test_denominate_same_year_then_latest_within_window():
    # patents / (population / 1e6): A 2022: 20 / (10e6 / 1e6) = 2 per million, same-year population.
    # B patents 2023, population only 2021 -> latest population within [2019, 2024] = 4e6 -> 30 / 4 = 7.5.
    # C population 0 -> no value (never a division by zero), D population missing -> no value.
    panel = long([("A", "pat", 2022, 20.0), ("A", "pop", 2022, 10e6), ("A", "pop", 2023, 99e6),
                  ("B", "pat", 2023, 30.0), ("B", "pop", 2021, 4e6),
                  ("C", "pat", 2023, 5.0), ("C", "pop", 2023, 0.0),
                  ("D", "pat", 2023, 5.0)])
    sel = latest_within_window(panel[panel["indicator"] == "pat"], 2024, 5)
    values, years = to_wide(sel), to_wide(sel, "source_year")
    out, log = denominate(values, years, panel, {"pat": {"indicator": "pop", "scale": 1e6}}, 2024, 5)
    assert out["pat"].tolist()[:2] == [2.0, 7.5]
    assert out["pat"].isna().tolist() == [False, False, True, True]
    assert log[0]["units_without_denominator"] == ["C", "D"] and log[0]["denominated"] == 2


def test_coverage_screening_drops_and_flags():
    # x observed 4/4, y 3/4 = 0.75 >= 0.66 kept, z 2/4 = 0.5 dropped.
    # Over kept x, y: unit D has 1/2 = 0.5 < 0.66 -> flagged but kept.
    values = pd.DataFrame({"x": [1, 2, 3, 4], "y": [1, 2, 3, None], "z": [1, None, None, 4]},
                          index=list("ABCD"), dtype=float)
    cov = screen_coverage(values, indicator_min=0.66, unit_min=0.66)
    assert cov.kept == ["x", "y"]
    assert cov.indicators["n_units"].tolist() == [4, 3, 2]
    assert cov.indicators["share"].tolist() == [1.0, 0.75, 0.5]
    assert cov.indicators.loc["z", "reason"] == "coverage 50.0% < 66%"
    assert cov.units["flagged"].tolist() == [False, False, False, True]
    assert cov.units.loc["D", "share"] == 0.5
