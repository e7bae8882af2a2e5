"""Weights (Handbook 2008, Step 6/7 "Weighting"): equal, manual (the framework's), PCA-based and effective weights.

* ``equal``: every indicator of an area and every area of the index weighs the same.
* ``manual``: the weights written in the framework file.
* ``pca``: Handbook 2008, section 6.1 "Weights based on principal components analysis", reduced to one factor:
  per area, the first principal component of the correlation matrix of its indicators (units with all of them);
  the weight of an indicator is its squared loading scaled to unit sum, which for a unit-length eigenvector is the
  squared eigenvector entry. Area weights come the same way from the area scores.
* effective weights (COINr ``get_eff_weights``): weights normalised to sum 1 inside each aggregation group and
  multiplied down the tree, i.e. the share of each indicator in the index under arithmetic aggregation with full
  data.
* optimised weights (:func:`optimise_weights`, COINr ``get_opt_weights``): weights found numerically so that the
  correlation of each component with the index matches target importances (Becker, Saisana, Paruolo and
  Vandecasteele 2017, "Weights and importance in composite indicators: closing the gap", *Ecological
  Indicators* 80).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .errors import CompindexError

__all__ = ["WEIGHT_METHODS", "OptimisedWeights", "effective_weights", "first_component", "optimise_weights",
           "pca_weights"]

#: Weighting methods by name (``stages.weights.method``).
WEIGHT_METHODS = ("manual", "equal", "pca")


def first_component(X: pd.DataFrame, name: str = "area") -> tuple[pd.Series, float, int]:
    """First principal component of the correlation matrix of the columns of ``X`` (complete cases).

    Handbook 2008, section 6.1 "Weights based on principal components analysis" (one factor); eigenvectors by
    ``numpy.linalg.eigh``.

    Parameters
    ----------
    X : DataFrame, shape (n_units, n_components)
        Indicators (or area scores); rows with any NaN are left out.
    name : str
        Name used in error messages.

    Returns
    -------
    eigenvector : Series, shape (n_components,)
        Unit-length first eigenvector, sign chosen so that its sum is positive.
    explained : float
        Share of the total variance explained by the first component (first eigenvalue / n_components).
    n_units : int
        Number of complete rows used.

    Raises
    ------
    CompindexError
        Fewer than 3 complete rows, or a column with zero variance over them.
    """
    data = X.dropna().to_numpy(dtype=float)
    if X.shape[1] == 1:
        return pd.Series([1.0], index=X.columns), 1.0, len(data)
    if len(data) < 3:
        raise CompindexError(f"{name}: principal components need at least 3 units with every component, "
                             f"got {len(data)}")
    sd = data.std(axis=0, ddof=1)
    if (sd == 0).any():
        raise CompindexError(f"{name}: zero variance over complete cases for {list(X.columns[sd == 0])}")
    values, vectors = np.linalg.eigh(np.corrcoef(data, rowvar=False))
    v = vectors[:, -1]
    v = v if v.sum() >= 0 else -v
    return pd.Series(v, index=X.columns), float(values[-1] / values.sum()), len(data)


def pca_weights(X: pd.DataFrame, name: str = "area") -> pd.Series:
    """Weights from the first principal component (Handbook 2008, section 6.1, one factor).

    Parameters
    ----------
    X : DataFrame, shape (n_units, n_components)
        Normalised indicators of one area (or the area scores); rows with any NaN are left out.
    name : str
        Name used in error messages.

    Returns
    -------
    Series, shape (n_components,)
        Squared first-eigenvector entries, summing to 1.

    Raises
    ------
    CompindexError
        As :func:`first_component`, or a component with (numerically) zero loading, which would get weight 0.

    Examples
    --------
    >>> import pandas as pd
    >>> x = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [2.0, 4, 5, 9]})
    >>> pca_weights(x).round(3).tolist()
    [0.5, 0.5]
    """
    vector, _, _ = first_component(X, name)
    w = vector ** 2
    if (w < 1e-12).any():
        raise CompindexError(f"{name}: PCA gives weight 0 to {list(w.index[w < 1e-12])} (uncorrelated with "
                             "the first component); use manual or equal weights")
    return w / w.sum()


def effective_weights(indicator_weights: Mapping[str, Mapping[str, float]],
                      area_weights: Mapping[str, float]) -> pd.DataFrame:
    """Effective weight of each indicator in the index (COINr ``get_eff_weights``).

    Parameters
    ----------
    indicator_weights : mapping of area code to mapping of indicator code to float
        Weights inside each area.
    area_weights : mapping of area code to float
        Weights of the areas in the index.

    Returns
    -------
    DataFrame, shape (n_indicators, 4)
        Indexed by indicator: ``area``, ``weight_in_area`` and ``area_weight`` (each normalised to sum 1 in its
        group) and ``effective`` (their product; sums to 1 over all indicators).

    Raises
    ------
    CompindexError
        Weights of a group that do not sum to a positive number, or an area without area weight.

    Examples
    --------
    >>> effective_weights({"p1": {"a": 1, "b": 3}, "p2": {"c": 1}}, {"p1": 1, "p2": 1})["effective"].tolist()
    [0.125, 0.375, 0.5]
    """
    total = float(sum(area_weights.values()))
    if not total > 0:
        raise CompindexError(f"area weights must sum to a positive number, got {dict(area_weights)}")
    rows = []
    for area, inds in indicator_weights.items():
        if area not in area_weights:
            raise CompindexError(f"area {area}: no area weight given")
        s = float(sum(inds.values()))
        if not s > 0:
            raise CompindexError(f"area {area}: indicator weights must sum to a positive number, got {dict(inds)}")
        for code, w in inds.items():
            rows.append({"indicator": code, "area": area, "weight_in_area": w / s,
                         "area_weight": area_weights[area] / total,
                         "effective": w / s * area_weights[area] / total})
    return pd.DataFrame(rows).set_index("indicator")


@dataclass
class OptimisedWeights:
    """Result of :func:`optimise_weights`.

    Attributes
    ----------
    weights : dict
        Full weights ``{"indicators": {area: {indicator: w}}, "areas": {area: w}}`` for
        :meth:`~compindex.pipeline.IndexRun.rescore`; the optimised level sums to 1.
    table : DataFrame
        Per component: ``weight`` (optimised), ``initial_weight``, ``target`` (importance, scaled to sum 1),
        ``correlation`` with the index at the optimum, ``importance`` (correlation scaled to sum 1),
        ``initial_correlation``.
    objective : float
        Sum of squared differences between ``importance`` and ``target`` at the optimum.
    success : bool
        Whether the optimiser reports convergence.
    """

    weights: dict
    table: pd.DataFrame
    objective: float
    success: bool


def optimise_weights(run: Any, level: str = "areas", targets: Mapping[str, float] | None = None,
                     tol: float = 1e-10, maxiter: int = 5000) -> OptimisedWeights:
    """Weights such that each component's correlation with the index matches a target importance.

    COINr ``get_opt_weights(optype = "balance")`` (Becker et al. 2017): with ``r_i`` the Pearson correlation of
    component ``i`` with the index (units with both values) and ``t_i`` the target importances, minimise
    ``sum_i (r_i / sum r - t_i / sum t)^2`` over positive weights. The index is recomputed by
    :meth:`~compindex.pipeline.IndexRun.rescore` for each trial (the run's aggregation, other weights as run);
    the weights are optimised on a log scale relative to the first component by Nelder-Mead
    (``scipy.optimize.minimize``), started from the run's weights, and returned scaled to sum 1. At
    ``level="indicators"`` weights are renormalised inside each area, so an area's only indicator cannot change
    its influence: the targets are then met only as far as the structure allows (see ``objective``).

    Parameters
    ----------
    run : IndexRun
        A run of :func:`~compindex.run_index`.
    level : {"areas", "indicators"}
        Optimise the area weights (components = area scores) or all indicator weights (components =
        indicators' normalised values, area weights as run).
    targets : mapping of str to float, optional
        Target importance per component code (positive; default equal: "balanced" influence).
    tol : float
        Tolerance on the objective (``fatol``/``xatol`` of Nelder-Mead).
    maxiter : int
        Maximum iterations.

    Returns
    -------
    OptimisedWeights

    Raises
    ------
    CompindexError
        Unknown level, targets not covering exactly the components or not positive.
    """
    from scipy.optimize import minimize

    if level not in ("areas", "indicators"):
        raise CompindexError(f"optimise_weights.level: expected 'areas' or 'indicators', got {level!r}")
    base = run.weights
    normalised = run.tables["normalised"]
    if level == "areas":
        codes = list(base["areas"])
        initial = np.array([base["areas"][c] for c in codes], dtype=float)
    else:
        pairs = [(a, c) for a, inds in base["indicators"].items() for c in inds]
        codes = [c for _, c in pairs]
        initial = np.array([base["indicators"][a][c] for a, c in pairs], dtype=float)
    if targets is None:
        targets = {c: 1.0 for c in codes}
    if set(targets) != set(codes):
        raise CompindexError(f"optimise_weights.targets: expected one target per {level[:-1]} {codes}, got "
                             f"{sorted(targets)}")
    t = np.array([targets[c] for c in codes], dtype=float)
    if not (np.isfinite(t) & (t > 0)).all():
        raise CompindexError(f"optimise_weights.targets: expected positive numbers, got {dict(targets)}")
    t = t / t.sum()

    def weights_for(w: np.ndarray) -> dict:
        out = {"indicators": {a: dict(inds) for a, inds in base["indicators"].items()}, "areas": dict(base["areas"])}
        if level == "areas":
            out["areas"] = dict(zip(codes, w))
        else:
            for (a, c), v in zip(pairs, w):
                out["indicators"][a][c] = v
        return out

    def correlations(w: np.ndarray) -> np.ndarray:
        scores = run.rescore(weights=weights_for(w))
        comps = scores[codes] if level == "areas" else normalised[codes]
        return comps.corrwith(scores["index"]).to_numpy(dtype=float)

    # Weights are scale-free: the first log-weight stays 0 so the simplex does not wander along the scale.
    def full(theta: np.ndarray) -> np.ndarray:
        return np.exp(np.concatenate([[0.0], theta]))

    def objective(theta: np.ndarray) -> float:
        r = correlations(full(theta))
        if not np.isfinite(r).all() or r.sum() <= 0:
            return 1e6
        return float(((r / r.sum() - t) ** 2).sum())

    start = np.log(initial[1:] / initial[0])
    res = minimize(objective, start, method="Nelder-Mead",
                   options={"fatol": tol, "xatol": 1e-6, "maxiter": maxiter, "maxfev": 4 * maxiter})
    w = full(res.x)
    w = w / w.sum()
    r, r0 = correlations(w), correlations(initial)
    table = pd.DataFrame({"weight": w, "initial_weight": initial / initial.sum(), "target": t, "correlation": r,
                          "importance": r / r.sum(), "initial_correlation": r0}, index=pd.Index(codes, name=level))
    return OptimisedWeights(weights_for(w), table, float(res.fun), bool(res.success))
