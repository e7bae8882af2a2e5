"""Robustness of an edition: uncertainty and sensitivity analysis, statistical audit, trends and peers.

Called by the build right after :func:`~dtforum.observatory.services.compute_edition`:
:func:`analyse_robustness` takes the members' :class:`~compindex.IndexRun` of the edition, runs the analyses of
:mod:`compindex` (OECD/JRC Handbook 2008, Steps 4 and 7; COINr), writes the files below to ``out_dir``, stores the
rank intervals in the edition's :class:`~dtforum.observatory.models.Score` rows and records the method in
``Edition.recipe["uncertainty"]`` and the results the report needs in ``Edition.analysis["convergence"]`` and
``Edition.analysis["sensitivity"]``.

Uncertain inputs (:data:`UNCERTAINTY_SPEC`, Handbook Step 7; Saisana, Saltelli and Tarantola 2005):

* ``weights``: every indicator and area weight times an independent factor uniform on [0.75, 1.25];
* ``normalisation``: min-max to [1, 100] or rank (1 = lowest). Both are on a strictly positive scale, which
  the geometric alternatives below need (case C01); min-max [1, 100] ranks as the framework's [0, 100];
* ``aggregation``: arithmetic at both levels (the framework's), geometric at both levels, or arithmetic within
  areas and geometric across areas (partial compensability between areas only);
* ``imputation``: the framework's own method (2024: group median by income group, median fallback), median of all members,
  k-nearest neighbours (k = 5, standardised indicators), or none (each unit's aggregate over the indicators it
  has, COINr's default);
* ``treatment``: outlier treatment (winsorisation, then log) on or off.

Files written to ``out_dir``:

``uncertainty.csv``
    ``iso3, area, nominal_rank, median_rank, rank_q05, rank_q95``: per member and level (``index`` first, then
    the areas), the published rank and the median and 5 % / 95 % quantiles (numpy linear, R type 7) of its rank
    over ``n_rep`` Monte Carlo replications. Empty cells: no score.
``sensitivity.csv``
    ``input, first_order, total, first_order_ci, total_ci``: first-order and total Sobol indices of each uncertain
    input (all weight factors form one input) for the mean absolute shift of the index ranks from the published
    ones; ``*_ci`` are the half-widths of the 95 % bootstrap intervals (SALib, Saltelli et al. 2010 estimators,
    :data:`SOBOL_N_BASE` x 7 model runs).
``audit.xlsx``
    Sheets ``about`` (what each sheet holds), ``indicator_statistics`` (n, availability, moments, skewness,
    kurtosis, shares of zeros and unique values, flags; raw values of the kept indicators),
    ``availability_by_unit``, ``availability_by_indicator``, ``correlations`` (Pearson r within areas and with
    the aggregates), ``correlation_flags`` (collinear r > 0.92 or negative pairs), ``pca_alpha`` (variance
    explained by the first principal component and Cronbach's alpha per area and for the index),
    ``removal_summary`` and ``removal_shifts`` (rank shift of each member when one indicator or area is left out).
``trends.csv``
    ``year, iso3, group, area, score, cagr``: the panel index (:func:`compindex.panel.run_panel`,
    ``indicators="common"``: the framework reduced to the indicators covered in every year from
    ``reference_year - window`` to ``reference_year``, fitted on the reference year, fixed goalposts) for every
    supported year; ``group`` is ``member`` or ``comparison``; ``cagr`` the unit's compound annual growth of that
    level between its first and last scored years (the same on each of its rows).
``convergence.csv``
    ``measure, population, area, year, start_year, end_year, n, mean, sd, cv, slope, p_value, speed, converging``:
    ``sigma`` rows (one per year: mean, sample sd and coefficient of variation of the scores) and ``beta`` rows
    (one per level: OLS slope of annualised log growth on the log initial level, p-value, implied speed,
    converging = slope < 0 with p < 0.05), for ``members`` (the 57) and ``world`` (members and comparison
    economies together).
``peers.csv``
    ``iso3, area, peer_iso3, distance, score_gap, reasons``: for each member and level, the 3 members nearest in
    context (Gower distance over income group, OIC group, official language, log GDP per capita PPP, log
    population) that score at least :data:`PEER_MARGIN` points higher; ``score_gap`` = peer score - own score;
    ``reasons`` the matching context, ``;``-separated.

``Edition.analysis["convergence"]``: ``available``, ``years``, ``start_year``, ``end_year``, ``areas``,
``indicators`` (the common indicators), ``static_indicators`` (those last observed before ``start_year``: the
same value every year, so their area's trend is flat by construction), ``dropped``, ``skipped``, ``goalposts``,
``base_year``, ``sigma`` (``{population: {level: {"year": [...], "n", "mean", "sd", "cv": [...]}}}``) and
``beta`` (``{population: {level: {"n", "slope", "p_value", "speed", "converging"}}}``).

``Edition.analysis["trends"]`` (members only, floats rounded to 4 decimals; every member and level present)::

    {"years": [2019, ..., 2024], "areas": [area codes..., "index"],
     "members": {iso3: {level: [score or None per year]}}, "cagr": {iso3: {level: float or None}},
     "indicators": [common indicator codes], "static_indicators": {code: last year observed}}

(all empty when the framework has no panel). ``Edition.analysis["peers"]`` (the rows of ``peers.csv``, best
first; ``[]`` where no member scores :data:`PEER_MARGIN` points higher)::

    {iso3: {level: [{"peer": iso3, "distance": float, "score_gap": float, "reasons": [str, ...],
                     "reasons_text": {"en": [...], "fr": [...], "ar": [...]}}, ...]}}

``reasons`` are :func:`compindex.peers.peers`'s English reasons (``same language (French)``, ``similar
log_gdp_pc``); ``reasons_text`` the same reasons in words for the pages (:func:`reason_text`).
"""
from __future__ import annotations

import json
import logging
import math
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from django.db import transaction

from compindex import CompindexError, latest_within_window
from compindex.audit import audit
from compindex.panel import beta_convergence, cagr, run_panel, sigma_convergence
from compindex.peers import peers
from compindex.uncertainty import run_uncertainty, sobol_indices
from dtforum.members.models import Economy
from dtforum.members.selectors import economy_groups
from dtforum.observatory.models import Observation, Score
from dtforum.observatory.services import EditionError, EditionResult, select_panel

logger = logging.getLogger(__name__)

#: Uncertain inputs of the Monte Carlo analysis (module docstring); ``{}`` = the framework's own stage.
UNCERTAINTY_SPEC: dict[str, Any] = {
    "weights": 0.25,
    "normalisation": [{"method": "minmax", "low": 1, "high": 100}, "rank"],
    "aggregation": ["arithmetic", "geometric", {"indicators": "arithmetic", "areas": "geometric"}],
    "imputation": [{}, "median", "knn", "none"],
    "treatment": [True, False],
}
#: Base sample of the Sobol' design: N (k + 2) = 1024 x 7 runs, about a second with the vectorised engine.
SOBOL_N_BASE = 1024
#: A peer scores at least this many points higher (scores are on 0-100).
PEER_MARGIN = 10.0
PEERS_PER_AREA = 3
#: Context indicators of the peers (World Bank WDI codes) and the source preferred when several carry one.
GDP_PC_PPP, POPULATION = "NY.GDP.PCAP.PP.CD", "SP.POP.TOTL"
CONTEXT_SOURCE = "bipa.wb_wdi_2024"
LANGUAGES_FILE = Path(__file__).resolve().parent / "data" / "official_languages.csv"
#: Decimals of the floats stored in ``Edition.analysis["trends"]`` and ``["peers"]`` (the pages show 1 or 2).
STORED_DECIMALS = 4

LANGS = ("en", "fr", "ar")
#: Reason templates of the pages, per reason of compindex.peers: ``same <variable> (<value>)`` and
#: ``similar <variable>`` (numeric variables within 10 % of their range).
REASON_TEMPLATES: dict[tuple[str, str], dict[str, str]] = {
    ("same", "income_group"): {"en": "same income group ({value})", "fr": "même groupe de revenu ({value})",
                               "ar": "نفس فئة الدخل ({value})"},
    ("same", "oic_group"): {"en": "same OIC group ({value})", "fr": "même groupe de l'OCI ({value})",
                            "ar": "نفس مجموعة منظمة التعاون الإسلامي ({value})"},
    ("same", "language"): {"en": "same official language ({value})", "fr": "même langue officielle ({value})",
                           "ar": "نفس اللغة الرسمية ({value})"},
    ("similar", "log_gdp_pc"): {"en": "similar GDP per capita (PPP)", "fr": "PIB par habitant (PPA) proche",
                                "ar": "نصيب الفرد من الناتج المحلي الإجمالي متقارب (بتعادل القوة الشرائية)"},
    ("similar", "log_population"): {"en": "similar population size", "fr": "population de taille proche",
                                    "ar": "حجم سكان متقارب"},
}
#: Values of the categorical context in words: World Bank income groups (the Bank's French and Arabic names),
#: OIC groups (as dtforum.members' catalogs) and the first official languages of official_languages.csv.
REASON_VALUES: dict[str, dict[str, dict[str, str]]] = {
    "income_group": {
        "Low income": {"en": "low income", "fr": "faible revenu", "ar": "دخل منخفض"},
        "Lower middle income": {"en": "lower middle income", "fr": "revenu intermédiaire, tranche inférieure",
                                "ar": "دخل متوسط أدنى"},
        "Upper middle income": {"en": "upper middle income", "fr": "revenu intermédiaire, tranche supérieure",
                                "ar": "دخل متوسط أعلى"},
        "High income": {"en": "high income", "fr": "revenu élevé", "ar": "دخل مرتفع"},
    },
    "oic_group": {
        "arab": {"en": "Arab group", "fr": "groupe arabe", "ar": "المجموعة العربية"},
        "african": {"en": "African group", "fr": "groupe africain", "ar": "المجموعة الأفريقية"},
        "asian": {"en": "Asian group", "fr": "groupe asiatique", "ar": "المجموعة الآسيوية"},
    },
    "language": {name: dict(zip(LANGS, names)) for name, *names in [
        ("Albanian", "Albanian", "albanais", "الألبانية"), ("Arabic", "Arabic", "arabe", "العربية"),
        ("Azerbaijani", "Azerbaijani", "azerbaïdjanais", "الأذربيجانية"),
        ("Bengali", "Bengali", "bengali", "البنغالية"), ("Comorian", "Comorian", "comorien", "القمرية"),
        ("Dhivehi", "Dhivehi", "maldivien", "الديفيهية"), ("Dutch", "Dutch", "néerlandais", "الهولندية"),
        ("English", "English", "anglais", "الإنجليزية"), ("French", "French", "français", "الفرنسية"),
        ("Indonesian", "Indonesian", "indonésien", "الإندونيسية"), ("Kazakh", "Kazakh", "kazakh", "الكازاخية"),
        ("Kyrgyz", "Kyrgyz", "kirghize", "القيرغيزية"), ("Malay", "Malay", "malais", "الملايوية"),
        ("Pashto", "Pashto", "pachto", "البشتوية"), ("Persian", "Persian", "persan", "الفارسية"),
        ("Portuguese", "Portuguese", "portugais", "البرتغالية"), ("Somali", "Somali", "somali", "الصومالية"),
        ("Tajik", "Tajik", "tadjik", "الطاجيكية"), ("Turkish", "Turkish", "turc", "التركية"),
        ("Turkmen", "Turkmen", "turkmène", "التركمانية"), ("Urdu", "Urdu", "ourdou", "الأردية"),
        ("Uzbek", "Uzbek", "ouzbek", "الأوزبكية"),
    ]},
}
_REASON = re.compile(r"^(?P<kind>same|similar) (?P<variable>\w+)(?: \((?P<value>.*)\))?$")

UNCERTAINTY_COLUMNS = ["iso3", "area", "nominal_rank", "median_rank", "rank_q05", "rank_q95"]
SENSITIVITY_COLUMNS = ["input", "first_order", "total", "first_order_ci", "total_ci"]
TRENDS_COLUMNS = ["year", "iso3", "group", "area", "score", "cagr"]
CONVERGENCE_COLUMNS = ["measure", "population", "area", "year", "start_year", "end_year", "n", "mean", "sd", "cv",
                       "slope", "p_value", "speed", "converging"]
PEERS_COLUMNS = ["iso3", "area", "peer_iso3", "distance", "score_gap", "reasons"]

AUDIT_SHEETS = {  # sheet: (key of compindex.audit.audit(), content)
    "indicator_statistics": ("indicator_stats", (
        "per indicator (raw values, kept indicators): n, availability, mean, sd, min, max, median, skewness, "
        "kurtosis (sample-adjusted), share of zeros and of unique values, and flags (COINr get_stats)")),
    "availability_by_unit": ("availability_by_unit", "per member: indicators available, share, missing"),
    "availability_by_indicator": ("availability_by_indicator", "per framework indicator: members with a value"),
    "correlations": ("correlations", (
        "Pearson r and n: indicator-indicator within an area, indicator-area, indicator-index, area-area, "
        "area-index (COINr get_corr)")),
    "correlation_flags": ("corr_flags", (
        "pairs in the same group with r > 0.92 (collinear) or r < 0 (negative), components negatively "
        "correlated with their aggregate (COINr get_corr_flags)")),
    "pca_alpha": ("pca", (
        "first principal component per area and for the index (share of variance explained, loadings) and "
        "Cronbach's alpha (Handbook Step 4)")),
    "removal_summary": ("removal_summary", (
        "mean and largest absolute rank shift of the index when one indicator or area is removed (re-aggregated, "
        "not refitted; COINr remove_elements)")),
    "removal_shifts": ("removal_shifts", "per member: index rank without the element minus published rank"),
}

Progress = Callable[[str, int, int], None]


class RobustnessError(EditionError):
    """The robustness analysis cannot run: the message names the file, field or input at fault."""


def read_languages(path: Path = LANGUAGES_FILE) -> pd.DataFrame:
    """Official languages of the OIC member states (``dtforum/observatory/data/official_languages.csv``).

    Parameters
    ----------
    path : Path
        CSV with ``#`` comment lines (source citation) and columns ``iso3, language, official_languages``.

    Returns
    -------
    DataFrame
        Indexed by ``iso3``: ``language`` (first official language, the peers' categorical variable) and
        ``official_languages`` (``;``-separated).

    Raises
    ------
    RobustnessError
        Missing columns, a blank language or a duplicate ISO3 code (row number given).
    """
    table = pd.read_csv(path, comment="#", dtype=str, keep_default_na=False)
    missing = {"iso3", "language", "official_languages"} - set(table.columns)
    if missing:
        raise RobustnessError(f"{path}: missing column(s) {sorted(missing)}")
    for i, row in table.iterrows():
        if not row["iso3"] or not row["language"]:
            raise RobustnessError(f"{path}: data row {i + 1}: iso3 and language are required, got {dict(row)}")
    dup = table["iso3"][table["iso3"].duplicated()].tolist()
    if dup:
        raise RobustnessError(f"{path}: duplicate iso3 {dup}")
    return table.set_index("iso3")


def _latest(code: str, units: list[str], reference_year: int, window: int) -> pd.Series:
    """Latest value of ``code`` per unit within [reference_year - window, reference_year]
    (:func:`compindex.latest_within_window`, the rule of the index's own data); the preferred source wins a tie
    on the year."""
    rows = Observation.objects.filter(indicator__code=code, economy__iso3__in=units,
                                      year__range=(reference_year - window, reference_year))
    frame = pd.DataFrame(list(rows.values_list("economy__iso3", "year", "source__code", "value")),
                         columns=["unit", "year", "source", "value"])
    if frame.empty:
        raise RobustnessError(f"indicator {code}: no observation for the members in {reference_year - window}-"
                              f"{reference_year}; it is read from source {CONTEXT_SOURCE} (run the ingest)")
    frame = frame.assign(indicator=code, preferred=frame["source"] == CONTEXT_SOURCE)
    frame = frame.sort_values("preferred", kind="stable").drop_duplicates(["unit", "year"], keep="last")
    return latest_within_window(frame, reference_year, window).set_index("unit")["value"].reindex(units)


def peer_context(members: list[str], reference_year: int, window: int = 5,
                 languages: Path = LANGUAGES_FILE) -> pd.DataFrame:
    """Context variables of the members for peers for learning (:func:`compindex.peers.peers`).

    Parameters
    ----------
    members : list of str
        ISO3 codes.
    reference_year, window : int
        Latest GDP and population value within ``[reference_year - window, reference_year]``.
    languages : Path
        The official-languages file (:func:`read_languages`).

    Returns
    -------
    DataFrame
        Indexed by ISO3: ``income_group``, ``oic_group`` (``economy_groups()``), ``language``, ``log_gdp_pc``
        (natural log of GDP per capita, PPP, current international $, WDI ``NY.GDP.PCAP.PP.CD``) and
        ``log_population`` (natural log of ``SP.POP.TOTL``); NaN where unknown.

    Raises
    ------
    RobustnessError
        A member missing from the languages file, or no GDP/population observation at all in the window.
    """
    lang = read_languages(languages)
    absent = [m for m in members if m not in lang.index]
    if absent:
        raise RobustnessError(f"{languages}: no row for member(s) {absent}")
    groups = economy_groups().reindex(members)
    gdp = _latest(GDP_PC_PPP, members, reference_year, window)
    pop = _latest(POPULATION, members, reference_year, window)
    return pd.DataFrame({
        "income_group": groups["income_group"], "oic_group": groups["oic_group"],
        "language": lang.loc[members, "language"],
        "log_gdp_pc": np.log(gdp.where(gdp > 0)), "log_population": np.log(pop.where(pop > 0)),
    }, index=pd.Index(members, name="iso3"))


def _none(value: Any) -> Any:
    """JSON/DB-safe scalar: NaN and NA to None, numpy scalars to Python."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer, int)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return None if math.isnan(value) else float(value)
    return value


def _clean(obj: Any) -> Any:
    """Recursively JSON-safe: NaN to None (PostgreSQL's jsonb refuses NaN), numpy scalars and tuples to Python."""
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    return _none(obj)


def reason_text(reason: str) -> dict[str, str]:
    """One reason of :func:`compindex.peers.peers` in words, in English, French and Arabic.

    Parameters
    ----------
    reason : str
        ``same <variable> (<value>)`` or ``similar <variable>``, a variable of :func:`peer_context`.

    Returns
    -------
    dict
        ``{"en": str, "fr": str, "ar": str}`` from :data:`REASON_TEMPLATES`, the value from :data:`REASON_VALUES`.

    Raises
    ------
    RobustnessError
        A reason, variable or value without a template or translation (named, with the table to extend).

    Examples
    --------
    >>> reason_text("same language (French)")["fr"]
    'même langue officielle (français)'
    """
    m = _REASON.match(reason)
    template = REASON_TEMPLATES.get((m["kind"], m["variable"])) if m else None
    if template is None:
        raise RobustnessError(f"peers reason {reason!r}: no template in robustness.REASON_TEMPLATES")
    if m["value"] is None:
        return dict(template)
    value = REASON_VALUES.get(m["variable"], {}).get(m["value"])
    if value is None:
        raise RobustnessError(f"peers reason {reason!r}: {m['variable']} value {m['value']!r} has no translation "
                              f"in robustness.REASON_VALUES")
    return {lang: template[lang].format(value=value[lang]) for lang in LANGS}


def _round(value: Any) -> Any:
    """:func:`_none`, floats rounded to :data:`STORED_DECIMALS`."""
    value = _none(value)
    return round(value, STORED_DECIMALS) if isinstance(value, float) else value


def _member_trends(trends: pd.DataFrame, summary: dict, members: list[str], areas: list[str]) -> dict:
    """``Edition.analysis["trends"]`` (module docstring) from the trends table: the members' rows only."""
    if not summary.get("available"):
        return {"years": [], "areas": [], "members": {}, "cagr": {}, "indicators": [], "static_indicators": {}}
    years, levels = summary["years"], [*areas, "index"]
    rows = trends[trends["group"] == "member"]
    score = rows.pivot_table(index=["iso3", "area"], columns="year", values="score", aggfunc="first")
    score = score.reindex(pd.MultiIndex.from_product([members, levels]), columns=years)
    growth = rows.drop_duplicates(["iso3", "area"]).set_index(["iso3", "area"])["cagr"]
    return {
        "years": years, "areas": levels,
        "members": {u: {a: [_round(v) for v in score.loc[(u, a)]] for a in levels} for u in members},
        "cagr": {u: {a: _round(growth.get((u, a))) for a in levels} for u in members},
        "indicators": summary["indicators"], "static_indicators": summary["static_indicators"],
    }


def _member_peers(near: pd.DataFrame, members: list[str], levels: list[str]) -> dict:
    """``Edition.analysis["peers"]`` (module docstring) from the peers table (``reasons`` still lists), best
    first."""
    out: dict = {u: {a: [] for a in levels} for u in members}
    for r in near.sort_values("peer_rank", kind="stable").itertuples(index=False):
        texts = [reason_text(x) for x in r.reasons]
        out[r.iso3][r.area].append({
            "peer": r.peer_iso3, "distance": _round(r.distance), "score_gap": _round(r.score_gap),
            "reasons": list(r.reasons),
            "reasons_text": {lang: [t[lang] for t in texts] for lang in LANGS},
        })
    return out


def _by_level(frame: pd.DataFrame, levels: list[str], keys: list[str]) -> pd.DataFrame:
    """Rows sorted by their ``area`` in the order of ``levels``, then by ``keys``."""
    order = frame["area"].map({a: k for k, a in enumerate(levels)})
    return frame.assign(_order=order).sort_values(["_order", *keys], kind="stable").drop(columns="_order")


def _trends(result: EditionResult, groups: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Panel index on the common indicators: trends table, convergence table and the stored summary."""
    fw, run = result.framework, result.run
    members = list(run.tables["scores"].index)
    years = list(range(fw.reference_year - fw.window, fw.reference_year + 1))
    data = select_panel(fw)
    member_panel = data[data["unit"].isin(members)].drop(columns="kind")
    comparison = data[data["kind"] == Economy.Kind.COMPARISON].drop(columns="kind")
    try:
        res = run_panel(member_panel, fw, years=years, groups=groups, other_panel=comparison,
                        indicators="common")
    except CompindexError as exc:
        # A framework of one-off surveys only has no panel: the edition is still valid, without trends.
        logger.warning("trends: no panel index (%s)", exc)
        summary = {"available": False, "reason": str(exc), "candidate_years": years}
        return pd.DataFrame(columns=TRENDS_COLUMNS), pd.DataFrame(columns=CONVERGENCE_COLUMNS), summary
    table = res.table
    levels = list(table.columns)
    long = res.long().rename(columns={"unit": "iso3"})
    growth = cagr(table).rename(columns={"unit": "iso3"})[["iso3", "area", "cagr"]]
    trends = _by_level(long.merge(growth, on=["iso3", "area"], how="left"), levels, ["iso3", "year"])
    trends = trends[TRENDS_COLUMNS]

    start, end = res.years[0], res.years[-1]
    populations = {"members": res.members(), "world": list(res.group.index)}
    rows, sigma, beta = [], {}, {}
    for name, units in populations.items():
        s = sigma_convergence(table, units)
        b = beta_convergence(table, start, end, units) if end > start else pd.DataFrame()
        sigma[name] = {area: {k: [_none(v) for v in grp[k]] for k in ("year", "n", "mean", "sd", "cv")}
                       for area, grp in s.groupby("area", sort=False)}
        rows += [{"measure": "sigma", "population": name, **r} for r in s.to_dict("records")]
        beta[name] = {r["area"]: {k: _none(r[k]) for k in ("n", "slope", "p_value", "speed", "converging")}
                      for r in b.to_dict("records")}
        rows += [{"measure": "beta", "population": name, "start_year": start, "end_year": end, **r}
                 for r in b.to_dict("records")]
    convergence = pd.DataFrame(rows).reindex(columns=CONVERGENCE_COLUMNS)
    used = list(res.base.tables["normalised"].columns)
    last = member_panel[member_panel["indicator"].isin(used)].dropna(subset=["value"]).groupby("indicator")["year"].max()
    # An indicator last observed before the first panel year is the same value every year: a flat trend.
    static = {code: int(year) for code, year in last.items() if year < start}
    summary = {
        "available": True,
        "years": res.years, "start_year": start, "end_year": end, "areas": levels,
        "indicators": used, "static_indicators": static,
        "dropped": res.dropped, "skipped": {str(k): v for k, v in res.skipped.items()},
        "goalposts": res.goalposts, "base_year": fw.reference_year,
        "populations": {"members": "the OIC member states", "world": "member states and comparison economies"},
        "sigma": sigma, "beta": beta,
    }
    return trends, convergence, summary


def _write_audit(run, path: Path) -> Path:
    tables = audit(run)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.DataFrame({"sheet": list(AUDIT_SHEETS), "content": [v[1] for v in AUDIT_SHEETS.values()]}) \
            .to_excel(writer, sheet_name="about", index=False)
        for sheet, (key, _) in AUDIT_SHEETS.items():
            table = tables[key].copy()
            for col in table.columns[table.dtypes == object]:
                # dict/list cells (PCA loadings, reasons) as JSON text: Excel cells hold scalars only.
                table[col] = table[col].map(lambda v: json.dumps(v) if isinstance(v, (dict, list)) else v)
            table.to_excel(writer, sheet_name=sheet, index=not isinstance(table.index, pd.RangeIndex))
    return path


def analyse_robustness(result: EditionResult, out_dir: Path, *, n_rep: int = 10_000, seed: int = 2024,
                       progress: Progress | None = None) -> list[Path]:
    """Uncertainty and sensitivity analysis, audit, trends and peers of a computed edition; store and write them.

    Parameters
    ----------
    result : EditionResult
        What :func:`~dtforum.observatory.services.compute_edition` returned (its ``run`` is the members' nominal
        run, reused, not recomputed).
    out_dir : Path
        Output folder (created if needed); the files are listed in the module docstring.
    n_rep : int
        Monte Carlo replications of the uncertainty analysis (>= 1).
    seed : int
        Seed of the replications, of the Sobol' scrambling and of its bootstrap: the same seed gives the same files.
    progress : callable(step, done, total), optional
        Called as the analyses finish.

    Returns
    -------
    list of Path
        ``uncertainty.csv``, ``sensitivity.csv``, ``audit.xlsx``, ``trends.csv``, ``convergence.csv``,
        ``peers.csv``.

    Raises
    ------
    RobustnessError
        ``n_rep`` not a positive integer, an uncertain input the framework rejects, the peers' context missing
        from the store or the languages file, a peers reason without words in :data:`REASON_VALUES` (nothing is
        stored in that case: the database is updated in one transaction after every analysis succeeded).
    """
    say = progress or (lambda step, done, total: None)
    if isinstance(n_rep, bool) or not isinstance(n_rep, int) or n_rep < 1:
        raise RobustnessError(f"n_rep: expected a positive number of replications, got {n_rep!r}")
    edition, fw, run = result.edition, result.framework, result.run
    members = list(run.tables["scores"].index)
    groups = economy_groups().reindex(members)[["income_group", "oic_group"]]
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def done(step: str, k: int) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[step] = round(now - clock, 3)
        clock = now
        say("robustness", k, 5)

    spec = UNCERTAINTY_SPEC
    try:
        unc = run_uncertainty(None, None, spec, n_rep=n_rep, seed=seed, groups=groups, run=run)
        summary = unc.summary()
        done("uncertainty", 1)
        sensitivity, sobol_runs = sobol_indices(None, None, spec, n_base=SOBOL_N_BASE, seed=seed, groups=groups,
                                                run=run)
        done("sensitivity", 2)
    except CompindexError as exc:
        raise RobustnessError(f"uncertainty analysis of edition {edition.code}: {exc}") from exc
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    audit_path = _write_audit(run, out_dir / "audit.xlsx")
    done("audit", 3)
    trends, convergence, convergence_summary = _trends(result, groups)
    done("trends", 4)
    scores = run.tables["scores"]
    context = peer_context(members, fw.reference_year, fw.window)
    near = peers(scores, context, n=PEERS_PER_AREA, margin=PEER_MARGIN)
    near = near.rename(columns={"unit": "iso3", "peer": "peer_iso3", "advantage": "score_gap"})
    areas = [c for c in scores if c != "index"]
    levels = ["index", *areas]
    stored = {"trends": _member_trends(trends, convergence_summary, members, areas),
              "peers": _member_peers(near, members, levels)}
    near["reasons"] = near["reasons"].map("; ".join)
    near = _by_level(near, levels, ["iso3", "peer_rank"])

    table = summary.rename(columns={"unit": "iso3", "level": "area"})
    table = _by_level(table, levels, ["nominal_rank", "iso3"])[UNCERTAINTY_COLUMNS]
    table["nominal_rank"] = table["nominal_rank"].astype("Int64")
    files = {
        "uncertainty.csv": table,
        "sensitivity.csv": sensitivity.reset_index()[SENSITIVITY_COLUMNS],
        "trends.csv": trends, "convergence.csv": convergence, "peers.csv": near[PEERS_COLUMNS],
    }
    paths = []
    for name, frame in files.items():
        frame.to_csv(out_dir / name, index=False, float_format="%.6g")
        paths.append(out_dir / name)
    paths.insert(2, audit_path)

    _store(edition, table, sensitivity, convergence_summary, stored, {
        "method": "Monte Carlo over the uncertain inputs (OECD/JRC Handbook 2008 Step 7; compindex.uncertainty)",
        "spec": spec, "labels": unc.spec.labels, "n_rep": n_rep, "seed": seed,
        "rank_interval": [0.05, 0.95], "quantiles": "numpy linear (R type 7)",
        "weights_perturbed": unc.spec.indicators + unc.spec.areas,
        "sensitivity": {"method": "Sobol first-order and total indices, SALib (Saltelli 2010), bootstrap CI",
                        "target": "mean_abs_rank_shift", "n_base": SOBOL_N_BASE, "n_runs": len(sobol_runs.U),
                        "num_resamples": 100, "conf_level": 0.95},
        "peers": {"distance": "Gower (1971)", "context": list(context.columns), "margin": PEER_MARGIN,
                  "n": PEERS_PER_AREA, "languages": LANGUAGES_FILE.name},
    })
    done("peers and store", 5)
    logger.info("robustness of edition %s: %s", edition.code, timings)
    return paths


@transaction.atomic
def _store(edition, table: pd.DataFrame, sensitivity: pd.DataFrame, convergence: dict, members: dict,
           recipe: dict) -> None:
    """Rank intervals into the edition's Score rows; method, summaries and the members' trends and peers
    (``members``) into the edition, in one transaction."""
    by_key = {(r.iso3, r.area): r for r in table.itertuples(index=False)}
    rows = list(Score.objects.filter(edition=edition).select_related("economy"))
    for score in rows:
        r = by_key.get((score.economy.iso3, score.area))
        score.median_rank = _none(r.median_rank) if r else None
        score.rank_q05 = _none(r.rank_q05) if r else None
        score.rank_q95 = _none(r.rank_q95) if r else None
    Score.objects.bulk_update(rows, ["median_rank", "rank_q05", "rank_q95"], batch_size=500)
    edition.recipe = {**(edition.recipe or {}), "uncertainty": _clean(recipe)}
    edition.analysis = {
        **(edition.analysis or {}),
        "convergence": _clean(convergence),
        "sensitivity": _clean(sensitivity.reset_index().to_dict("records")),
        **_clean(members),
    }
    edition.save(update_fields=["recipe", "analysis"])
