"""Outlier treatment (COINr Treat: skew/kurtosis rule, winsorisation loop, log_CT)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from compindex import Treater, check_skew_kurt, kurtosis, log_ct, skewness, winsorise

C05 = [-20, 0, 1, 1, 2, 2, 3, 3, 4, 30]


def test_sample_adjusted_estimators_match_excel():
    # x = [1, 2, 3, 4, 10]: mean 4, deviations -3,-2,-1,0,6; s^2 = 50/4 = 12.5, s = 3.5355.
    # Excel SKEW = n/((n-1)(n-2)) * sum(d^3)/s^3 = 5/12 * (-27-8-1+0+216)/44.194 = 5/12 * 4.0729 = 1.69706.
    assert skewness([1, 2, 3, 4, 10]) == pytest.approx(1.6970563, abs=1e-7)
    # Cross-check both estimators with scipy's bias-corrected ones (an independent implementation).
    y = [1, 2, 3, 4, 10, 20]
    assert skewness(y) == pytest.approx(stats.skew(y, bias=False))
    assert kurtosis(y) == pytest.approx(stats.kurtosis(y, bias=False))
    # CASES.md C05 values: skew 0.740, kurt 4.608 -> passes the AND rule.
    passes, s, k = check_skew_kurt(C05)
    assert passes and round(s, 3) == 0.740 and round(k, 3) == 4.608
    assert check_skew_kurt([1, 2])[0]  # too few points to estimate: never flagged


def test_c05_forced_winsorisation_override_applied():
    x = pd.DataFrame({"forced": C05, "same_no_override": C05, "other": range(10)}, index=list("ABCDEFGHIJ"),
                     dtype=float)
    treater = Treater(overrides={"forced": {"force": True, "max_points": 1}}).fit(x)
    treated, flag = treater.transform(x)
    # Positive skew -> high side: 30 -> next value 4.
    assert treated["forced"].tolist() == [-20, 0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert flag["forced"].tolist() == [False] * 9 + [True]
    assert treated[["same_no_override", "other"]].equals(x[["same_no_override", "other"]])
    assert not flag[["same_no_override", "other"]].to_numpy().any()
    points = {e["indicator"]: e["n_points"] for e in treater.log_}
    assert points == {"forced": 1, "same_no_override": 0, "other": 0}
    assert treater.params_["forced"]["method"] == "winsorise"


def test_winsorise_loop_one_point_at_a_time():
    # COINr's own example: 1..10, 30, 100 fails (skew 3.06, kurt 9.74); 100 -> 30 (next value) and the rule
    # passes (skew 1.71), so exactly one point is treated.
    x = list(range(1, 11)) + [30, 100]
    assert not check_skew_kurt(x)[0]
    treated, n, changed = winsorise(x)
    assert treated.tolist() == list(range(1, 11)) + [30, 30]
    assert n == 1 and changed.tolist() == [False] * 11 + [True]


def test_winsorise_ties_replaced_together_and_counted():
    # Two 100s tie at the extreme: both become 12 in one step and count as 2 points.
    x = [1] * 20 + [10, 10, 12, 100, 100]
    treated, n, changed = winsorise(x)
    assert sorted(treated)[-3:] == [12, 12, 12] and n == 2
    assert changed.sum() == 2


def test_negative_skew_winsorises_low_side():
    x = [-v for v in list(range(1, 11)) + [30, 100]]
    treated, n, _ = winsorise(x)
    assert treated.min() == -30 and n == 1


def test_log_ct_when_winsorisation_fails():
    # 200 -> 100 (1 point), the two 100s -> 50 (3), the three 50s -> 20 (6 >= 5): still fails -> undo and
    # apply log_CT to the ORIGINAL values: log(x - 1 + 0.01 * (200 - 1)).
    x = pd.DataFrame({"x": [1] * 30 + [2, 3, 5, 10, 20, 50, 100, 200]}, dtype=float)
    treater = Treater().fit(x)
    p = treater.params_["x"]
    assert p["method"] == "log" and (p["minimum"], p["maximum"], p["sign"]) == (1.0, 200.0, 1)
    treated, flag = treater.transform(x)
    expected = np.log(x["x"].to_numpy() - 1 + 1.99)
    assert treated["x"].to_numpy() == pytest.approx(expected)
    assert flag["x"].all()


def test_skip_override_and_transform_clips_to_fitted_bounds():
    x = pd.DataFrame({"a": list(range(1, 11)) + [30, 100], "b": list(range(1, 11)) + [30, 100]}, dtype=float)
    treater = Treater(overrides={"b": {"skip": True}}).fit(x)
    assert treater.params_["b"]["method"] == "skip"
    assert treater.params_["a"]["high"] == 30.0 and treater.params_["a"]["low"] is None
    other = pd.DataFrame({"a": [500.0, -5.0, np.nan], "b": [500.0, -5.0, 1.0]})
    treated, flag = treater.transform(other)
    # Winsorisation applied to other units is clipping at the fitted upper bound only.
    assert treated["a"].tolist()[:2] == [30.0, -5.0] and np.isnan(treated["a"].iloc[2])
    assert flag["a"].tolist() == [True, False, False]
    assert treated["b"].tolist() == [500.0, -5.0, 1.0]


def test_log_ct_mirror_for_negative_skew_keeps_order():
    x = np.array([-200.0, -100.0, -1.0, -1.0, -1.0])
    y = log_ct(x, sign=-1)
    # -log(max - x + 0.01 * range) with max = -1, range = 199.
    assert y == pytest.approx(-np.log(-1 - x + 1.99))
    assert (np.diff(y) >= 0).all()
