"""Gap analysis, development tiers and the connectivity divide of an edition (pure pandas, no database).

Definitions (documented for readers in ``docs/methodology.md``):

* **Gap** of a member in an area: its score minus a reference score on the same 0–100 scale. References are
  the OIC median and the OIC best (among the 57 members), the median of the members in the same World Bank
  income group, the median of the members in the same OIC geographic group, and the world median — the
  median score of the comparison economies, scored on the members' fitted scale (same data selection,
  treatment bounds, normalisation bounds and weights), counting only economies that have data for at least
  the unit-coverage share of the area's indicators. A positive gap means above the reference.
* **Development tiers**: the members' index scores are split at their quartiles (type 7 quantiles, as
  numpy/pandas/R default) into four tiers, ``leading`` (top quarter), ``advancing``, ``developing`` and
  ``emerging``. Quartiles are relative to the membership, which is the purpose of the Forum's comparison;
  the thresholds used are stored with the edition.
* **Connectivity divide**: for internet use and fixed broadband, the latest value within the window for every
  country (aggregates excluded); the world median is the median over all countries (members included), the
  members' spread is summarised by min, 10th percentile, median, 90th percentile and max, and the number of
  members below the world median.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

TIER_LABELS = ("leading", "advancing", "developing", "emerging")
#: Display names of the tiers per language (the codes above are what is stored on each Score).
TIER_NAMES = {
    "leading": {"en": "Leading", "fr": "En tête", "ar": "رائدة"},
    "advancing": {"en": "Advancing", "fr": "En progression", "ar": "متقدمة"},
    "developing": {"en": "Developing", "fr": "En développement", "ar": "نامية"},
    "emerging": {"en": "Emerging", "fr": "Émergent", "ar": "ناشئة"},
}
TIER_METHOD = {
    "en": "quartiles of the members' index scores (linear interpolation, type 7)",
    "fr": "quartiles des scores d'indice des membres (interpolation linéaire, type 7)",
    "ar": "الأرباع الإحصائية لدرجات المؤشر لدى الدول الأعضاء (استيفاء خطي، النوع 7)",
}


def group_medians(scores: pd.Series, groups: pd.Series) -> pd.Series:
    """Median score of each unit's group, aligned to the units.

    Parameters
    ----------
    scores : Series, shape (n_units,)
        Score per unit (index = ISO3), NaN for units without a score.
    groups : Series, shape (n_units,)
        Group label per unit (same index); empty string or NaN = no group.

    Returns
    -------
    Series, shape (n_units,)
        The median of the non-missing scores in the unit's group; NaN where the unit has no group.

    Examples
    --------
    >>> s = pd.Series({"A": 10.0, "B": 20.0, "C": 40.0, "D": 90.0})
    >>> g = pd.Series({"A": "x", "B": "x", "C": "y", "D": ""})
    >>> group_medians(s, g).tolist()
    [15.0, 15.0, 40.0, nan]
    """
    groups = groups.reindex(scores.index).replace("", np.nan)
    medians = scores.groupby(groups).median()
    return groups.map(medians).astype(float)


def area_gaps(
    scores: pd.DataFrame,
    groups: pd.DataFrame,
    world_medians: Mapping[str, float],
) -> pd.DataFrame:
    """Distances of every member's area and index scores to the OIC, peer-group and world references.

    Parameters
    ----------
    scores : DataFrame, shape (n_members, n_areas + 1)
        Scores on the 0–100 scale, index ISO3, columns the area codes and ``"index"``.
    groups : DataFrame
        Indexed by ISO3 with columns ``income_group`` and ``oic_group``.
    world_medians : mapping area -> float
        Median score of the comparison economies per area (NaN or absent where none).

    Returns
    -------
    DataFrame
        Long table with columns ``iso3, area, score, gap_oic_median, gap_oic_best, gap_income_median,
        gap_group_median, gap_world_median`` (score minus reference; NaN where the member has no score
        or the reference does not exist).
    """
    rows = []
    for area in scores.columns:
        s = scores[area].astype(float)
        frame = pd.DataFrame({"iso3": s.index, "area": area, "score": s.to_numpy()})
        frame["gap_oic_median"] = (s - s.median()).to_numpy()
        frame["gap_oic_best"] = (s - s.max()).to_numpy()
        frame["gap_income_median"] = (s - group_medians(s, groups["income_group"])).to_numpy()
        frame["gap_group_median"] = (s - group_medians(s, groups["oic_group"])).to_numpy()
        world = world_medians.get(area, np.nan)
        frame["gap_world_median"] = (s - world).to_numpy() if world is not None else np.nan
        rows.append(frame)
    return pd.concat(rows, ignore_index=True)


def development_tiers(index_scores: pd.Series) -> tuple[pd.Series, dict]:
    """Assign each member to a development tier by the quartiles of the members' index scores.

    Parameters
    ----------
    index_scores : Series, shape (n_members,)
        Index score per member (NaN = no score, gets no tier).

    Returns
    -------
    tiers : Series of str
        ``leading`` (score >= Q3), ``advancing`` (Q2 <= score < Q3), ``developing`` (Q1 <= score < Q2),
        ``emerging`` (score < Q1); empty string for members without a score.
    spec : dict
        ``method`` (English) and ``method_text`` (en/fr/ar), ``thresholds`` ([Q1, Q2, Q3]), ``labels`` (tier
        codes), ``names`` (code -> {en, fr, ar}) and ``counts``, to store with the edition.

    Examples
    --------
    >>> t, spec = development_tiers(pd.Series({"A": 10.0, "B": 20.0, "C": 30.0, "D": 40.0, "E": 50.0}))
    >>> spec["thresholds"], t.tolist()
    ([20.0, 30.0, 40.0], ['emerging', 'developing', 'advancing', 'leading', 'leading'])
    """
    valid = index_scores.dropna()
    if valid.empty:
        raise ValueError("development_tiers: no member has an index score")
    q1, q2, q3 = (float(x) for x in np.quantile(valid.to_numpy(), [0.25, 0.5, 0.75]))
    # np.select takes the first true condition, so test from the top tier down.
    values = index_scores.to_numpy(dtype=float)
    tier = np.select(
        [values >= q3, values >= q2, values >= q1, values < q1],
        list(TIER_LABELS),
        default="",
    )
    tiers = pd.Series(tier, index=index_scores.index, dtype=object)
    spec = {
        "method": TIER_METHOD["en"],
        "method_text": TIER_METHOD,
        "thresholds": [round(q1, 6), round(q2, 6), round(q3, 6)],
        "labels": list(TIER_LABELS),
        "names": TIER_NAMES,
        "counts": {label: int((tiers == label).sum()) for label in TIER_LABELS},
    }
    return tiers, spec


def divide_summary(values: pd.Series, source_years: pd.Series, members: list[str]) -> dict:
    """Summarise the connectivity divide for one indicator.

    Parameters
    ----------
    values : Series
        Latest value within the window per country (index ISO3; aggregates must already be excluded).
    source_years : Series
        Year of each value (same index).
    members : list of str
        ISO3 codes of the OIC members.

    Returns
    -------
    dict
        ``world_median`` (all countries), ``n_countries``, ``oic_median``, ``oic_min``, ``oic_p10``,
        ``oic_p90``, ``oic_max``, ``n_members``, ``members_below_world_median`` and ``members``: one dict per
        member with data (``iso3, value, source_year, gap_to_world_median``), highest value first.

    Examples
    --------
    >>> v = pd.Series({"A": 10.0, "B": 50.0, "W1": 60.0, "W2": 90.0})
    >>> d = divide_summary(v, pd.Series({"A": 2022, "B": 2021, "W1": 2022, "W2": 2022}), ["A", "B", "C"])
    >>> d["world_median"], d["oic_median"], d["members_below_world_median"]
    (55.0, 30.0, 2)
    """
    values = values.dropna().astype(float)
    if values.empty:
        raise ValueError("divide_summary: no country has a value")
    world = float(values.median())
    m = values[values.index.isin(members)].sort_values(ascending=False)
    out = {
        "world_median": world,
        "n_countries": int(values.size),
        "n_members": int(m.size),
        "oic_median": float(m.median()) if m.size else None,
        "oic_min": float(m.min()) if m.size else None,
        "oic_p10": float(np.quantile(m, 0.10)) if m.size else None,
        "oic_p90": float(np.quantile(m, 0.90)) if m.size else None,
        "oic_max": float(m.max()) if m.size else None,
        "members_below_world_median": int((m < world).sum()),
        "members": [
            {
                "iso3": iso3,
                "value": float(v),
                "source_year": int(source_years.get(iso3)) if pd.notna(source_years.get(iso3)) else None,
                "gap_to_world_median": float(v - world),
            }
            for iso3, v in m.items()
        ],
    }
    return out
