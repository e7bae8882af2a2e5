"""Statistical audit of an index run (Handbook 2008, Step 4 "Multivariate analysis" and Step 7; JRC audit
practice as in COINr ``get_stats``, ``get_data_avail``, ``get_corr``, ``get_corr_flags``, ``get_cronbach``,
``get_PCA`` and ``remove_elements``).

Correlations are Pearson on pairwise complete observations. Cronbach's alpha and PCA use complete cases (units
with every component of the group).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .aggregation import competition_rank
from .errors import CompindexError
from .pipeline import IndexRun
from .treatment import check_skew_kurt
from .weights import first_component

__all__ = ["audit", "corr_flags", "correlations", "cronbach_alpha", "data_availability", "indicator_stats",
           "pca_by_area", "removal_rank_shift"]


def indicator_stats(X: pd.DataFrame, skew: float = 2.0, kurt: float = 3.5, availability_min: float = 0.66,
                    zero_max: float = 0.5, unique_min: float = 0.5) -> pd.DataFrame:
    """Descriptive statistics and flags of each indicator (COINr ``get_stats``).

    Parameters
    ----------
    X : DataFrame, shape (n_units, n_indicators)
    skew, kurt : float
        Outlier rule thresholds (|skewness| > skew and excess kurtosis > kurt, see
        :func:`~compindex.treatment.check_skew_kurt`).
    availability_min : float
        Flag an indicator observed for a smaller share of units (JRC 66 %).
    zero_max, unique_min : float
        Flag a share of zeros above ``zero_max`` or a share of distinct values below ``unique_min`` (COINr
        ``t_fzero``, ``t_unq``, both 0.5).

    Returns
    -------
    DataFrame, shape (n_indicators, 16)
        ``n, availability, mean, sd`` (sample), ``min, max, median, skewness, kurtosis`` (sample-adjusted, excess),
        ``share_zero, share_unique`` (over observed values) and booleans ``flag_availability, flag_skew_kurt,
        flag_zero, flag_unique, flagged`` (any flag).
    """
    rows = {}
    for code in X.columns:
        x = X[code].dropna().astype(float)
        fails = not check_skew_kurt(x, skew, kurt)[0]
        n = len(x)
        row = {"n": n, "availability": n / len(X) if len(X) else np.nan, "mean": x.mean(), "sd": x.std(),
               "min": x.min(), "max": x.max(), "median": x.median(), "skewness": x.skew(), "kurtosis": x.kurt(),
               "share_zero": (x == 0).mean() if n else np.nan, "share_unique": x.nunique() / n if n else np.nan}
        row.update(flag_availability=row["availability"] < availability_min, flag_skew_kurt=fails,
                   flag_zero=bool(row["share_zero"] > zero_max), flag_unique=bool(row["share_unique"] < unique_min))
        row["flagged"] = any(row[k] for k in ("flag_availability", "flag_skew_kurt", "flag_zero", "flag_unique"))
        rows[code] = row
    return pd.DataFrame.from_dict(rows, orient="index")


def data_availability(X: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Data availability by unit and by indicator (COINr ``get_data_avail``).

    Parameters
    ----------
    X : DataFrame, shape (n_units, n_indicators)

    Returns
    -------
    by_unit : DataFrame, shape (n_units, 3)
        ``n_available``, ``share``, ``missing`` (list of indicator codes).
    by_indicator : DataFrame, shape (n_indicators, 3)
        ``n_available``, ``share``, ``missing`` (list of units).
    """
    present = X.notna()

    def table(mask: pd.DataFrame, labels: pd.Index) -> pd.DataFrame:
        return pd.DataFrame({"n_available": mask.sum(axis=1), "share": mask.mean(axis=1),
                             "missing": [list(labels[~row]) for row in mask.to_numpy()]}, index=mask.index)

    return table(present, X.columns), table(present.T, X.index)


def correlations(run: IndexRun) -> pd.DataFrame:
    """Pearson correlations within and across levels of an index run (COINr ``get_corr``).

    Parameters
    ----------
    run : IndexRun

    Returns
    -------
    DataFrame
        One row per pair: ``level`` (``indicator-indicator`` within an area, ``indicator-area`` with its own
        area, ``indicator-index``, ``area-area``, ``area-index``), ``group`` (area code or ``index``), ``x``,
        ``y``, ``r`` and ``n`` (units with both values). Indicators are the normalised ones, so a -1 direction
        is already reversed.
    """
    norm, scores = run.tables["normalised"], run.tables["scores"]
    rows = []

    def add(level, group, a: pd.Series, b: pd.Series):
        both = a.notna() & b.notna()
        r = a[both].corr(b[both]) if both.sum() > 2 else np.nan
        rows.append({"level": level, "group": group, "x": a.name, "y": b.name, "r": r, "n": int(both.sum())})

    areas = [a for a in run.framework.areas if a.code in scores.columns]
    for area in areas:
        cols = [i.code for i in area.indicators if i.code in norm.columns]
        for i, c1 in enumerate(cols):
            for c2 in cols[i + 1:]:
                add("indicator-indicator", area.code, norm[c1], norm[c2])
        for c in cols:
            add("indicator-area", area.code, norm[c], scores[area.code])
            add("indicator-index", "index", norm[c], scores["index"])
    for i, a1 in enumerate(areas):
        for a2 in areas[i + 1:]:
            add("area-area", "index", scores[a1.code], scores[a2.code])
        add("area-index", "index", scores[a1.code], scores["index"])
    return pd.DataFrame(rows, columns=["level", "group", "x", "y", "r", "n"])


def corr_flags(run: IndexRun, collinear: float = 0.92, negative: float = 0.0) -> pd.DataFrame:
    """Flag collinear and negatively correlated pairs (COINr ``get_corr_flags``).

    Pairs inside the same aggregation group (indicators of one area, areas of the index) are flagged
    ``collinear`` when r > ``collinear`` (they double-count) and ``negative`` when r < ``negative`` (a trade-off
    the aggregate averages away); a component correlated negatively with its own aggregate is flagged
    ``negative``. COINr uses -0.4 in its examples for the negative threshold; the default 0 flags every negative
    correlation.

    Parameters
    ----------
    run : IndexRun
    collinear, negative : float
        Thresholds on Pearson's r.

    Returns
    -------
    DataFrame
        The rows of :func:`correlations` that are flagged, with a ``flag`` column.
    """
    corr = correlations(run)
    pair = corr["level"].isin(["indicator-indicator", "area-area"])
    own = corr["level"].isin(["indicator-area", "area-index"])
    flag = np.where(pair & (corr["r"] > collinear), "collinear",
                    np.where((pair | own) & (corr["r"] < negative), "negative", ""))
    return corr.assign(flag=flag)[flag != ""].reset_index(drop=True)


def cronbach_alpha(X: pd.DataFrame) -> float:
    """Cronbach's alpha of a group of components (Handbook 2008, Step 4; COINr ``get_cronbach``).

    Parameters
    ----------
    X : DataFrame, shape (n_units, k)
        Components of one group; units with a missing value are left out.

    Returns
    -------
    float
        ``k / (k - 1) * (1 - sum(var(x_i)) / var(sum x_i))`` with sample variances; NaN when k < 2 or fewer than
        two complete units.

    Examples
    --------
    >>> import pandas as pd
    >>> round(cronbach_alpha(pd.DataFrame({"a": [1.0, 2, 3], "b": [1.0, 3, 2]})), 6)
    0.666667
    """
    data = X.dropna()
    k = data.shape[1]
    if k < 2 or len(data) < 2:
        return float("nan")
    total = data.sum(axis=1).var()
    return float(k / (k - 1) * (1 - data.var().sum() / total))


def pca_by_area(run: IndexRun) -> pd.DataFrame:
    """First principal component of each area's normalised indicators (COINr ``get_PCA``).

    Parameters
    ----------
    run : IndexRun

    Returns
    -------
    DataFrame, shape (n_areas + 1, 5)
        Per area (and ``index`` over the area scores): ``n_components``, ``n_units`` (complete cases),
        ``explained`` (share of variance of the first component), ``cronbach_alpha``, ``loadings`` (dict of
        eigenvector entries). ``explained`` is NaN where PCA is undefined (too few complete units, zero variance).
    """
    norm, scores = run.tables["normalised"], run.tables["scores"]
    groups = {a.code: norm[[i.code for i in a.indicators if i.code in norm.columns]] for a in run.framework.areas}
    groups["index"] = scores.drop(columns="index")
    rows = {}
    for name, X in groups.items():
        try:
            vector, explained, n = first_component(X, name)
            loadings = {k: float(v) for k, v in vector.items()}
        except CompindexError:
            explained, n, loadings = float("nan"), int(X.dropna().shape[0]), {}
        rows[name] = {"n_components": X.shape[1], "n_units": n, "explained": explained,
                      "cronbach_alpha": cronbach_alpha(X), "loadings": loadings}
    return pd.DataFrame.from_dict(rows, orient="index")


def removal_rank_shift(run: IndexRun) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rank shift of each unit when one indicator or one area is removed (COINr ``remove_elements``).

    The run is re-aggregated from its normalised values without the component (the remaining weights renormalised
    as the missing-data rule does; an area whose only indicator is removed leaves the index); treatment and
    normalisation are not refitted.

    Parameters
    ----------
    run : IndexRun

    Returns
    -------
    summary : DataFrame, shape (n_components, 3)
        Indexed by removed component: ``level`` (indicator or area), ``mean_abs_shift``, ``max_abs_shift``.
    shifts : DataFrame, shape (n_units, n_components)
        Rank without the component minus nominal rank (negative = better without it).
    """
    decimals = run.framework.stages["ranking"]["decimals"]
    nominal = run.tables["ranks"]["index"].astype(float)
    base = run.weights
    shifts, levels = {}, {}
    for area, inds in base["indicators"].items():
        for code in inds:
            w = {"indicators": {**base["indicators"], area: {c: v for c, v in inds.items() if c != code}},
                 "areas": base["areas"]}
            shifts[code], levels[code] = w, "indicator"
    for area in base["indicators"]:
        shifts[area] = {"indicators": {**base["indicators"], area: {}}, "areas": base["areas"]}
        levels[area] = "area"
    out = {}
    for name, weights in shifts.items():
        ranks = competition_rank(run.rescore(weights=weights)["index"], decimals).astype(float)
        out[name] = ranks - nominal
    table = pd.DataFrame(out, index=nominal.index)
    summary = pd.DataFrame({"level": pd.Series(levels), "mean_abs_shift": table.abs().mean(),
                            "max_abs_shift": table.abs().max()})
    return summary, table


def audit(run: IndexRun, collinear: float = 0.92, negative: float = 0.0) -> dict[str, pd.DataFrame]:
    """The whole statistical audit of a run, as named tables.

    Parameters
    ----------
    run : IndexRun
    collinear, negative : float
        Correlation flag thresholds (:func:`corr_flags`).

    Returns
    -------
    dict of str to DataFrame
        ``indicator_stats`` (raw values of the kept indicators), ``availability_by_unit``,
        ``availability_by_indicator`` (raw values, all framework indicators), ``correlations``, ``corr_flags``,
        ``pca`` (with Cronbach's alpha), ``removal_summary``, ``removal_shifts``.
    """
    raw = run.tables["raw"]
    by_unit, by_ind = data_availability(raw)
    summary, shifts = removal_rank_shift(run)
    return {"indicator_stats": indicator_stats(raw[run.tables["normalised"].columns]),
            "availability_by_unit": by_unit, "availability_by_indicator": by_ind,
            "correlations": correlations(run), "corr_flags": corr_flags(run, collinear, negative),
            "pca": pca_by_area(run), "removal_summary": summary, "removal_shifts": shifts}
