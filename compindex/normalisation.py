"""Normalisation honouring indicator direction (Handbook 2008, Step 6 "Normalisation of data"; COINr
``Normalise`` and its ``n_*`` functions).

Each indicator is first multiplied by its direction d (+1 higher is better, -1 lower is better, as COINr
``Normalise.numeric`` does), so that after normalisation a higher value is always better. With y = d x:

* ``minmax``: ``low + (y - min y) / (max y - min y) * (high - low)`` (default [0, 100]; COINr ``n_minmax``);
* ``zscore``: ``(y - mean y) / sd y`` with the sample standard deviation (ddof = 1, as R ``sd``; ``n_zscore``);
* ``goalposts``: ``low + (x - g_lo) / (g_hi - g_lo) * (high - low)`` for d = +1 and
  ``low + (g_hi - x) / (g_hi - g_lo) * (high - low)`` for d = -1, clipped to [low, high] (``n_goalposts``; fixed
  bounds make editions comparable over time);
* ``scaled``: ``(y - min y) / (max y - min y)`` on [0, 1] (min-max without the factor 100);
* ``dist2max``: ``1 - (max y - y) / (max y - min y)`` (COINr ``n_dist2max``; numerically the same as ``scaled``);
* ``dist2ref``: ``1 - (y_ref - y) / (y_ref - min y)`` with y_ref the value of the reference unit
  (COINr ``n_dist2ref``), capped at 1 with ``cap_max``;
* ``dist2targ``: ``1 - (d t - y) / (d t - min y)`` with t the indicator's ``target`` (COINr ``n_dist2targ``),
  capped at 1 with ``cap_max``;
* ``fracmax``: ``x / max x`` (COINr ``n_fracmax``); for d = -1 the inverse ratio ``min x / x`` (COINr would
  divide the negated values by their maximum, which reverses the order for positive data), so values must be
  strictly positive;
* ``rank``: ``rank(y)`` with ties at the minimum (R ``rank(ties.method = "min")``; COINr ``n_rank``), higher is
  better;
* ``borda``: ``rank(y) - 1`` (COINr ``n_borda``): the number of units with a lower value;
* ``prank``: percentile rank ``(rank(y) - 1) / (n - 1)`` on [0, 1] (COINr ``n_prank``).

Zero variance (max == min, or sd == 0; for ``dist2ref``/``dist2targ`` a reference or target equal to the minimum)
would give 0/0 and a NaN that wipes out every aggregate using the indicator (bluefoxr/COINr ``n_minmax`` returns
NaN with a warning). Policy ``error`` raises :class:`~compindex.errors.CompindexError` naming the indicator;
policy ``drop`` removes it and records it in ``dropped_`` (its weight is then renormalised away in aggregation).

:class:`Normaliser` follows the scikit-learn estimator contract: ``fit`` on the scoring population, ``transform``
any units on that scale. ``minmax``, ``goalposts``, ``scaled`` and ``dist2max`` results are clipped to their
scale; rank-based methods place another unit among the fitted values (its rank is one plus the number of fitted
values strictly below it).
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .errors import CompindexError

__all__ = ["NORMALISATION_METHODS", "Normaliser", "n_goalposts", "n_minmax", "n_zscore"]

#: Normalisation methods by name (COINr ``n_<name>``).
NORMALISATION_METHODS = ("minmax", "zscore", "goalposts", "scaled", "dist2max", "dist2ref", "dist2targ",
                         "fracmax", "rank", "borda", "prank")


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



_CLIPPED = ("minmax", "goalposts", "scaled", "dist2max")
_RANKS = ("rank", "borda", "prank")


class Normaliser:
    """Normalisation estimator (fit on the scoring population, transform any units).

    Handbook 2008, Step 6 "Normalisation of data"; the methods and parameters of COINr ``Normalise`` (formulas in
    the module docstring).

    Parameters
    ----------
    method : str
        One of :data:`NORMALISATION_METHODS` (see the module docstring for each formula).
    low, high : float
        Target scale of ``minmax`` and ``goalposts``.
    zero_variance : {"error", "drop"}
        What to do with an indicator of zero range / zero standard deviation.
    reference : str, optional
        Reference unit of ``dist2ref`` (a row label of the fitted table).
    cap_max : bool
        ``dist2ref``/``dist2targ``: cap scores above the reference or target at 1.

    Attributes
    ----------
    params_ : dict of str to dict
        Per kept indicator: ``direction`` and what the method learnt from the directed values: ``min``/``max``,
        ``mean``/``sd``, ``goalposts``, ``ref`` (directed reference value), ``target`` (directed target) or
        ``sorted`` (rank methods: the observed directed values, sorted).
    dropped_ : list of str
        Indicators dropped for zero variance.
    log_ : list of dict

    Raises
    ------
    CompindexError
        Unknown method or zero-variance policy, ``dist2ref`` without a reference unit.
    """

    def __init__(self, method: str = "minmax", low: float = 0.0, high: float = 100.0,
                 zero_variance: str = "error", reference: str | None = None, cap_max: bool = False):
        if method not in NORMALISATION_METHODS:
            raise CompindexError(f"normalisation.method: unknown method {method!r}; "
                                 f"expected one of {list(NORMALISATION_METHODS)}")
        if zero_variance not in ("error", "drop"):
            raise CompindexError(f"zero_variance: unknown policy {zero_variance!r}; expected error or drop")
        if method == "dist2ref" and reference is None:
            raise CompindexError("normalisation.reference: method 'dist2ref' needs the code of a reference unit")
        self.method, self.low, self.high, self.zero_variance = method, float(low), float(high), zero_variance
        self.reference, self.cap_max = reference, bool(cap_max)

    def fit(self, X: pd.DataFrame, directions: Mapping[str, int], goalposts: Mapping | None = None,
            targets: Mapping[str, float] | None = None) -> Normaliser:
        """Learn the normalisation parameters of each column.

        Parameters
        ----------
        X : DataFrame, shape (n_units, n_indicators)
        directions : mapping of str to {1, -1}
            Direction of every column.
        goalposts : mapping of str to (float, float), optional
            Required for every column with method ``goalposts``.
        targets : mapping of str to float, optional
            Required for every column with method ``dist2targ`` (in the indicator's own unit).

        Returns
        -------
        self

        Raises
        ------
        CompindexError
            Missing or invalid direction, goalposts or target; reference unit absent or without a value;
            ``fracmax`` on values that are not positive; zero variance under policy ``error``.
        """
        self.params_, self.dropped_, self.log_ = {}, [], []
        if self.method == "dist2ref" and self.reference not in X.index:
            raise CompindexError(f"normalisation.reference: unit {self.reference!r} is not among the fitted units")
        self._ref_pos = list(X.index).index(self.reference) if self.method == "dist2ref" else None
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
            params, what, degenerate = self._fit_one(code, x, obs, direction, targets)
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

    def _fit_one(self, code, x, obs, direction, targets) -> tuple[dict, str, bool]:
        if obs.size == 0:
            return {}, "no observed value", True
        lo, hi = float(obs.min()), float(obs.max())
        if self.method == "zscore":
            sd = float(np.std(obs, ddof=1)) if obs.size > 1 else 0.0
            return {"mean": float(obs.mean()), "sd": sd}, "zero standard deviation", sd == 0
        params = {"min": lo, "max": hi}
        if self.method == "dist2ref":
            ref = x[self._ref_pos]
            if np.isnan(ref):
                raise CompindexError(f"indicator {code}: reference unit {self.reference!r} has no value "
                                     "(dist2ref needs it)")
            return {**params, "ref": float(ref)}, "reference value equal to the minimum", ref == lo
        if self.method == "dist2targ":
            target = (targets or {}).get(code)
            if target is None:
                raise CompindexError(f"indicator {code}: method 'dist2targ' needs a target for the indicator")
            t = direction * float(target)
            return {**params, "target": t}, "target equal to the minimum", t == lo
        if self.method == "fracmax":
            raw = direction * obs
            if (direction == 1 and (raw.min() < 0 or hi <= 0)) or (direction == -1 and raw.min() <= 0):
                raise CompindexError(f"indicator {code}: fraction of max needs positive values "
                                     f"(strictly positive when lower is better), got min {raw.min():g}")
        if self.method in _RANKS:
            params = {"sorted": np.sort(obs).tolist()}
        return params, "zero range (max == min)", hi == lo

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """Normalise the fitted columns of ``X`` (dropped and unseen columns are removed).

        Parameters
        ----------
        X : DataFrame, shape (n_units, n_indicators)

        Returns
        -------
        DataFrame, shape (n_units, n_kept)
            Normalised values; ``minmax`` and ``goalposts`` clipped to [low, high], ``scaled`` and
            ``dist2max`` to [0, 1].
        """
        out = {}
        span = self.high - self.low
        for code, p in self.params_.items():
            if code not in X.columns:
                continue
            x = X[code].to_numpy(dtype=float)
            y = p["direction"] * x
            m = self.method
            if m == "goalposts":
                g_lo, g_hi = p["goalposts"]
                frac = (x - g_lo) / (g_hi - g_lo) if p["direction"] == 1 else (g_hi - x) / (g_hi - g_lo)
                val = self.low + frac * span
            elif m == "minmax":
                val = self.low + (y - p["min"]) / (p["max"] - p["min"]) * span
            elif m == "zscore":
                val = (y - p["mean"]) / p["sd"]
            elif m in ("scaled", "dist2max"):
                val = 1 - (p["max"] - y) / (p["max"] - p["min"]) if m == "dist2max" else \
                    (y - p["min"]) / (p["max"] - p["min"])
            elif m in ("dist2ref", "dist2targ"):
                ref = p["ref"] if m == "dist2ref" else p["target"]
                val = 1 - (ref - y) / (ref - p["min"])
                if self.cap_max:
                    val = np.minimum(val, 1.0)
            elif m == "fracmax":
                # direction -1: min(x) / x, written on y = -x as max(y) / y
                val = x / p["max"] if p["direction"] == 1 else p["max"] / y
            else:
                srt = np.asarray(p["sorted"])
                below = np.searchsorted(srt, y, side="left").astype(float)  # values strictly below
                val = below + 1 if m == "rank" else below if m == "borda" else below / (srt.size - 1)
                val[np.isnan(y)] = np.nan
            if m in _CLIPPED:
                val = np.clip(val, *((self.low, self.high) if m in ("minmax", "goalposts") else (0.0, 1.0)))
            out[code] = val
        return pd.DataFrame(out, index=X.index, columns=[c for c in self.params_ if c in X.columns])

    def fit_transform(self, X: pd.DataFrame, directions: Mapping[str, int], goalposts: Mapping | None = None,
                      targets: Mapping[str, float] | None = None) -> pd.DataFrame:
        """:meth:`fit` then :meth:`transform` on the same units.

        Parameters
        ----------
        X, directions, goalposts, targets
            As for :meth:`fit`.

        Returns
        -------
        DataFrame, shape (n_units, n_kept)
            As :meth:`transform`.

        Raises
        ------
        CompindexError
            As :meth:`fit`.
        """
        return self.fit(X, directions, goalposts, targets).transform(X)
