"""What-if analysis on a finished run: other indicator values for a member, or other weights.

Nothing is refitted: changed values go through the run's fitted outlier treatment (clipping at its bounds,
its transform parameters) and normalisation (min-max and goalposts clipped to [low, high]; rank methods place the
value among the fitted values), replace the member's normalised row, and all members are re-aggregated with
:meth:`~compindex.IndexRun.rescore` and re-ranked. Scores of the other members therefore do not move with a
value change (the scale is the published one), and a weight change gives exactly what :func:`~compindex.run_index`
gives with those weights in the framework (the tests check it). Typical cost: a few milliseconds for the 57
members (``bench/bench_whatif.py``).
"""
from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from .aggregation import competition_rank
from .errors import CompindexError

__all__ = ["what_if"]


def what_if(run, values: Mapping[str, Mapping[str, float]] | None = None,
            weights: Mapping | None = None) -> pd.DataFrame:
    """New scores and ranks of all units after changing indicator values and/or weights.

    Parameters
    ----------
    run : IndexRun
        A run of :func:`~compindex.run_index`.
    values : mapping of unit to mapping of indicator to float, optional
        New values in the indicator's own unit (as in ``tables["after_imputation"]``), e.g.
        ``{"SEN": {"IT.NET.USER.ZS": 70.0}}``.
    weights : mapping, optional
        ``{"indicators": {area: {indicator: w}}, "areas": {area: w}}``; missing parts keep the run's weights.

    Returns
    -------
    DataFrame
        Indexed by unit; columns ``(kind, level)`` with kind in ``score``, ``rank``, ``score_change``,
        ``rank_change`` (new minus nominal; a negative rank change is an improvement) and level the area codes
        and ``index``.

    Raises
    ------
    CompindexError
        A unit or indicator the run does not know (an indicator dropped by coverage screening included), an
        area or indicator in ``weights`` that the run does not have.

    Examples
    --------
    >>> import pandas as pd
    >>> from compindex import Framework, run_index
    >>> fw = Framework.from_dict({"reference_year": 2024, "areas": [{"code": "a", "indicators": [
    ...     {"code": "x", "direction": 1}]}]})
    >>> run = run_index(pd.DataFrame({"unit": list("PQR"), "indicator": "x", "year": 2024,
    ...                               "value": [0.0, 5.0, 10.0]}), fw)
    >>> what_if(run, values={"P": {"x": 7.5}})[("rank", "index")].tolist()
    [2, 3, 1]
    """
    normalised = run.tables["normalised"]
    if values:
        after = run.tables["after_imputation"]
        rows = after.loc[[]].copy()
        for unit, changes in values.items():
            if unit not in after.index:
                raise CompindexError(f"what_if.values: unknown unit {unit!r}")
            unknown = [c for c in changes if c not in after.columns]
            if unknown:
                raise CompindexError(f"what_if.values[{unit}]: indicator(s) {unknown} not in the run (kept: "
                                     f"{list(after.columns)})")
            row = after.loc[[unit]].copy()
            for code, v in changes.items():
                row.loc[unit, code] = float(v)
            rows = pd.concat([rows, row])
        new = run._normaliser.transform(run._treater.transform(rows)[0])
        normalised = normalised.copy()
        normalised.loc[new.index, new.columns] = new[normalised.columns.intersection(new.columns)]
    w = run.weights
    if weights:
        w = {"indicators": {a: dict(i) for a, i in run.weights["indicators"].items()},
             "areas": dict(run.weights["areas"])}
        for area, inds in (weights.get("indicators") or {}).items():
            if area not in w["indicators"]:
                raise CompindexError(f"what_if.weights.indicators: unknown area {area!r}")
            for code, v in inds.items():
                if code not in w["indicators"][area]:
                    raise CompindexError(f"what_if.weights.indicators.{area}: indicator {code!r} not in the area")
                w["indicators"][area][code] = float(v)
        for area, v in (weights.get("areas") or {}).items():
            if area not in w["areas"]:
                raise CompindexError(f"what_if.weights.areas: unknown area {area!r}")
            w["areas"][area] = float(v)
    scores = run.rescore(normalised=normalised, weights=w)
    ranks = competition_rank(scores, run.framework.stages["ranking"]["decimals"])
    base_scores, base_ranks = run.tables["scores"][scores.columns], run.tables["ranks"][scores.columns]
    return pd.concat({"score": scores, "rank": ranks, "score_change": scores - base_scores,
                      "rank_change": ranks - base_ranks}, axis=1)
