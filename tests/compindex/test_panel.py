"""Editions over time (compindex.panel): fixed goalposts, growth, sigma- and beta-convergence, by hand."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from compindex import CompindexError, Framework
from compindex.panel import beta_convergence, cagr, run_panel, sigma_convergence

# x of members A, B, C: 2020 (20, 50, 80), 2021 only A (coverage 1/3 < 0.66 -> skipped), 2022 (40, 80, 120).
VALUES = {2020: (20, 50, 80), 2021: (30, None, None), 2022: (40, 80, 120)}


def member_panel() -> pd.DataFrame:
    return pd.DataFrame([(u, "x", y, float(v)) for y, vals in VALUES.items() for u, v in zip("ABC", vals)
                         if v is not None], columns=["unit", "indicator", "year", "value"])


def framework(**norm) -> Framework:
    ind = {"code": "x", "direction": 1, **({"goalposts": [0, 200]} if norm.get("method") == "goalposts" else {})}
    return Framework.from_dict({"reference_year": 2022, "window": 0, "stages": {"normalisation": norm or
                                {"method": "minmax"}, "treatment": {"method": "none"}},
                                "areas": [{"code": "s", "indicators": [ind]}]})


def test_base_year_goalposts_fix_the_scale():
    res = run_panel(member_panel(), framework())
    assert res.years == [2020, 2022] and list(res.skipped) == [2021]
    assert "x (0.33)" in res.skipped[2021]
    # Min-max fitted on 2022: min 40, max 120. 2022: 0, 50, 100. 2020: A 20 -> below 40, clipped to 0;
    # B (50 - 40) / 80 * 100 = 12.5; C (80 - 40) / 80 * 100 = 50.
    assert res.table.loc[2022, "index"].tolist() == [0.0, 50.0, 100.0]
    assert res.table.loc[2020, "index"].tolist() == [0.0, 12.5, 50.0]


def test_framework_goalposts_growth_and_convergence():
    other = pd.DataFrame({"unit": "W", "indicator": "x", "year": [2020, 2022], "value": [100.0, 160.0]})
    res = run_panel(member_panel(), framework(method="goalposts"), other_panel=other)
    # Goalposts [0, 200]: score = value / 2 -> 2020 (10, 25, 40 | W 50), 2022 (20, 40, 60 | W 80).
    assert res.table.loc[2020, "index"].tolist() == [10.0, 25.0, 40.0, 50.0]
    assert res.group.to_dict() == {"A": "member", "B": "member", "C": "member", "W": "comparison"}
    members = res.members()

    growth = cagr(res.table).query("area == 'index'").set_index("unit")["cagr"]
    # (20/10)^(1/2) - 1, (40/25)^(1/2) - 1, (60/40)^(1/2) - 1, (80/50)^(1/2) - 1
    assert growth.tolist() == pytest.approx([2 ** 0.5 - 1, 1.6 ** 0.5 - 1, 1.5 ** 0.5 - 1, 1.6 ** 0.5 - 1])

    sigma = sigma_convergence(res.table, members).query("area == 'index'").set_index("year")
    # 2020: mean 25, sd sqrt((15^2 + 0 + 15^2) / 2) = 15, cv 0.6; 2022: mean 40, sd 20, cv 0.5.
    assert sigma[["n", "mean", "sd", "cv"]].to_numpy().ravel().tolist() == pytest.approx([3, 25, 15, 0.6, 3, 40, 20, 0.5])
    world = sigma_convergence(res.table).query("area == 'index'").set_index("year")
    # With W: 2020 (10, 25, 40, 50) mean 31.25.
    assert world.loc[2020, "mean"] == pytest.approx(31.25)

    beta = beta_convergence(res.table, 2020, 2022, members).set_index("area").loc["index"]
    # OLS by hand: x = ln(10, 25, 40), g = ln(20/10, 40/25, 60/40) / 2, slope = S_xg / S_xx.
    x = np.log([10, 25, 40])
    g = np.log([2.0, 1.6, 1.5]) / 2
    slope = ((x - x.mean()) * (g - g.mean())).sum() / ((x - x.mean()) ** 2).sum()
    assert beta["slope"] == pytest.approx(slope) and slope == pytest.approx(-0.10623, abs=1e-5)
    assert beta["n"] == 3 and beta["slope"] < 0
    assert beta["speed"] == pytest.approx(-np.log(1 + 2 * slope) / 2)
    assert beta_convergence(res.table, 2020, 2022).set_index("area").loc["index", "n"] == 4


def test_panel_refuses_level_free_methods_and_bad_modes():
    with pytest.raises(CompindexError, match="measures positions, not levels"):
        run_panel(member_panel(), framework(method="rank"))
    with pytest.raises(CompindexError, match="'framework' needs stages.normalisation.method: goalposts"):
        run_panel(member_panel(), framework(), goalposts="framework")
    with pytest.raises(CompindexError, match="expected 'base_year' or 'framework'"):
        run_panel(member_panel(), framework(), goalposts="first")
    res = run_panel(member_panel(), framework())
    with pytest.raises(CompindexError, match="need start < end"):
        beta_convergence(res.table, 2022, 2020)
    long = res.long()
    assert long.columns.tolist() == ["year", "unit", "group", "area", "score"] and len(long) == 12


def test_common_indicators_keep_the_index_constant_over_years():
    # y (area t) exists only in 2022: with indicators="common" over 2020 and 2022 it is dropped with its area and
    # the panel index is the area s alone; with the base run's indicators 2020 is skipped for lack of y.
    extra = pd.DataFrame({"unit": list("ABC"), "indicator": "y", "year": 2022, "value": [1.0, 2.0, 3.0]})
    data = pd.concat([member_panel(), extra])
    fw = Framework.from_dict({**framework().to_dict(), "areas": framework().to_dict()["areas"] + [
        {"code": "t", "indicators": [{"code": "y", "direction": 1}]}]})
    base = run_panel(data, fw, years=[2020, 2022])
    assert base.years == [2022] and "y (0.00)" in base.skipped[2020]
    res = run_panel(data, fw, years=[2020, 2022], indicators="common")
    assert res.years == [2020, 2022] and res.table.columns.tolist() == ["s", "index"]
    assert res.dropped == {"y": "coverage 0.00 in the worst year", "t": "area without an indicator covered in "
                           "every year"}
    assert res.table.loc[2020, "index"].tolist() == [0.0, 12.5, 50.0]
