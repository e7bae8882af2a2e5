"""The whole index run as one recorded recipe (COINr style: every stage a pure function of its input and a spec).

Order of the stages follows the Handbook 2008 (Steps 2-8) and COINr's usual build
(``new_coin`` -> ``Denominate`` -> ``Screen`` -> ``Impute`` -> ``Treat`` -> ``Normalise`` -> ``Aggregate``):

1. data selection (:func:`~compindex.selection.latest_within_window`), 2. denomination, 3. coverage screening,
4. imputation (Handbook Step 4), 5. outlier treatment (Step 5), 6. normalisation (Step 6),
7. weighting and aggregation (Step 7), 8. competition ranks.

:func:`run_index` fits every stage that learns parameters (treatment bounds, normalisation parameters, weights) on
the scoring population; :meth:`IndexRun.transform` applies them, unchanged, to other units (e.g. comparison
economies scored on the members' scale), without imputation.
"""
from __future__ import annotations

import logging
from typing import Any

import pandas as pd

from .aggregation import aggregate, competition_rank
from .errors import CompindexError
from .framework import Framework
from .imputation import fill_years, impute
from .normalisation import Normaliser
from .selection import check_panel, denominate, latest_within_window, screen_coverage, to_wide
from .treatment import Treater
from .weights import pca_weights

__all__ = ["IndexRun", "run_index"]

logger = logging.getLogger("compindex")


class IndexRun:
    """Result of :func:`run_index`: tables, coverage, step log, recipe and the fitted stages.

    Built empty by :func:`run_index` (and by :mod:`compindex.panel` for other years), which fills it.

    Parameters
    ----------
    framework : Framework
        Framework of the run.
    reference_year : int
        Year the values are selected for.
    windows : dict of str to int
        Look-back window in years of every indicator (its own, else the framework's).

    Attributes
    ----------
    tables : dict of str to DataFrame
        Units x indicators unless said: ``raw`` (selected and denominated, all framework indicators),
        ``source_year`` (Int64, all framework indicators), ``time_filled`` (bool: the selected value was filled
        across years by ``imputation.time``), ``unit_coverage`` (units x [n_indicators, share,
        flagged]), ``imputed`` (bool), ``after_imputation``, ``treated``, ``treated_flag`` (bool),
        ``normalised``, ``scores`` (units x [area codes..., "index"]), ``ranks`` (same shape, Int64, <NA> =
        unranked). From ``imputed`` on, only the indicators kept by coverage screening; ``normalised`` also
        without those dropped for zero variance.
    coverage : DataFrame, shape (n_indicators, 4)
        Per framework indicator: ``n_units``, ``share``, ``kept``, ``reason``.
    log : list of dict
        One entry per step: ``stage``, ``indicator`` or ``area``, ``action`` and counts.
    recipe : dict
        JSON-serialisable specification of every stage as run, including fitted parameters.
    framework : Framework
    weights : dict
        Weights as run: ``{"indicators": {area: {indicator: w}}, "areas": {area: w}}`` (manual, equal or PCA).
    """

    def __init__(self, framework: Framework, reference_year: int, windows: dict[str, int]):
        self.framework, self.reference_year, self.windows = framework, reference_year, windows
        self.tables: dict[str, pd.DataFrame] = {}
        self.log: list[dict] = []
        self.coverage = pd.DataFrame()
        self.recipe: dict[str, Any] = {}
        # Fitted by run_index, reused unchanged by transform.
        self._treater: Treater | None = None
        self._normaliser: Normaliser | None = None
        self._kept: list[str] = []
        self.weights: dict[str, Any] = {}

    def _select(self, data: pd.DataFrame, units: list[str]) -> tuple[pd.DataFrame, pd.DataFrame, list[dict]]:
        codes = self.framework.indicator_codes
        imp = self.framework.stages["imputation"]
        self._time_filled = pd.DataFrame(False, index=pd.Index(units, name="unit"), columns=codes)
        if imp["time"] != "none":
            filled = fill_years(data, imp["time"], imp["max_gap"], self.reference_year)
            data = filled[["unit", "indicator", "year", "value"]]
        sel = latest_within_window(data[data["indicator"].isin(codes)], self.reference_year, self.windows) \
            if data["indicator"].isin(codes).any() else \
            pd.DataFrame(columns=["unit", "indicator", "value", "source_year"])
        raw = to_wide(sel, "value", units, codes).astype(float) if len(sel) else \
            pd.DataFrame(float("nan"), index=pd.Index(units, name="unit"), columns=codes)
        years = to_wide(sel, "source_year", units, codes).astype("Int64") if len(sel) else \
            raw.astype("Int64")
        denominators = {i.code: i.denominator for i in self.framework.indicators.values() if i.denominator}
        raw, dlog = denominate(raw, years, data, denominators, self.reference_year, self.windows)
        if imp["time"] != "none":
            rows = filled.loc[filled["filled"], ["unit", "indicator", "year"]]
            chosen = years.stack()
            where = pd.MultiIndex.from_arrays([chosen.index.get_level_values(0), chosen.index.get_level_values(1),
                                               chosen.to_numpy(dtype=int)])
            hit = pd.Series(where.isin(pd.MultiIndex.from_frame(rows)), index=chosen.index, dtype=bool)
            self._time_filled = hit.unstack().reindex(index=units, columns=codes).fillna(False).astype(bool)
            self._time_filled.index.name = "unit"
            dlog.append({"stage": "imputation", "indicator": None, "action": f"time: {imp['time']}",
                         "max_gap": imp["max_gap"], "filled_rows": len(rows),
                         "selected_cells_filled": int(hit.sum())})
        return raw, years, dlog

    def _fit_weights(self, normalised: pd.DataFrame) -> None:
        """Weights as run (``stages.weights.method``): manual, equal or PCA (fitted on ``normalised``)."""
        fw, method = self.framework, self.framework.stages["weights"]["method"]
        kept = {a.code: [i for i in a.indicators if i.code in normalised.columns] for a in fw.areas}
        if method == "manual":
            self.weights = {"indicators": {a: {i.code: i.weight for i in inds} for a, inds in kept.items()},
                            "areas": {a.code: a.weight for a in fw.areas}}
        elif method == "equal":
            self.weights = {"indicators": {a: {i.code: 1.0 for i in inds} for a, inds in kept.items()},
                            "areas": {a.code: 1.0 for a in fw.areas}}
        else:
            self.weights = {"indicators": {a: pca_weights(normalised[[i.code for i in inds]], f"area {a}")
                                           .to_dict() for a, inds in kept.items()}}
            self.weights["areas"] = {a.code: 1.0 for a in fw.areas}
            scores, _ = self._aggregate(normalised)
            self.weights["areas"] = pca_weights(scores.drop(columns="index"), "index").to_dict()

    def _aggregate(self, normalised: pd.DataFrame) -> tuple[pd.DataFrame, list[dict]]:
        agg = self.framework.stages["aggregation"]
        thresh = agg["dat_thresh"]
        thresh = thresh if isinstance(thresh, dict) else {"indicators": thresh, "areas": thresh}
        scores, log = {}, []
        for area in self.framework.areas:
            if area.code not in self.weights["indicators"]:
                continue
            w = self.weights["indicators"][area.code]
            scores[area.code] = aggregate(normalised[list(w)], w, agg["indicators"], agg["allow_zero"],
                                          level=f"area {area.code}", power=agg["power"],
                                          dat_thresh=thresh.get("indicators"))
            log.append({"stage": "aggregation", "area": area.code, "action": agg["indicators"],
                        "indicators": list(w), "scored": int(scores[area.code].notna().sum()),
                        "units_without_score": list(scores[area.code].index[scores[area.code].isna()])})
        table = pd.DataFrame(scores, index=normalised.index)
        table["index"] = aggregate(table, self.weights["areas"], agg["areas"], agg["allow_zero"], level="index",
                                   power=agg["power"], dat_thresh=thresh.get("areas"))
        log.append({"stage": "aggregation", "area": "index", "action": agg["areas"],
                    "scored": int(table["index"].notna().sum()),
                    "units_without_score": list(table.index[table["index"].isna()])})
        return table, log

    def rescore(self, normalised: pd.DataFrame | None = None, weights: dict | None = None) -> pd.DataFrame:
        """Aggregate again with other normalised values or weights, all else as run.

        Parameters
        ----------
        normalised : DataFrame, shape (n_units, n_indicators), optional
            Normalised values (default: ``tables["normalised"]``).
        weights : dict, optional
            ``{"indicators": {area: {indicator: w}}, "areas": {area: w}}`` (default: the weights as run). An
            indicator left out of its area's mapping is left out of the aggregate; an area with an empty
            mapping is left out of the index.

        Returns
        -------
        DataFrame, shape (n_units, n_areas + 1)
            Scores: kept area codes and ``index``.

        Raises
        ------
        CompindexError
            As :func:`~compindex.aggregation.aggregate`.
        """
        saved = self.weights
        weights = saved if weights is None else weights
        areas = [a for a, inds in weights["indicators"].items() if inds]
        self.weights = {"indicators": {a: weights["indicators"][a] for a in areas},
                        "areas": {a: weights["areas"][a] for a in areas}}
        try:
            scores, _ = self._aggregate(self.tables["normalised"] if normalised is None else normalised)
        finally:
            self.weights = saved
        return scores

    def transform(self, other_panel: pd.DataFrame) -> dict[str, pd.DataFrame]:
        """Score other units on the fitted scale (no imputation for them).

        Applies the fitted data selection (reference year, windows), denomination, treatment bounds,
        normalisation parameters (results clipped to [low, high] for min-max and goalposts) and weights.

        Parameters
        ----------
        other_panel : DataFrame, shape (n_rows, 4)
            Long panel ``unit, indicator, year, value`` of the other units (with denominator rows).

        Returns
        -------
        dict of str to DataFrame
            ``raw``, ``source_year``, ``treated``, ``normalised``, ``scores`` (units x [areas..., "index"]).

        Raises
        ------
        CompindexError
            Invalid panel, or geometric aggregation of a zero without ``allow_zero``.
        """
        agg = self.framework.stages["aggregation"]
        if "copeland" in (agg["indicators"], agg["areas"]):
            raise CompindexError("stages.aggregation: Copeland scores are relative to the units compared; "
                                 "scoring other units on the members' scale is undefined")
        data = check_panel(other_panel, "other_panel")
        units = sorted(data["unit"].unique())
        raw, years, _ = self._select(data, units)
        treated, _ = self._treater.transform(raw[self._kept])
        normalised = self._normaliser.transform(treated)
        scores, _ = self._aggregate(normalised)
        return {"raw": raw, "source_year": years, "treated": treated, "normalised": normalised, "scores": scores}


def _check_areas(fw: Framework, available: list[str], why: dict[str, str]) -> None:
    for area in fw.areas:
        if not any(i.code in available for i in area.indicators):
            reasons = {i.code: why.get(i.code, "dropped") for i in area.indicators}
            raise CompindexError(f"area {area.code}: no indicator left ({reasons})")


def run_index(panel: pd.DataFrame, fw: Framework, groups: pd.DataFrame | None = None,
              reference_year: int | None = None) -> IndexRun:
    """Build the composite index for the scoring population.

    The stages in the order of the Handbook 2008 (Steps 2-8) and of COINr's build (module docstring), each as
    configured in ``fw.stages``, recorded in the run's log and recipe.

    Parameters
    ----------
    panel : DataFrame, shape (n_rows, 4)
        Long panel ``unit, indicator, year, value`` for every unit of the scoring population (e.g. the 57 OIC
        member states), including rows of denominator indicators. The units are those present in the panel.
    fw : Framework
        Validated framework (:meth:`Framework.from_dict`).
    groups : DataFrame, shape (n_units, n_groupings), optional
        Indexed by unit, one column per grouping (e.g. ``income_group``, ``oic_group``); required when the
        imputation method is ``group_mean`` or ``group_median``.
    reference_year : int, optional
        Overrides ``fw.reference_year``.

    Returns
    -------
    IndexRun

    Raises
    ------
    CompindexError
        Invalid panel, no reference year, a grouping column missing, an area left without indicators after
        coverage screening or zero-variance dropping, zero variance under policy ``error``, non-positive values
        before geometric/harmonic aggregation without ``allow_zero``.
    """
    ref = reference_year if reference_year is not None else fw.reference_year
    if ref is None:
        raise CompindexError("reference_year: not given in the framework nor in the call")
    data = check_panel(panel)
    windows = {i.code: i.window if i.window is not None else fw.window for i in fw.indicators.values()}
    run = IndexRun(fw, int(ref), windows)
    units = sorted(data["unit"].unique())
    stages = fw.stages

    raw, years, dlog = run._select(data, units)
    run.tables.update(raw=raw, source_year=years, time_filled=run._time_filled)
    for code in fw.indicator_codes:
        y = years[code].dropna()
        run.log.append({"stage": "selection", "indicator": code, "action": "latest non-empty value in "
                        f"[{ref - windows[code]}, {ref}]", "units_with_value": int(raw[code].notna().sum()),
                        "years": sorted({int(v) for v in y})})
    run.log += dlog

    cov = screen_coverage(raw, **fw.coverage)
    run.coverage = cov.indicators
    run.tables["unit_coverage"] = cov.units
    kept = cov.kept
    for code, row in cov.indicators.iterrows():
        run.log.append({"stage": "coverage", "indicator": code, "action": "kept" if row["kept"] else "dropped",
                        "n_units": int(row["n_units"]), "share": float(row["share"]), "reason": row["reason"]})
    flagged = list(cov.units.index[cov.units["flagged"]])
    run.log.append({"stage": "coverage", "indicator": None, "action": "units below unit_min flagged (kept)",
                    "unit_min": fw.coverage["unit_min"], "units": flagged})
    _check_areas(fw, kept, dict(cov.indicators["reason"]))

    imp = stages["imputation"]
    labels = None
    if imp["method"].startswith("group_"):
        if groups is None or imp["group"] not in groups.columns:
            raise CompindexError(f"stages.imputation.group: grouping column {imp['group']!r} not found in groups "
                                 f"(columns: {[] if groups is None else list(groups.columns)})")
        labels = groups[imp["group"]]
    after, mask, ilog = impute(raw[kept], imp["method"], labels, imp["fallback"], imp["n_neighbors"])
    run.tables.update(imputed=mask, after_imputation=after)
    run.log += ilog

    tr = stages["treatment"]
    overrides = {i.code: i.treatment for i in fw.indicators.values() if i.treatment}
    if tr["method"] == "none":
        overrides = {code: {"skip": True} for code in after.columns}
    run._treater = Treater(tr["skew"], tr["kurtosis"], tr["max_winsorised"], tr["then"], overrides).fit(after)
    treated, tflag = run._treater.transform(after)
    run.tables.update(treated=treated, treated_flag=tflag)
    run.log += run._treater.log_

    norm = stages["normalisation"]
    run._normaliser = Normaliser(norm["method"], norm["low"], norm["high"], stages["zero_variance"],
                                 norm["reference"], norm["cap_max"])
    run._normaliser.fit(treated, {c: i.direction for c, i in fw.indicators.items()},
                        {c: i.goalposts for c, i in fw.indicators.items() if i.goalposts},
                        {c: i.target for c, i in fw.indicators.items() if i.target is not None})
    normalised = run._normaliser.transform(treated)
    run.tables["normalised"] = normalised
    run.log += run._normaliser.log_
    _check_areas(fw, list(normalised.columns), {c: "zero variance" for c in run._normaliser.dropped_})
    run._kept = kept

    run._fit_weights(normalised)
    scores, alog = run._aggregate(normalised)
    run.log += alog
    run.tables["scores"] = scores
    run.tables["ranks"] = competition_rank(scores, stages["ranking"]["decimals"])
    for entry in run.log:
        logger.debug("%s", entry)

    run.recipe = {
        "engine": "compindex",
        "method": "OECD/JRC Handbook on Constructing Composite Indicators (2008); COINr conventions",
        "reference_year": run.reference_year,
        "windows": windows,
        "coverage": dict(fw.coverage),
        "stages": fw.stages,
        "framework": fw.to_dict(),
        "units": units,
        "indicators_kept": kept,
        "indicators_dropped": {c: r for c, r in cov.indicators["reason"].items() if r}
                              | {c: "zero variance" for c in run._normaliser.dropped_},
        "treatment": run._treater.params_,
        "normalisation": {"method": norm["method"], "low": norm["low"], "high": norm["high"],
                          "parameters": run._normaliser.params_},
        "weights": {"method": stages["weights"]["method"], **run.weights},
    }
    return run
