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
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .errors import CompindexError

__all__ = ["WEIGHT_METHODS", "effective_weights", "first_component", "pca_weights"]

#: Weighting methods by name (``stages.weights.method``).
WEIGHT_METHODS = ("manual", "equal", "pca")


def first_component(X: pd.DataFrame, name: str = "area") -> tuple[pd.Series, float, int]:
    """First principal component of the correlation matrix of the columns of ``X`` (complete cases).

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
