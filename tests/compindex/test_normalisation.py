"""Normalisation honouring direction (Handbook 2008 Step 6; COINr n_minmax, n_zscore, n_goalposts)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from compindex import CompindexError, Framework, Normaliser, n_goalposts, n_minmax, n_zscore, run_index


def test_c03_negative_direction():
    # NEET %, lower is better: (max - x) / (max - min) * 100 with max 15.0, min 0.6, range 14.4:
    # SWE (15 - 6.2) / 14.4 = 61.11; THA 0; VNM 100.
    assert n_minmax([6.2, 15.0, 0.6], direction=-1).round(2).tolist() == [61.11, 0.0, 100.0]
    norm = Normaliser().fit(pd.DataFrame({"NEET": [6.2, 15.0, 0.6]}), {"NEET": -1})
    assert norm.params_["NEET"]["direction"] == -1  # the direction used is recorded for the report
    fw = Framework.from_dict({"reference_year": 2024, "areas": [
        {"code": "skills", "indicators": [{"code": "NEET", "direction": -1}]}]})
    panel = pd.DataFrame({"unit": ["SWE", "THA", "VNM"], "indicator": "NEET", "year": 2024,
                          "value": [6.2, 15.0, 0.6]})
    run = run_index(panel, fw)
    assert run.tables["normalised"]["NEET"].round(2).to_dict() == {"SWE": 61.11, "THA": 0.0, "VNM": 100.0}
    assert run.recipe["framework"]["areas"][0]["indicators"][0]["direction"] == -1


def test_c03_invalid_direction_rejected_by_normaliser():
    with pytest.raises(CompindexError, match=r"indicator NEET: direction must be \+1 or -1, got 0"):
        Normaliser().fit(pd.DataFrame({"NEET": [1.0, 2.0]}), {"NEET": 0})


def c02_frame():
    return pd.DataFrame({"ind_const": [50.0] * 4, "ind_ok": [1.0, 2.0, 3.0, 4.0]}, index=list("ABCD"))


@pytest.mark.parametrize("method", ["minmax", "zscore"])
def test_c02_zero_variance_error_names_indicator(method):
    with pytest.raises(CompindexError, match=r"indicator ind_const: zero (range|standard deviation)"):
        Normaliser(method, zero_variance="error").fit(c02_frame(), {"ind_const": 1, "ind_ok": 1})
    with pytest.raises(CompindexError, match="ind_const"):
        n_minmax([50, 50, 50, 50], name="ind_const") if method == "minmax" else n_zscore([50] * 4, name="ind_const")


def test_c02_zero_variance_drop_is_logged():
    norm = Normaliser("minmax", zero_variance="drop")
    out = norm.fit_transform(c02_frame(), {"ind_const": 1, "ind_ok": 1})
    assert list(out.columns) == ["ind_ok"] and norm.dropped_ == ["ind_const"]
    assert norm.log_[0]["action"] == "dropped" and norm.log_[0]["policy"] == "zero_variance: drop"
    assert out["ind_ok"].round(2).tolist() == [0.0, 33.33, 66.67, 100.0]


def test_zscore_uses_sample_sd():
    # mean 2.5, sample sd sqrt(5/3) = 1.290994; z(1) = -1.5 / 1.290994 = -1.161895.
    z = n_zscore([1, 2, 3, 4])
    assert z == pytest.approx([-1.161895, -0.387298, 0.387298, 1.161895], abs=1e-6)
    assert n_zscore([1, 2, 3, 4], direction=-1) == pytest.approx(-z)


def test_goalposts_clipped_and_direction():
    # goalposts [0, 50]: 25 -> 50, 75 -> clipped 100, -5 -> clipped 0; direction -1: 10 -> (50 - 10)/50 = 80.
    assert n_goalposts([25, 75, -5], (0, 50)).tolist() == [50.0, 100.0, 0.0]
    assert n_goalposts([10], (0, 50), direction=-1).tolist() == [80.0]


def test_transform_uses_fitted_scale_and_clips():
    norm = Normaliser("minmax", 1, 100).fit(pd.DataFrame({"x": [10.0, 20.0, 30.0]}), {"x": 1})
    # [1, 100]: 1 + (x - 10) / 20 * 99: 15 -> 25.75; 40 -> clipped 100; 0 -> clipped 1; NaN stays NaN.
    out = norm.transform(pd.DataFrame({"x": [15.0, 40.0, 0.0, np.nan]}))["x"]
    assert out.tolist()[:3] == [25.75, 100.0, 1.0] and np.isnan(out.iloc[3])
