"""Imputation (Handbook 2008 Step 4): flagged, never altering observed values."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from compindex import CompindexError, check_observed_unchanged, impute


def c07():
    x = pd.DataFrame({"x": [10, None, 30, 50, None]}, index=list("ABCDE"), dtype=float)
    groups = pd.Series(["G1", "G1", "G2", "G2", None], index=list("ABCDE"))
    return x, groups


def test_c07_group_mean_never_alters_observed_values():
    x, groups = c07()
    # Shuffle the group labels' order: alignment must be by unit label, not by position.
    groups = groups.iloc[[4, 2, 0, 3, 1]]
    out, mask, log = impute(x, "group_mean", groups=groups, fallback="none")
    # B = mean of observed G1 = mean(10) = 10; A, C, D unchanged; E has no group -> stays NA and is reported.
    assert out.loc["B", "x"] == 10.0
    assert out.loc[["A", "C", "D"], "x"].tolist() == [10.0, 30.0, 50.0]
    assert np.isnan(out.loc["E", "x"])
    assert mask["x"].tolist() == [False, True, False, False, False]
    assert log[0]["imputed"] == 1 and log[0]["left_missing"] == ["E"]


def test_c07_observed_cell_change_fails_loudly():
    x, _ = c07()
    tampered = x.copy()
    tampered.loc["C", "x"] = 31.0
    with pytest.raises(CompindexError, match=r"imputation altered observed value\(s\): \['C/x'\]"):
        check_observed_unchanged(x, tampered)
    check_observed_unchanged(x, x.fillna(0.0))  # filling missing cells is allowed


def test_group_fallback_and_group_median():
    # G1 observed {10, 20, 60}: mean 30, median 20. G2 has no observed value -> fallback over all observed
    # {10, 20, 60, 5}: median 15, mean 23.75. F has no group -> same fallback.
    x = pd.DataFrame({"x": [10, 20, 60, None, None, 5, None]}, index=list("ABCDEFG"), dtype=float)
    groups = pd.Series(["G1", "G1", "G1", "G1", "G2", None, None], index=list("ABCDEFG"))
    out, _, log = impute(x, "group_median", groups=groups, fallback="median")
    assert out["x"].tolist() == [10, 20, 60, 20, 15, 5, 15]
    assert log[0]["imputed_by_group"] == 1 and log[0]["imputed_by_fallback"] == 2
    out, _, _ = impute(x, "group_mean", groups=groups, fallback="mean")
    assert out["x"].tolist() == [10, 20, 60, 30, 23.75, 5, 23.75]


def test_mean_median_none():
    x = pd.DataFrame({"a": [1, 2, 9, None], "b": [4, None, None, 4]}, index=list("ABCD"), dtype=float)
    out, mask, _ = impute(x, "mean")
    assert out.loc["D", "a"] == 4.0 and out.loc["B", "b"] == 4.0  # (1+2+9)/3 = 4
    assert int(mask.to_numpy().sum()) == 3
    out, _, _ = impute(x, "median")
    assert out.loc["D", "a"] == 2.0
    out, mask, log = impute(x, "none")
    assert out.equals(x) and not mask.to_numpy().any()
    assert log[1]["left_missing"] == ["B", "C"]


def test_bad_method_and_missing_groups():
    x, _ = c07()
    with pytest.raises(CompindexError, match="unknown method 'mice'"):
        impute(x, "mice")
    with pytest.raises(CompindexError, match="needs a group label per unit"):
        impute(x, "group_mean")
