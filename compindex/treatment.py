"""Outlier treatment: skewness/kurtosis rule, winsorisation, log transform.

Handbook 2008, Step 5 (data treatment before normalisation, section 1.5 "outliers") and the JRC practice encoded
in COINr ``Treat``: an indicator is flagged when |skewness| > 2 AND (excess) kurtosis > 3.5, both with the
sample-adjusted estimators used by Excel ``SKEW``/``KURT``, pandas ``.skew()``/``.kurt()`` and COINr
``skew``/``kurt`` (e1071 type 2). A flagged indicator is winsorised one point at a time (COINr ``winsorise``):
on the side of the skew, the most extreme value is replaced by the next most extreme; values tied at the extreme
are replaced together and all counted. This repeats until the rule passes or ``max_points`` points have been
treated. If the rule still fails, winsorisation is undone and the original values are log-transformed with
COINr's ``log_CT``: ``log(x - min(x) + 0.01 (max(x) - min(x)))``; for a negatively skewed indicator the
mirror image ``-log(max(x) - x + 0.01 (max(x) - min(x)))`` is used so that the order of units is kept (an
extension: COINr applies ``log_CT`` whatever the sign of the skew).

Other transforms than ``log_CT`` (``then`` or the per-indicator override ``{"transform": name}``, which applies
the transform directly, without trying winsorisation), COINr's treatment functions:

* ``log`` -- ``log_CT`` above;
* ``log_orig`` -- COINr ``log_CT_orig``, the original COIN Tool log ``log(x - min + 1)`` (mirrored for negative
  skew as ``log_CT``);
* ``log_plain`` -- ``log(x)``, only for strictly positive data (else an error naming the indicator);
* ``boxcox`` -- COINr ``boxcox(x, lambda, makepos = TRUE)``: ``((x - min + 1)^lambda - 1) / lambda`` (``log`` at
  lambda = 0), with lambda fitted on the scoring population by maximum likelihood (``scipy.stats.boxcox``; Box
  and Cox 1964); increasing in ``x`` whatever lambda, so no mirror is needed.

Per-indicator overrides: ``{"skip": True}`` leaves it untreated; ``{"force": True, "max_points": n}`` winsorises
``n`` points whatever the rule says (COINr ``force_win``/``winmax``; the case of bluefoxr/COINr#53). A forced
indicator is never log-transformed afterwards: the analyst chose the number of points.

:class:`Treater` follows the scikit-learn estimator contract: ``fit`` learns the treatment of each indicator on
the scoring population, ``transform`` applies it to any units (winsorisation becomes clipping at the fitted
bounds; the log transform uses the fitted minimum and range and clips at the fitted extremes).
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .errors import CompindexError

__all__ = ["TRANSFORMS", "Treater", "apply_transform", "check_skew_kurt", "fit_transform_params", "kurtosis",
           "log_ct", "skewness", "winsorise"]

#: Transforms available as ``then`` and as the ``transform`` override (see the module docstring).
TRANSFORMS = ("log", "log_orig", "log_plain", "boxcox")


def skewness(x) -> float:
    """Sample-adjusted skewness (Excel ``SKEW``, pandas ``Series.skew``, COINr ``skew``).

    Parameters
    ----------
    x : array_like, shape (n,)
        Values; NaN are ignored.

    Returns
    -------
    float
        ``n / ((n-1)(n-2)) * sum(((x - mean) / s)^3)`` with ``s`` the sample standard deviation; NaN when fewer
        than 3 values, 0 when all values are equal.
    """
    return float(pd.Series(x, dtype=float).skew())


def kurtosis(x) -> float:
    """Sample-adjusted excess kurtosis (Excel ``KURT``, pandas ``Series.kurt``, COINr ``kurt``).

    Parameters
    ----------
    x : array_like, shape (n,)
        Values; NaN are ignored.

    Returns
    -------
    float
        Excess kurtosis (0 for a normal distribution); NaN when fewer than 4 values, 0 when all values are equal.
    """
    return float(pd.Series(x, dtype=float).kurt())


def check_skew_kurt(x, skew: float = 2.0, kurt: float = 3.5) -> tuple[bool, float, float]:
    """The JRC outlier rule (COINr ``check_SkewKurt``).

    Parameters
    ----------
    x : array_like, shape (n,)
        Values; NaN are ignored.
    skew, kurt : float
        Thresholds for absolute skewness and excess kurtosis.

    Returns
    -------
    passes : bool
        False only when ``|skewness| > skew`` and ``kurtosis > kurt`` (too few values to estimate -> passes).
    skewness, kurtosis : float
    """
    s, k = skewness(x), kurtosis(x)
    fails = bool(abs(s) > skew and k > kurt)  # NaN compares False: too few points never fail
    return not fails, s, k


def winsorise(x, max_points: int = 5, skew: float = 2.0, kurt: float = 3.5, force: bool = False
              ) -> tuple[np.ndarray, int, np.ndarray]:
    """Winsorise one point at a time until the skew/kurtosis rule passes (COINr ``winsorise``).

    At each step the side is chosen by the sign of the current skewness (>= 0: high side). All values tied at
    the extreme are replaced by the next value and all counted; the loop stops when the rule passes (unless
    ``force``), when ``max_points`` points have been treated, or when no distinct next value remains. Unlike
    COINr, the count is cumulative over iterations.

    Parameters
    ----------
    x : array_like, shape (n,)
        Values; NaN are left alone.
    max_points : int
        Maximum number of points to winsorise.
    skew, kurt : float
        Rule thresholds (see :func:`check_skew_kurt`).
    force : bool
        Winsorise up to ``max_points`` even if the rule passes.

    Returns
    -------
    treated : ndarray, shape (n,)
    n_points : int
        Number of points replaced.
    changed : ndarray of bool, shape (n,)
        True for replaced points.

    Examples
    --------
    >>> winsorise([-20, 0, 1, 1, 2, 2, 3, 3, 4, 30], max_points=1, force=True)[0].tolist()
    [-20.0, 0.0, 1.0, 1.0, 2.0, 2.0, 3.0, 3.0, 4.0, 4.0]
    """
    values = np.array(x, dtype=float)
    changed = np.zeros(values.shape, dtype=bool)
    n_points = 0
    while n_points < max_points:
        passes, s, _ = check_skew_kurt(values, skew, kurt)
        if passes and not force:
            break
        finite = values[~np.isnan(values)]
        extreme = finite.max() if not s < 0 else finite.min()
        rest = finite[finite != extreme]
        if rest.size == 0:
            break
        at_extreme = values == extreme
        values[at_extreme] = rest.max() if not s < 0 else rest.min()
        changed |= at_extreme
        n_points += int(at_extreme.sum())
    return values, n_points, changed


def log_ct(x, minimum: float | None = None, maximum: float | None = None, sign: int = 1) -> np.ndarray:
    """COINr ``log_CT`` transform: ``log(x - min + 0.01 (max - min))``.

    Parameters
    ----------
    x : array_like, shape (n,)
        Values; NaN stay NaN.
    minimum, maximum : float, optional
        Fitted extremes (default: those of ``x``); values outside are clipped to them first.
    sign : {1, -1}
        -1 applies the mirror image ``-log(max - x + 0.01 (max - min))`` for negatively skewed data.

    Returns
    -------
    ndarray, shape (n,)
        Transformed values, increasing in ``x`` for both signs.
    """
    values = np.asarray(x, dtype=float)
    lo = np.nanmin(values) if minimum is None else minimum
    hi = np.nanmax(values) if maximum is None else maximum
    shift = 0.01 * (hi - lo)
    if shift <= 0:  # constant data: nothing to transform, avoid log(0)
        return values.copy()
    clipped = np.clip(values, lo, hi)
    return np.log(clipped - lo + shift) if sign == 1 else -np.log(hi - clipped + shift)


def fit_transform_params(x, kind: str, sign: int = 1, code: str = "x") -> dict:
    """Fit a transform of :data:`TRANSFORMS` on the scoring population's values.

    Parameters
    ----------
    x : array_like, shape (n,)
        Values (NaN ignored).
    kind : {"log", "log_orig", "log_plain", "boxcox"}
        Transform (module docstring; COINr ``log_CT``, ``log_CT_orig``, ``log``, ``boxcox``).
    sign : {1, -1}
        -1 mirrors the log variants for negatively skewed data (ignored by ``log_plain`` and ``boxcox``).
    code : str
        Indicator code, for error messages.

    Returns
    -------
    dict
        ``method`` (= kind), ``minimum``, ``maximum``, ``sign`` and, for ``boxcox``, ``lambda``.

    Raises
    ------
    CompindexError
        Unknown kind; ``log_plain`` with a value <= 0; ``boxcox`` on constant data or fewer than 2 values.

    Examples
    --------
    >>> p = fit_transform_params([1.0, 2.0, 4.0, 8.0, 100.0], "boxcox")
    >>> round(p["lambda"], 4)
    -0.3196
    """
    if kind not in TRANSFORMS:
        raise CompindexError(f"treatment of {code}: unknown transform {kind!r}; expected one of {list(TRANSFORMS)}")
    values = np.asarray(x, dtype=float)
    finite = values[~np.isnan(values)]
    params = {"method": kind, "minimum": float(finite.min()), "maximum": float(finite.max()), "sign": int(sign)}
    if kind == "log_plain":
        if (finite <= 0).any():
            raise CompindexError(f"treatment of {code}: log_plain needs strictly positive values, got minimum "
                                 f"{finite.min()!r}; use log (log_CT) or boxcox")
        params["sign"] = 1
    elif kind == "boxcox":
        from scipy import stats

        if finite.size < 2 or finite.min() == finite.max():
            raise CompindexError(f"treatment of {code}: Box-Cox needs at least two distinct values")
        params["sign"] = 1
        params["lambda"] = float(stats.boxcox(finite - finite.min() + 1.0)[1])
    return params


def apply_transform(x, params: dict) -> np.ndarray:
    """Apply a transform fitted by :func:`fit_transform_params` (values clipped to the fitted extremes first).

    Parameters
    ----------
    x : array_like, shape (n,)
        Values; NaN stay NaN.
    params : dict
        From :func:`fit_transform_params`.

    Returns
    -------
    ndarray, shape (n,)
        Transformed values, increasing in ``x``.

    Examples
    --------
    >>> apply_transform([0.0, 9.0], {"method": "log_orig", "minimum": 0.0, "maximum": 9.0, "sign": 1}).round(4)
    array([0.    , 2.3026])
    """
    lo, hi, sign, kind = params["minimum"], params["maximum"], params["sign"], params["method"]
    if kind == "log":
        return log_ct(x, lo, hi, sign)
    clipped = np.clip(np.asarray(x, dtype=float), lo, hi)
    if kind == "log_orig":
        return np.log(clipped - lo + 1.0) if sign == 1 else -np.log(hi - clipped + 1.0)
    if kind == "log_plain":
        return np.log(clipped)
    from scipy import special

    return special.boxcox(clipped - lo + 1.0, params["lambda"])


class Treater:
    """Outlier treatment estimator (fit on the scoring population, transform any units).

    Handbook 2008, Step 5 (outliers); the JRC rule and one-point-at-a-time winsorisation of COINr ``Treat``
    (module docstring).

    Parameters
    ----------
    skew, kurt : float
        Rule thresholds (default 2 and 3.5).
    max_points : int
        Default maximum number of winsorised points per indicator (default 5).
    then : {"log", "log_orig", "log_plain", "boxcox", "none"}
        What to do when winsorisation does not make the rule pass (undo it and apply this transform, fitted on
        the original values; :data:`TRANSFORMS`).
    overrides : mapping of str to mapping, optional
        Per-indicator ``{"skip": True}``, ``{"force": True, "max_points": n}`` or ``{"transform": name}`` (apply
        the transform whatever the rule says, no winsorisation).

    Attributes
    ----------
    params_ : dict of str to dict
        Per indicator: ``method`` ("none", "winsorise", "skip" or a transform of :data:`TRANSFORMS`),
        ``n_points``, ``low``/``high`` clipping bounds, transform parameters, skewness and kurtosis before and
        after.
    log_ : list of dict
        One entry per indicator.
    """

    def __init__(self, skew: float = 2.0, kurt: float = 3.5, max_points: int = 5, then: str = "log",
                 overrides: Mapping[str, Mapping] | None = None):
        self.skew, self.kurt, self.max_points, self.then = skew, kurt, max_points, then
        self.overrides = dict(overrides or {})

    def fit(self, X: pd.DataFrame) -> Treater:
        """Learn the treatment of each column of ``X``.

        Parameters
        ----------
        X : DataFrame, shape (n_units, n_indicators)
            Indicator values of the scoring population in their own units, NaN where missing.

        Returns
        -------
        self
        """
        self.params_, self.log_ = {}, []
        for code in X.columns:
            self.params_[code] = self._fit_one(code, X[code].to_numpy(dtype=float))
            entry = {"stage": "treatment", "indicator": code, **self.params_[code]}
            self.log_.append(entry)
        return self

    def _fit_one(self, code: str, x: np.ndarray) -> dict:
        override = self.overrides.get(code, {})
        passes, s0, k0 = check_skew_kurt(x, self.skew, self.kurt)
        base = {"skew_before": _num(s0), "kurtosis_before": _num(k0), "n_points": 0}
        if override.get("skip"):
            return {"method": "skip", **base, "action": "skipped by override"}
        if override.get("transform"):
            return self._transform_one(code, x, override["transform"], 1 if not s0 < 0 else -1, base,
                                       "transform forced by override")
        force = bool(override.get("force", False))
        if passes and not force:
            return {"method": "none", **base, "action": "passes the skew/kurtosis rule"}
        max_points = int(override.get("max_points", self.max_points))
        treated, n_points, changed = winsorise(x, max_points, self.skew, self.kurt, force=force)
        passes, s1, k1 = check_skew_kurt(treated, self.skew, self.kurt)
        if passes or force or self.then == "none":
            # Winsorised points all end at the new extreme of their side, so clipping there reproduces them;
            # both sides can be treated when the skew changes sign between iterations.
            low = float(np.nanmin(treated)) if (treated[changed] > x[changed]).any() else None
            high = float(np.nanmax(treated)) if (treated[changed] < x[changed]).any() else None
            return {"method": "winsorise", "skew_before": _num(s0), "kurtosis_before": _num(k0),
                    "n_points": n_points, "low": low, "high": high, "skew_after": _num(s1),
                    "kurtosis_after": _num(k1), "passes_after": passes,
                    "action": f"winsorised {n_points} point(s)" + (" (forced)" if force else "")}
        return self._transform_one(code, x, self.then, 1 if s0 >= 0 else -1, base,
                                   f"winsorising {n_points} point(s) did not pass; undone and {self.then} applied")

    def _transform_one(self, code: str, x: np.ndarray, kind: str, sign: int, base: dict, action: str) -> dict:
        params = fit_transform_params(x, kind, sign, code)
        passes, s2, k2 = check_skew_kurt(apply_transform(x, params), self.skew, self.kurt)
        return {**base, **params, "skew_after": _num(s2), "kurtosis_after": _num(k2), "passes_after": passes,
                "action": action}

    def transform(self, X: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Apply the fitted treatment.

        Parameters
        ----------
        X : DataFrame, shape (n_units, n_indicators)
            Columns must have been seen in :meth:`fit` (unseen ones pass through untreated).

        Returns
        -------
        treated : DataFrame, shape (n_units, n_indicators)
        changed : DataFrame of bool, shape (n_units, n_indicators)
            True where treatment changed the cell.
        """
        out = X.astype(float).copy()
        for code in out.columns:
            p = self.params_.get(code, {"method": "none"})
            x = out[code].to_numpy(dtype=float)
            if p["method"] == "winsorise":
                out[code] = np.clip(x, -np.inf if p["low"] is None else p["low"],
                                    np.inf if p["high"] is None else p["high"])
            elif p["method"] in TRANSFORMS:
                out[code] = apply_transform(x, p)
        before = X.astype(float)
        changed = (out != before) & before.notna()
        return out, changed

    def fit_transform(self, X: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        """:meth:`fit` then :meth:`transform` on the same units.

        Parameters
        ----------
        X : DataFrame, shape (n_units, n_indicators)
            Indicator values in their own units, NaN where missing.

        Returns
        -------
        treated : DataFrame, shape (n_units, n_indicators)
        changed : DataFrame of bool, shape (n_units, n_indicators)
            True where treatment changed the cell.
        """
        return self.fit(X).transform(X)


def _num(value: float) -> float | None:
    return None if value is None or np.isnan(value) else float(value)
