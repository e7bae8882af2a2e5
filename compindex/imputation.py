"""Imputation of missing data (Handbook 2008, Step 4 "Imputation of missing data"; COINr ``Impute``).

Single imputation by the unconditional mean or median of the indicator over the scoring population, or by the
mean or median of the unit's group (e.g. income group, OIC geographic group). Units with no group, or whose group
has no observed value, get the ``fallback`` (mean, median or none). Imputed cells are flagged and observed cells
are never altered: every call compares observed cells before and after and raises if any changed (the fault of
bluefoxr/COINr#40, where re-sorting inside the group operation overwrote observed values).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import CompindexError

__all__ = ["check_observed_unchanged", "impute"]

_STATS = {"mean": "mean", "median": "median", "group_mean": "mean", "group_median": "median"}


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
           fallback: str = "none") -> tuple[pd.DataFrame, pd.DataFrame, list[dict]]:
    """Impute missing values indicator by indicator.

    Parameters
    ----------
    values : DataFrame, shape (n_units, n_indicators)
        Data with NaN for missing values, indexed by unit.
    method : {"none", "mean", "median", "group_mean", "group_median"}
        Imputation method (COINr ``i_mean``, ``i_median``, ``i_mean_grp``, ``i_median_grp``).
    groups : Series, shape (n_units,), optional
        Group label of each unit, indexed by unit; required by the group methods. Units absent from the index or
        with a missing label have no group. Alignment is by unit label, never by position.
    fallback : {"none", "mean", "median"}
        For the group methods: value for units with no group or whose group has no observed value.

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
    if method not in ("none", *_STATS):
        raise CompindexError(f"imputation.method: unknown method {method!r}; expected none, {', '.join(_STATS)}")
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
