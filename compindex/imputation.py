"""Imputation of missing data (Handbook 2008, Step 4 "Imputation of missing data"; COINr ``Impute``).

Single imputation by the unconditional mean or median of the indicator over the scoring population, by the
mean or median of the unit's group (e.g. income group, OIC geographic group), or by the mean of the k nearest
units (``knn``, scikit-learn ``KNNImputer``). Units with no group, or whose group has no observed value, get the
``fallback`` (mean, median or none).

Imputation across years (:func:`fill_years`: carry-forward and linear interpolation) works on a unit's own
series in the long panel, BEFORE data selection; it is the ``imputation.time`` stage of
:func:`~compindex.run_index`. Imputed cells are flagged and observed cells
are never altered: every call compares observed cells before and after and raises if any changed (the fault of
bluefoxr/COINr#40, where re-sorting inside the group operation overwrote observed values).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import CompindexError

__all__ = ["TIME_METHODS", "check_observed_unchanged", "fill_years", "impute", "knn_impute"]

_STATS = {"mean": "mean", "median": "median", "group_mean": "mean", "group_median": "median"}
#: Imputation across years (:func:`fill_years`).
TIME_METHODS = ("none", "carry_forward", "interpolate")


def knn_impute(values: pd.DataFrame, n_neighbors: int = 5) -> pd.DataFrame:
    """k-nearest-neighbour imputation on standardised indicators (scikit-learn ``KNNImputer``).

    Each indicator is standardised to z-scores over its observed values (so that indicators in large units, e.g.
    patents, do not dominate the distance), a missing cell gets the unweighted mean of the ``n_neighbors``
    nearest units that observe that indicator, by ``nan_euclidean`` distance over the indicators both units
    have (``sqrt(n_total / n_common * sum of squared differences)``), and the result is scaled back. Troyanskaya
    et al. (2001) *Bioinformatics* 17(6); Handbook 2008 Step 4 (single imputation, "hot deck" family).

    Parameters
    ----------
    values : DataFrame, shape (n_units, n_indicators)
        Data with NaN for missing values.
    n_neighbors : int
        Number of neighbours (>= 1).

    Returns
    -------
    DataFrame, shape (n_units, n_indicators)
        Observed cells unchanged; a unit with no indicator observed, or an indicator observed nowhere, stays NaN.

    Raises
    ------
    CompindexError
        ``n_neighbors`` not a positive integer.
    """
    if isinstance(n_neighbors, bool) or not isinstance(n_neighbors, int) or n_neighbors < 1:
        raise CompindexError(f"imputation.n_neighbors: expected an integer >= 1, got {n_neighbors!r}")
    from sklearn.impute import KNNImputer

    x = values.astype(float)
    usable = x.columns[x.notna().any()]
    rows = x.index[x[usable].notna().any(axis=1)]
    out = x.copy()
    if len(usable) == 0 or len(rows) < 2:
        return out
    sub = x.loc[rows, usable]
    mean, sd = sub.mean(), sub.std(ddof=1).replace(0.0, 1.0).fillna(1.0)
    z = KNNImputer(n_neighbors=n_neighbors, keep_empty_features=True).fit_transform(((sub - mean) / sd).to_numpy())
    filled = pd.DataFrame(z, index=rows, columns=usable) * sd + mean
    # Back-transformation rounds observed cells by an ulp: keep them exactly.
    out.loc[rows, usable] = sub.where(sub.notna(), filled)
    return out


def fill_years(panel: pd.DataFrame, method: str, max_gap: int | None = None,
               last_year: int | None = None) -> pd.DataFrame:
    """Impute across years on the long panel, each unit and indicator from its own series.

    ``carry_forward`` (last observation carried forward, LOCF): a year without a value gets the latest earlier
    value at most ``max_gap`` years older, for years up to ``last_year`` (default: the last year of the panel).
    ``interpolate``: a year between two observed years gets the linear interpolation between them, when the gap
    (years strictly between them) is at most ``max_gap``; never extrapolated. Handbook 2008 Step 4
    (single imputation from the unit's own time series); COINr ``Impute`` on panel data (``impute_panel``:
    ``imp_type = "latest"`` / ``"linear"``).

    Where this sits: before data selection (:func:`~compindex.selection.latest_within_window`), on every
    indicator including denominators. With ``carry_forward`` a value older than the window can be selected
    (it is then attributed to the year it was carried to); ``interpolate`` adds values inside the observed range
    only, so it changes a single edition's selection only where the window ends between two observations, and
    matters for editions over time (:mod:`compindex.panel`).

    Parameters
    ----------
    panel : DataFrame, shape (n_rows, 4)
        Long panel ``unit, indicator, year, value`` (NaN values count as missing).
    method : {"none", "carry_forward", "interpolate"}
    max_gap : int, optional
        Years, >= 1 (default: unlimited).
    last_year : int, optional
        Last year filled by ``carry_forward``.

    Returns
    -------
    DataFrame
        ``unit, indicator, year, value, filled``: the observed rows (``filled`` False) plus one row per filled
        year (``filled`` True), sorted by unit, indicator and year.

    Raises
    ------
    CompindexError
        Unknown method, ``max_gap`` not a positive integer.

    Examples
    --------
    >>> p = pd.DataFrame({"unit": "A", "indicator": "x", "year": [2018, 2021], "value": [10.0, 16.0]})
    >>> fill_years(p, "interpolate")[["year", "value", "filled"]].values.tolist()
    [[2018, 10.0, False], [2019, 12.0, True], [2020, 14.0, True], [2021, 16.0, False]]
    """
    if method not in TIME_METHODS:
        raise CompindexError(f"imputation.time: unknown method {method!r}; expected one of {list(TIME_METHODS)}")
    if max_gap is not None and (isinstance(max_gap, bool) or not isinstance(max_gap, int) or max_gap < 1):
        raise CompindexError(f"imputation.max_gap: expected an integer >= 1 (years), got {max_gap!r}")
    cols = ["unit", "indicator", "year", "value"]
    obs = panel[cols].dropna(subset=["value"]).astype({"year": int, "value": float})
    obs = obs.sort_values(cols[:3]).reset_index(drop=True)
    obs["filled"] = False
    if method == "none" or obs.empty:
        return obs
    g = obs.groupby(["unit", "indicator"], sort=False)
    if method == "carry_forward":
        end = obs["year"].max() if last_year is None else int(last_year)
        nxt = g["year"].shift(-1).fillna(end + 1).astype(int)
        span = (nxt - obs["year"] - 1).clip(lower=0)
        if max_gap is not None:
            span = span.clip(upper=max_gap)
        rep = obs.loc[obs.index.repeat(span)].copy()
        rep["year"] = rep["year"] + rep.groupby(level=0).cumcount() + 1
    else:
        nxt_year, nxt_value = g["year"].shift(-1), g["value"].shift(-1)
        span = (nxt_year - obs["year"] - 1).fillna(0).astype(int)
        if max_gap is not None:
            span = span.where(span <= max_gap, 0)
        rep = obs.loc[obs.index.repeat(span)].copy()
        step = rep.groupby(level=0).cumcount() + 1
        slope = (nxt_value - obs["value"]) / (nxt_year - obs["year"])
        rep["year"] = rep["year"] + step
        rep["value"] = rep["value"] + step * slope.loc[rep.index]
    rep["filled"] = True
    return pd.concat([obs, rep], ignore_index=True).sort_values(cols[:3]).reset_index(drop=True)


def check_observed_unchanged(before: pd.DataFrame, after: pd.DataFrame) -> None:
    """Raise if any observed (non-NaN) cell of ``before`` differs in ``after``.

    Parameters
    ----------
    before, after : DataFrame, shape (n_units, n_indicators)
        Data before and after imputation, same labels.

    Raises
    ------
    CompindexError
        Naming up to ten changed unit/indicator cells.
    """
    if not before.index.equals(after.index) or not before.columns.equals(after.columns):
        raise CompindexError("imputation changed the units or indicators of the table")
    observed = before.notna().to_numpy()
    b, a = before.to_numpy(dtype=float), after.to_numpy(dtype=float)
    changed = observed & ~(a == b)
    if changed.any():
        cells = [f"{before.index[i]}/{before.columns[j]}" for i, j in zip(*np.nonzero(changed))][:10]
        raise CompindexError(f"imputation altered observed value(s): {cells}")


def impute(values: pd.DataFrame, method: str = "none", groups: pd.Series | None = None,
           fallback: str = "none", n_neighbors: int = 5) -> tuple[pd.DataFrame, pd.DataFrame, list[dict]]:
    """Impute missing values indicator by indicator.

    Parameters
    ----------
    values : DataFrame, shape (n_units, n_indicators)
        Data with NaN for missing values, indexed by unit.
    method : {"none", "mean", "median", "group_mean", "group_median", "knn"}
        Imputation method (COINr ``i_mean``, ``i_median``, ``i_mean_grp``, ``i_median_grp``; ``knn``:
        :func:`knn_impute`).
    groups : Series, shape (n_units,), optional
        Group label of each unit, indexed by unit; required by the group methods. Units absent from the index or
        with a missing label have no group. Alignment is by unit label, never by position.
    fallback : {"none", "mean", "median"}
        For the group methods: value for units with no group or whose group has no observed value.
    n_neighbors : int
        For ``knn``: number of neighbours.

    Returns
    -------
    imputed : DataFrame, shape (n_units, n_indicators)
        Observed values unchanged, imputed values filled in.
    mask : DataFrame of bool, shape (n_units, n_indicators)
        True where a value was imputed.
    log : list of dict
        One entry per indicator with missing values: counts imputed and the units left missing.

    Raises
    ------
    CompindexError
        Unknown method, a group method without ``groups``, or (internal check) an observed value changed.

    Examples
    --------
    >>> import pandas as pd
    >>> x = pd.DataFrame({"x": [10, None, 30, 50, None]}, index=list("ABCDE"))
    >>> g = pd.Series(["G1", "G1", "G2", "G2", None], index=list("ABCDE"))
    >>> imputed, mask, log = impute(x, "group_mean", groups=g)
    >>> imputed["x"].tolist()
    [10.0, 10.0, 30.0, 50.0, nan]
    """
    if method not in ("none", "knn", *_STATS):
        raise CompindexError(f"imputation.method: unknown method {method!r}; expected none, knn, "
                             f"{', '.join(_STATS)}")
    if fallback not in ("none", "mean", "median"):
        raise CompindexError(f"imputation.fallback: unknown method {fallback!r}; expected none, mean, median")
    grouped = method.startswith("group_")
    if grouped:
        if groups is None:
            raise CompindexError(f"imputation.method {method!r} needs a group label per unit (groups)")
        labels = groups.reindex(values.index)
    before = values.astype(float)
    out = before.copy()
    log: list[dict] = []
    if method == "knn":
        out = knn_impute(before, n_neighbors)
        for code in out.columns:
            missing = before[code].isna()
            if missing.any():
                log.append({"stage": "imputation", "indicator": code, "action": f"knn (k={n_neighbors})",
                            "imputed": int((missing & out[code].notna()).sum()),
                            "left_missing": list(out.index[out[code].isna()])})
        check_observed_unchanged(before, out)
        return out, before.isna() & out.notna(), log
    for code in out.columns:
        col = before[code]
        missing = col.isna()
        if method == "none" or not missing.any():
            if missing.any():
                log.append({"stage": "imputation", "indicator": code, "action": "none",
                            "imputed": 0, "left_missing": list(col.index[missing])})
            continue
        stat = _STATS[method]
        filled = pd.Series(np.nan, index=col.index)
        by_group = 0
        if grouped:
            group_stat = col.groupby(labels, dropna=True).agg(stat)
            filled = labels.map(group_stat).astype(float)
            by_group = int((missing & filled.notna()).sum())
            if fallback != "none" and col.notna().any():
                filled = filled.fillna(col.agg(fallback))
        elif col.notna().any():
            filled[:] = col.agg(stat)
        out[code] = col.where(~missing, filled)
        done = missing & out[code].notna()
        log.append({"stage": "imputation", "indicator": code, "action": method,
                    "imputed": int(done.sum()), "imputed_by_group": by_group if grouped else None,
                    "imputed_by_fallback": int(done.sum()) - by_group if grouped else None,
                    "left_missing": list(col.index[missing & out[code].isna()])})
    check_observed_unchanged(before, out)
    mask = before.isna() & out.notna()
    return out, mask, log
