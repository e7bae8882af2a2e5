"""Weighting, aggregation (Handbook 2008 Step 7; COINr a_amean/a_gmean/a_hmean) and competition ranks."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from compindex import CompindexError, Framework, Normaliser, aggregate, competition_rank, run_index

C01 = pd.DataFrame({"ind1": [10.0, 20.0, 30.0], "ind2": [5.0, 15.0, 10.0]}, index=["A", "B", "C"])


def c01_scores(low: float, allow_zero: bool = False) -> pd.Series:
    norm = Normaliser("minmax", low, 100).fit_transform(C01, {"ind1": 1, "ind2": 1})
    return aggregate(norm, {"ind1": 1, "ind2": 1}, "geometric", allow_zero=allow_zero)


def test_c01_geometric_mean_refuses_zero_naming_unit_and_indicators():
    with pytest.raises(CompindexError, match="zero/negative value before geometric aggregation") as err:
        c01_scores(0)
    message = str(err.value)
    assert "A/ind1=0" in message and "A/ind2=0" in message
    assert "B/" not in message and "C/" not in message


def test_c01_bounds_1_100():
    # Normalised A = (1, 1), B = (50.5, 100), C = (100, 50.5); gmean B = sqrt(50.5 * 100) = 71.063.
    norm = Normaliser("minmax", 1, 100).fit_transform(C01, {"ind1": 1, "ind2": 1})
    assert norm.loc["B"].tolist() == [50.5, 100.0] and norm.loc["C"].tolist() == [100.0, 50.5]
    assert c01_scores(1).round(3).tolist() == [1.0, 71.063, 71.063]


def test_c01_allow_zero_policy():
    # B = (50, 100): sqrt(5000) = 70.711; A has a zero -> 0.
    assert c01_scores(0, allow_zero=True).round(3).tolist() == [0.0, 70.711, 70.711]


def test_c01_through_run_index():
    panel = C01.rename_axis("unit").reset_index().melt("unit", var_name="indicator").assign(year=2024)
    spec = {"reference_year": 2024, "stages": {"aggregation": {"indicators": "geometric"}},
            "areas": [{"code": "p", "indicators": [{"code": "ind1", "direction": 1},
                                                   {"code": "ind2", "direction": 1}]}]}
    with pytest.raises(CompindexError, match=r"area p: zero/negative value .* A/ind1=0, A/ind2=0"):
        run_index(panel, Framework.from_dict(spec))
    spec["stages"]["normalisation"] = {"low": 1}
    assert run_index(panel, Framework.from_dict(spec)).tables["scores"]["p"].round(3).tolist() == \
        [1.0, 71.063, 71.063]
    spec["stages"] = {"aggregation": {"indicators": "geometric", "allow_zero": True}}
    assert run_index(panel, Framework.from_dict(spec)).tables["scores"]["index"].round(3).tolist() == \
        [0.0, 70.711, 70.711]


def test_arithmetic_and_harmonic_with_missing_values_renormalise_weights():
    x = pd.DataFrame({"a": [40.0, 10.0, np.nan], "b": [80.0, np.nan, np.nan]}, index=["U", "V", "W"])
    # U: (1*40 + 3*80) / 4 = 70; V: only a -> 10 (weight renormalised to 1); W: nothing -> no score.
    out = aggregate(x, {"a": 1, "b": 3}, "arithmetic")
    assert out.tolist()[:2] == [70.0, 10.0] and np.isnan(out["W"])
    # Harmonic U: 4 / (1/40 + 3/80) = 4 / 0.0625 = 64.
    assert aggregate(x, {"a": 1, "b": 3}, "harmonic")["U"] == pytest.approx(64.0)
    # Geometric U: exp((ln 40 + 3 ln 80) / 4) = 40^0.25 * 80^0.75 = 67.27.
    assert aggregate(x, {"a": 1, "b": 3}, "geometric")["U"] == pytest.approx(40 ** 0.25 * 80 ** 0.75)


def test_negative_values_refused_even_with_allow_zero():
    x = pd.DataFrame({"a": [-1.0, 2.0]}, index=["U", "V"])
    with pytest.raises(CompindexError, match=r"U/a=-1"):
        aggregate(x, {"a": 1}, "harmonic", allow_zero=True)
    with pytest.raises(CompindexError, match="positive weight"):
        aggregate(x, {"a": 0}, "arithmetic")


def test_c09_competition_ranks_ties_and_missing():
    scores = pd.Series([70.0, 85.5, 85.50000000001, 60.0, np.nan], index=list("ABCDE"))
    ranks = competition_rank(scores, decimals=2)
    assert str(ranks.dtype) == "Int64"
    assert ranks[["B", "C", "A", "D"]].tolist() == [1, 1, 3, 4]
    assert ranks["E"] is pd.NA
    # Without rounding the 1e-11 difference splits the tie: the published-precision rule matters.
    assert competition_rank(scores, decimals=None)[["B", "C"]].tolist() == [2, 1]
    table = competition_rank(pd.DataFrame({"index": scores, "p": scores[::-1].to_numpy()}), decimals=2)
    assert table["p"].tolist() == [pd.NA, 4, 1, 1, 3]
