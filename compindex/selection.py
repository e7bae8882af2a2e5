"""Data selection, denomination and coverage screening.

Handbook 2008, Step 2 "Selecting variables" and Step 3/4 (data availability): per unit and indicator the most
recent non-empty value within a window of years is used and its year recorded (World Bank ``mrnev``, not ``mrv``);
size-dependent indicators are denominated (COINr ``Denominate``: value / (denominator / scale)); indicators
observed for too few units are dropped and units with too few indicators are flagged (COINr ``Screen``; JRC
default threshold 66 %).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import CompindexError

__all__ = ["PANEL_COLUMNS", "CoverageResult", "check_panel", "denominate", "latest_within_window",
           "screen_coverage", "to_wide"]

PANEL_COLUMNS = ("unit", "indicator", "year", "value")


def check_panel(panel: pd.DataFrame, name: str = "panel") -> pd.DataFrame:
    """Validate a long panel and return a clean copy.

    Parameters
    ----------
    panel : DataFrame, shape (n_rows, >=4)
        Columns ``unit`` (str), ``indicator`` (str), ``year`` (integer), ``value`` (numeric or NaN).
    name : str
        Name used in error messages.

    Returns
    -------
    DataFrame, shape (n_rows, 4)
        Columns ``unit, indicator, year`` (int64), ``value`` (float64).

    Raises
    ------
    CompindexError
        Missing column, non-integer year, non-numeric value, missing unit/indicator, or two rows for the same
        unit, indicator and year (the row numbers are named).
    """
    if not isinstance(panel, pd.DataFrame):
        raise CompindexError(f"{name}: expected a pandas DataFrame, got {type(panel).__name__}")
    missing = [c for c in PANEL_COLUMNS if c not in panel.columns]
    if missing:
        raise CompindexError(f"{name}: missing column(s) {missing}; expected {list(PANEL_COLUMNS)}")
    out = panel.loc[:, list(PANEL_COLUMNS)].reset_index(drop=True)
    for col in ("unit", "indicator"):
        bad = out.index[out[col].isna()]
        if len(bad):
            raise CompindexError(f"{name}: column {col!r} is empty in row(s) {list(bad[:10])}")
        out[col] = out[col].astype(str)
    value = pd.to_numeric(out["value"], errors="coerce")
    bad = out.index[value.isna() & out["value"].notna()]
    if len(bad):
        raise CompindexError(f"{name}: column 'value' is not numeric in row(s) {list(bad[:10])}, "
                             f"e.g. {out.loc[bad[0], 'value']!r}")
    year = pd.to_numeric(out["year"], errors="coerce")
    bad = out.index[year.isna() | (year != np.floor(year.fillna(0)))]
    if len(bad):
        raise CompindexError(f"{name}: column 'year' must hold whole years; bad row(s) {list(bad[:10])}")
    out["value"] = value.astype("float64")
    out["year"] = year.astype("int64")
    dup = out.duplicated(["unit", "indicator", "year"], keep=False)
    if dup.any():
        rows = list(out.index[dup][:10])
        raise CompindexError(f"{name}: several rows for the same unit, indicator and year in rows {rows}")
    return out


def latest_within_window(panel: pd.DataFrame, reference_year: int,
                         window: int | Mapping[str, int]) -> pd.DataFrame:
    """Most recent non-empty value per unit and indicator within a window of years.

    The window is inclusive: a value of year ``y`` is eligible when
    ``reference_year - window <= y <= reference_year``. Empty (NaN) values are skipped, so a later empty year
    never hides an earlier observed one (World Bank ``mrnev``, not ``mrv``).

    Parameters
    ----------
    panel : DataFrame, shape (n_rows, 4)
        Long panel with columns ``unit, indicator, year, value``.
    reference_year : int
        Last eligible year.
    window : int or mapping of str to int
        Window length in years, for all indicators or per indicator code (codes not in the mapping use
        ``window.get("*", 0)``).

    Returns
    -------
    DataFrame, shape (n_units * n_indicators, 4)
        Columns ``unit, indicator, value`` (float, NaN when nothing is eligible) and ``source_year``
        (pandas ``Int64``, <NA> when nothing is eligible), one row per unit x indicator present in the panel,
        sorted by unit then indicator.

    Raises
    ------
    CompindexError
        Invalid panel (see :func:`check_panel`) or a negative window.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"unit": ["FRA"] * 3, "indicator": "x", "year": [2019, 2021, 2023],
    ...                   "value": [7.9, 8.0, None]})
    >>> latest_within_window(p, 2024, 5)
      unit indicator  value  source_year
    0  FRA         x    8.0         2021
    """
    data = check_panel(panel)
    if isinstance(window, Mapping):
        default = window.get("*", 0)
        windows = data["indicator"].map(lambda code: window.get(code, default))
    else:
        windows = pd.Series(window, index=data.index)
    if (windows < 0).any():
        raise CompindexError(f"window: expected a non-negative number of years, got {window!r}")
    eligible = data[data["value"].notna() & (data["year"] <= reference_year)
                    & (data["year"] >= reference_year - windows)]
    latest = (eligible.sort_values("year").groupby(["unit", "indicator"], sort=False).tail(1)
              .rename(columns={"year": "source_year"}))
    grid = pd.MultiIndex.from_product([sorted(data["unit"].unique()), sorted(data["indicator"].unique())],
                                      names=["unit", "indicator"]).to_frame(index=False)
    out = grid.merge(latest, on=["unit", "indicator"], how="left")
    out["source_year"] = out["source_year"].astype("Int64")
    return out[["unit", "indicator", "value", "source_year"]]


def to_wide(long: pd.DataFrame, column: str = "value", units=None, indicators=None) -> pd.DataFrame:
    """Pivot a long ``unit, indicator, <column>`` frame to units x indicators.

    Parameters
    ----------
    long : DataFrame
        Long frame with columns ``unit``, ``indicator`` and ``column``.
    column : str
        Column to spread.
    units, indicators : list of str, optional
        Row and column order (missing ones are filled with NA).

    Returns
    -------
    DataFrame, shape (n_units, n_indicators)
    """
    wide = long.pivot(index="unit", columns="indicator", values=column)
    wide = wide.reindex(index=units if units is not None else wide.index,
                        columns=indicators if indicators is not None else wide.columns)
    wide.index.name, wide.columns.name = "unit", None
    return wide


def denominate(values: pd.DataFrame, source_year: pd.DataFrame, panel: pd.DataFrame,
               denominators: Mapping[str, Mapping], reference_year: int, window: int | Mapping[str, int]
               ) -> tuple[pd.DataFrame, list[dict]]:
    """Divide indicators by a denominator indicator (COINr ``Denominate``).

    ``value / (denominator / scale)``, e.g. patents per million people with ``SP.POP.TOTL`` and
    ``scale = 1e6``. The denominator is taken from the same unit and the year the numerator came from; when
    that year has no denominator value, the latest denominator value within the window is used.

    Parameters
    ----------
    values, source_year : DataFrame, shape (n_units, n_indicators)
        Selected values and their years (see :func:`latest_within_window`).
    panel : DataFrame
        Long panel holding the denominator indicators.
    denominators : mapping of str to mapping
        ``{indicator: {"indicator": denominator_code, "scale": s}}`` for the indicators to denominate.
    reference_year, window : int, int or mapping
        Selection window for the fallback denominator value.

    Returns
    -------
    denominated : DataFrame, shape (n_units, n_indicators)
        Values with denominated columns replaced; NaN where the denominator is missing or zero.
    log : list of dict
        One entry per denominated indicator with the counts of units left without a denominator.

    Raises
    ------
    CompindexError
        A denominator indicator absent from the panel.
    """
    data = check_panel(panel)
    out = values.copy()
    log = []
    for code, spec in denominators.items():
        if code not in out.columns:
            continue
        denom_code, scale = spec["indicator"], float(spec.get("scale", 1))
        rows = data[data["indicator"] == denom_code]
        if rows.empty:
            raise CompindexError(f"indicator {code}: denominator {denom_code!r} has no rows in the panel")
        by_year = rows.set_index(["unit", "year"])["value"]
        latest = to_wide(latest_within_window(rows, reference_year,
                                              window.get(code, window.get("*", 0))
                                              if isinstance(window, Mapping) else window))
        latest = latest[denom_code] if denom_code in latest.columns else pd.Series(dtype=float)
        keys = [(u, y) for u, y in zip(out.index, source_year[code])]
        same_year = pd.Series([by_year.get(k, np.nan) if not pd.isna(k[1]) else np.nan for k in keys],
                              index=out.index, dtype="float64")
        denom = same_year.fillna(latest.reindex(out.index))
        usable = denom.notna() & (denom != 0)
        numer = out[code]
        out[code] = np.nan
        out.loc[usable, code] = numer[usable] / (denom[usable] / scale)
        lost = list(out.index[numer.notna() & ~usable])
        log.append({"stage": "denomination", "indicator": code, "action": f"divided by {denom_code} / {scale:g}",
                    "denominated": int((numer.notna() & usable).sum()), "units_without_denominator": lost})
    return out, log


@dataclass(frozen=True)
class CoverageResult:
    """Outcome of :func:`screen_coverage`.

    Attributes
    ----------
    indicators : DataFrame, shape (n_indicators, 4)
        Indexed by indicator: ``n_units`` (int), ``share`` (float), ``kept`` (bool), ``reason`` (str).
    units : DataFrame, shape (n_units, 3)
        Indexed by unit, over the kept indicators: ``n_indicators``, ``share``, ``flagged`` (bool).
    """

    indicators: pd.DataFrame
    units: pd.DataFrame

    @property
    def kept(self) -> list[str]:
        """Codes of the kept indicators, in input order."""
        return list(self.indicators.index[self.indicators["kept"]])


def screen_coverage(values: pd.DataFrame, indicator_min: float = 0.66, unit_min: float = 0.66) -> CoverageResult:
    """Screen indicators and units by data availability (Handbook 2008 Step 3; COINr ``Screen``).

    An indicator is kept when observed for at least ``indicator_min`` of the units. Units observed on fewer than
    ``unit_min`` of the kept indicators stay in the index but are flagged.

    Parameters
    ----------
    values : DataFrame, shape (n_units, n_indicators)
        Selected (and denominated) values, NaN where missing.
    indicator_min, unit_min : float
        Minimum shares in [0, 1] (JRC default 0.66).

    Returns
    -------
    CoverageResult
    """
    n_units = len(values.index)
    counts = values.notna().sum()
    share = counts / n_units if n_units else counts.astype(float)
    kept = share >= indicator_min
    reason = np.where(kept, "", [f"coverage {s:.1%} < {indicator_min:.0%}" for s in share])
    indicators = pd.DataFrame({"n_units": counts.astype(int), "share": share.astype(float), "kept": kept,
                               "reason": reason}, index=values.columns)
    indicators.index.name = "indicator"
    kept_values = values.loc[:, kept.to_numpy()]
    n_ind = kept_values.notna().sum(axis=1)
    unit_share = n_ind / kept_values.shape[1] if kept_values.shape[1] else n_ind.astype(float)
    units = pd.DataFrame({"n_indicators": n_ind.astype(int), "share": unit_share.astype(float),
                          "flagged": unit_share < unit_min}, index=values.index)
    return CoverageResult(indicators=indicators, units=units)
