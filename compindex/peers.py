"""Peers for learning: for each unit and area, the most similar units in context that score clearly higher.

Similarity is the Gower (1971) distance over mixed-type context variables (*Biometrics* 27(4)): for variable
``k``, numeric ``d_k = |x_ik - x_jk| / range_k`` (range over the units given), categorical ``d_k = 0`` if equal
else 1; the distance is the weighted mean of ``d_k`` over the variables both units have (weights default 1).
Typical context: income group, region or OIC geographic group, main language (categorical), log GDP per capita,
log population (numeric; pass the logs). Numeric columns (pandas numeric dtypes) are treated as numeric, all
others as categorical.

A peer of unit ``i`` in area ``a`` is a unit scoring at least ``margin`` points higher in ``a`` (default 10); the
``n`` nearest by Gower distance are returned (ties broken by the higher score, then the code), with the reasons:
categorical variables that match, and numeric variables within ``close`` of the range (default 10 %).
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .errors import CompindexError

__all__ = ["gower_distance", "peers"]


def gower_distance(context: pd.DataFrame, weights: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Gower distance between every pair of units.

    Parameters
    ----------
    context : DataFrame, shape (n_units, n_variables)
        Indexed by unit; numeric columns are numeric variables, the others categorical. NaN = unknown.
    weights : mapping of column to float, optional
        Weight of each variable (default 1 each; non-negative).

    Returns
    -------
    DataFrame, shape (n_units, n_units)
        Distances in [0, 1]; NaN where two units share no known variable.

    Raises
    ------
    CompindexError
        Empty context, a weight for an unknown column or a negative weight.

    Examples
    --------
    >>> c = pd.DataFrame({"income": ["H", "H", "L"], "gdp": [10.0, 8.0, 6.0]}, index=list("ABC"))
    >>> gower_distance(c).round(3).values.tolist()
    [[0.0, 0.25, 1.0], [0.25, 0.0, 0.75], [1.0, 0.75, 0.0]]
    """
    if context.shape[1] == 0 or context.shape[0] == 0:
        raise CompindexError("peers.context: expected at least one unit and one context variable")
    weights = dict(weights or {})
    unknown = sorted(set(weights) - set(context.columns))
    if unknown:
        raise CompindexError(f"peers.weights: unknown context variable(s) {unknown}")
    if any(v < 0 for v in weights.values()):
        raise CompindexError(f"peers.weights: expected non-negative weights, got {weights}")
    n = len(context)
    total, wsum = np.zeros((n, n)), np.zeros((n, n))
    for col in context.columns:
        w = float(weights.get(col, 1.0))
        x = context[col]
        known = x.notna().to_numpy()
        both = np.outer(known, known)
        if pd.api.types.is_numeric_dtype(x):
            v = x.to_numpy(dtype=float)
            rng = np.nanmax(v) - np.nanmin(v) if known.any() else 0.0
            d = np.abs(v[:, None] - v[None, :]) / rng if rng > 0 else np.zeros((n, n))
        else:
            v = x.astype(object).to_numpy()
            d = (v[:, None] != v[None, :]).astype(float)
        total += np.where(both, w * np.nan_to_num(d), 0.0)
        wsum += np.where(both, w, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(wsum > 0, total / wsum, np.nan)
    return pd.DataFrame(out, index=context.index, columns=context.index)


def _reasons(context: pd.DataFrame, a: str, b: str, close: float, ranges: dict) -> list[str]:
    out = []
    for col in context.columns:
        x, y = context.at[a, col], context.at[b, col]
        if pd.isna(x) or pd.isna(y):
            continue
        if col in ranges:
            if ranges[col] > 0 and abs(x - y) / ranges[col] <= close:
                out.append(f"similar {col}")
        elif x == y:
            out.append(f"same {col} ({x})")
    return out


def peers(scores: pd.DataFrame, context: pd.DataFrame, n: int = 3, margin: float = 10.0, close: float = 0.1,
          weights: Mapping[str, float] | None = None, areas: list[str] | None = None) -> pd.DataFrame:
    """The ``n`` most similar units scoring at least ``margin`` points higher, per unit and area.

    Parameters
    ----------
    scores : DataFrame, shape (n_units, n_areas)
        Area (and index) scores indexed by unit, e.g. ``run.tables["scores"]``.
    context : DataFrame
        Context variables indexed by unit (see :func:`gower_distance`); units missing from it have no peers.
    n : int
        Peers per unit and area (>= 1).
    margin : float
        Minimum score advantage of a peer, in score points.
    close : float
        Numeric variables within this share of their range count as a reason ("similar ...").
    weights : mapping, optional
        Variable weights for the Gower distance.
    areas : list of str, optional
        Areas considered (default every column of ``scores``).

    Returns
    -------
    DataFrame
        Rows ``unit, area, peer_rank, peer, distance, score, peer_score, advantage, reasons`` (``reasons`` a
        list of str).

    Raises
    ------
    CompindexError
        ``n`` < 1, negative ``margin``, an unknown area, as :func:`gower_distance`.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise CompindexError(f"peers.n: expected an integer >= 1, got {n!r}")
    if margin < 0:
        raise CompindexError(f"peers.margin: expected a non-negative number of points, got {margin!r}")
    areas = list(scores.columns) if areas is None else areas
    bad = [a for a in areas if a not in scores.columns]
    if bad:
        raise CompindexError(f"peers.areas: unknown area(s) {bad}; scores have {list(scores.columns)}")
    units = [u for u in scores.index if u in context.index]
    ctx = context.loc[units]
    dist = gower_distance(ctx, weights)
    ranges = {c: float(ctx[c].max() - ctx[c].min()) for c in ctx.columns if pd.api.types.is_numeric_dtype(ctx[c])}
    rows = []
    for area in areas:
        s = scores.loc[units, area]
        for unit in units:
            if pd.isna(s[unit]):
                continue
            cand = s[(s >= s[unit] + margin) & s.notna()].index
            d = dist.loc[unit, cand].dropna()
            order = sorted(d.index, key=lambda p: (d[p], -s[p], p))[:n]
            for k, p in enumerate(order, 1):
                rows.append({"unit": unit, "area": area, "peer_rank": k, "peer": p, "distance": float(d[p]),
                             "score": float(s[unit]), "peer_score": float(s[p]),
                             "advantage": float(s[p] - s[unit]), "reasons": _reasons(ctx, unit, p, close, ranges)})
    cols = ["unit", "area", "peer_rank", "peer", "distance", "score", "peer_score", "advantage", "reasons"]
    return pd.DataFrame(rows, columns=cols)
