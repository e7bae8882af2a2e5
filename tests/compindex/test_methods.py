"""Normalisation, aggregation and weighting methods chosen by name (COINr n_*, a_*, get_eff_weights; Handbook
2008 Steps 6-7), each against hand-computed values."""
from __future__ import annotations

import copy
import math

import numpy as np
import pandas as pd
import pytest

from compindex import CompindexError, Framework, Normaliser, aggregate, run_index
from compindex.weights import effective_weights, first_component, pca_weights

from .test_pipeline import PANEL, SPEC

X = pd.DataFrame({"x": [2.0, 4.0, 4.0, 10.0]}, index=list("ABCD"))


def norm(method, direction=1, **kw):
    targets = kw.pop("targets", None)
    n = Normaliser(method, **kw).fit(X, {"x": direction}, targets=targets)
    return n, n.transform(X)["x"].round(6).tolist()


@pytest.mark.parametrize("method, expected", [
    # min 2, max 10, range 8: (x - 2) / 8
    ("scaled", [0.0, 0.25, 0.25, 1.0]),
    ("dist2max", [0.0, 0.25, 0.25, 1.0]),      # 1 - (10 - x) / 8
    ("rank", [1.0, 2.0, 2.0, 4.0]),             # R rank(ties = "min")
    ("borda", [0.0, 1.0, 1.0, 3.0]),            # rank - 1
    ("prank", [0.0, 0.333333, 0.333333, 1.0]),  # (rank - 1) / (4 - 1)
    ("fracmax", [0.2, 0.4, 0.4, 1.0]),          # x / 10
])
def test_normalisation_methods_direction_plus(method, expected):
    assert norm(method)[1] == expected


def test_normalisation_methods_direction_minus():
    # y = -x = [-2, -4, -4, -10]: ranks (min) of y -> [4, 2, 2, 1]
    assert norm("rank", -1)[1] == [4.0, 2.0, 2.0, 1.0]
    # lower is better: min(x) / x = 2 / x
    assert norm("fracmax", -1)[1] == [1.0, 0.5, 0.5, 0.2]
    # target 3 (lower better): t = -3, min y = -10: 1 - (-3 - y) / 7 -> A 1 + 1/7, B 1 - 1/7, D 0
    assert norm("dist2targ", -1, targets={"x": 3.0})[1] == [1.142857, 0.857143, 0.857143, 0.0]


def test_distance_to_reference_and_target():
    # reference B (4): 1 - (4 - x) / (4 - 2) -> [0, 1, 1, 4]; capped at 1
    assert norm("dist2ref", reference="B")[1] == [0.0, 1.0, 1.0, 4.0]
    assert norm("dist2ref", reference="B", cap_max=True)[1] == [0.0, 1.0, 1.0, 1.0]
    # target 6: 1 - (6 - x) / (6 - 2) -> [0, 0.5, 0.5, 2]
    assert norm("dist2targ", targets={"x": 6.0})[1] == [0.0, 0.5, 0.5, 2.0]
    assert norm("dist2targ", targets={"x": 6.0}, cap_max=True)[1] == [0.0, 0.5, 0.5, 1.0]


def test_rank_methods_place_other_units_among_fitted_values():
    other = pd.DataFrame({"x": [5.0, 1.0, np.nan, 12.0]}, index=list("PQRS"))
    # 5: three fitted values below -> rank 4, Borda 3, percentile 3/3; 1: none below; 12: four below.
    assert norm("rank")[0].transform(other)["x"].tolist()[:2] == [4.0, 1.0]
    assert norm("borda")[0].transform(other)["x"].fillna(-1).tolist() == [3.0, 0.0, -1.0, 4.0]
    assert norm("prank")[0].transform(other)["x"].tolist()[:2] == [1.0, 0.0]
    # scaled is clipped to [0, 1] for units outside the fitted range: 12 -> 1, 1 -> 0
    assert norm("scaled")[0].transform(other)["x"].fillna(-1).tolist() == [0.375, 0.0, -1.0, 1.0]


def test_normalisation_method_errors():
    with pytest.raises(CompindexError, match=r"normalisation\.method: unknown method 'softmax'"):
        Normaliser("softmax")
    with pytest.raises(CompindexError, match="dist2ref' needs the code of a reference unit"):
        Normaliser("dist2ref")
    with pytest.raises(CompindexError, match="unit 'ZZZ' is not among the fitted units"):
        Normaliser("dist2ref", reference="ZZZ").fit(X, {"x": 1})
    with pytest.raises(CompindexError, match="indicator x: method 'dist2targ' needs a target"):
        Normaliser("dist2targ").fit(X, {"x": 1})
    with pytest.raises(CompindexError, match="indicator x: fraction of max needs positive values"):
        Normaliser("fracmax").fit(X - 3, {"x": 1})
    with pytest.raises(CompindexError, match="indicator x: zero range"):
        Normaliser("rank").fit(X * 0, {"x": 1})
    with pytest.raises(CompindexError, match="indicator x: reference value equal to the minimum"):
        Normaliser("dist2ref", reference="A").fit(X, {"x": 1})


V = pd.DataFrame({"a": [1.0, 0.0], "b": [3.0, 2.0]}, index=["U", "Z"])


def test_generalised_mean():
    # p = 2: sqrt((1 + 9) / 2) = sqrt(5); p = 1 arithmetic 2; p = -1 harmonic 2 / (1 + 1/3) = 1.5
    assert aggregate(V.iloc[:1], {"a": 1, "b": 1}, "generalised", power=2).iloc[0] == pytest.approx(math.sqrt(5))
    assert aggregate(V.iloc[:1], {"a": 1, "b": 1}, "generalised", power=1).iloc[0] == pytest.approx(2.0)
    assert aggregate(V.iloc[:1], {"a": 1, "b": 1}, "generalised", power=-1).iloc[0] == pytest.approx(1.5)
    # p > 0 accepts a zero: Z = sqrt((0 + 4) / 2) = sqrt(2); p < 0 refuses it unless allow_zero (-> 0)
    assert aggregate(V, {"a": 1, "b": 1}, "generalised", power=2).iloc[1] == pytest.approx(math.sqrt(2))
    with pytest.raises(CompindexError, match="Z/a=0"):
        aggregate(V, {"a": 1, "b": 1}, "generalised", power=-2)
    assert aggregate(V, {"a": 1, "b": 1}, "generalised", power=-2, allow_zero=True).iloc[1] == 0.0
    with pytest.raises(CompindexError, match="needs a power p != 0"):
        aggregate(V, {"a": 1, "b": 1}, "generalised", power=0)


def test_dat_thresh():
    x = pd.DataFrame({"a": [10.0, 10.0], "b": [20.0, np.nan], "c": [np.nan, np.nan]}, index=["P", "Q"])
    # P has 2/3 components (>= 0.5) -> (10 + 20) / 2 = 15; Q has 1/3 < 0.5 -> no score
    out = aggregate(x, {"a": 1, "b": 1, "c": 1}, dat_thresh=0.5)
    assert out["P"] == 15.0 and np.isnan(out["Q"])
    assert aggregate(x, {"a": 1, "b": 1, "c": 1})["Q"] == 10.0
    with pytest.raises(CompindexError, match="dat_thresh must be a share"):
        aggregate(x, {"a": 1, "b": 1, "c": 1}, dat_thresh=1.5)


def test_copeland_outranking():
    x = pd.DataFrame({"a": [3.0, 2.0, 1.0, 3.0, np.nan], "b": [1.0, 2.0, 3.0, 1.0, 5.0]}, index=list("ABCDE"))
    # weights a 2/3, b 1/3. A beats B and C on a (2/3 > 0.5): +1 each; A ties D (0.5): 0; E has only b, where it
    # beats everyone (1 > 0.5). A = +1 +1 +0 -1 = 1, D = 1, B = -1 +1 -1 -1 = -2, C = -4, E = 4.
    out = aggregate(x, {"a": 2, "b": 1}, "copeland")
    assert out.tolist() == [1.0, -2.0, -4.0, 1.0, 4.0]


def test_pca_weights_and_variance_explained():
    # Orthogonal zero-mean vectors e1, e2, e3; a = e1, c = e2, b = e1 + e2 + sqrt(2) e3 gives
    # corr(a, b) = corr(b, c) = 1/2, corr(a, c) = 0. First eigenvalue 1 + sqrt(2)/2, eigenvector
    # (1, sqrt(2), 1) / 2 -> squared loadings (1/4, 1/2, 1/4); explained (1 + sqrt(2)/2) / 3 = 0.569036.
    e1, e2, e3 = np.array([1, 1, -1, -1.0]), np.array([1, -1, 1, -1.0]), np.array([1, -1, -1, 1.0])
    x = pd.DataFrame({"a": 10 + e1, "b": 20 + e1 + e2 + math.sqrt(2) * e3, "c": 5 + e2})
    assert pca_weights(x).round(6).tolist() == [0.25, 0.5, 0.25]
    assert first_component(x)[1] == pytest.approx((1 + math.sqrt(2) / 2) / 3)
    with pytest.raises(CompindexError, match="at least 3 units"):
        pca_weights(x.iloc[:2])


def test_effective_weights():
    # p1: a 1/4, b 3/4; p2: c 1; areas 2 and 1 -> 2/3, 1/3: a 1/6, b 1/2, c 1/3
    eff = effective_weights({"p1": {"a": 1, "b": 3}, "p2": {"c": 1}}, {"p1": 2, "p2": 1})["effective"]
    assert eff.round(6).tolist() == [0.166667, 0.5, 0.333333]
    with pytest.raises(CompindexError, match="must sum to a positive number"):
        effective_weights({"p1": {"a": 0}}, {"p1": 1})


def spec(**stages):
    out = copy.deepcopy(SPEC)
    out["stages"] = stages
    return out


def test_pipeline_equal_weights_and_dat_thresh():
    # Equal weights: i4 loses its weight 3. p2 = (i3 + i4) / 2 -> A 0, B (25 + 50) / 2 = 37.5, C 50 (i3 only),
    # D 100; index = (p1 + p2) / 2 with p1 = [50, 37.5, 25, 50] -> [25, 37.5, 37.5, 75].
    run = run_index(PANEL, Framework.from_dict(spec(weights={"method": "equal"})))
    assert run.tables["scores"]["index"].tolist() == [25.0, 37.5, 37.5, 75.0]
    assert run.recipe["weights"]["indicators"]["p2"] == {"i3": 1.0, "i4": 1.0}
    # dat_thresh 0.75 for indicators: C has 1 of 2 in p2 -> no p2 score; its index is p1 alone = 25.
    run = run_index(PANEL, Framework.from_dict(spec(aggregation={"dat_thresh": {"indicators": 0.75}})))
    assert np.isnan(run.tables["scores"].loc["C", "p2"]) and run.tables["scores"].loc["C", "index"] == 25.0


def test_pipeline_pca_weights_and_treatment_off():
    run = run_index(PANEL, Framework.from_dict(spec(weights={"method": "pca"}, treatment={"method": "none"})))
    # Two indicators per area: first eigenvector of a 2x2 correlation matrix is (1, 1)/sqrt(2) -> 1/2 each.
    assert run.weights["indicators"]["p1"] == pytest.approx({"i1": 0.5, "i2": 0.5})
    assert {p["method"] for p in run.recipe["treatment"].values()} == {"skip"}


@pytest.mark.parametrize("stages, pattern", [
    ({"aggregation": {"areas": "generalised"}}, r"stages\.aggregation\.power: the generalised mean needs"),
    ({"aggregation": {"dat_thresh": 1.5}}, r"stages\.aggregation\.dat_thresh: expected a share"),
    ({"aggregation": {"dat_thresh": {"pillars": 0.5}}}, r"dat_thresh: unknown key\(s\) \['pillars'\]"),
    ({"normalisation": {"method": "dist2targ"}}, r"\(i1\)\.target: required"),
    ({"normalisation": {"method": "dist2ref"}}, r"stages\.normalisation\.reference: method 'dist2ref' needs"),
    ({"weights": {"method": "entropy"}}, r"stages\.weights\.method: unknown method 'entropy'"),
    ({"treatment": {"method": "boxcox"}}, r"stages\.treatment\.method: unknown method 'boxcox'"),
])
def test_new_stage_options_validated(stages, pattern):
    with pytest.raises(CompindexError, match=pattern):
        Framework.from_dict(spec(**stages))


def test_pipeline_distance_to_reference_and_copeland():
    # dist2ref with reference B: i1 raw [0, 10, 20, 40] -> 1 - (10 - x) / (10 - 0) = x / 10
    run = run_index(PANEL, Framework.from_dict(spec(normalisation={"method": "dist2ref", "reference": "B"})))
    assert run.tables["normalised"]["i1"].tolist() == [0.0, 1.0, 2.0, 4.0]
    run = run_index(PANEL, Framework.from_dict(spec(aggregation={"areas": "copeland"})))
    # area scores p1 [50, 37.5, 25, 50], p2 [0, 43.75, 50, 100], equal weights: D beats B and C on both (+1 +1)
    # and ties A on p1 while winning p2 (0.5 + 0.25 > 0.5): D = 3; A: loses p2 to all, wins p1 vs B, C (0.5):
    # A vs B 0.5 -> 0, A vs C 0, A vs D -1 -> -1; B: vs A 0, vs C 0 (p1 won, p2 lost), vs D -1 -> -1; C -1.
    assert run.tables["scores"]["index"].tolist() == [-1.0, -1.0, -1.0, 3.0]
    with pytest.raises(CompindexError, match="Copeland scores are relative"):
        run.transform(PANEL)
