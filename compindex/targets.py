"""Targets and trajectories: the yearly progress each unit needs to reach a target, and whether it is on track.

For a unit with value ``v0`` in the base year ``t0`` and a target ``T*`` for year ``T``:

* required linear progress ``(T* - v0) / (T - t0)`` per year (the form of the SDG "distance to target" and the
  EU Digital Decade trajectories);
* required compound progress ``(T* / v0)^(1 / (T - t0)) - 1`` per year (positive values only);
* recent trend: the OLS slope of the unit's values over the ``recent`` years up to ``t0`` (at least two values),
  and the recent compound growth between the first and last of them;
* on track: the recent linear trend carried to ``T`` reaches the target, i.e. ``v0 + slope (T - t0) >= T*``
  (``<=`` for an indicator where lower is better); ``achieved`` when ``v0`` already meets the target.

Works on any (year, unit) table: raw indicator values (targets in the indicator's unit) or area/index scores of
:func:`compindex.panel.run_panel` (targets in score points).
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .errors import CompindexError

__all__ = ["trajectories"]


def trajectories(history: pd.DataFrame, targets: Mapping[str, float] | pd.DataFrame, target_year: int,
                 base_year: int | None = None, recent: int = 5,
                 directions: Mapping[str, int] | None = None) -> pd.DataFrame:
    """Required yearly progress towards targets and on-track flags.

    Parameters
    ----------
    history : DataFrame
        Indexed by ``(year, unit)``, one column per indicator or area code (e.g. ``PanelResult.table``).
    targets : mapping of code to float, or DataFrame (units x codes)
        The same target for every unit, or one per unit and code (NaN = no target).
    target_year : int
        Year by which the target should be met (> base year).
    base_year : int, optional
        Year of the starting value (default: the last year of ``history``); a unit without a value that year is
        reported with NaN progress.
    recent : int
        Years before ``base_year`` used for the recent trend (``[base_year - recent, base_year]``).
    directions : mapping of code to {1, -1}, optional
        -1 where lower is better (default +1).

    Returns
    -------
    DataFrame
        One row per unit and code with a target: ``unit, code, base_year, value, target, target_year, gap,
        linear_required, compound_required, recent_slope, recent_growth, projected, achieved, on_track``.

    Raises
    ------
    CompindexError
        ``target_year`` not after the base year, a target code not in ``history``, ``recent`` < 1.

    Examples
    --------
    >>> h = pd.DataFrame({"x": [40.0, 50.0]}, index=pd.MultiIndex.from_tuples([(2022, "A"), (2024, "A")],
    ...                  names=["year", "unit"]))
    >>> t = trajectories(h, {"x": 80.0}, 2030)
    >>> t[["linear_required", "recent_slope", "projected", "on_track"]].values.tolist()
    [[5.0, 5.0, 80.0, True]]
    """
    years = history.index.get_level_values("year")
    base_year = int(years.max() if base_year is None else base_year)
    if not target_year > base_year:
        raise CompindexError(f"targets: target_year {target_year} must be after the base year {base_year}")
    if isinstance(recent, bool) or not isinstance(recent, int) or recent < 1:
        raise CompindexError(f"targets: recent must be an integer >= 1 (years), got {recent!r}")
    codes = list(targets.columns if isinstance(targets, pd.DataFrame) else targets)
    missing = [c for c in codes if c not in history.columns]
    if missing:
        raise CompindexError(f"targets: code(s) {missing} not in the history table (columns {list(history.columns)})")
    window = history[(years >= base_year - recent) & (years <= base_year)]
    span = target_year - base_year
    units = sorted(history.index.get_level_values("unit").unique())
    rows = []
    for code in codes:
        d = (directions or {}).get(code, 1)
        series = window[code].dropna()
        for unit in units:
            target = targets.at[unit, code] if isinstance(targets, pd.DataFrame) and unit in targets.index \
                else (np.nan if isinstance(targets, pd.DataFrame) else float(targets[code]))
            if pd.isna(target):
                continue
            own = series.xs(unit, level="unit") if unit in series.index.get_level_values("unit") else series.iloc[:0]
            own = own.sort_index()
            v0 = float(own.loc[base_year]) if base_year in own.index else np.nan
            slope = growth = np.nan
            if len(own) >= 2:
                t = own.index.to_numpy(dtype=float)
                t, v = t - t.mean(), own.to_numpy(dtype=float)
                slope = float((t * (v - v.mean())).sum() / (t * t).sum())  # OLS slope, centred for exactness
                y0, y1 = own.index[0], own.index[-1]
                if own.iloc[0] > 0 and own.iloc[-1] >= 0:
                    growth = (own.iloc[-1] / own.iloc[0]) ** (1 / (y1 - y0)) - 1
            linear = (target - v0) / span
            compound = (target / v0) ** (1 / span) - 1 if v0 > 0 and target > 0 else np.nan
            projected = v0 + slope * span
            achieved = bool(d * (v0 - target) >= 0) if not np.isnan(v0) else False
            on_track = achieved or bool(d * (projected - target) >= 0) if not np.isnan(projected) else achieved
            rows.append({"unit": unit, "code": code, "base_year": base_year, "value": v0, "target": float(target),
                         "target_year": target_year, "gap": target - v0, "linear_required": linear,
                         "compound_required": compound, "recent_slope": slope, "recent_growth": growth,
                         "projected": projected, "achieved": achieved, "on_track": on_track})
    return pd.DataFrame(rows)
