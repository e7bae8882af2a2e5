"""Weighting and aggregation (Handbook 2008, Step 7 "Weighting and aggregation"; COINr ``Aggregate`` with
``a_amean``, ``a_gmean``, ``a_hmean``, ``a_genmean``, ``a_copeland`` and ``dat_thresh``) and competition ranking.

Missing-data rule: each unit's aggregate is the weighted mean over the components it has, with the weights
renormalised over those components (COINr's default ``a_amean`` behaviour, i.e. missing values are "ignored", the
Handbook's implicit imputation by the mean of the other components). A unit with no component has no aggregate
(NaN): "a unit with no value in an area has no area score".

Geometric and harmonic means are defined only for strictly positive values. Min-max normalisation to [0, 100]
maps the worst unit to exactly 0, so a zero before geometric aggregation is a modelling choice, not a data
accident (bluefoxr/COINr#47, #65): by default every zero or negative input raises
:class:`~compindex.errors.CompindexError` naming each offending unit and component; with ``allow_zero=True`` a
zero makes the aggregate 0 (the limit of both means), negatives still raise. Rescaling to [1, 100] is the other
way out.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .errors import CompindexError

__all__ = ["AGGREGATION_METHODS", "aggregate", "competition_rank"]


#: Aggregation methods by name (COINr ``a_amean``, ``a_gmean``, ``a_hmean``, ``a_genmean``, ``a_copeland``).
AGGREGATION_METHODS = ("arithmetic", "geometric", "harmonic", "generalised", "copeland")


def aggregate(values: pd.DataFrame, weights: Mapping[str, float] | pd.Series, method: str = "arithmetic",
              allow_zero: bool = False, level: str = "aggregate", power: float | None = None,
              dat_thresh: float | None = None) -> pd.Series:
    """Weighted mean (or Copeland score) of the columns of ``values`` for each unit.

    Parameters
    ----------
    values : DataFrame, shape (n_units, n_components)
        Normalised indicators (or area scores), NaN where missing.
    weights : mapping or Series of str to float
        Positive weight of every column.
    method : {"arithmetic", "geometric", "harmonic", "generalised", "copeland"}
        ``sum(w x) / sum(w)``, ``exp(sum(w log x) / sum(w))``, ``sum(w) / sum(w / x)``, the generalised (power)
        mean ``(sum(w x^p) / sum(w))^(1/p)`` (COINr ``a_genmean``; p = 1 arithmetic, p = -1 harmonic), the sums
        running over the unit's non-missing components; or the Copeland outranking score (COINr
        ``a_copeland``, Handbook 2008 section 6.2 "non-compensatory multi-criteria approach"): with weights
        summing to 1, ``e_jk`` = weight of the components where j beats k plus half the weight of ties, and the
        score of j is the number of units k with ``e_jk > 0.5`` minus those with ``e_jk < 0.5``. For a pair with
        missing values only the components both units have count, their weights renormalised (COINr drops them
        without renormalising).
    allow_zero : bool
        Geometric, harmonic and generalised with p < 0: let a zero input give an aggregate of 0 instead of raising.
    level : str
        Name of what is aggregated (area code or "index"), used in error messages.
    power : float, optional
        Exponent p of the generalised mean (required by it, p != 0; p -> 0 is the geometric mean).
    dat_thresh : float, optional
        Data-availability threshold in [0, 1] (COINr ``Aggregate(dat_thresh = )``): a unit with a share of
        non-missing components below it gets no aggregate (NaN).

    Returns
    -------
    Series, shape (n_units,)
        NaN for a unit with no component (or below ``dat_thresh``).

    Raises
    ------
    CompindexError
        Unknown method, missing or non-positive weight, missing or zero power, ``dat_thresh`` outside [0, 1],
        or (geometric/harmonic, generalised with p <= 0) zero or negative inputs, (generalised with p > 0)
        negative inputs, naming every offending unit and component.

    Examples
    --------
    >>> import pandas as pd
    >>> x = pd.DataFrame({"a": [1.0, 50.5, 100.0], "b": [1.0, 100.0, 50.5]}, index=list("ABC"))
    >>> aggregate(x, {"a": 1, "b": 1}, "geometric").round(3).tolist()
    [1.0, 71.063, 71.063]
    >>> aggregate(x, {"a": 1, "b": 1}, "generalised", power=2).round(3).tolist()
    [1.0, 79.216, 79.216]
    """
    if method not in AGGREGATION_METHODS:
        raise CompindexError(f"{level}: unknown aggregation method {method!r}; "
                             f"expected one of {list(AGGREGATION_METHODS)}")
    if method == "generalised" and (power is None or not np.isfinite(power) or power == 0):
        raise CompindexError(f"{level}: the generalised mean needs a power p != 0 (p -> 0 is the geometric "
                             f"mean), got {power!r}")
    if dat_thresh is not None and not 0 <= dat_thresh <= 1:
        raise CompindexError(f"{level}: dat_thresh must be a share between 0 and 1, got {dat_thresh!r}")
    w = pd.Series(weights, dtype=float).reindex(values.columns)
    if w.isna().any() or (w <= 0).any():
        raise CompindexError(f"{level}: every component needs a positive weight; got {w.to_dict()}")
    x = values.to_numpy(dtype=float)
    present = ~np.isnan(x)
    wmat = np.where(present, w.to_numpy()[None, :], 0.0)
    wsum = wmat.sum(axis=1)
    has_any = wsum > 0
    if dat_thresh is not None and x.shape[1]:
        has_any &= present.mean(axis=1) >= dat_thresh
    safe_wsum = np.where(has_any, wsum, 1.0)
    if method == "arithmetic":
        result = (np.where(present, x, 0.0) * wmat).sum(axis=1) / safe_wsum
    elif method == "copeland":
        result = _copeland(x, present, w.to_numpy())
    elif method == "generalised" and power > 0:
        _check_sign(values, x, present & (x < 0), method, level)
        result = ((np.where(present, x, 0.0) ** power * wmat).sum(axis=1) / safe_wsum) ** (1 / power)
    else:
        _check_sign(values, x, present & ((x < 0) | ((x == 0) & (not allow_zero))), method, level)
        zero = (present & (x == 0)).any(axis=1)
        positive = np.where(present & (x > 0), x, 1.0)
        if method == "geometric":
            result = np.exp((np.log(positive) * wmat).sum(axis=1) / safe_wsum)
        elif method == "harmonic":
            inverse = (wmat / positive).sum(axis=1)
            result = safe_wsum / np.where(has_any, inverse, 1.0)
        else:
            result = ((positive ** power * wmat).sum(axis=1) / safe_wsum) ** (1 / power)
        result = np.where(zero, 0.0, result)
    return pd.Series(np.where(has_any, result, np.nan), index=values.index, name=level)


def _check_sign(values: pd.DataFrame, x: np.ndarray, bad: np.ndarray, method: str, level: str) -> None:
    if bad.any():
        cells = [f"{values.index[i]}/{values.columns[j]}={x[i, j]:g}" for i, j in zip(*np.nonzero(bad))]
        raise CompindexError(
            f"{level}: zero/negative value before {method} aggregation (defined only for strictly positive "
            f"values; the generalised mean with p > 0 for non-negative ones) for unit/indicator "
            f"{', '.join(cells)}; normalise to a strictly positive scale (e.g. low: 1) or set "
            "stages.aggregation.allow_zero: true")


def _copeland(x: np.ndarray, present: np.ndarray, w: np.ndarray) -> np.ndarray:
    # Pairwise (units x units x components) comparison: fine for tens to a few hundred units.
    both = present[:, None, :] & present[None, :, :]
    wb = np.where(both, w[None, None, :], 0.0)
    total = wb.sum(axis=2)
    xi, xj = x[:, None, :], x[None, :, :]
    wins = np.where(both & (xi > xj), wb, 0.0).sum(axis=2) + 0.5 * np.where(both & (xi == xj), wb, 0.0).sum(axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = wins / total
    outrank = np.where(total > 0, np.sign(share - 0.5), 0.0)
    np.fill_diagonal(outrank, 0.0)
    return outrank.sum(axis=1)


def competition_rank(scores: pd.Series | pd.DataFrame, decimals: int | None = 2) -> pd.Series | pd.DataFrame:
    """Standard competition ranking ("1224"), higher is better, of scores rounded to published precision.

    Scores are rounded to ``decimals`` first so that values that print the same tie (85.5 and 85.50000000001).
    Tied units share the best rank and the next rank is skipped (1, 1, 3). Units without a score get no rank
    (<NA>), never the last rank.

    Parameters
    ----------
    scores : Series, shape (n_units,), or DataFrame, shape (n_units, n_columns)
        Scores (each column ranked separately).
    decimals : int or None
        Published precision; None ranks unrounded values.

    Returns
    -------
    Series or DataFrame of pandas ``Int64``, same shape as ``scores``

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.Series([70.0, 85.5, 85.50000000001, 60.0, None], index=list("ABCDE"))
    >>> competition_rank(s, decimals=2).tolist()
    [3, 1, 1, 4, <NA>]
    """
    if isinstance(scores, pd.DataFrame):
        return scores.apply(lambda col: competition_rank(col, decimals))
    values = scores.astype(float)
    if decimals is not None:
        values = values.round(decimals)
    return values.rank(method="min", ascending=False, na_option="keep").astype("Int64")
