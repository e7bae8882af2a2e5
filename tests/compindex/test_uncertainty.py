"""Uncertainty (Monte Carlo, vectorised vs per-replication run_index) and Sobol sensitivity analysis."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from compindex import CompindexError, Framework
from compindex.uncertainty import run_uncertainty, run_uncertainty_naive, sobol_indices

FW3 = Framework.from_dict({"reference_year": 2024, "stages": {"normalisation": {"low": 1, "high": 100}},
                           "areas": [{"code": "a", "indicators": [{"code": "x", "direction": 1},
                                                                  {"code": "y", "direction": 1}]}]})
PANEL3 = pd.DataFrame({"unit": list("PQRPQR"), "indicator": list("xxxyyy"), "year": 2024,
                       "value": [1.0, 2, 3, 3, 1, 2]})


def synthetic(n_units=12, seed=3):
    """Two areas, five indicators: lognormal (skewed) values, one outlier, a few missing cells."""
    rng = np.random.default_rng(seed)
    units = [f"U{u:02d}" for u in range(n_units)]
    values = rng.lognormal(3, 0.6, (n_units, 5))
    values[0, 1] = 900.0  # outlier: |skew| > 2 and kurtosis > 3.5, so treatment on/off matters
    values[[2, 5], [3, 0]] = np.nan
    rows = [(u, f"i{j}", 2024, values[k, j]) for k, u in enumerate(units) for j in range(5)]
    fw = Framework.from_dict({"reference_year": 2024, "stages": {"normalisation": {"low": 1, "high": 100}},
                              "areas": [{"code": "p1", "indicators": [{"code": "i0", "direction": 1},
                                                                      {"code": "i1", "direction": 1},
                                                                      {"code": "i2", "direction": -1}]},
                                        {"code": "p2", "weight": 2, "indicators": [
                                            {"code": "i3", "direction": 1}, {"code": "i4", "direction": 1}]}]})
    return pd.DataFrame(rows, columns=["unit", "indicator", "year", "value"]), fw


FIVE = {"weights": 0.3, "normalisation": [{"method": "minmax", "low": 1}, "rank", "fracmax"],
        "aggregation": ["arithmetic", "geometric", {"indicators": "harmonic", "areas": "arithmetic"}],
        "imputation": ["none", "mean", "median"], "treatment": [True, False]}


def test_vectorised_equals_naive_for_the_same_seed():
    panel, fw = synthetic()
    fast = run_uncertainty(panel, fw, FIVE, n_rep=40, seed=7)
    slow = run_uncertainty_naive(panel, fw, FIVE, n_rep=40, seed=7)
    assert fast.parameters.equals(slow.parameters)
    # every input varied at least once over 40 replications
    assert fast.parameters[["normalisation", "aggregation", "imputation", "treatment"]].nunique().tolist() == \
        [3, 3, 3, 2]
    np.testing.assert_allclose(fast.scores, slow.scores, rtol=1e-12, atol=1e-9)
    np.testing.assert_array_equal(fast.ranks, slow.ranks)
    pd.testing.assert_frame_equal(fast.summary(), slow.summary())
    # ranks do move: some unit has a 5-95 % interval wider than one rank
    s = fast.summary()
    assert ((s["rank_q95"] - s["rank_q05"]) > 1).any()


def test_naive_subset_matches_vectorised_rows():
    panel, fw = synthetic()
    fast = run_uncertainty(panel, fw, FIVE, n_rep=30, seed=11)
    part = run_uncertainty_naive(panel, fw, FIVE, n_rep=30, seed=11, replications=slice(20, 25))
    np.testing.assert_array_equal(fast.ranks[20:25], part.ranks)


def test_aggregation_alternatives_hand_computed():
    # min-max to [1, 100]: x -> [1, 50.5, 100], y -> [100, 1, 50.5]
    # arithmetic: P 50.5, Q 25.75, R 75.25; geometric: P 10, Q sqrt(50.5) = 7.1063, R sqrt(5050) = 71.0634
    res = run_uncertainty(PANEL3, FW3, {"aggregation": ["arithmetic", "geometric"]}, n_rep=50, seed=0)
    geo = (res.parameters["aggregation"] == "geometric").to_numpy()
    assert 0 < geo.sum() < 50
    np.testing.assert_allclose(res.scores[~geo, :, -1], np.tile([50.5, 25.75, 75.25], ((~geo).sum(), 1)))
    np.testing.assert_allclose(res.scores[geo, :, -1], np.tile([10.0, 7.106335, 71.063352], (geo.sum(), 1)),
                               rtol=1e-6)
    # both orders are R, P, Q: no rank uncertainty
    s = res.summary().query("level == 'index'")
    assert s["rank_q05"].tolist() == s["rank_q95"].tolist() == [2.0, 3.0, 1.0]


def test_weight_noise_uses_recorded_factors_and_seed():
    res = run_uncertainty(PANEL3, FW3, {"weights": 0.9}, n_rep=100, seed=5)
    wx, wy = res.parameters["w:x"].to_numpy(), res.parameters["w:y"].to_numpy()
    assert wx.min() >= 0.1 and wx.max() <= 1.9
    # P = (1 wx + 100 wy) / (wx + wy), with the factors of each replication
    np.testing.assert_allclose(res.scores[:, 0, -1], (1 * wx + 100 * wy) / (wx + wy))
    again = run_uncertainty(PANEL3, FW3, {"weights": 0.9}, n_rep=100, seed=5)
    np.testing.assert_array_equal(again.ranks, res.ranks)
    assert not run_uncertainty(PANEL3, FW3, {"weights": 0.9}, n_rep=100, seed=6).parameters.equals(res.parameters)
    # the framework of a replication carries its weights
    fw0 = res.framework(0)
    assert fw0["areas"][0]["indicators"][0]["weight"] == pytest.approx(wx[0])


def test_mean_abs_rank_shift_hand_computed():
    # Nominal (equal weights) index: R 75.25, P 50.5, Q 25.75 -> ranks P 2, Q 3, R 1.
    # P beats R when wx + 100 wy > 100 wx + 50.5 wy, i.e. wy > 2 wx: ranks P 1, R 2, Q 3, shift (1 + 0 + 1) / 3;
    # Q beats P when 50.5 wx + wy > wx + 100 wy, i.e. wx > 2 wy: ranks R 1, Q 2, P 3, shift (1 + 1 + 0) / 3;
    # R always beats Q (R - Q = 49.5 (wx + wy) / (wx + wy)), so otherwise no shift.
    res = run_uncertainty(PANEL3, FW3, {"weights": 0.9}, n_rep=100, seed=5)
    wx, wy = res.parameters["w:x"].to_numpy(), res.parameters["w:y"].to_numpy()
    expected = np.where((wy > 2 * wx) | (wx > 2 * wy), 2 / 3, 0.0)
    assert 0 < (expected > 0).sum() < 100
    np.testing.assert_allclose(res.mean_abs_rank_shift(), expected)
    np.testing.assert_allclose(res.mean_abs_rank_shift("a"), expected)
    with pytest.raises(CompindexError, match=r"uncertainty: unknown level 'b'; expected one of \['a', 'index'\]"):
        res.mean_abs_rank_shift("b")


@pytest.mark.parametrize("spec, n_rep, pattern", [
    ({"weights": 0.2}, 0, r"uncertainty\.n_rep: the number of replications must be an integer >= 1, got 0"),
    ({"weights": 1.0}, 10, r"uncertainty\.weights: weight noise must be a fraction in \[0, 1\), got 1\.0"),
    ({"weights": -0.1}, 10, r"uncertainty\.weights"),
    ({"noise": 0.1}, 10, r"uncertainty: unknown input\(s\) \['noise'\]"),
    ({"normalisation": ["minmax", "softmax"]}, 10, r"normalisation=\{'method': 'softmax'.*unknown method 'softmax'"),
    ({"aggregation": []}, 10, r"uncertainty\.aggregation: expected a non-empty list"),
    ({"aggregation": ["copeland"]}, 10, r"uncertainty\.aggregation\[0\]: Copeland aggregation is not supported"),
    ({"treatment": ["on"]}, 10, r"uncertainty\.treatment\[0\]: expected true"),
    ({"aggregation": [{"areas": "generalised"}]}, 10, r"stages\.aggregation\.power"),
])
def test_bad_spec_raises_before_work(spec, n_rep, pattern):
    with pytest.raises(CompindexError, match=pattern):
        run_uncertainty(PANEL3, FW3, spec, n_rep=n_rep, seed=1)


def test_geometric_of_zero_raises():
    with pytest.raises(CompindexError, match="zero/negative value before geometric aggregation"):
        run_uncertainty(PANEL3, FW3, {"normalisation": [{"method": "minmax", "low": 0}],
                                      "aggregation": ["geometric"]}, n_rep=5, seed=1)


def test_sobol_indices():
    panel, fw = synthetic()
    spec = {"weights": 0.3, "normalisation": ["minmax", "rank"], "imputation": ["none", "mean"]}
    table, res = sobol_indices(panel, fw, spec, n_base=64, seed=2, target="U01")
    assert list(table.index) == ["weights", "normalisation", "imputation"]
    assert list(table.columns) == ["first_order", "total", "first_order_ci", "total_ci"]
    assert res.scores.shape[0] == 64 * (3 + 2)  # Saltelli design without second order: N (k + 2)
    # U01 has all its values. Mean imputation fills U05/i0 and U02/i3 with 23.7 and 20.5: inside the observed
    # range (min-max bounds unchanged) and above U01's own 17.6 and 12.0 (U01's ranks unchanged). So imputation
    # has exactly no effect on U01's score: both estimators are exactly 0.
    assert table.loc["imputation", "first_order"] == 0.0 and table.loc["imputation", "total"] == 0.0
    assert table.loc["normalisation", "total"] > 0.3 and table.loc["weights", "total"] > 0.0
    ranked, _ = sobol_indices(panel, fw, spec, n_base=64, seed=2)
    assert ranked.loc["imputation", "total"] > 0  # the ranking as a whole does move with imputation
    with pytest.raises(CompindexError, match="no uncertain input"):
        sobol_indices(panel, fw, {}, n_base=8)
    with pytest.raises(CompindexError, match="uncertainty.target"):
        sobol_indices(panel, fw, spec, n_base=8, target="XXX")


def test_generalised_mean_dat_thresh_and_allow_zero_match_naive():
    panel, fw = synthetic()
    spec = {"weights": 0.2,
            "aggregation": [{"indicators": "generalised", "areas": "generalised", "power": 0.5},
                            {"dat_thresh": 0.7},  # units missing one of the three p1 indicators lose p1
                            {"indicators": "geometric", "areas": "harmonic", "allow_zero": True}],
            "normalisation": [{"method": "minmax", "low": 0}, "borda"]}
    fast = run_uncertainty(panel, fw, spec, n_rep=24, seed=3)
    slow = run_uncertainty_naive(panel, fw, spec, n_rep=24, seed=3)
    np.testing.assert_allclose(fast.scores, slow.scores, rtol=1e-12, atol=1e-9)
    np.testing.assert_array_equal(fast.ranks, slow.ranks)
    # U05 misses i0 (2 of 3 p1 indicators < 0.7): no p1 score under the dat_thresh alternative
    assert set(fast.parameters["aggregation"]) == {"generalised(power=0.5)", "arithmetic(dat_thresh=0.7)",
                                                   "geometric/harmonic(allow_zero=True)"}
    thresh = (fast.parameters["aggregation"] == "arithmetic(dat_thresh=0.7)").to_numpy()
    assert thresh.any() and np.isnan(fast.scores[thresh, 5, 0]).all()


def test_reusing_the_nominal_run_gives_the_same_replications():
    from compindex import run_index

    panel, fw = synthetic()
    run = run_index(panel, fw)
    again = run_uncertainty(None, None, FIVE, n_rep=300, seed=9, run=run)
    fresh = run_uncertainty(panel, fw, FIVE, n_rep=300, seed=9)
    assert np.array_equal(again.ranks, fresh.ranks, equal_nan=True)
    pd.testing.assert_frame_equal(again.parameters, fresh.parameters)
    spec = {"weights": 0.3, "normalisation": ["minmax", "rank"]}
    pd.testing.assert_frame_equal(sobol_indices(None, None, spec, n_base=32, seed=2, run=run)[0],
                                  sobol_indices(panel, fw, spec, n_base=32, seed=2)[0])
    with pytest.raises(CompindexError, match="uncertainty.run: expected an IndexRun"):
        run_uncertainty(panel, fw, FIVE, n_rep=10, run="nominal")
