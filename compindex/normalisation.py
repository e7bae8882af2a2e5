"""Normalisation honouring indicator direction (Handbook 2008, Step 6 "Normalisation of data"; COINr
``Normalise`` with ``n_minmax``, ``n_zscore``, ``n_goalposts``).

Each indicator is first multiplied by its direction (+1 higher is better, -1 lower is better, as COINr does), so
that after normalisation a higher value is always better:

* ``minmax``: ``low + (d x - min(d x)) / (max(d x) - min(d x)) * (high - low)`` (default [0, 100]);
* ``zscore``: ``(d x - mean(d x)) / sd(d x)`` with the sample standard deviation (ddof = 1, as R ``sd``);
* ``goalposts``: ``low + (x - g_lo) / (g_hi - g_lo) * (high - low)`` for direction +1 and
  ``low + (g_hi - x) / (g_hi - g_lo) * (high - low)`` for -1, clipped to [low, high] (fixed bounds make editions
  comparable over time).

Zero variance (max == min, or sd == 0) would give 0/0 and a NaN that wipes out every aggregate using the
indicator (bluefoxr/COINr ``n_minmax`` returns NaN with a warning). Policy ``error`` raises
:class:`~compindex.errors.CompindexError` naming the indicator; policy ``drop`` removes it and records it in
``dropped_`` (its weight is then renormalised away in aggregation).

:class:`Normaliser` follows the scikit-learn estimator contract: ``fit`` on the scoring population, ``transform``
any units on that scale; min-max and goalpost results are clipped to [low, high].
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .errors import CompindexError

__all__ = ["Normaliser", "n_goalposts", "n_minmax", "n_zscore"]


def n_minmax(x, direction: int = 1, low: float = 0.0, high: float = 100.0, name: str = "x") -> np.ndarray:
    """Min-max normalisation of one indicator (COINr ``n_minmax``), honouring direction.

    Parameters
    ----------
    x : array_like, shape (n,)
    direction : {1, -1}
    low, high : float
        Target scale.
    name : str
        Indicator code used in error messages.

    Returns
    -------
    ndarray, shape (n,)

    Raises
    ------
    CompindexError
        Zero range (all observed values equal) or no observed value.

    Examples
    --------
    >>> n_minmax([6.2, 15.0, 0.6], direction=-1).round(2).tolist()
    [61.11, 0.0, 100.0]
    """
    frame = pd.DataFrame({name: x})
    return Normaliser("minmax", low, high).fit(frame, {name: direction}).transform(frame)[name].to_numpy()


def n_zscore(x, direction: int = 1, name: str = "x") -> np.ndarray:
    """Standardisation of one indicator (COINr ``n_zscore``), honouring direction.

    Parameters
    ----------
    x : array_like, shape (n,)
    direction : {1, -1}
    name : str
        Indicator code used in error messages.

    Returns
    -------
    ndarray, shape (n,)
        ``direction * (x - mean) / sd`` with the sample standard deviation.

    Raises
    ------
    CompindexError
        Zero standard deviation or fewer than two observed values.
    """
    frame = pd.DataFrame({name: x})
    return Normaliser("zscore").fit(frame, {name: direction}).transform(frame)[name].to_numpy()


def n_goalposts(x, goalposts: tuple[float, float], direction: int = 1, low: float = 0.0, high: float = 100.0,
                name: str = "x") -> np.ndarray:
    """Distance between fixed goalposts (COINr ``n_goalposts``), clipped to [low, high].

    Parameters
    ----------
    x : array_like, shape (n,)
    goalposts : (float, float)
        Fixed ``(g_lo, g_hi)`` in the indicator's own unit, ``g_lo < g_hi``.
    direction : {1, -1}
    low, high : float
    name : str
        Indicator code used in error messages.

    Returns
    -------
    ndarray, shape (n,)
    """
    frame = pd.DataFrame({name: x})
    return Normaliser("goalposts", low, high).fit(frame, {name: direction}, {name: goalposts}) \
        .transform(frame)[name].to_numpy()


class Normaliser:
    """Normalisation estimator (fit on the scoring population, transform any units).

    Parameters
    ----------
    method : {"minmax", "zscore", "goalposts"}
    low, high : float
        Target scale of ``minmax`` and ``goalposts``.
    zero_variance : {"error", "drop"}
        What to do with an indicator of zero range / zero standard deviation.

    Attributes
    ----------
    params_ : dict of str to dict
        Per kept indicator: ``direction`` and ``min``/``max`` (minmax, of the directed values), ``mean``/``sd``
        (zscore, of the directed values) or ``goalposts``.
    dropped_ : list of str
        Indicators dropped for zero variance.
    log_ : list of dict
    """

    def __init__(self, method: str = "minmax", low: float = 0.0, high: float = 100.0,
                 zero_variance: str = "error"):
        if method not in ("minmax", "zscore", "goalposts"):
            raise CompindexError(f"normalisation.method: unknown method {method!r}; "
                                 "expected minmax, zscore or goalposts")
        if zero_variance not in ("error", "drop"):
            raise CompindexError(f"zero_variance: unknown policy {zero_variance!r}; expected error or drop")
        self.method, self.low, self.high, self.zero_variance = method, float(low), float(high), zero_variance

    def fit(self, X: pd.DataFrame, directions: Mapping[str, int], goalposts: Mapping | None = None
            ) -> Normaliser:
        """Learn the normalisation parameters of each column.

        Parameters
        ----------
        X : DataFrame, shape (n_units, n_indicators)
        directions : mapping of str to {1, -1}
            Direction of every column.
        goalposts : mapping of str to (float, float), optional
            Required for every column with method ``goalposts``.

        Returns
        -------
        self

        Raises
        ------
        CompindexError
            Missing or invalid direction or goalposts; zero variance under policy ``error``.
        """
        self.params_, self.dropped_, self.log_ = {}, [], []
        for code in X.columns:
            direction = directions.get(code)
            if direction not in (1, -1):
                raise CompindexError(f"indicator {code}: direction must be +1 or -1, got {direction!r}")
            x = direction * X[code].to_numpy(dtype=float)
            obs = x[~np.isnan(x)]
            if self.method == "goalposts":
                gp = (goalposts or {}).get(code)
                if gp is None or not gp[0] < gp[1]:
                    raise CompindexError(f"indicator {code}: goalpost normalisation needs goalposts "
                                         f"[low, high] with low < high, got {gp!r}")
                self.params_[code] = {"direction": direction, "goalposts": [float(gp[0]), float(gp[1])]}
                continue
            if self.method == "minmax":
                degenerate = obs.size == 0 or obs.max() == obs.min()
                params = {} if obs.size == 0 else {"min": float(obs.min()), "max": float(obs.max())}
                what = "zero range (max == min)"
            else:
                sd = float(np.std(obs, ddof=1)) if obs.size > 1 else 0.0
                degenerate = sd == 0
                params = {} if obs.size == 0 else {"mean": float(obs.mean()), "sd": sd}
                what = "zero standard deviation"
            if degenerate:
                if self.zero_variance == "error":
                    raise CompindexError(f"indicator {code}: {what} over {obs.size} observed value(s); "
                                         f"cannot {self.method}-normalise (zero_variance policy: error)")
                self.dropped_.append(code)
                self.log_.append({"stage": "normalisation", "indicator": code, "action": "dropped",
                                  "reason": what, "policy": "zero_variance: drop"})
                continue
            self.params_[code] = {"direction": direction, **params}
        return self

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """Normalise the fitted columns of ``X`` (dropped and unseen columns are removed).

        Parameters
        ----------
        X : DataFrame, shape (n_units, n_indicators)

        Returns
        -------
        DataFrame, shape (n_units, n_kept)
            Normalised values; ``minmax`` and ``goalposts`` clipped to [low, high].
        """
        out = {}
        span = self.high - self.low
        for code, p in self.params_.items():
            if code not in X.columns:
                continue
            x = X[code].to_numpy(dtype=float)
            if self.method == "goalposts":
                g_lo, g_hi = p["goalposts"]
                frac = (x - g_lo) / (g_hi - g_lo) if p["direction"] == 1 else (g_hi - x) / (g_hi - g_lo)
                out[code] = np.clip(self.low + frac * span, self.low, self.high)
            elif self.method == "minmax":
                frac = (p["direction"] * x - p["min"]) / (p["max"] - p["min"])
                out[code] = np.clip(self.low + frac * span, self.low, self.high)
            else:
                out[code] = (p["direction"] * x - p["mean"]) / p["sd"]
        return pd.DataFrame(out, index=X.index, columns=[c for c in self.params_ if c in X.columns])

    def fit_transform(self, X: pd.DataFrame, directions: Mapping[str, int], goalposts: Mapping | None = None
                      ) -> pd.DataFrame:
        """``fit`` then ``transform`` on the same units."""
        return self.fit(X, directions, goalposts).transform(X)
