"""Weighting and aggregation (Handbook 2008, Step 7 "Weighting and aggregation"; COINr ``Aggregate`` with
``a_amean``, ``a_gmean``, ``a_hmean``) and competition ranking.

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

__all__ = ["aggregate", "competition_rank"]


def aggregate(values: pd.DataFrame, weights: Mapping[str, float] | pd.Series, method: str = "arithmetic",
              allow_zero: bool = False, level: str = "aggregate") -> pd.Series:
    """Weighted mean of the columns of ``values`` for each unit.

    Parameters
    ----------
    values : DataFrame, shape (n_units, n_components)
        Normalised indicators (or area scores), NaN where missing.
    weights : mapping or Series of str to float
        Positive weight of every column.
    method : {"arithmetic", "geometric", "harmonic"}
        ``sum(w x) / sum(w)``, ``exp(sum(w log x) / sum(w))`` or ``sum(w) / sum(w / x)``, the sums running over
        the unit's non-missing components.
    allow_zero : bool
        Geometric/harmonic only: let a zero input give an aggregate of 0 instead of raising.
    level : str
        Name of what is aggregated (area code or "index"), used in error messages.

    Returns
    -------
    Series, shape (n_units,)
        NaN for a unit with no component.

    Raises
    ------
    CompindexError
        Unknown method, missing or non-positive weight, or (geometric/harmonic) zero or negative inputs, naming
        every offending unit and component.

    Examples
    --------
    >>> import pandas as pd
    >>> x = pd.DataFrame({"a": [1.0, 50.5, 100.0], "b": [1.0, 100.0, 50.5]}, index=list("ABC"))
    >>> aggregate(x, {"a": 1, "b": 1}, "geometric").round(3).tolist()
    [1.0, 71.063, 71.063]
    """
    if method not in ("arithmetic", "geometric", "harmonic"):
        raise CompindexError(f"{level}: unknown aggregation method {method!r}; "
                             "expected arithmetic, geometric or harmonic")
    w = pd.Series(weights, dtype=float).reindex(values.columns)
    if w.isna().any() or (w <= 0).any():
        raise CompindexError(f"{level}: every component needs a positive weight; got {w.to_dict()}")
    x = values.to_numpy(dtype=float)
    present = ~np.isnan(x)
    wmat = np.where(present, w.to_numpy()[None, :], 0.0)
    wsum = wmat.sum(axis=1)
    has_any = wsum > 0
    safe_wsum = np.where(has_any, wsum, 1.0)
    if method == "arithmetic":
        result = (np.where(present, x, 0.0) * wmat).sum(axis=1) / safe_wsum
    else:
        bad = present & ((x < 0) | ((x == 0) & (not allow_zero)))
        if bad.any():
            cells = [f"{values.index[i]}/{values.columns[j]}={x[i, j]:g}" for i, j in zip(*np.nonzero(bad))]
            raise CompindexError(
                f"{level}: zero/negative value before {method} aggregation (defined only for strictly positive "
                f"values) for unit/indicator {', '.join(cells)}; normalise to a strictly positive scale "
                "(e.g. low: 1) or set stages.aggregation.allow_zero: true")
        zero = (present & (x == 0)).any(axis=1)
        positive = np.where(present & (x > 0), x, 1.0)
        if method == "geometric":
            result = np.exp((np.log(positive) * wmat).sum(axis=1) / safe_wsum)
        else:
            inverse = (wmat / positive).sum(axis=1)
            result = safe_wsum / np.where(has_any, inverse, 1.0)
        result = np.where(zero, 0.0, result)
    return pd.Series(np.where(has_any, result, np.nan), index=values.index, name=level)


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
