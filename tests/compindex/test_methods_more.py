"""Further methods of issue 3: kNN imputation, imputation across years, Box-Cox and log variants, optimised
weights. Expected values are computed by hand in the comments."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from compindex import CompindexError, Framework, Treater, impute, run_index
from compindex.imputation import fill_years, knn_impute
from compindex.treatment import apply_transform, fit_transform_params
from compindex.weights import optimise_weights


def long(values: dict[str, list], units: str, year: int = 2024) -> pd.DataFrame:
    return pd.DataFrame([(u, c, year, float(v[i])) for c, v in values.items() for i, u in enumerate(units)
                         if not np.isnan(v[i])], columns=["unit", "indicator", "year", "value"])


# --- k nearest neighbours -------------------------------------------------------------------------------------

def knn_data() -> pd.DataFrame:
    # D lacks a. Distances over (b, c), the indicators D has. Raw: D-A = 90, D-B = 3910, D-C = sqrt(10^2 + 5^2)
    # = 11.2, D-E = sqrt(40^2 + 30^2) = 50 -> nearest C, then E. Standardised (sd of b = 1762.46, of c = 12.911):
    # D-A = 90/1762.46 = 0.051, D-C = sqrt((10/1762.46)^2 + (5/12.911)^2) = 0.387, D-B = 2.220, D-E = 2.324
    # -> nearest A, then C.
    return pd.DataFrame({"a": [1.0, 2.0, 9.0, np.nan, 20.0], "b": [1000.0, 5000.0, 1100.0, 1090.0, 1050.0],
                         "c": [0.0, 1.0, 5.0, 0.0, 30.0]}, index=list("ABCDE"))


def test_knn_on_standardised_indicators():
    x = knn_data()
    # k = 1: a(D) = a(A) = 1 (not a(C) = 9 as raw distances would give); k = 2: mean(a(A), a(C)) = 5.
    assert knn_impute(x, 1).loc["D", "a"] == pytest.approx(1.0)
    assert knn_impute(x, 2).loc["D", "a"] == pytest.approx(5.0)
    # (Raw distances would give 9 for k = 1 and (9 + 20) / 2 = 14.5 for k = 2.)
    out, mask, log = impute(x, "knn", n_neighbors=1)
    assert out.drop(index="D").equals(x.drop(index="D"))
    assert mask.to_numpy().sum() == 1 and mask.loc["D", "a"]
    assert log == [{"stage": "imputation", "indicator": "a", "action": "knn (k=1)", "imputed": 1,
                    "left_missing": []}]


def test_knn_leaves_empty_units_and_rejects_bad_k():
    x = knn_data()
    x.loc["F"] = np.nan
    out = knn_impute(x, 1)
    assert out.loc["F"].isna().all() and out.loc["D", "a"] == pytest.approx(1.0)
    with pytest.raises(CompindexError, match=r"imputation.n_neighbors: expected an integer >= 1, got 0"):
        knn_impute(x, 0)


def test_knn_through_run_index():
    x = knn_data()
    fw = Framework.from_dict({"reference_year": 2024, "coverage": {"indicator_min": 0.5, "unit_min": 0.5},
                              "stages": {"imputation": {"method": "knn", "n_neighbors": 2}},
                              "areas": [{"code": "s", "indicators": [{"code": c, "direction": 1} for c in "abc"]}]})
    run = run_index(long(x.to_dict("list"), "ABCDE"), fw)
    assert run.tables["after_imputation"].loc["D", "a"] == pytest.approx(5.0)
    assert run.tables["imputed"].loc["D", "a"]


# --- across years ---------------------------------------------------------------------------------------------

def series(years, values, unit="A", code="x"):
    return pd.DataFrame({"unit": unit, "indicator": code, "year": years, "value": values})


def test_carry_forward_up_to_max_gap_and_last_year():
    p = series([2018, 2021], [10.0, 16.0])
    out = fill_years(p, "carry_forward", max_gap=2, last_year=2024)
    # 2019, 2020 <- 10 (1 and 2 years old); 2022, 2023 <- 16; 2024 would be 3 years old > max_gap.
    assert out[["year", "value", "filled"]].values.tolist() == [
        [2018, 10.0, False], [2019, 10.0, True], [2020, 10.0, True], [2021, 16.0, False],
        [2022, 16.0, True], [2023, 16.0, True]]
    assert fill_years(p, "carry_forward", last_year=2024)["year"].max() == 2024


def test_interpolation_bridges_gaps_up_to_max_gap_only():
    p = pd.concat([series([2010, 2013, 2017], [1.0, 4.0, 12.0]), series([2020, 2022], [5.0, np.nan], "B")])
    out = fill_years(p, "interpolate", max_gap=2)
    a = out[out["unit"] == "A"]
    # 2010 -> 2013: gap of 2 years, slope (4 - 1) / 3 = 1 -> 2, 3. 2013 -> 2017: gap of 3 > 2, not bridged.
    assert a[["year", "value"]].values.tolist() == [[2010, 1.0], [2011, 2.0], [2012, 3.0], [2013, 4.0],
                                                    [2017, 12.0]]
    # B's 2022 is missing (NaN): nothing after 2020, no extrapolation.
    assert out[out["unit"] == "B"]["year"].tolist() == [2020]
    with pytest.raises(CompindexError, match=r"imputation.time: unknown method 'locf'"):
        fill_years(p, "locf")


def test_carry_forward_in_run_index_extends_the_window_and_flags_cells():
    # Window 1 -> [2023, 2024]. P's x is from 2019: missing without time filling; carried forward by up to 4
    # years it reaches 2023 and is selected there, flagged in time_filled.
    panel = pd.concat([series([2019], [3.0], "P"), series([2024, 2024], [1.0, 5.0]).assign(unit=["Q", "R"])])
    base = {"reference_year": 2024, "window": 1, "coverage": {"indicator_min": 0.5, "unit_min": 0.5},
            "areas": [{"code": "s", "indicators": [{"code": "x", "direction": 1}]}]}
    plain = run_index(panel, Framework.from_dict(base))
    assert np.isnan(plain.tables["raw"].loc["P", "x"])
    fw = Framework.from_dict({**base, "stages": {"imputation": {"time": "carry_forward", "max_gap": 4}}})
    run = run_index(panel, fw)
    assert run.tables["raw"].loc["P", "x"] == 3.0 and run.tables["source_year"].loc["P", "x"] == 2023
    assert run.tables["time_filled"]["x"].tolist() == [True, False, False]
    # min-max on (3, 1, 5): P = (3 - 1) / 4 * 100 = 50.
    assert run.tables["scores"].loc["P", "index"] == pytest.approx(50.0)
    entry = next(e for e in run.log if e.get("action") == "time: carry_forward")
    assert entry["filled_rows"] == 4 and entry["selected_cells_filled"] == 1


# --- Box-Cox and log variants ---------------------------------------------------------------------------------

def test_boxcox_lambda_maximises_the_profile_likelihood():
    x = np.array([1.0, 2.0, 4.0, 8.0, 100.0])
    p = fit_transform_params(x, "boxcox")
    y = x - x.min() + 1.0  # COINr makepos: subtract the minimum, add 1

    def llf(lam):  # Box and Cox (1964): (lam - 1) sum log y - n/2 log(variance of the transformed values)
        z = (y ** lam - 1) / lam
        return (lam - 1) * np.log(y).sum() - len(y) / 2 * np.log(z.var())

    lam = p["lambda"]
    assert llf(lam) > llf(lam - 0.01) and llf(lam) > llf(lam + 0.01)
    assert apply_transform(x, p) == pytest.approx((y ** lam - 1) / lam)
    # Other units are clipped to the fitted range first: 500 -> 100, 0 -> 1.
    out = apply_transform([500.0, 0.0], p)
    assert out == pytest.approx([(100.0 ** lam - 1) / lam, 0.0])


def test_then_boxcox_when_winsorisation_fails():
    # Same data as the log_CT case: winsorising 5 points does not pass, so Box-Cox is applied to the originals.
    x = pd.DataFrame({"x": [1] * 30 + [2, 3, 5, 10, 20, 50, 100, 200]}, dtype=float)
    treater = Treater(then="boxcox").fit(x)
    p = treater.params_["x"]
    assert p["method"] == "boxcox" and p["minimum"] == 1.0
    lam = p["lambda"]
    assert treater.transform(x)[0]["x"].to_numpy() == pytest.approx((x["x"].to_numpy() ** lam - 1) / lam)


def test_transform_override_and_log_variants():
    x = pd.DataFrame({"a": [0.0, 1.0, 3.0, 9.0], "b": [1.0, 2.0, 4.0, 8.0], "c": [-9.0, -3.0, -1.0, 0.0]})
    t = Treater(overrides={"a": {"transform": "log_orig"}, "b": {"transform": "log_plain"},
                           "c": {"transform": "log_orig"}})
    out, _ = t.fit_transform(x)
    # log_CT_orig: log(x - 0 + 1) = log 1, log 2, log 4, log 10 -- applied although the rule passes.
    assert out["a"].tolist() == pytest.approx(np.log([1, 2, 4, 10]).tolist())
    assert out["b"].tolist() == pytest.approx(np.log([1, 2, 4, 8]).tolist())
    # c is negatively skewed: mirror image -log(max - x + 1) = -log 10, -log 4, -log 2, -log 1 (order kept).
    assert t.params_["c"]["sign"] == -1
    assert out["c"].tolist() == pytest.approx((-np.log([10, 4, 2, 1])).tolist())
    with pytest.raises(CompindexError, match=r"treatment of a: log_plain needs strictly positive values"):
        Treater(overrides={"a": {"transform": "log_plain"}}).fit(x)


def test_framework_transform_override_checked():
    area = {"code": "s", "indicators": [{"code": "x", "direction": 1, "treatment": {"transform": "sqrt"}}]}
    with pytest.raises(CompindexError, match=r"indicators\[0\] \(x\)\.treatment\.transform: unknown method 'sqrt'"):
        Framework.from_dict({"areas": [area]})
    area["indicators"][0]["treatment"] = {"transform": "boxcox", "force": True}
    with pytest.raises(CompindexError, match="transform cannot be combined"):
        Framework.from_dict({"areas": [area]})


# --- optimised weights ----------------------------------------------------------------------------------------

def two_area_run():
    # Normalised (min-max): A = x = (0, 100, 0, 100); B = mean(y1, y2) = (0, 50, 100, 50). Centred, A = 50 (-1, 1,
    # -1, 1) and B = 50 (-1, 0, 1, 0) are uncorrelated with sd ratio sd(B)/sd(A) = sqrt(2)/2. Then
    # corr(A, I) / corr(B, I) = (w_A sd_A) / (w_B sd_B), so equal correlations need w_A / w_B = 1/sqrt(2):
    # w_A = 1/(1 + sqrt 2) = 0.414214, w_B = 0.585786.
    fw = Framework.from_dict({"reference_year": 2024, "areas": [
        {"code": "A", "indicators": [{"code": "x", "direction": 1}]},
        {"code": "B", "indicators": [{"code": "y1", "direction": 1}, {"code": "y2", "direction": 1}]}]})
    return run_index(long({"x": [0, 1, 0, 1], "y1": [0, 0, 1, 1], "y2": [0, 1, 1, 0]}, "PQRS"), fw)


def test_optimised_area_weights_balance_correlations():
    run = two_area_run()
    opt = optimise_weights(run)
    assert opt.table["weight"].tolist() == pytest.approx([1 / (1 + 2 ** 0.5), 2 ** 0.5 / (1 + 2 ** 0.5)], abs=1e-5)
    assert opt.table["importance"].tolist() == pytest.approx([0.5, 0.5], abs=1e-6)
    # Equal weights: corr(A, I) = 0.816497 (= 2/sqrt 6), corr(B, I) = 0.577350 (= 1/sqrt 3).
    assert opt.table["initial_correlation"].tolist() == pytest.approx([2 / 6 ** 0.5, 1 / 3 ** 0.5])
    assert opt.success and opt.objective < 1e-10
    # The weights plug into rescore: both areas then correlate equally with the index.
    scores = run.rescore(weights=opt.weights)
    assert scores["A"].corr(scores["index"]) == pytest.approx(scores["B"].corr(scores["index"]), abs=1e-5)


def test_optimised_weights_with_target_importances_and_errors():
    run = two_area_run()
    # Targets 2:1 -> w_A / w_B = 2 sd_B / sd_A = sqrt 2 -> w_A = sqrt2 / (1 + sqrt2) = 0.585786.
    opt = optimise_weights(run, targets={"A": 2, "B": 1})
    assert opt.table.loc["A", "weight"] == pytest.approx(2 ** 0.5 / (1 + 2 ** 0.5), abs=1e-5)
    with pytest.raises(CompindexError, match=r"expected one target per area \['A', 'B'\]"):
        optimise_weights(run, targets={"A": 1})
    with pytest.raises(CompindexError, match="expected positive numbers"):
        optimise_weights(run, targets={"A": 1, "B": 0})
    with pytest.raises(CompindexError, match="expected 'areas' or 'indicators'"):
        optimise_weights(run, level="index")
