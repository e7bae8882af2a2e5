"""Targets and trajectories, what-if, peers for learning: hand-computed values."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from compindex import CompindexError, Framework, run_index
from compindex.peers import gower_distance, peers
from compindex.targets import trajectories
from compindex.whatif import what_if

# --- targets --------------------------------------------------------------------------------------------------


def history() -> pd.DataFrame:
    rows = {(2020, "A"): (40, 10), (2022, "A"): (44, np.nan), (2024, "A"): (50, np.nan),
            (2020, "B"): (70, np.nan), (2022, "B"): (70, np.nan), (2024, "B"): (70, np.nan),
            (2020, "C"): (75, 10), (2024, "C"): (80, 6)}
    return pd.DataFrame(list(rows.values()), columns=["x", "y"], dtype=float,
                        index=pd.MultiIndex.from_tuples(list(rows), names=["year", "unit"]))


def test_required_progress_and_on_track():
    t = trajectories(history(), {"x": 80.0}, 2030, recent=4).set_index("unit")
    a = t.loc["A"]
    # A: 50 in 2024, target 80 in 2030: linear (80 - 50) / 6 = 5 a year, compound 1.6^(1/6) - 1.
    assert a["linear_required"] == pytest.approx(5.0) and a["compound_required"] == pytest.approx(1.6 ** (1 / 6) - 1)
    # OLS slope over 2020-2024 (40, 44, 50): centred years (-2, 0, 2), centred values (-14/3, -2/3, 16/3):
    # (28/3 + 32/3) / 8 = 2.5; projected 50 + 2.5 * 6 = 65 < 80 -> off track; recent growth (50/40)^(1/4) - 1.
    assert a["recent_slope"] == pytest.approx(2.5) and a["projected"] == pytest.approx(65.0)
    assert a["recent_growth"] == pytest.approx(1.25 ** 0.25 - 1)
    assert not a["on_track"] and not a["achieved"]
    # B: flat at 70 -> slope 0, off track; C: 80 already -> achieved and on track, required progress 0.
    assert t.loc["B", "recent_slope"] == 0 and not t.loc["B", "on_track"]
    assert t.loc["C", "achieved"] and t.loc["C", "on_track"] and t.loc["C", "linear_required"] == 0


def test_unit_targets_lower_is_better_and_errors():
    targets = pd.DataFrame({"y": [2.0]}, index=["C"])
    t = trajectories(history(), targets, 2030, recent=4, directions={"y": -1})
    # C's y: 10 (2020) -> 6 (2024), slope -1 a year; projected 6 - 6 = 0 <= 2 -> on track; needs (2 - 6)/6 a year.
    assert t[["unit", "recent_slope", "projected", "on_track"]].values.tolist() == [["C", -1.0, 0.0, True]]
    assert t["linear_required"].iloc[0] == pytest.approx(-4 / 6)
    with pytest.raises(CompindexError, match="target_year 2024 must be after the base year 2024"):
        trajectories(history(), {"x": 80.0}, 2024)
    with pytest.raises(CompindexError, match=r"code\(s\) \['z'\] not in the history table"):
        trajectories(history(), {"z": 1.0}, 2030)


# --- what-if --------------------------------------------------------------------------------------------------

FW = {"reference_year": 2024, "areas": [
    {"code": "a", "weight": 1, "indicators": [{"code": "x", "direction": 1}, {"code": "z", "direction": -1}]},
    {"code": "b", "weight": 1, "indicators": [{"code": "y", "direction": 1}]}]}
VALUES = {"x": [0, 5, 10, 2, 8, 6], "z": [3, 1, 4, 1, 5, 9], "y": [10, 0, 5, 7, 2, 8]}


def whatif_run():
    panel = pd.DataFrame([(u, c, 2024, float(v[i])) for c, v in VALUES.items() for i, u in enumerate("PQRSTU")],
                         columns=["unit", "indicator", "year", "value"])
    return panel, run_index(panel, Framework.from_dict(FW))


def test_weight_change_equals_a_full_rerun():
    panel, run = whatif_run()
    new = {"indicators": {"a": {"x": 3.0}}, "areas": {"b": 2.5}}
    out = what_if(run, weights=new)
    data = Framework.from_dict(FW).to_dict()
    data["areas"][0]["indicators"][0]["weight"] = 3.0
    data["areas"][1]["weight"] = 2.5
    full = run_index(panel, Framework.from_dict(data))
    assert np.allclose(out["score"].to_numpy(), full.tables["scores"][["a", "b", "index"]].to_numpy())
    assert out["rank"].equals(full.tables["ranks"][["a", "b", "index"]])


def test_value_change_on_the_fitted_scale():
    _, run = whatif_run()
    out = what_if(run, values={"P": {"x": 7.5}})
    # x min-max fitted on 0..10: 7.5 -> 75; z of P = 3 on 1..9 (lower is better): (9 - 3)/8 * 100 = 75;
    # area a = (75 + 75)/2 = 75; y of P = 10 -> 100; index (75 + 100)/2 = 87.5 (was (37.5 + 100)/2 = 68.75).
    assert out.loc["P", ("score", "a")] == pytest.approx(75.0)
    assert out.loc["P", ("score", "index")] == pytest.approx(87.5)
    assert out.loc["P", ("score_change", "index")] == pytest.approx(87.5 - 68.75)
    others = out["score"].drop(index="P")
    assert np.allclose(others.to_numpy(), run.tables["scores"].drop(index="P")[["a", "b", "index"]].to_numpy())
    # Beyond the fitted maximum the value is clipped at the goalpost: x = 20 -> 100, same as x = 10.
    assert what_if(run, values={"P": {"x": 20.0}}).loc["P", ("score", "a")] == pytest.approx((100 + 75) / 2)
    with pytest.raises(CompindexError, match="unknown unit 'XXX'"):
        what_if(run, values={"XXX": {"x": 1.0}})
    with pytest.raises(CompindexError, match=r"indicator\(s\) \['w'\] not in the run"):
        what_if(run, values={"P": {"w": 1.0}})
    with pytest.raises(CompindexError, match="unknown area 'c'"):
        what_if(run, weights={"areas": {"c": 1.0}})


# --- peers ----------------------------------------------------------------------------------------------------

def context() -> pd.DataFrame:
    return pd.DataFrame({"income": ["H", "H", "L", "H"], "lgdp": [10.0, 9.0, 7.0, 6.0],
                         "lang": ["ar", "fr", "ar", "ar"]}, index=list("ABCD"))


def test_gower_distance_by_hand():
    d = gower_distance(context())
    # lgdp range 4. A-B: (0 + 1/4 + 1)/3; A-C: (1 + 3/4 + 0)/3; A-D: (0 + 4/4 + 0)/3; C-D: (1 + 1/4 + 0)/3.
    assert d.loc["A", ["B", "C", "D"]].tolist() == pytest.approx([1.25 / 3, 1.75 / 3, 1 / 3])
    assert d.loc["C", "D"] == pytest.approx(1.25 / 3) and d.loc["D", "C"] == d.loc["C", "D"]
    c = context()
    c.loc["B", "lang"] = None
    # Unknown language: mean over the two known variables, (0 + 1/4)/2.
    assert gower_distance(c).loc["A", "B"] == pytest.approx(0.125)
    # Weights: lgdp weight 2 -> A-D = (0 + 2 * 1 + 0)/4.
    assert gower_distance(context(), {"lgdp": 2}).loc["A", "D"] == pytest.approx(0.5)


def test_peers_score_clearly_higher_nearest_first_with_reasons():
    scores = pd.DataFrame({"s": [30.0, 45.0, 60.0, 38.0]}, index=list("ABCD"))
    p = peers(scores, context(), n=3, margin=10)
    a = p[p["unit"] == "A"]
    # A (30): B (45) and C (60) are >= 10 points higher, D (38) is not; B is nearer (0.417 < 0.583).
    assert a["peer"].tolist() == ["B", "C"] and a["advantage"].tolist() == [15.0, 30.0]
    assert a["reasons"].tolist() == [["same income (H)"], ["same lang (ar)"]]
    d = p[p["unit"] == "D"]
    assert d["peer"].tolist() == ["C"] and d["distance"].iloc[0] == pytest.approx(1.25 / 3)
    assert p[p["unit"] == "C"].empty
    # |10 - 9| / 4 = 0.25 of the range: a reason when close >= 0.25.
    wide = peers(scores, context(), n=1, close=0.25)
    assert wide.set_index("unit").loc["A", "reasons"] == ["same income (H)", "similar lgdp"]
    with pytest.raises(CompindexError, match="peers.n: expected an integer >= 1"):
        peers(scores, context(), n=0)
    with pytest.raises(CompindexError, match=r"unknown area\(s\) \['t'\]"):
        peers(scores, context(), areas=["t"])
