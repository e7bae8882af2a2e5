"""Services of the observatory: compute an edition of the index and store it (writes go through here).

The computation itself is :func:`compindex.run_index` (OECD/JRC Handbook 2008 Steps 3-7); this module
selects observations from the store, hands them to the engine, scores comparison economies on the members'
fitted scale, adds the gap analysis (:mod:`dtforum.observatory.analysis`) and stores the result.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from compindex import CompindexError, Framework, run_index
from dtforum.core.audit import record_change
from dtforum.members.models import Economy
from dtforum.observatory import analysis
from dtforum.observatory.models import Edition, Indicator, IndicatorResult, Observation, Score, Source

logger = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]

#: Indicators of the connectivity divide (World Bank WDI codes).
DIVIDE_INDICATORS = ("IT.NET.USER.ZS", "IT.NET.BBND.P2")


class EditionError(ValueError):
    """The edition cannot be computed: the message names the file, field or indicator at fault."""


@dataclass
class EditionResult:
    """What :func:`compute_edition` produced, for the exports and the report.

    Attributes
    ----------
    edition : Edition
        The stored edition row.
    framework : compindex.Framework
        The validated framework.
    run : compindex.IndexRun
        The members' run: every stage's table, coverage, log and recipe.
    comparison : dict of str -> DataFrame
        The comparison economies scored on the members' scale (``raw``, ``normalised``, ``scores``).
    gaps : DataFrame
        Long table from :func:`dtforum.observatory.analysis.area_gaps` with ``rank`` and ``tier`` added.
    """

    edition: Edition
    framework: Framework
    run: Any
    comparison: dict[str, pd.DataFrame]
    gaps: pd.DataFrame
    timings: dict[str, float] = field(default_factory=dict)


def load_framework(edition: str, methodology_dir: Path | None = None) -> tuple[dict, Framework]:
    """Read and validate ``methodology/<edition>.yaml``.

    Parameters
    ----------
    edition : str
        Edition code, e.g. ``"2024"``.
    methodology_dir : Path, optional
        Folder of the framework files (default ``settings.DTFORUM_METHODOLOGY_DIR``).

    Returns
    -------
    (dict, Framework)
        The file as read and the validated framework.

    Raises
    ------
    EditionError
        The file is missing, is not valid YAML (line and column given) or fails validation (field path given).
    """
    folder = Path(methodology_dir or settings.DTFORUM_METHODOLOGY_DIR)
    path = folder / f"{edition}.yaml"
    if not path.is_file():
        available = sorted(p.stem for p in folder.glob("*.yaml"))
        raise EditionError(f"{path}: framework file not found (editions available: {available})")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise EditionError(f"{path}: expected UTF-8 text; byte {exc.object[exc.start]:#04x} at offset "
                           f"{exc.start} is not UTF-8") from exc
    except OSError as exc:
        raise EditionError(f"{path}: the file cannot be read ({exc.strerror or exc})") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise EditionError(f"{path}:{where} not valid YAML: {exc}") from exc
    _check_edition_file(raw, path)
    try:
        framework = Framework.from_dict(raw)
    except CompindexError as exc:
        raise EditionError(f"{path}: {exc}") from exc
    if str(raw.get("edition", edition)) != str(edition):
        raise EditionError(f"{path}: field 'edition' is {raw.get('edition')!r}, expected {edition!r}")
    return raw, framework


#: Thematic areas of the Forum's declaration (DESIGN.md §1); `cooperation` is measured from platform activity.
THEMATIC_AREAS = ("cooperation", "connectivity", "skills", "government", "data", "resilience", "emerging_tech",
                  "economy")
#: Languages every display name of an edition file must have.
EDITION_LANGUAGES = ("en", "fr", "ar")


def _check_edition_file(raw: Any, path: Path) -> None:
    """Rules of the platform's edition files on top of compindex's generic framework validation.

    An edition is published: nothing in it may fall back silently to a default. The method blocks
    (``window``, ``coverage``, ``stages``) must be written out, area codes must be thematic areas of the
    declaration, and areas and indicators need names in Arabic, English and French.
    """
    if not isinstance(raw, dict):
        raise EditionError(f"{path}: expected a mapping at the top of the file, got {type(raw).__name__}")
    missing = [key for key in ("edition", "reference_year", "window", "coverage", "stages", "areas") if key not in raw]
    if missing:
        raise EditionError(f"{path}: missing field(s) {missing}: an edition states its whole method")
    for i, area in enumerate(raw.get("areas") or []):
        if not isinstance(area, dict):
            continue  # compindex names the problem with its path
        where = f"areas[{i}] ({area.get('code')})"
        if area.get("code") not in THEMATIC_AREAS:
            raise EditionError(f"{path}: {where}.code: expected one of the thematic areas {list(THEMATIC_AREAS)}, "
                               f"got {area.get('code')!r}")
        items = [(where, area)] + [(f"{where}.indicators[{j}] ({ind.get('code')})", ind)
                                   for j, ind in enumerate(area.get("indicators") or []) if isinstance(ind, dict)]
        for label, item in items:
            name = item.get("name")
            lacking = [lang for lang in EDITION_LANGUAGES if not isinstance(name, dict) or not name.get(lang)]
            if lacking:
                raise EditionError(f"{path}: {label}.name: expected names in {list(EDITION_LANGUAGES)}, "
                                   f"missing {lacking}")


def _needed_indicators(framework: Framework) -> dict[str, str | None]:
    """Indicator code -> source code required by the framework (denominators included, any source)."""
    needed: dict[str, str | None] = {}
    for area in framework.areas:
        for ind in area.indicators:
            needed[ind.code] = ind.source
            if ind.denominator:
                needed.setdefault(ind.denominator["indicator"], None)
    return needed


def select_panel(framework: Framework) -> pd.DataFrame:
    """Long panel of every observation the framework needs, for members and comparison economies.

    Parameters
    ----------
    framework : Framework
        Its indicators' ``source`` picks one source where an indicator is published by several.

    Returns
    -------
    DataFrame
        Columns ``unit, kind, indicator, year, value`` (aggregates excluded).

    Raises
    ------
    EditionError
        A framework indicator or source is not in the store (names them all and says to run the ingest).
    """
    needed = _needed_indicators(framework)
    known = set(Indicator.objects.filter(code__in=needed).values_list("code", flat=True))
    sources = set(Source.objects.values_list("code", flat=True))
    missing = [c for c in needed if c not in known]
    bad_sources = [f"{c} (source {s})" for c, s in needed.items() if s and s not in sources]
    if missing or bad_sources:
        raise EditionError(
            "the framework names indicators or sources that are not in the observation store: "
            + ", ".join(missing + bad_sources)
            + ". Check the codes in the methodology file, or run the ingest first (make build)."
        )
    frames = []
    for code, source in needed.items():
        qs = Observation.objects.filter(indicator__code=code).exclude(economy__kind=Economy.Kind.AGGREGATE)
        qs = qs.filter(source__code=source) if source else qs
        rows = list(qs.values_list("economy__iso3", "economy__kind", "year", "value", "source__code"))
        frame = pd.DataFrame(rows, columns=["unit", "kind", "year", "value", "source"])
        if not source and frame["source"].nunique() > 1:
            # Several sources carry a denominator series: keep the most recent vintage per unit-year.
            frame = frame.sort_values("source").drop_duplicates(["unit", "year"], keep="last")
        frame["indicator"] = code
        frames.append(frame.drop(columns="source"))
    panel = pd.concat(frames, ignore_index=True)
    panel["year"] = panel["year"].astype(int)
    return panel[["unit", "kind", "indicator", "year", "value"]]


def _world_medians(framework: Framework, comparison: dict[str, pd.DataFrame]) -> dict[str, float]:
    """Median area score of comparison economies with enough data (unit coverage share of the area)."""
    share = framework.coverage["unit_min"]
    normalised = comparison["normalised"]
    scores = comparison["scores"]
    out: dict[str, float] = {}
    for area in framework.areas:
        cols = [i.code for i in area.indicators if i.code in normalised.columns]
        if not cols or area.code not in scores.columns:
            continue
        enough = normalised[cols].notna().mean(axis=1) >= share
        values = scores.loc[enough, area.code].dropna()
        out[area.code] = float(values.median()) if len(values) else float("nan")
    # The index needs the same share of all indicators the members' run kept.
    kept = [c for c in normalised.columns if c in framework.indicator_codes]
    if kept and "index" in scores.columns:
        enough = normalised[kept].notna().mean(axis=1) >= share
        values = scores.loc[enough, "index"].dropna()
        out["index"] = float(values.median()) if len(values) else float("nan")
    return out


def _latest_in_window(panel: pd.DataFrame, code: str, reference_year: int, window: int) -> pd.DataFrame:
    sub = panel[(panel["indicator"] == code) & panel["year"].between(reference_year - window, reference_year)]
    sub = sub.dropna(subset=["value"]).sort_values("year")
    return sub.groupby("unit").last()[["value", "year"]]


def _divide(framework: Framework, panel: pd.DataFrame, members: list[str]) -> dict:
    """Connectivity divide per DIVIDE_INDICATORS present in the panel (see analysis.divide_summary)."""
    indicators = []
    specs = {i.code: i for a in framework.areas for i in a.indicators}
    for code in DIVIDE_INDICATORS:
        if code not in specs:
            continue
        latest = _latest_in_window(panel, code, framework.reference_year, specs[code].window or framework.window)
        summary = analysis.divide_summary(latest["value"], latest["year"], members)
        summary.update({"code": code, "name": specs[code].name, "unit": specs[code].unit})
        indicators.append(summary)
    return {
        "indicators": indicators,
        "note": "world median over all countries with data in the window (aggregates excluded)",
        "note_text": {
            "en": "world median over all countries with data in the window (aggregates excluded)",
            "fr": "médiane mondiale de tous les pays ayant une valeur dans la fenêtre (agrégats exclus)",
            "ar": "الوسيط العالمي لجميع البلدان التي لها قيمة ضمن النافذة الزمنية (باستثناء المجاميع)",
        },
    }


def compute_edition(edition: str, *, progress: Progress | None = None) -> EditionResult:
    """Compute one edition of the index from the observation store and store it.

    Parameters
    ----------
    edition : str
        Edition code; ``methodology/<edition>.yaml`` must exist.
    progress : callable(step, done, total), optional
        Called as stages finish, for terminal progress.

    Returns
    -------
    EditionResult

    Raises
    ------
    EditionError
        Bad framework file, indicators missing from the store, or a method refusing the data (the engine's
        message names the unit/indicator). Nothing is stored in that case: the edition is written in one
        transaction after the whole computation succeeded.
    """
    say = progress or (lambda step, done, total: None)
    raw_framework, framework = load_framework(edition)
    say("framework", 1, 4)
    framework_file = Path(settings.DTFORUM_METHODOLOGY_DIR) / f"{edition}.yaml"
    try:
        panel = select_panel(framework)
    except EditionError as exc:
        raise EditionError(f"{framework_file}: {exc}") from exc
    members_qs = Economy.objects.filter(kind=Economy.Kind.MEMBER)
    groups = pd.DataFrame(
        list(members_qs.values("iso3", "income_group", "oic_group")), columns=["iso3", "income_group", "oic_group"]
    ).set_index("iso3")
    members = sorted(groups.index)
    if len(members) != 57:
        raise EditionError(f"expected the 57 OIC member states in the store, found {len(members)}: run the ingest")
    member_panel = panel[panel["unit"].isin(members)].drop(columns="kind")
    comparison_panel = panel[panel["kind"] == Economy.Kind.COMPARISON].drop(columns="kind")
    try:
        run = run_index(member_panel, framework, groups=groups, reference_year=framework.reference_year)
        comparison = run.transform(comparison_panel)
    except CompindexError as exc:
        raise EditionError(f"{framework_file}: {exc}") from exc
    say("index", 2, 4)

    scores = run.tables["scores"].reindex(members)
    ranks = run.tables["ranks"].reindex(members)
    world = _world_medians(framework, comparison)
    gaps = analysis.area_gaps(scores, groups.fillna(""), world)
    gaps["rank"] = [ranks.at[u, a] for u, a in zip(gaps["iso3"], gaps["area"])]
    tiers, tier_spec = analysis.development_tiers(scores["index"])
    gaps["tier"] = np.where(gaps["area"] == "index", gaps["iso3"].map(tiers), "")
    divide = _divide(framework, panel, members)
    say("analysis", 3, 4)

    edition_obj = _store_edition(edition, raw_framework, framework, run, gaps, {
        "divide": divide,
        "tiers": tier_spec,
        "world_medians": {k: (None if np.isnan(v) else v) for k, v in world.items()},
    })
    say("stored", 4, 4)
    return EditionResult(edition=edition_obj, framework=framework, run=run, comparison=comparison, gaps=gaps)


def _none_if_nan(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    try:
        return None if np.isnan(value) else value
    except TypeError:
        return value


@transaction.atomic
def _store_edition(edition, raw_framework, framework, run, gaps, analysis_summary) -> Edition:
    """Replace the stored results of ``edition`` by this run's, in one transaction, with an audit event."""
    economies = {e.iso3: e for e in Economy.objects.filter(kind=Economy.Kind.MEMBER)}
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=framework.indicator_codes)}
    recipe = json.loads(json.dumps({"recipe": run.recipe, "log": run.log,
                                    "coverage": run.coverage.reset_index().to_dict("records")}, default=str))
    obj, created = Edition.objects.update_or_create(
        code=edition,
        defaults={
            "reference_year": framework.reference_year,
            "methodology": raw_framework,
            "recipe": recipe,
            "analysis": json.loads(json.dumps(analysis_summary, default=float)),
            "computed_at": timezone.now(),
        },
    )
    before = {"scores": obj.scores.count(), "indicator_results": obj.indicator_results.count()}
    obj.scores.all().delete()
    obj.indicator_results.all().delete()

    Score.objects.bulk_create(
        Score(
            edition=obj,
            economy=economies[row.iso3],
            area=row.area,
            score=_none_if_nan(round(row.score, 4) if pd.notna(row.score) else None),
            rank=_none_if_nan(row.rank),
            tier=row.tier or "",
            gap_oic_median=_none_if_nan(row.gap_oic_median),
            gap_oic_best=_none_if_nan(row.gap_oic_best),
            gap_income_median=_none_if_nan(row.gap_income_median),
            gap_group_median=_none_if_nan(row.gap_group_median),
            gap_world_median=_none_if_nan(row.gap_world_median),
        )
        for row in gaps.itertuples(index=False)
    )
    area_of = {i.code: a.code for a in framework.areas for i in a.indicators}
    t = run.tables
    def cell(table: str, iso3: str, code: str):
        frame = t[table]
        return _none_if_nan(frame.at[iso3, code]) if iso3 in frame.index else None

    results = [
        IndicatorResult(
            edition=obj,
            economy=economy,
            indicator=indicators[code],
            area=area_of[code],
            raw_value=cell("raw", iso3, code),
            source_year=cell("source_year", iso3, code),
            imputed=bool(cell("imputed", iso3, code)),
            treated=bool(cell("treated_flag", iso3, code)),
            normalised_value=cell("normalised", iso3, code),
        )
        for code in t["normalised"].columns
        for iso3, economy in economies.items()
    ]
    IndicatorResult.objects.bulk_create(results, batch_size=2000)
    record_change(
        action="edition.compute",
        object_type="observatory.Edition",
        object_id=edition,
        before=before if not created else None,
        after={"scores": len(gaps), "indicator_results": len(results)},
        actor_label="build_edition",
    )
    return obj
