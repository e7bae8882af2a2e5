"""Uncertainty and sensitivity analysis of an index (Handbook 2008, Step 7 "Robustness and sensitivity";
Saisana, Saltelli and Tarantola 2005, *J. R. Stat. Soc. A* 168(2); COINr ``get_sensitivity``).

Monte Carlo over the modelling choices ("uncertain inputs"):

* ``weights``: every indicator and area weight multiplied by an independent factor uniform on
  ``[1 - noise, 1 + noise]`` (noise in [0, 1));
* ``normalisation``, ``aggregation``, ``imputation``: a list of alternatives, each a method name or a partial
  stage mapping merged into the framework's stage (``"geometric"`` sets both aggregation levels;
  ``{"method": "minmax", "low": 1}``), drawn with equal probability;
* ``treatment``: ``[True, False]`` (outlier treatment on/off).

Every replication is defined by one row of a unit hypercube ``U`` (one column per weight factor and per discrete
input): factor ``1 + noise (2u - 1)``, alternative ``floor(u k)``. :func:`sample_parameters` draws ``U`` from a seed
(``numpy.random.default_rng``), :func:`sobol_indices` from SALib's Sobol' sequence, so both feed the same
evaluation. The parameters of every replication are kept (:attr:`UncertaintyResult.parameters`) and
:meth:`UncertaintyResult.framework` gives the framework of any replication, which :func:`~compindex.run_index`
reproduces.

The engine is vectorised: the (imputation, treatment, normalisation) tables are computed once per combination
drawn; the weighted means of all replications sharing a combination and an aggregation alternative are one
matrix product per area (``W_area @ f(X)^T`` with ``f`` = identity, log, 1/x or x^p), then one batched sum over
areas; ranks of all replications and levels come from one ``scipy.stats.rankdata`` call. :func:`run_uncertainty_naive` re-runs :func:`~compindex.run_index` per
replication and gives the same ranks (tests and ``bench/bench_uncertainty.py``).

Weights are the nominal run's (manual, equal or PCA weights as run), perturbed; they are not refitted per
replication. Copeland aggregation is not supported here.
"""
from __future__ import annotations

import copy
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .errors import CompindexError
from .framework import Framework
from .imputation import impute
from .normalisation import Normaliser
from .pipeline import IndexRun, run_index
from .treatment import Treater

__all__ = ["UNCERTAIN_INPUTS", "UncertaintyResult", "UncertaintySpec", "run_uncertainty", "run_uncertainty_naive",
           "sample_parameters", "sobol_indices"]

#: Inputs that can be made uncertain, in the order of the columns of the unit hypercube after the weights.
UNCERTAIN_INPUTS = ("weights", "normalisation", "aggregation", "imputation", "treatment")
_DISCRETE = UNCERTAIN_INPUTS[1:]


@dataclass
class UncertaintySpec:
    """Validated uncertain inputs of a Monte Carlo analysis for one framework.

    Build it with :meth:`from_dict`.

    Attributes
    ----------
    noise : float
        Weight noise as a fraction in [0, 1): each weight is drawn uniformly in ``w (1 ± noise)``.
    alternatives : dict of str to list of dict
        Per discrete input (imputation, treatment, normalisation, aggregation), the full stage mappings.
    labels : dict of str to list of str
        Per discrete input, a readable label per alternative.
    run : IndexRun
        The nominal run.
    groups : DataFrame, optional
        Grouping columns for group imputation alternatives.
    indicators, areas : list of str
        Codes whose weights are perturbed, in order (kept indicators, then areas).
    area_of : dict of str to str
        Area code of each indicator.
    base_weights : ndarray, shape (n_weights,)
        The nominal run's weights, indicators then areas, in the order of ``indicators + areas``.
    """

    noise: float
    alternatives: dict[str, list[dict]]
    labels: dict[str, list[str]]
    run: IndexRun
    groups: pd.DataFrame | None = None
    indicators: list[str] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    area_of: dict[str, str] = field(default_factory=dict)
    base_weights: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @classmethod
    def from_dict(cls, spec: dict, run: IndexRun, groups: pd.DataFrame | None = None) -> UncertaintySpec:
        """Validate the uncertain inputs against the framework of ``run``; no replication is computed.

        Parameters
        ----------
        spec : dict
            ``{"weights": noise, "normalisation": [...], "aggregation": [...], "imputation": [...],
            "treatment": [True, False]}``; every key optional (absent = fixed at the nominal choice).
        run : IndexRun
            Nominal run (:func:`~compindex.run_index`) on the scoring population.
        groups : DataFrame, optional
            Grouping columns for group imputation alternatives.

        Returns
        -------
        UncertaintySpec

        Raises
        ------
        CompindexError
            Unknown key, noise outside [0, 1), an empty list of alternatives, an alternative that the framework
            schema rejects (unknown method, missing parameter: the message names the input and alternative),
            Copeland aggregation.
        """
        if not isinstance(spec, dict):
            raise CompindexError(f"uncertainty: expected a mapping of uncertain inputs, got {type(spec).__name__}")
        unknown = sorted(set(spec) - set(UNCERTAIN_INPUTS))
        if unknown:
            raise CompindexError(f"uncertainty: unknown input(s) {unknown}; allowed: {list(UNCERTAIN_INPUTS)}")
        noise = spec.get("weights", 0.0)
        if isinstance(noise, bool) or not isinstance(noise, (int, float)) or not 0 <= noise < 1:
            raise CompindexError(f"uncertainty.weights: weight noise must be a fraction in [0, 1), got {noise!r}")
        stages = run.framework.stages
        alternatives, labels = {}, {}
        for name in _DISCRETE:
            raw = spec.get(name)
            nominal = {"treatment": stages["treatment"]["method"] != "none"}.get(name, None)
            if raw is None:
                raw = [nominal if name == "treatment" else {}]
            if not isinstance(raw, list) or not raw:
                raise CompindexError(f"uncertainty.{name}: expected a non-empty list of alternatives, got {raw!r}")
            alternatives[name], labels[name] = [], []
            for k, alt in enumerate(raw):
                full = _stage_for(name, alt, stages, f"uncertainty.{name}[{k}]")
                alternatives[name].append(full)
                labels[name].append(_label(name, alt, full))
        for k, alt in enumerate(alternatives["imputation"]):
            if (alt["time"], alt["max_gap"]) != (stages["imputation"]["time"], stages["imputation"]["max_gap"]):
                raise CompindexError(f"uncertainty.imputation[{k}]: imputation across years (time, max_gap) acts "
                                     "before data selection and cannot vary between replications")
        for k, alt in enumerate(alternatives["aggregation"]):
            if "copeland" in (alt["indicators"], alt["areas"]):
                raise CompindexError(f"uncertainty.aggregation[{k}]: Copeland aggregation is not supported by "
                                     "the vectorised engine")
        # Every combination must be a valid framework: checked here, before any replication.
        for combo in _all_combos(alternatives):
            _replication_dict(run, alternatives, combo, None, None)
        fw = run.framework
        kept = list(run.tables["after_imputation"].columns)
        area_of = fw.area_of
        indicators = [c for c in fw.indicator_codes if c in kept]
        areas = [a.code for a in fw.areas]
        base = []
        for code in indicators:
            run_w = run.weights["indicators"].get(area_of[code], {})
            base.append(run_w.get(code, fw.indicators[code].weight))
        base += [run.weights["areas"][a] for a in areas]
        return cls(float(noise), alternatives, labels, run, groups, indicators, areas, area_of,
                   np.asarray(base, dtype=float))

    @property
    def uncertain(self) -> list[str]:
        """Inputs that actually vary (noise > 0, or more than one alternative)."""
        return (["weights"] if self.noise > 0 else []) + [n for n in _DISCRETE if len(self.alternatives[n]) > 1]

    @property
    def n_weights(self) -> int:
        """Number of weight factors (kept indicators + areas)."""
        return len(self.indicators) + len(self.areas)

    def columns(self) -> list[str]:
        """Column of the unit hypercube for each varying input.

        Returns
        -------
        list of str
            ``w:<code>`` per weight (when noise > 0), then the discrete inputs with more than one alternative.
        """
        cols = [f"w:{c}" for c in self.indicators + self.areas] if self.noise > 0 else []
        return cols + [n for n in _DISCRETE if len(self.alternatives[n]) > 1]

    def decode(self, U: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Map hypercube rows to weight factors and alternative indices.

        Parameters
        ----------
        U : ndarray, shape (n_rep, len(columns()))
            Values in [0, 1).

        Returns
        -------
        factors : ndarray, shape (n_rep, n_weights)
        choice : dict of str to ndarray of int, shape (n_rep,)
        """
        U = np.asarray(U, dtype=float)
        n = U.shape[0]
        j = 0
        if self.noise > 0:
            factors = 1 + self.noise * (2 * U[:, :self.n_weights] - 1)
            j = self.n_weights
        else:
            factors = np.ones((n, self.n_weights))
        choice = {}
        for name in _DISCRETE:
            k = len(self.alternatives[name])
            if k > 1:
                choice[name] = np.minimum((U[:, j] * k).astype(int), k - 1)
                j += 1
            else:
                choice[name] = np.zeros(n, dtype=int)
        return factors, choice


def _stage_for(name: str, alt: Any, stages: dict, path: str) -> dict:
    if name == "treatment":
        if not isinstance(alt, bool):
            raise CompindexError(f"{path}: expected true (treatment on) or false (off), got {alt!r}")
        return {**stages["treatment"], "method": "winsorise" if alt else "none"}
    stage = "aggregation" if name == "aggregation" else name
    base = copy.deepcopy(stages[stage])
    if isinstance(alt, str):
        alt = {"indicators": alt, "areas": alt} if name == "aggregation" else {"method": alt}
    if not isinstance(alt, dict):
        raise CompindexError(f"{path}: expected a method name or a stage mapping, got {alt!r}")
    base.update(alt)
    return base


def _label(name: str, alt: Any, full: dict) -> str:
    if name == "treatment":
        return "on" if alt else "off"
    if isinstance(alt, str):
        return alt
    if name == "aggregation":
        base = full["indicators"] if full["indicators"] == full["areas"] else f"{full['indicators']}/{full['areas']}"
        skip = ("indicators", "areas")
    else:
        base, skip = full["method"], ("method",)
    extra = ",".join(f"{k}={v}" for k, v in alt.items() if k not in skip)
    return base + (f"({extra})" if extra else "")


def _all_combos(alternatives: dict[str, list]) -> list[tuple[int, ...]]:
    grids = np.meshgrid(*[np.arange(len(alternatives[n])) for n in _DISCRETE], indexing="ij")
    return [tuple(int(g) for g in row) for row in np.stack([g.ravel() for g in grids], axis=1)]


def _replication_dict(run: IndexRun, alternatives: dict, combo: tuple[int, ...], spec: UncertaintySpec | None,
                      factors: np.ndarray | None) -> dict:
    data = run.framework.to_dict()
    stages = data["stages"]
    for name, k in zip(_DISCRETE, combo):
        stages["treatment" if name == "treatment" else name] = copy.deepcopy(alternatives[name][k])
    stages["weights"] = {"method": "manual"}
    if spec is not None:
        w = dict(zip(spec.indicators + spec.areas, spec.base_weights * factors))
        for area in data["areas"]:
            area["weight"] = float(w[area["code"]])
            for ind in area["indicators"]:
                ind["weight"] = float(w.get(ind["code"], ind["weight"]))
    try:
        Framework.from_dict(data)
    except CompindexError as err:
        where = ", ".join(f"{n}={alternatives[n][k]}" for n, k in zip(_DISCRETE, combo))
        raise CompindexError(f"uncertainty: alternative ({where}) is not a valid framework: {err}") from None
    return data


@dataclass
class UncertaintyResult:
    """Ranks and scores of every replication with their parameters.

    Attributes
    ----------
    spec : UncertaintySpec
    U : ndarray, shape (n_rep, n_columns)
        Unit-hypercube row of each replication (columns ``spec.columns()``).
    parameters : DataFrame, shape (n_rep, ...)
        Readable parameters of each replication: weight factor ``w:<code>`` per indicator and area, and the label
        of the normalisation, aggregation, imputation and treatment alternative.
    scores : ndarray, shape (n_rep, n_units, n_areas + 1)
        Area scores then the index (last), NaN = no score.
    ranks : ndarray, shape (n_rep, n_units, n_areas + 1)
        Competition ranks of the rounded scores (float, NaN = unranked).
    units : list of str
    levels : list of str
        Area codes then ``"index"``.
    nominal_ranks : DataFrame, shape (n_units, n_areas + 1)
    """

    spec: UncertaintySpec
    U: np.ndarray
    parameters: pd.DataFrame
    scores: np.ndarray
    ranks: np.ndarray
    units: list[str]
    levels: list[str]
    nominal_ranks: pd.DataFrame

    def summary(self, low: float = 0.05, high: float = 0.95) -> pd.DataFrame:
        """Per unit and level: nominal rank, median rank and the ``[low, high]`` rank interval.

        Quantiles are numpy's default (linear interpolation, R type 7, as COINr ``get_sensitivity``).

        Parameters
        ----------
        low, high : float
            Quantile levels of the interval (default 5 % and 95 %).

        Returns
        -------
        DataFrame
            Columns ``unit, level, nominal_rank, median_rank, rank_q05, rank_q95, mean_rank`` (``level`` is an
            area code or ``index``), one row per unit and level.
        """
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a unit never ranked: all-NaN slice
            q = np.nanquantile(self.ranks, [low, 0.5, high], axis=0)
            mean = np.nanmean(self.ranks, axis=0)
        rows = []
        for li, level in enumerate(self.levels):
            nominal = self.nominal_ranks[level].astype("Float64")
            rows.append(pd.DataFrame({"unit": self.units, "level": level,
                                      "nominal_rank": nominal.to_numpy(dtype=float, na_value=np.nan),
                                      "median_rank": q[1, :, li], "rank_q05": q[0, :, li],
                                      "rank_q95": q[2, :, li], "mean_rank": mean[:, li]}))
        return pd.concat(rows, ignore_index=True)

    def framework(self, r: int) -> dict:
        """Framework mapping of replication ``r`` (for :meth:`Framework.from_dict` and :func:`run_index`).

        Parameters
        ----------
        r : int
            Replication number, 0-based.

        Returns
        -------
        dict
            A framework mapping with the replication's stages and weights.

        Raises
        ------
        CompindexError
            The replication's choices do not make a valid framework (checked for every combination by
            :meth:`UncertaintySpec.from_dict`, so not expected on a result it built).
        """
        factors, choice = self.spec.decode(self.U[r:r + 1])
        combo = tuple(int(choice[n][0]) for n in _DISCRETE)
        return _replication_dict(self.spec.run, self.spec.alternatives, combo, self.spec, factors[0])

    def mean_abs_rank_shift(self, level: str = "index") -> np.ndarray:
        """Mean over units of ``|rank - nominal rank|`` per replication (the Sobol target of
        :func:`sobol_indices`); units unranked in either are left out.

        Parameters
        ----------
        level : str
            Area code or ``"index"``.

        Returns
        -------
        ndarray, shape (n_rep,)
            In ranks.

        Raises
        ------
        CompindexError
            ``level`` is not one of :attr:`levels`.
        """
        if level not in self.levels:
            raise CompindexError(f"uncertainty: unknown level {level!r}; expected one of {self.levels}")
        li = self.levels.index(level)
        nominal = self.nominal_ranks[level].to_numpy(dtype=float, na_value=np.nan)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return np.nanmean(np.abs(self.ranks[:, :, li] - nominal[None, :]), axis=1)


def sample_parameters(spec: UncertaintySpec, n_rep: int, seed: int | None = None) -> np.ndarray:
    """Draw the unit hypercube of ``n_rep`` replications (independent uniforms, ``numpy.random.default_rng``).

    Parameters
    ----------
    spec : UncertaintySpec
    n_rep : int
        Number of replications, >= 1.
    seed : int, optional

    Returns
    -------
    ndarray, shape (n_rep, len(spec.columns()))

    Raises
    ------
    CompindexError
        ``n_rep`` not a positive integer.
    """
    _check_n(n_rep, "n_rep")
    return np.random.default_rng(seed).random((n_rep, len(spec.columns())))


def _check_n(n: Any, name: str) -> None:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise CompindexError(f"uncertainty.{name}: the number of replications must be an integer >= 1, got {n!r}")


def _parameters(spec: UncertaintySpec, U: np.ndarray) -> pd.DataFrame:
    factors, choice = spec.decode(U)
    table = pd.DataFrame(factors, columns=[f"w:{c}" for c in spec.indicators + spec.areas])
    for name in _DISCRETE:
        table[name] = np.asarray(spec.labels[name], dtype=object)[choice[name]]
    return table


class _Tables:
    """Normalised tables per (imputation, treatment, normalisation) combination, computed on first use with the
    same stage code as :func:`~compindex.run_index`."""

    def __init__(self, spec: UncertaintySpec):
        self.spec, self.cache = spec, {}
        run = spec.run
        self.raw = run.tables["raw"][spec.indicators]
        self._imputed, self._treated = {}, {}

    def get(self, i: int, t: int, n: int) -> np.ndarray:
        key = (i, t, n)
        if key in self.cache:
            return self.cache[key]
        spec, fw = self.spec, self.spec.run.framework
        alt = spec.alternatives
        if i not in self._imputed:
            imp = alt["imputation"][i]
            labels = None
            if imp["method"].startswith("group_"):
                if spec.groups is None or imp["group"] not in spec.groups.columns:
                    raise CompindexError(f"uncertainty.imputation[{i}]: grouping column {imp['group']!r} not "
                                         "found in groups")
                labels = spec.groups[imp["group"]]
            self._imputed[i] = impute(self.raw, imp["method"], labels, imp["fallback"], imp["n_neighbors"])[0]
        if (i, t) not in self._treated:
            tr = alt["treatment"][t]
            overrides = {c: s.treatment for c, s in fw.indicators.items() if s.treatment}
            if tr["method"] == "none":
                overrides = {c: {"skip": True} for c in self.raw.columns}
            treater = Treater(tr["skew"], tr["kurtosis"], tr["max_winsorised"], tr["then"], overrides)
            self._treated[(i, t)] = treater.fit_transform(self._imputed[i])[0]
        norm = alt["normalisation"][n]
        normaliser = Normaliser(norm["method"], norm["low"], norm["high"], fw.stages["zero_variance"],
                                norm["reference"], norm["cap_max"])
        out = normaliser.fit_transform(self._treated[(i, t)], {c: s.direction for c, s in fw.indicators.items()},
                                       {c: s.goalposts for c, s in fw.indicators.items() if s.goalposts},
                                       {c: s.target for c, s in fw.indicators.items() if s.target is not None})
        exists = np.array([c not in normaliser.dropped_ for c in spec.indicators])
        for area in spec.areas:
            if not any(e for c, e in zip(spec.indicators, exists) if spec.area_of[c] == area):
                raise CompindexError(f"area {area}: no indicator left (zero variance) under normalisation "
                                     f"{spec.labels['normalisation'][n]}")
        self.cache[key] = (out.reindex(columns=spec.indicators).to_numpy(dtype=float), exists)
        return self.cache[key]


def _forward(x: np.ndarray, method: str, power: float | None) -> np.ndarray:
    if method == "arithmetic":
        return x
    with np.errstate(divide="ignore"):
        if method == "geometric":
            return np.log(x)
        if method == "harmonic":
            return 1.0 / x
        return x ** power


def _backward(m: np.ndarray, method: str, power: float | None) -> np.ndarray:
    if method == "arithmetic":
        return m
    with np.errstate(divide="ignore", over="ignore"):
        if method == "geometric":
            return np.exp(m)
        if method == "harmonic":
            return 1.0 / m
        return m ** (1.0 / power)


def _check_domain(x: np.ndarray, method: str, power: float | None, allow_zero: bool, what: str) -> np.ndarray:
    """Zero mask (cells forcing an aggregate of 0) after checking the domain as aggregate() does."""
    present = ~np.isnan(x)
    if method == "arithmetic" or (method == "generalised" and power > 0):
        if method != "arithmetic" and (present & (x < 0)).any():
            raise CompindexError(f"{what}: negative value before generalised aggregation with p > 0")
        return np.zeros(x.shape, dtype=bool)
    bad = present & ((x < 0) | ((x == 0) & (not allow_zero)))
    if bad.any():
        raise CompindexError(f"{what}: zero/negative value before {method} aggregation (defined only for "
                             "strictly positive values); normalise to a strictly positive scale or allow_zero")
    return present & (x == 0)


def _weighted_mean(f: np.ndarray, present: np.ndarray, w: np.ndarray, method: str, power,
                   zero: np.ndarray, thresh: float | None, n_cols: int) -> np.ndarray:
    """Weighted means for a batch: f (n_units, k) transformed values (NaN-free), w (n_rep, k) -> (n_rep, n_units).

    Also accepts f, present, zero of shape (n_rep, n_units, k) with w (n_rep, k) for the index level.
    """
    if f.ndim == 2:
        num = w @ np.where(present, f, 0.0).T
        den = w @ present.T.astype(float)
        has_zero = zero.any(axis=1)[None, :]
        share = present.sum(axis=1)[None, :] / max(n_cols, 1)
    else:
        num = np.einsum("ruk,rk->ru", np.where(present, f, 0.0), w)
        den = np.einsum("ruk,rk->ru", present.astype(float), w)
        has_zero = zero.any(axis=2)
        share = present.sum(axis=2) / max(n_cols, 1)
    ok = den > 0
    if thresh is not None:
        ok &= share >= thresh
    with np.errstate(invalid="ignore", divide="ignore"):
        out = _backward(num / np.where(ok, den, 1.0), method, power)
    out = np.where(has_zero, 0.0, out)
    return np.where(ok, out, np.nan)


def _ranks(scores: np.ndarray, decimals: int | None, batch: int = 2000) -> np.ndarray:
    """Competition ranks along the last axis of scores rounded to ``decimals`` (NaN = unranked), as
    :func:`~compindex.aggregation.competition_rank`: ``scipy.stats.rankdata`` method "min" on -score, in batches
    of replications to bound memory."""
    from scipy.stats import rankdata

    out = np.empty(scores.shape)
    for start in range(0, len(scores), batch):
        s = scores[start:start + batch]
        s = np.round(s, decimals) if decimals is not None else s
        missing = np.isnan(s)
        ranks = rankdata(np.where(missing, np.inf, -s), method="min", axis=-1)
        out[start:start + batch] = np.where(missing, np.nan, ranks)
    return out


def _evaluate(spec: UncertaintySpec, U: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    factors, choice = spec.decode(U)
    n_rep, n_units = U.shape[0], len(spec.run.tables["scores"])
    n_ind, n_area = len(spec.indicators), len(spec.areas)
    weights = spec.base_weights[None, :] * factors
    w_ind, w_area = weights[:, :n_ind], weights[:, n_ind:]
    area_cols = [np.array([spec.area_of[c] == a for c in spec.indicators]) for a in spec.areas]
    scores = np.full((n_rep, n_units, n_area + 1), np.nan)
    tables = _Tables(spec)
    keys = np.stack([choice[n] for n in _DISCRETE], axis=1)
    for key in np.unique(keys, axis=0):
        i, t, n, a = (int(key[_DISCRETE.index(k)]) for k in ("imputation", "treatment", "normalisation",
                                                              "aggregation"))
        rows = np.nonzero((keys == key).all(axis=1))[0]
        x, exists = tables.get(i, t, n)
        agg = spec.alternatives["aggregation"][a]
        thresh = agg["dat_thresh"] if isinstance(agg["dat_thresh"], dict) else \
            {"indicators": agg["dat_thresh"], "areas": agg["dat_thresh"]}
        label = f"aggregation {spec.labels['aggregation'][a]}, normalisation {spec.labels['normalisation'][n]}"
        zero = _check_domain(x, agg["indicators"], agg["power"], agg["allow_zero"], label)
        present = ~np.isnan(x)
        f = _forward(np.where(present & ~zero, x, 1.0), agg["indicators"], agg["power"])
        for ai, cols in enumerate(area_cols):
            scores[rows, :, ai] = _weighted_mean(f[:, cols], present[:, cols], w_ind[np.ix_(rows, cols)],
                                                 agg["indicators"], agg["power"], zero[:, cols],
                                                 thresh.get("indicators"), int((cols & exists).sum()))
        s = scores[rows, :, :n_area]
        zero_a = _check_domain(s, agg["areas"], agg["power"], agg["allow_zero"], label + " (index level)")
        present_a = ~np.isnan(s)
        fa = _forward(np.where(present_a & ~zero_a, s, 1.0), agg["areas"], agg["power"])
        scores[rows, :, n_area] = _weighted_mean(fa, present_a, w_area[rows], agg["areas"], agg["power"],
                                                 zero_a, thresh.get("areas"), n_area)
    decimals = spec.run.framework.stages["ranking"]["decimals"]
    ranks = np.moveaxis(_ranks(np.moveaxis(scores, 2, 1), decimals), 1, 2)
    return scores, ranks


def _result(spec: UncertaintySpec, U: np.ndarray, scores: np.ndarray, ranks: np.ndarray) -> UncertaintyResult:
    run = spec.run
    return UncertaintyResult(spec, U, _parameters(spec, U), scores, ranks, list(run.tables["scores"].index),
                             spec.areas + ["index"], run.tables["ranks"][spec.areas + ["index"]])


def _prepare(panel, fw, spec, n_rep, groups, reference_year, run=None) -> UncertaintySpec:
    _check_n(n_rep, "n_rep")
    if run is None:
        run = run_index(panel, fw, groups, reference_year)
    elif not isinstance(run, IndexRun):
        raise CompindexError(f"uncertainty.run: expected an IndexRun from run_index, got {type(run).__name__}")
    return UncertaintySpec.from_dict(spec, run, groups)


def run_uncertainty(panel: pd.DataFrame | None, fw: Framework | None, spec: dict, n_rep: int, seed: int | None = None,
                    groups: pd.DataFrame | None = None, reference_year: int | None = None,
                    run: IndexRun | None = None) -> UncertaintyResult:
    """Monte Carlo uncertainty analysis, vectorised.

    Parameters
    ----------
    panel : DataFrame, shape (n_rows, 4)
        Long panel as for :func:`~compindex.run_index`.
    fw : Framework
        The nominal framework.
    spec : dict
        Uncertain inputs (see :class:`UncertaintySpec` and the module docstring).
    n_rep : int
        Number of replications, >= 1.
    seed : int, optional
        Seed of ``numpy.random.default_rng``: the same seed gives the same replications.
    groups, reference_year
        As for :func:`~compindex.run_index`.
    run : IndexRun, optional
        The nominal run ``run_index(panel, fw, groups, reference_year)`` when it is already computed (e.g. by the
        edition build): it is reused instead of re-running the pipeline, and ``panel`` and ``fw`` are not read
        (pass ``None``). ``groups`` is still needed for group-imputation alternatives.

    Returns
    -------
    UncertaintyResult

    Raises
    ------
    CompindexError
        Zero or non-integer replications, invalid spec (before any replication is computed), and any error the
        pipeline would raise for a replication (e.g. zero values before geometric aggregation).

    Examples
    --------
    >>> import pandas as pd
    >>> from compindex import Framework
    >>> fw = Framework.from_dict({"reference_year": 2024, "areas": [{"code": "a", "indicators": [
    ...     {"code": "x", "direction": 1}, {"code": "y", "direction": 1}]}]})
    >>> panel = pd.DataFrame({"unit": list("PQRPQR"), "indicator": list("xxxyyy"), "year": 2024,
    ...                       "value": [1.0, 2, 3, 3, 1, 2]})
    >>> res = run_uncertainty(panel, fw, {"weights": 0.9}, n_rep=200, seed=1)
    >>> res.summary().query("level == 'index'")[["unit", "nominal_rank", "rank_q05", "rank_q95"]].values.tolist()
    [['P', 2.0, 1.0, 3.0], ['Q', 3.0, 2.0, 3.0], ['R', 1.0, 1.0, 2.0]]
    >>> res.parameters.columns.tolist()
    ['w:x', 'w:y', 'w:a', 'normalisation', 'aggregation', 'imputation', 'treatment']
    """
    s = _prepare(panel, fw, spec, n_rep, groups, reference_year, run)
    U = sample_parameters(s, n_rep, seed)
    return _result(s, U, *_evaluate(s, U))


def run_uncertainty_naive(panel: pd.DataFrame, fw: Framework, spec: dict, n_rep: int, seed: int | None = None,
                          groups: pd.DataFrame | None = None, reference_year: int | None = None,
                          replications: slice | None = None) -> UncertaintyResult:
    """Reference implementation: the same replications as :func:`run_uncertainty`, each by a full
    :func:`~compindex.run_index` on the replication's framework. Slow; for tests and the benchmark.

    Parameters
    ----------
    panel, fw, spec, n_rep, seed, groups, reference_year
        As for :func:`run_uncertainty`.
    replications : slice, optional
        Evaluate only these replications of the ``n_rep`` drawn (e.g. ``slice(0, 300)``).

    Returns
    -------
    UncertaintyResult
        With the selected replications only.

    Raises
    ------
    CompindexError
        As :func:`run_uncertainty`.
    """
    s = _prepare(panel, fw, spec, n_rep, groups, reference_year)
    U = sample_parameters(s, n_rep, seed)[replications or slice(None)]
    partial = _result(s, U, np.zeros((0,)), np.zeros((0,)))
    levels = s.areas + ["index"]
    scores = np.empty((len(U), len(partial.units), len(levels)))
    ranks = np.empty_like(scores)
    for r in range(len(U)):
        rep = run_index(panel, Framework.from_dict(partial.framework(r)), groups, reference_year)
        scores[r] = rep.tables["scores"][levels].to_numpy(dtype=float)
        ranks[r] = rep.tables["ranks"][levels].to_numpy(dtype=float, na_value=np.nan)
    return _result(s, U, scores, ranks)


def sobol_indices(panel: pd.DataFrame | None, fw: Framework | None, spec: dict, n_base: int = 1024,
                  seed: int | None = None, target: str = "mean_abs_rank_shift", groups: pd.DataFrame | None = None,
                  reference_year: int | None = None, num_resamples: int = 100,
                  conf_level: float = 0.95, run: IndexRun | None = None) -> tuple[pd.DataFrame, UncertaintyResult]:
    """Variance-based sensitivity: first-order and total Sobol indices with bootstrap confidence intervals.

    Samples with SALib's Sobol' sequence (``SALib.sample.sobol.sample``, Saltelli's scheme without second order;
    ``n_base * (n_inputs + 2)`` model runs), evaluates them with the vectorised engine and analyses with
    ``SALib.analyze.sobol.analyze`` (Saltelli et al. 2010 estimators, bootstrap intervals). All weight factors form
    one SALib group ``weights``; each discrete input is one variable.

    Parameters
    ----------
    panel, fw, spec, groups, reference_year
        As for :func:`run_uncertainty` (at least one uncertain input).
    n_base : int
        Base sample size N (a power of 2 for the Sobol' sequence's balance properties).
    seed : int, optional
        Seed of the scrambling and of the bootstrap.
    target : str
        Output analysed: ``"mean_abs_rank_shift"`` (mean over units of |index rank - nominal index rank|, the
        robustness of the whole ranking) or a unit code (that unit's index score).
    num_resamples, conf_level
        Bootstrap resamples and confidence level of the intervals.
    run : IndexRun, optional
        The nominal run, reused as in :func:`run_uncertainty` (``panel`` and ``fw`` then not read).

    Returns
    -------
    indices : DataFrame, shape (n_inputs, 4)
        Indexed by input (``weights``, ``normalisation``, ...): ``first_order``, ``total``, ``first_order_ci``,
        ``total_ci`` (half-widths of the intervals, as SALib).
    result : UncertaintyResult
        All model runs of the design.

    Raises
    ------
    CompindexError
        No uncertain input, ``n_base`` < 1, unknown target unit, invalid spec.
    """
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    _check_n(n_base, "n_base")
    s = _prepare(panel, fw, spec, 1, groups, reference_year, run)
    names = s.columns()
    if not names:
        raise CompindexError("uncertainty: no uncertain input (weight noise 0 and one alternative per input)")
    units = list(s.run.tables["scores"].index)
    if target != "mean_abs_rank_shift" and target not in units:
        raise CompindexError(f"uncertainty.target: expected 'mean_abs_rank_shift' or a unit code, got {target!r}")
    group_of = ["weights" if n.startswith("w:") else n for n in names]
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names), "groups": group_of}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # SALib warns when N is not a power of 2
        U = sobol_sample.sample(problem, n_base, calc_second_order=False, seed=seed)
    U = np.clip(U, 0.0, np.nextafter(1.0, 0.0))
    result = _result(s, U, *_evaluate(s, U))
    if target == "mean_abs_rank_shift":
        Y = result.mean_abs_rank_shift()
    else:
        Y = result.scores[:, units.index(target), -1]
    if np.isnan(Y).any():
        raise CompindexError(f"uncertainty.target: {target} is undefined in some replications (no score)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # constant output: 0/0 in the estimators
        out = sobol_analyze.analyze(problem, Y, calc_second_order=False, num_resamples=num_resamples,
                                    conf_level=conf_level, seed=seed)
    inputs = list(dict.fromkeys(group_of))
    table = pd.DataFrame({"first_order": out["S1"], "total": out["ST"], "first_order_ci": out["S1_conf"],
                          "total_ci": out["ST_conf"]}, index=pd.Index(inputs, name="input"))
    return table, result
