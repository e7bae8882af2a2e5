"""Statistical audit on the hand-computable run of test_pipeline (normalised i1 = [0, 25, 50, 100],
i2 = [100, 50, 0, 0], i3 = [0, 25, 50, 100], i4 = [0, 50, NaN, 100]; p1 = [50, 37.5, 25, 50],
p2 = [0, 43.75, 50, 100], index = [25, 40.625, 37.5, 75], ranks A 4, B 2, C 3, D 1)."""
from __future__ import annotations

import pandas as pd
import pytest

from compindex import Framework, run_index
from compindex.audit import (
    audit,
    corr_flags,
    correlations,
    cronbach_alpha,
    data_availability,
    indicator_stats,
    pca_by_area,
    removal_rank_shift,
)

from .test_pipeline import PANEL, SPEC


@pytest.fixture(scope="module")
def run():
    return run_index(PANEL, Framework.from_dict(SPEC))


def test_indicator_stats(run):
    stats = indicator_stats(run.tables["raw"][["i1", "i2", "i4"]])
    # i1 raw [0, 10, 20, 40]: mean 17.5, squares of deviations 875, sd sqrt(875 / 3) = 17.0783; one zero in four
    assert stats.loc["i1", "mean"] == 17.5 and stats.loc["i1", "sd"] == pytest.approx(17.078251)
    assert stats.loc["i1", "share_zero"] == 0.25 and not stats.loc["i1", "flagged"]
    # i2 raw [1, 3, 5, 5]: 3 distinct values of 4; i4 observed for 3 of 4 units (>= 0.66, not flagged)
    assert stats.loc["i2", "share_unique"] == 0.75 and stats.loc["i4", "availability"] == 0.75
    assert not stats.loc["i4", "flag_availability"]
    assert indicator_stats(run.tables["raw"][["i4"]], availability_min=0.8).loc["i4", "flag_availability"]


def test_data_availability(run):
    by_unit, by_ind = data_availability(run.tables["raw"])
    assert by_unit.loc["C", "n_available"] == 3 and by_unit.loc["C", "missing"] == ["i4"]
    assert by_unit.loc["C", "share"] == 0.75 and by_unit.loc["A", "share"] == 1.0
    assert by_ind.loc["i4", "missing"] == ["C"] and by_ind.loc["i1", "n_available"] == 4


def test_correlations_and_flags(run):
    corr = correlations(run).set_index(["x", "y"])
    # i1, i2: cross products of deviations -5312.5, squares 5468.75 and 6875 -> r = -5312.5 / 6131.6928
    assert corr.loc[("i1", "i2"), "r"] == pytest.approx(-0.866400, abs=1e-6)
    # i3, i4 on the pairwise complete A, B, D: [0, 25, 100] vs [0, 50, 100] -> 5000 / sqrt(5416.67 * 5000)
    assert corr.loc[("i3", "i4"), "r"] == pytest.approx(0.960769, abs=1e-6) and corr.loc[("i3", "i4"), "n"] == 3
    assert set(corr["level"]) == {"indicator-indicator", "indicator-area", "indicator-index", "area-area",
                                  "area-index"}
    flags = corr_flags(run)
    assert flags[["x", "y", "flag"]].values.tolist() == [["i1", "i2", "negative"], ["i3", "i4", "collinear"]]
    assert corr_flags(run, collinear=0.97, negative=-0.9).empty


def test_cronbach_and_pca(run):
    # p1: var(i1) = 5468.75/3, var(i2) = 6875/3, var(i1 + i2) = 1718.75/3 -> 2 (1 - 12343.75 / 1718.75)
    assert cronbach_alpha(run.tables["normalised"][["i1", "i2"]]) == pytest.approx(-12.363636, abs=1e-6)
    pca = pca_by_area(run)
    # two components: the first eigenvalue of a 2x2 correlation matrix is 1 + |r|, explained (1 + |r|) / 2
    assert pca.loc["p1", "explained"] == pytest.approx((1 + 0.866400) / 2, abs=1e-6)
    assert pca.loc["p2", "explained"] == pytest.approx((1 + 0.960769) / 2, abs=1e-6)
    assert pca.loc["p2", "n_units"] == 3


def test_removal_rank_shift(run):
    summary, shifts = removal_rank_shift(run)
    # without i4: p2 = i3 -> index [25, 31.25, 37.5, 75], ranks A 4, C 2, B 3, D 1 -> B +1, C -1
    assert shifts["i4"].tolist() == [0.0, 1.0, -1.0, 0.0]
    # without area p1: index = p2 [0, 43.75, 50, 100] -> the same shifts
    assert shifts["p1"].tolist() == [0.0, 1.0, -1.0, 0.0] and summary.loc["p1", "level"] == "area"
    # without i1: p1 = i2 = [100, 50, 0, 0], index [50, 46.875, 25, 50] -> A and D tie first, B 3, C 4
    assert shifts["i1"].tolist() == [-3.0, 1.0, 1.0, 0.0]
    assert summary.loc["i1", "mean_abs_shift"] == 1.25 and summary.loc["i1", "max_abs_shift"] == 3.0
    # the run itself is untouched
    assert run.tables["scores"]["index"].tolist() == [25.0, 40.625, 37.5, 75.0]


def test_audit_bundle(run):
    tables = audit(run)
    assert set(tables) == {"indicator_stats", "availability_by_unit", "availability_by_indicator", "correlations",
                           "corr_flags", "pca", "removal_summary", "removal_shifts"}
    assert all(isinstance(t, pd.DataFrame) for t in tables.values())
    assert list(tables["removal_summary"].index) == ["i1", "i2", "i3", "i4", "p1", "p2"]
