"""run_index end to end on a hand-computable 4 units x 2 areas x 2 indicators example, and run.transform."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from compindex import CompindexError, Framework, run_index

SPEC = {
    "edition": "test", "reference_year": 2024, "window": 5,
    "coverage": {"indicator_min": 0.66, "unit_min": 0.66},
    "areas": [
        {"code": "p1", "weight": 1, "indicators": [{"code": "i1", "direction": 1},
                                                   {"code": "i2", "direction": -1}]},
        {"code": "p2", "weight": 1, "indicators": [
            {"code": "i3", "direction": 1, "denominator": {"indicator": "pop", "scale": 1_000_000}},
            {"code": "i4", "direction": 1, "weight": 3}]},
    ],
}


def rows(spec: dict[str, dict[str, float | tuple]], year: int = 2023) -> pd.DataFrame:
    out = []
    for unit, values in spec.items():
        for indicator, value in values.items():
            for y, v in (value if isinstance(value, list) else [(year, value)]):
                out.append((unit, indicator, y, v))
    return pd.DataFrame(out, columns=["unit", "indicator", "year", "value"])


PANEL = rows({
    # A's 2015 value (99) is outside [2019, 2024]; B's 2024 row is empty, so its 2021 value is used.
    "A": {"i1": [(2015, 99.0), (2022, 0.0)], "i2": 1.0, "i3": 20.0, "pop": 10e6, "i4": 100.0},
    "B": {"i1": [(2021, 10.0), (2024, np.nan)], "i2": 3.0, "i3": 80.0, "pop": 20e6, "i4": 200.0},
    "C": {"i1": 20.0, "i2": 5.0, "i3": 60.0, "pop": 10e6},
    # D's population exists only for 2022: the latest within the window is used for its 2023 patents.
    "D": {"i1": 40.0, "i2": 5.0, "i3": 50.0, "pop": [(2022, 5e6)], "i4": 300.0},
})

# Hand computation (min-max to [0, 100], equal area weights):
# i1 = [0, 10, 20, 40]            -> [0, 25, 50, 100]
# i2 = [1, 3, 5, 5], lower better  -> (5 - x) / 4 -> [100, 50, 0, 0]
# i3 = [20/10, 80/20, 60/10, 50/5] = [2, 4, 6, 10] -> (x - 2) / 8 -> [0, 25, 50, 100]
# i4 = [100, 200, NaN, 300] (coverage 3/4 = 0.75 kept, no imputation) -> [0, 50, NaN, 100]
# p1 = mean(i1, i2)                -> [50, 37.5, 25, 50]
# p2 = (i3 + 3 i4) / 4, C only i3  -> [0, 43.75, 50, 100]
# index = (p1 + p2) / 2            -> [25, 40.625, 37.5, 75]; ranks D 1, B 2, C 3, A 4.
EXPECTED_SCORES = {"p1": [50.0, 37.5, 25.0, 50.0], "p2": [0.0, 43.75, 50.0, 100.0],
                   "index": [25.0, 40.625, 37.5, 75.0]}


def test_run_index_end_to_end():
    run = run_index(PANEL, Framework.from_dict(SPEC))
    t = run.tables
    assert t["raw"].loc[:, "i3"].tolist() == [2.0, 4.0, 6.0, 10.0]
    assert t["raw"].loc["A", "i1"] == 0.0 and t["source_year"].loc["A", "i1"] == 2022
    assert t["source_year"].loc["B", "i1"] == 2021 and str(t["source_year"]["i1"].dtype) == "Int64"
    assert t["normalised"]["i2"].tolist() == [100.0, 50.0, 0.0, 0.0]
    assert t["normalised"]["i4"].isna().tolist() == [False, False, True, False]
    assert list(t["scores"].columns) == ["p1", "p2", "index"] and list(t["scores"].index) == list("ABCD")
    for col, expected in EXPECTED_SCORES.items():
        assert t["scores"][col].tolist() == pytest.approx(expected)
    assert t["ranks"]["index"].tolist() == [4, 2, 3, 1]
    assert not t["imputed"].to_numpy().any() and not t["treated_flag"].to_numpy().any()
    assert run.coverage.loc["i4", ["n_units", "kept"]].tolist() == [3, True]
    assert run.coverage.loc["i4", "share"] == 0.75
    assert t["unit_coverage"].loc["C", "flagged"] == np.False_  # C: 3 of 4 indicators = 0.75 >= 0.66
    stages = {entry["stage"] for entry in run.log}
    assert stages == {"selection", "denomination", "coverage", "imputation", "treatment", "aggregation"}
    recipe = json.loads(json.dumps(run.recipe))
    assert recipe["indicators_kept"] == ["i1", "i2", "i3", "i4"]
    assert recipe["normalisation"]["parameters"]["i2"] == {"direction": -1, "min": -5.0, "max": -1.0}
    assert recipe["weights"]["indicators"]["p2"] == {"i3": 1.0, "i4": 3.0}


def test_run_index_group_mean_imputation_and_flags():
    spec = dict(SPEC, stages={"imputation": {"method": "group_mean", "group": "income_group"}})
    groups = pd.DataFrame({"income_group": ["G1", "G2", "G1", "G2"]}, index=list("ABCD"))
    run = run_index(PANEL, Framework.from_dict(spec), groups=groups)
    # C's i4 = mean of observed G1 = A's 100 -> normalised 0; p2 C = (50 + 3 * 0) / 4 = 12.5;
    # index C = (25 + 12.5) / 2 = 18.75. Observed cells are the raw ones.
    assert run.tables["after_imputation"].loc["C", "i4"] == 100.0
    assert run.tables["imputed"]["i4"].tolist() == [False, False, True, False]
    assert run.tables["scores"].loc["C", "index"] == pytest.approx(18.75)
    with pytest.raises(CompindexError, match="grouping column 'income_group' not found"):
        run_index(PANEL, Framework.from_dict(spec))


def test_run_transform_scores_other_units_on_fitted_scale():
    run = run_index(PANEL, Framework.from_dict(SPEC))
    other = rows({
        "X": {"i1": 50.0, "i2": 3.0, "i3": 30.0, "pop": 10e6, "i4": 150.0},
        "Y": {"i1": 20.0, "i3": 10.0, "pop": 1e6, "i4": 50.0},
    })
    out = run.transform(other)
    assert set(out) >= {"raw", "normalised", "scores"}
    # X: i1 50 > fitted max 40 -> clipped 100; i2 3 -> 50; i3 30/10 = 3 -> (3-2)/8 = 12.5; i4 150 -> 25.
    #    p1 = 75, p2 = (12.5 + 75) / 4 = 21.875, index = 48.4375.
    # Y: i1 20 -> 50; i2 missing (no imputation for other units) -> p1 = 50;
    #    i3 10/1 = 10 -> 100; i4 50 < fitted min 100 -> clipped 0; p2 = 25; index = 37.5.
    assert out["normalised"].loc["X"].tolist() == [100.0, 50.0, 12.5, 25.0]
    assert np.isnan(out["normalised"].loc["Y", "i2"])
    assert out["scores"].loc["X"].tolist() == pytest.approx([75.0, 21.875, 48.4375])
    assert out["scores"].loc["Y"].tolist() == pytest.approx([50.0, 25.0, 37.5])
    # The fitted run is unchanged by transform.
    assert run.tables["scores"]["index"].tolist() == pytest.approx(EXPECTED_SCORES["index"])


C02_PANEL = pd.DataFrame({"unit": list("ABCD") * 2, "indicator": ["ind_const"] * 4 + ["ind_ok"] * 4,
                          "year": 2024, "value": [50.0] * 4 + [1.0, 2.0, 3.0, 4.0]})


def c02_spec(method: str, policy: str) -> Framework:
    return Framework.from_dict({"reference_year": 2024, "stages": {"zero_variance": policy,
                                                                  "normalisation": {"method": method}},
                                "areas": [{"code": "p", "indicators": [{"code": "ind_const", "direction": 1},
                                                                       {"code": "ind_ok", "direction": 1}]}]})


@pytest.mark.parametrize("method", ["minmax", "zscore"])
def test_c02_zero_variance_policies(method):
    with pytest.raises(CompindexError, match=r"indicator ind_const: zero"):
        run_index(C02_PANEL, c02_spec(method, "error"))
    run = run_index(C02_PANEL, c02_spec(method, "drop"))
    composite = run.tables["scores"]["index"]
    assert not composite.isna().any()
    # minmax: composite = normalised ind_ok = [0, 33.33, 66.67, 100];
    # zscore: (x - 2.5) / sqrt(5/3) = [-1.1619, -0.3873, 0.3873, 1.1619].
    expected = [0.0, 33.33, 66.67, 100.0] if method == "minmax" else [-1.1619, -0.3873, 0.3873, 1.1619]
    assert composite.round(2 if method == "minmax" else 4).tolist() == expected
    dropped = [e for e in run.log if e["stage"] == "normalisation"]
    assert dropped == [{"stage": "normalisation", "indicator": "ind_const", "action": "dropped",
                        "reason": "zero range (max == min)" if method == "minmax" else "zero standard deviation",
                        "policy": "zero_variance: drop"}]
    assert run.recipe["indicators_dropped"] == {"ind_const": "zero variance"}


def test_area_left_without_indicator_is_an_error():
    spec = dict(SPEC, coverage={"indicator_min": 0.9, "unit_min": 0.5})
    panel = PANEL[~((PANEL["indicator"] == "i3") & (PANEL["unit"] == "A"))]
    # i3 now 3/4 and i4 3/4 < 0.9: area p2 loses both indicators.
    with pytest.raises(CompindexError, match=r"area p2: no indicator left \(\{'i3': 'coverage 75.0% < 90%'"):
        run_index(panel, Framework.from_dict(spec))


def test_unit_without_values_in_area_has_no_area_score_and_no_rank():
    panel = pd.concat([PANEL, rows({"E": {"i1": 5.0, "i2": 2.0}})])
    spec = dict(SPEC, coverage={"indicator_min": 0.5, "unit_min": 0.66})
    run = run_index(panel, Framework.from_dict(spec))
    scores, ranks = run.tables["scores"], run.tables["ranks"]
    assert np.isnan(scores.loc["E", "p2"]) and ranks.loc["E", "p2"] is pd.NA
    # E's index uses the areas it has (weights renormalised): p1 only.
    assert scores.loc["E", "index"] == scores.loc["E", "p1"]
    assert run.tables["unit_coverage"].loc["E", "flagged"]
