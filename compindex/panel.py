"""Editions over time: the index on every reference year the data supports, on fixed goalposts.

Scores of different years compare only if every year is scored on the same scale. :func:`run_panel` fits the
whole pipeline ONCE, on the base year (default: the framework's reference year), with :func:`~compindex.run_index`,
and then scores every other year with the base run's fitted stages, as :meth:`~compindex.IndexRun.transform`
does for comparison economies: data selection (latest value within the window) at that year, denomination,
imputation of the members with the framework's method on that year's data (comparison economies are never
imputed), the base year's outlier treatment (clipping at its bounds, its log/Box-Cox parameters), the base
year's normalisation parameters and weights. Two goalpost modes:

* ``"framework"``: fixed goalposts written in the framework (``normalisation: goalposts`` and ``goalposts`` on
  every indicator), clipped to [low, high] (COINr ``n_goalposts``; the practice of e.g. the ITU ICT Development
  Index);
* ``"base_year"``: the framework's own normalisation fitted on the base year; for min-max this means the base
  year's minimum and maximum are the goalposts (Handbook 2008, Step 6: "min-max ... using the values of a
  reference year"); results are clipped to [low, high], so a value beyond the base year's range gets the bound.
  With the latest year as base, earlier (usually lower) values rarely leave the range.

Rank-based normalisations (``rank``, ``borda``, ``prank``) and Copeland aggregation measure positions, not
levels, and are refused. The indicator set is the base run's (after coverage screening): a year is supported when
each of these indicators has a value for at least ``coverage.indicator_min`` of the members in that year's window;
other years are skipped, with the reason. With ``indicators="common"`` the framework is first reduced to the
indicators meeting that coverage in EVERY candidate year (areas left without one are dropped and listed in
``PanelResult.dropped``): a smaller but constant "panel index", for frameworks mixing annual series with one-off
surveys.

Analyses on the resulting (year x unit x area) table: compound annual growth (:func:`cagr`), sigma-convergence
(dispersion among units per year, :func:`sigma_convergence`) and beta-convergence (annualised growth against the
log initial level, :func:`beta_convergence`; Barro and Sala-i-Martin 1992, *J. Political Economy* 100(2);
Sala-i-Martin 1996, *Economic Journal* 106).
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .errors import CompindexError
from .framework import Framework
from .imputation import impute
from .pipeline import IndexRun, run_index
from .selection import check_panel

__all__ = ["PanelResult", "beta_convergence", "cagr", "run_panel", "sigma_convergence"]

_LEVEL_FREE = ("rank", "borda", "prank")


@dataclass
class PanelResult:
    """Scores of every supported year on the base year's scale.

    Attributes
    ----------
    table : DataFrame, shape (n_years * n_units, n_areas + 1)
        Indexed by ``(year, unit)``, columns area codes and ``index``; NaN = no score.
    group : Series
        ``"member"`` or ``"comparison"`` per unit.
    years : list of int
        Years scored.
    skipped : dict of int to str
        Years not supported and why.
    base : IndexRun
        The base-year run whose fitted stages scored every year.
    goalposts : str
        ``"framework"`` or ``"base_year"``.
    coverage : DataFrame, shape (n_years, n_indicators)
        Share of the members with a value in each year's window, per indicator of the base run.
    dropped : dict of str to str
        Indicators and areas left out of a common-indicator panel, and why (empty otherwise).
    """

    table: pd.DataFrame
    group: pd.Series
    years: list[int]
    skipped: dict[int, str]
    base: IndexRun
    goalposts: str
    coverage: pd.DataFrame = field(default_factory=pd.DataFrame)
    dropped: dict[str, str] = field(default_factory=dict)

    def members(self) -> list[str]:
        """Codes of the member units (the scoring population).

        Returns
        -------
        list of str
            Unit codes in the order of :attr:`group`.
        """
        return list(self.group.index[self.group == "member"])

    def long(self) -> pd.DataFrame:
        """The table as long rows (NaN scores left out).

        Returns
        -------
        DataFrame, shape (n_scores, 5)
            Columns ``year``, ``unit``, ``group``, ``area`` (area code or ``index``), ``score``.
        """
        out = self.table.rename_axis(columns="area").stack().rename("score").reset_index()
        out.insert(2, "group", out["unit"].map(self.group))
        return out


def _year_run(base: IndexRun, year: int) -> IndexRun:
    run = copy.copy(base)
    run.reference_year = year
    return run


def _common_framework(data: pd.DataFrame, fw: Framework, years: list[int]) -> tuple[Framework, dict[str, str]]:
    units = sorted(data["unit"].unique())
    tmp = IndexRun(fw, years[0], {i.code: i.window if i.window is not None else fw.window
                                  for i in fw.indicators.values()})
    worst = pd.Series(1.0, index=fw.indicator_codes)
    for year in years:
        tmp.reference_year = year
        worst = np.minimum(worst, tmp._select(data, units)[0].notna().mean())
    keep = set(worst.index[worst >= fw.coverage["indicator_min"]])
    raw = fw.to_dict()
    dropped = {c: f"coverage {v:.2f} in the worst year" for c, v in worst.items() if c not in keep}
    areas = []
    for area in raw["areas"]:
        area["indicators"] = [i for i in area["indicators"] if i["code"] in keep]
        if area["indicators"]:
            areas.append(area)
        else:
            dropped[area["code"]] = "area without an indicator covered in every year"
    if not areas:
        raise CompindexError(f"panel: no indicator meets coverage in every year {years[0]}-{years[-1]} ({dropped})")
    raw["areas"] = areas
    return Framework.from_dict(raw), dropped


def run_panel(panel: pd.DataFrame, fw: Framework, years: list[int] | None = None, goalposts: str = "base_year",
              base_year: int | None = None, groups: pd.DataFrame | None = None,
              other_panel: pd.DataFrame | None = None, indicators: str = "base") -> PanelResult:
    """Score every reference year the data supports on fixed goalposts.

    Parameters
    ----------
    panel : DataFrame, shape (n_rows, 4)
        Long panel ``unit, indicator, year, value`` of the members (all years), with denominator rows.
    fw : Framework
        The framework (its window applies at every year).
    years : list of int, optional
        Candidate reference years (default: every year from the first to the last year of the panel).
    goalposts : {"base_year", "framework"}
        How the scale is fixed (module docstring).
    base_year : int, optional
        Year the stages are fitted on (default ``fw.reference_year``, else the last candidate year).
    groups : DataFrame, optional
        Grouping columns for group imputation, as for :func:`~compindex.run_index`.
    other_panel : DataFrame, optional
        Long panel of comparison economies, scored on the same scale without imputation.
    indicators : {"base", "common"}
        The base run's indicators (years lacking one are skipped) or only those covered in every candidate year.

    Returns
    -------
    PanelResult

    Raises
    ------
    CompindexError
        Unknown goalpost or indicator mode; ``framework`` mode without goalpost normalisation; a rank-based
        normalisation or Copeland aggregation; ``common`` mode with no indicator covered in every year; the base
        year itself not supported (as :func:`~compindex.run_index`).
    """
    if goalposts not in ("base_year", "framework"):
        raise CompindexError(f"panel.goalposts: expected 'base_year' or 'framework', got {goalposts!r}")
    norm, agg = fw.stages["normalisation"]["method"], fw.stages["aggregation"]
    if goalposts == "framework" and norm != "goalposts":
        raise CompindexError("panel.goalposts: 'framework' needs stages.normalisation.method: goalposts and "
                             f"goalposts on every indicator (got method {norm!r})")
    if norm in _LEVEL_FREE or "copeland" in (agg["indicators"], agg["areas"]):
        raise CompindexError(f"panel: normalisation {norm!r} / aggregation {agg['indicators']}/{agg['areas']} "
                             "measures positions, not levels: scores of different years would not compare")
    data = check_panel(panel)
    if years is None:
        years = list(range(int(data["year"].min()), int(data["year"].max()) + 1))
    years = sorted(int(y) for y in years)
    if indicators not in ("base", "common"):
        raise CompindexError(f"panel.indicators: expected 'base' or 'common', got {indicators!r}")
    dropped: dict[str, str] = {}
    if indicators == "common":
        fw, dropped = _common_framework(data, fw, years)
    base_year = int(base_year or fw.reference_year or years[-1])
    base = run_index(data, fw, groups, base_year)
    kept = base._kept
    units = sorted(data["unit"].unique())
    imp = fw.stages["imputation"]
    labels = groups[imp["group"]] if imp["method"].startswith("group_") else None
    others = check_panel(other_panel, "other_panel") if other_panel is not None else None
    other_units = sorted(others["unit"].unique()) if others is not None else []

    frames, skipped, cover = {}, {}, {}
    for year in years:
        run = _year_run(base, year)
        raw, _, _ = run._select(data, units)
        share = raw[kept].notna().mean()
        cover[year] = share
        short = share[share < fw.coverage["indicator_min"]]
        if len(short):
            skipped[year] = (f"below indicator_min {fw.coverage['indicator_min']}: "
                             + ", ".join(f"{c} ({v:.2f})" for c, v in short.items()))
            continue
        after, _, _ = impute(raw[kept], imp["method"], labels, imp["fallback"], imp["n_neighbors"])
        scores, _ = base._aggregate(base._normaliser.transform(base._treater.transform(after)[0]))
        if others is not None:
            oraw, _, _ = run._select(others, other_units)
            oscores, _ = base._aggregate(base._normaliser.transform(base._treater.transform(oraw[kept])[0]))
            scores = pd.concat([scores, oscores])
        frames[year] = scores
    if not frames:
        raise CompindexError(f"panel: no year supported ({skipped})")
    table = pd.concat(frames, names=["year", "unit"])
    group = pd.Series(["member"] * len(units) + ["comparison"] * len(other_units), index=units + other_units,
                      name="group")
    coverage = pd.DataFrame(cover).T.rename_axis("year")
    return PanelResult(table, group, sorted(frames), skipped, base, goalposts, coverage, dropped)


def cagr(table: pd.DataFrame, start: int | None = None, end: int | None = None) -> pd.DataFrame:
    """Compound annual growth rate of every unit's scores.

    ``CAGR = (s_end / s_start)^(1 / (end - start)) - 1`` between the first and last year with a score (within
    ``[start, end]`` if given); NaN when the start score is not positive or the unit has a score in one year only.

    Parameters
    ----------
    table : DataFrame
        Indexed by ``(year, unit)``, one column per area (:attr:`PanelResult.table`).
    start, end : int, optional
        Limit the years used.

    Returns
    -------
    DataFrame
        Long rows ``unit, area, start_year, end_year, start, end, cagr``.

    Examples
    --------
    >>> t = pd.DataFrame({"index": [40.0, 90.0]}, index=pd.MultiIndex.from_tuples(
    ...     [(2020, "A"), (2022, "A")], names=["year", "unit"]))
    >>> round(float(cagr(t)["cagr"].iloc[0]), 4)
    0.5
    """
    rows = []
    years = table.index.get_level_values("year")
    sub = table[(years >= (start if start is not None else years.min()))
                & (years <= (end if end is not None else years.max()))]
    for area in sub.columns:
        s = sub[area].dropna().reset_index()
        for unit, g in s.groupby("unit"):
            g = g.sort_values("year")
            y0, y1 = int(g["year"].iloc[0]), int(g["year"].iloc[-1])
            v0, v1 = float(g[area].iloc[0]), float(g[area].iloc[-1])
            rate = (v1 / v0) ** (1 / (y1 - y0)) - 1 if y1 > y0 and v0 > 0 and v1 >= 0 else np.nan
            rows.append((unit, area, y0, y1, v0, v1, rate))
    return pd.DataFrame(rows, columns=["unit", "area", "start_year", "end_year", "start", "end", "cagr"])


def sigma_convergence(table: pd.DataFrame, units: list[str] | None = None) -> pd.DataFrame:
    """Dispersion of scores among units per year (sigma-convergence: dispersion falling over time).

    Parameters
    ----------
    table : DataFrame
        Indexed by ``(year, unit)``, one column per area.
    units : list of str, optional
        Units compared (default all), e.g. the members.

    Returns
    -------
    DataFrame
        Long rows ``year, area, n, mean, sd, cv`` with ``sd`` the sample standard deviation (n - 1) and ``cv =
        sd / mean`` (coefficient of variation).

    Examples
    --------
    >>> t = pd.DataFrame({"index": [10.0, 30.0]}, index=pd.MultiIndex.from_tuples(
    ...     [(2020, "A"), (2020, "B")], names=["year", "unit"]))
    >>> sigma_convergence(t)[["n", "mean", "sd", "cv"]].round(4).values.tolist()
    [[2.0, 20.0, 14.1421, 0.7071]]
    """
    sub = table if units is None else table[table.index.get_level_values("unit").isin(units)]
    g = sub.groupby(level="year")
    out = pd.concat({"n": g.count(), "mean": g.mean(), "sd": g.std(ddof=1)}, axis=1)
    out = out.stack(level=1, future_stack=True).rename_axis(["year", "area"]).reset_index()
    out["cv"] = out["sd"] / out["mean"]
    return out[["year", "area", "n", "mean", "sd", "cv"]]


def beta_convergence(table: pd.DataFrame, start: int, end: int, units: list[str] | None = None) -> pd.DataFrame:
    """Beta-convergence: OLS of annualised growth on the log initial level, per area.

    For each unit with positive scores in ``start`` and ``end``: ``g = (ln s_end - ln s_start) / (end - start)``
    regressed on ``ln s_start`` (``scipy.stats.linregress``). A negative, significant slope means units that
    started lower grew faster (Barro and Sala-i-Martin 1992). The implied speed of convergence is
    ``-ln(1 + slope T) / T``.

    Parameters
    ----------
    table : DataFrame
        Indexed by ``(year, unit)``, one column per area.
    start, end : int
        Initial and final year, ``start < end``.
    units : list of str, optional
        Units included (default all).

    Returns
    -------
    DataFrame
        One row per area: ``n, slope, intercept, r, p_value, stderr, speed, converging`` (slope < 0 and
        p < 0.05); NaN statistics with fewer than 3 units.

    Raises
    ------
    CompindexError
        ``start >= end`` or a year not in the table.
    """
    from scipy import stats

    years = set(table.index.get_level_values("year"))
    if not start < end or start not in years or end not in years:
        raise CompindexError(f"beta_convergence: need start < end, both among the years {sorted(years)}; got "
                             f"{start}, {end}")
    a, b = table.xs(start, level="year"), table.xs(end, level="year")
    if units is not None:
        a, b = a[a.index.isin(units)], b[b.index.isin(units)]
    span, rows = end - start, []
    for area in table.columns:
        both = pd.concat([a[area], b[area]], axis=1, keys=["s0", "s1"]).dropna()
        both = both[(both["s0"] > 0) & (both["s1"] > 0)]
        x = np.log(both["s0"].to_numpy())
        g = (np.log(both["s1"].to_numpy()) - x) / span
        if len(both) < 3:
            rows.append({"area": area, "n": len(both)})
            continue
        fit = stats.linregress(x, g)
        speed = -np.log1p(fit.slope * span) / span if fit.slope * span > -1 else np.nan
        rows.append({"area": area, "n": len(both), "slope": fit.slope, "intercept": fit.intercept,
                     "r": fit.rvalue, "p_value": fit.pvalue, "stderr": fit.stderr, "speed": speed,
                     "converging": bool(fit.slope < 0 and fit.pvalue < 0.05)})
    cols = ["area", "n", "slope", "intercept", "r", "p_value", "stderr", "speed", "converging"]
    return pd.DataFrame(rows).reindex(columns=cols)
