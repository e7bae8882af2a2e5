"""Write the status report of an edition: ``report.<lang>.html`` (self-contained) and ``report.<lang>.pdf``.

The HTML inlines its CSS and every chart and the map as SVG, so a file opens anywhere without a server.
PDFs are made from the same HTML by WeasyPrint. Arabic pages are ``<html lang="ar" dir="rtl">`` with a Naskh
font (Noto Naskh Arabic when installed, else DejaVu Sans) and every embedded Latin or number run isolated
in ``<bdi>`` (CASE C24: WeasyPrint bidi).
"""
from __future__ import annotations

import json
import logging
import multiprocessing
import os
import subprocess
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dtforum.observatory import selectors
from dtforum.observatory.models import Edition
from dtforum.observatory.report import charts, pdf
from dtforum.observatory.report.audit import read_audit
from dtforum.observatory.report.formatting import format_number
from dtforum.observatory.report.map import member_map

log = logging.getLogger(__name__)
LANGUAGES = ("en", "ar", "fr")
RTL = {"ar"}
_CSS_FILES = ("observatory/common.css", "observatory/report.css")


def arabic_font() -> str | None:
    """Return the first installed Arabic-capable face the report asks for, via fontconfig's ``fc-list``.

    The CSS lists "Noto Naskh Arabic", "Noto Sans Arabic" then "DejaVu Sans"; this tells which one the PDF
    will actually use (``None`` when fontconfig is missing or none is installed).
    """
    try:
        out = subprocess.run(["fc-list", ":lang=ar", "family"], capture_output=True, text=True, timeout=20,
                             check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    families = {f.strip() for line in out.splitlines() for f in line.split(",")}
    return next((f for f in ("Noto Naskh Arabic", "Noto Sans Arabic", "DejaVu Sans") if f in families), None)


def _css() -> str:
    parts = []
    for name in _CSS_FILES:
        path = finders.find(name)
        if path is None:
            raise FileNotFoundError(f"static file {name} not found (dtforum/observatory/static/)")
        parts.append(Path(path).read_text(encoding="utf-8"))
    return "\n".join(parts)


#: Stage names, and the words that describe each method of the framework file's ``stages`` (compindex.framework
#: constants); translated through the catalogs when a sentence is built.
_STAGE_NAMES = {"window": gettext_noop("Data selection"), "coverage": gettext_noop("Coverage screening"),
                "imputation": gettext_noop("Imputation"), "treatment": gettext_noop("Outlier treatment"),
                "normalisation": gettext_noop("Normalisation"), "weights": gettext_noop("Weights"),
                "aggregation": gettext_noop("Aggregation"), "ranking": gettext_noop("Ranking"),
                "zero_variance": gettext_noop("Indicators without variance")}
_IMPUTATION = {"none": gettext_noop("none: missing values stay missing and areas average the indicators present"),
               "mean": gettext_noop("mean of the members"), "median": gettext_noop("median of the members"),
               "group_mean": gettext_noop("mean of the member's %(group)s"),
               "group_median": gettext_noop("median of the member's %(group)s"),
               "knn": gettext_noop("mean of the %(k)s most similar members (k nearest neighbours)")}
_GROUPS = {"income_group": gettext_noop("income group"), "oic_group": gettext_noop("OIC geographic group")}
_FALLBACK = {"mean": gettext_noop("members' mean where the group has none"),
             "median": gettext_noop("members' median where the group has none")}
_TIME = {"carry_forward": gettext_noop("a missing year takes the last observed value"),
         "interpolate": gettext_noop("a missing year is interpolated between observed years")}
_THEN = {"log": gettext_noop("log-transformed"), "log_orig": gettext_noop("log-transformed"),
         "log_plain": gettext_noop("log-transformed"), "boxcox": gettext_noop("Box-Cox transformed"),
         "none": gettext_noop("left as they are")}
_NORMALISATION = {"minmax": gettext_noop("min-max, rescaled to %(low)s–%(high)s (higher is better)"),
                  "goalposts": gettext_noop("between fixed goalposts, rescaled to %(low)s–%(high)s"),
                  "zscore": gettext_noop("z-scores"), "rank": gettext_noop("ranks")}
_WEIGHTS = {"manual": gettext_noop("the weights of the framework"), "equal": gettext_noop("equal weights"),
            "pca": gettext_noop("weights from principal component analysis")}
_MEANS = {"arithmetic": gettext_noop("arithmetic mean"), "geometric": gettext_noop("geometric mean"),
          "harmonic": gettext_noop("harmonic mean"), "generalised": gettext_noop("generalised mean"),
          "copeland": gettext_noop("Copeland pairwise counts")}
_ZERO_VARIANCE = {"error": gettext_noop("an indicator with the same value for every member stops the computation"),
                  "drop": gettext_noop("an indicator with the same value for every member is dropped and the "
                                       "weights of the others renormalised")}


def _word(table: dict, key) -> str:
    """``table[key]`` translated; an unknown method is shown as written in the framework file."""
    return _(table[key]) if key in table else str(key)


def stage_sentences(methodology: dict, language: str) -> list[tuple[str, str]]:
    """The method of an edition as ``(stage name, sentence)`` rows in the active language.

    Built from the framework file as stored in ``Edition.methodology``: ``window`` and ``coverage``, then each
    entry of ``stages`` in file order (imputation, outlier treatment, normalisation, weights, aggregation,
    ranking, zero-variance policy; OECD/JRC Handbook 2008, Steps 4-6; COINr ``Impute``, ``Treat``,
    ``Normalise``, ``Aggregate``). E.g. imputation ``{method: group_median, group: income_group, fallback:
    median}`` gives ``("Imputation", "median of the member's income group; members' median where the group has
    none")``.

    Parameters
    ----------
    methodology : dict
        ``Edition.methodology``.
    language : str
        Language of the numbers (:func:`~dtforum.observatory.report.formatting.format_number`); the words come
        from the active translation (the caller activates ``language``).

    Returns
    -------
    list of (str, str)
        A stage or a method the catalogs do not know is shown as written in the file (key, value).
    """
    def n(value, digits=0) -> str:
        return format_number(value, language, digits) if isinstance(value, (int, float)) else str(value)

    rows = []
    if "window" in methodology:
        rows.append(("window", _("latest value of each indicator in the %(window)s years up to the reference "
                                 "year %(year)s") % {"window": n(methodology["window"]),
                                                     "year": methodology.get("reference_year", "")}))
    coverage = methodology.get("coverage")
    if isinstance(coverage, dict):
        rows.append(("coverage", _("an indicator is used when at least %(ind)s %% of the members have data for it; "
                                   "a member is scored when it has data for at least %(unit)s %% of the "
                                   "indicators") % {"ind": n(100 * coverage.get("indicator_min", 0)),
                                                     "unit": n(100 * coverage.get("unit_min", 0))}))
    for stage, spec in (methodology.get("stages") or {}).items():
        spec = spec if isinstance(spec, dict) else {"method": spec}
        method = spec.get("method")
        if stage == "imputation":
            parts = [_word(_IMPUTATION, method) % {"group": _word(_GROUPS, spec.get("group")),
                                                   "k": n(spec.get("n_neighbors", 5))}]
            parts += [_word(_FALLBACK, spec["fallback"])] if spec.get("fallback") in _FALLBACK else []
            parts += [_word(_TIME, spec["time"])] if spec.get("time") in _TIME else []
            text = _("; ").join(parts)
        elif stage == "treatment" and method in (None, "winsorise"):
            text = _("an indicator whose absolute skewness exceeds %(skew)s and kurtosis exceeds %(kurt)s has its "
                     "extreme values winsorised (at most %(n)s), then, if still skewed, is %(then)s") % {
                "skew": n(spec.get("skew", 2.0), 1), "kurt": n(spec.get("kurtosis", 3.5), 1),
                "n": n(spec.get("max_winsorised", 5)), "then": _word(_THEN, spec.get("then", "log"))}
        elif stage == "treatment" and method == "none":
            text = _("none")
        elif stage == "normalisation":
            text = _word(_NORMALISATION, method) % {"low": n(spec.get("low", 0)), "high": n(spec.get("high", 100))}
        elif stage == "weights":
            text = _word(_WEIGHTS, method)
        elif stage == "aggregation":
            text = _("%(indicators)s of the indicators in each area, %(areas)s of the areas for the index") % {
                "indicators": _word(_MEANS, spec.get("indicators", "arithmetic")),
                "areas": _word(_MEANS, spec.get("areas", "arithmetic"))}
        elif stage == "ranking":
            text = _("scores rounded to %(d)s decimals before ranking; equal scores share a rank") % {
                "d": n(spec.get("decimals", 2))}
        elif stage == "zero_variance":
            text = _word(_ZERO_VARIANCE, method)
        else:
            text = json.dumps(spec, ensure_ascii=False, sort_keys=True, default=str)
        rows.append((stage, text))
    return [(_word(_STAGE_NAMES, stage), text) for stage, text in rows]


def _tier_counts(tiers: dict) -> list[tuple[str, int]]:
    """(tier name, members) in the order of ``tiers["labels"]``; names from ``tiers["names"]`` (resolved by
    :func:`~dtforum.observatory.selectors.report_context`)."""
    counts = tiers.get("counts") or {}
    names = tiers.get("names") or {}
    order = [lab for lab in tiers.get("labels") or [] if isinstance(lab, str)]
    keys = [k for k in order if k in counts] + sorted(k for k in counts if k not in order)
    return [(names.get(k, k), counts[k]) for k in keys]


def _percent(share: float | None) -> float | None:
    return None if share is None else 100.0 * share


#: Flags of the audit annex (``compindex.audit``) and of correlated pairs, as shown.
_FLAG_LABELS = {"flag_availability": gettext_noop("low availability"),
                "flag_skew_kurt": gettext_noop("skewness and kurtosis"), "flag_zero": gettext_noop("many zeros"),
                "flag_unique": gettext_noop("few unique values"), "collinear": gettext_noop("collinear"),
                "negative": gettext_noop("negative correlation")}


def _convergence(conv: dict, level_names: dict[str, str], indicator_names: dict[str, str], language: str) -> dict:
    """Chart and tables of the convergence section from ``edition.analysis["convergence"]`` (see
    :mod:`dtforum.observatory.robustness`): sigma convergence of the index (coefficient of variation per year,
    members against the world) as a chart, start/end CV and beta convergence per level as a table, and the
    static indicators. ``{}`` when the edition has no panel."""
    if not conv.get("available"):
        return {}
    sigma = conv.get("sigma") or {}
    members, world = sigma.get("members") or {}, sigma.get("world") or {}

    def cv_by_year(block: dict) -> dict:
        return dict(zip(block.get("year") or [], block.get("cv") or []))

    years = conv.get("years") or []
    m_index, w_index = cv_by_year(members.get("index") or {}), cv_by_year(world.get("index") or {})
    chart = charts.series_chart(
        [str(y) for y in years], [(_("OIC member states"), [m_index.get(y) for y in years]),
                                  (_("world: members and comparison economies"), [w_index.get(y) for y in years])],
        language=language, chart_id="convergence", headers=(_("Year"), _("Members"), _("World")),
        caption=_("Coefficient of variation of the index scores (standard deviation / mean): falling values mean "
                  "the scores are converging (sigma convergence)."))
    start, end = conv.get("start_year"), conv.get("end_year")
    beta = (conv.get("beta") or {}).get("members") or {}
    rows = []
    for level in [*(a for a in conv.get("areas") or [] if a != "index"), "index"]:
        m, w = cv_by_year(members.get(level) or {}), cv_by_year(world.get(level) or {})
        b = beta.get(level) or {}
        rows.append({"code": level, "name": level_names.get(level, level), "cv_start": m.get(start),
                     "cv_end": m.get(end), "world_start": w.get(start), "world_end": w.get(end),
                     "slope": b.get("slope"), "p_value": b.get("p_value"), "converging": b.get("converging")})
    static = [{"code": code, "name": indicator_names.get(code, code), "year": year}
              for code, year in sorted((conv.get("static_indicators") or {}).items())]
    return {"chart": chart, "rows": rows, "start": start, "end": end, "static": static,
            "indicators": len(conv.get("indicators") or [])}


def _audit(audit: dict | None, level_names: dict[str, str], indicator_names: dict[str, str]) -> dict | None:
    """The audit annex's rows with names and flag labels in the active language (``None`` without an audit)."""
    if audit is None:
        return None
    return {
        "indicators": [dict(r, name=indicator_names.get(r["code"], r["code"]),
                            flag_labels=[_(_FLAG_LABELS[f]) for f in r["flags"]]) for r in audit["indicators"]],
        "correlation_flags": [dict(r, x_name=indicator_names.get(r["x"], level_names.get(r["x"], r["x"])),
                                   y_name=indicator_names.get(r["y"], level_names.get(r["y"], r["y"])),
                                   group_name=level_names.get(r["group"], r["group"]),
                                   flag_label=_(_FLAG_LABELS.get(r["flag"], r["flag"])))
                              for r in audit["correlation_flags"]],
        "pca": [dict(r, name=level_names.get(r["level"], r["level"]),
                     explained_pct=None if r["explained"] is None else 100.0 * r["explained"]) for r in audit["pca"]],
    }


def report_html(edition: Edition, language: str, audit: dict | None = None) -> str:
    """Render the status report of ``edition`` in ``language`` as one self-contained HTML document.

    Parameters
    ----------
    edition : Edition
        A computed edition (its Score and IndicatorResult rows are read through the selectors; rank intervals,
        convergence and sensitivity from what the robustness step stored).
    language : str
        ``"en"``, ``"ar"`` or ``"fr"``.
    audit : dict, optional
        The audit tables (:func:`~dtforum.observatory.report.audit.read_audit`); without them the report says
        that no audit was written for the edition.

    Returns
    -------
    str
        The HTML text (CSS, charts and map inline); the same text is the source of the PDF.

    Raises
    ------
    ValueError
        If ``language`` is not one of :data:`LANGUAGES`.
    """
    if language not in LANGUAGES:
        raise ValueError(f"report language {language!r}: expected one of {LANGUAGES}")
    with translation.override(language):
        ctx = selectors.report_context(edition, language)
        ranking = ctx["ranking"]
        ranked = [r for r in ranking if r.score is not None]
        axis = _("score (0–100)")
        summary = ctx["summary"]
        member, score = _("Member state"), _("Score")
        chart_ranking = charts.bar_chart(
            [r.name for r in ranked], [r.score for r in ranked], keys=[r.iso3 for r in ranked],
            language=language, chart_id="ranking", headers=(member, _("Index")), caption=axis,
            reference=summary["median"], reference_label=_("OIC median"),
            highlight=[r.iso3 for r in summary["top"]], highlight_label=_("three highest index scores"))
        area_charts = []
        for area, rows in ctx["area_rankings"]:
            rows = [r for r in rows if r.score is not None]
            area_charts.append((area, charts.bar_chart(
                [r.name for r in rows], [r.score for r in rows], keys=[r.iso3 for r in rows],
                language=language, chart_id=f"area-{area.code}", headers=(member, score), caption=axis,
                reference=selectors.summarise_ranking(rows)["median"], reference_label=_("OIC median"))))
        divide_rows = ctx["divide"]["indicators"]
        chart_divide = charts.divide_chart(
            divide_rows, language=language, chart_id="divide", header=_("Indicator"),
            labels={"range": _("members, 10th–90th percentile"), "oic_median": _("OIC median"),
                    "world_median": _("world median")}) if divide_rows else ""
        map_svg = member_map(ranking, language)
        missing = []
        if map_svg:
            start = map_svg.index('data-missing="') + len('data-missing="')  # members too small for 1:110m
            missing = [c for c in map_svg[start:map_svg.index('"', start)].split() if c]
        level_names = {a.code: a.name for a in ctx["areas"]} | {selectors.INDEX: _("Index")}
        indicator_names = {i["code"]: i["name"] for a in ctx["areas"] for i in a.indicators}
        profile_pages = [{"p": p, "chart": charts.member_profile_chart(p, language) if p.index else ""}
                         for p in ctx["profiles"]]
        ctx.update({
            "direction": "rtl" if language in RTL else "ltr",
            "css": _css(),
            "charts": {"ranking": chart_ranking, "areas": area_charts, "divide": chart_divide, "map": map_svg},
            "map_missing": missing,
            "profile_pages": profile_pages,
            "gap_rows": sorted(ctx["profiles"], key=lambda p: (
                p.index is None or p.index.rank is None, p.index.rank if p.index else 0, p.name)),
            "stages": stage_sentences(edition.methodology or {}, language),
            "tier_counts": _tier_counts(ctx["tiers"]),
            "convergence_view": _convergence(ctx["convergence"], level_names, indicator_names, language),
            "audit": _audit(audit, level_names, indicator_names),
            "coverage_min_pct": _percent(((edition.methodology or {}).get("coverage") or {}).get("indicator_min")),
        })
        return render_to_string("observatory/report/report.html", ctx)


def _pdf_message(lang: str, pages: int, seconds: float, cpu: float) -> str:
    return f"report.{lang}.pdf: {pages} pages in {seconds:.1f} s (CPU {cpu:.1f} s)"


def write_report(edition: Edition, out_dir: Path, languages: Iterable[str] = LANGUAGES,
                 pdf_languages: Iterable[str] = ("en", "ar"),
                 progress: Callable[[str], None] | None = None, workers: int | None = None) -> list[Path]:
    """Write ``report.<lang>.html`` for each language, then ``report.<lang>.pdf`` for each PDF language.

    HTML documents are rendered in this process (which reads the database and ``out_dir/audit.xlsx``, the
    audit annex written there by the robustness step of the same build); each PDF is laid out by
    WeasyPrint in one of up to ``workers`` processes started with the ``spawn`` method, so that no child
    inherits the database connection: a child only receives an HTML string and writes a file, starting as
    soon as its HTML is ready.

    Parameters
    ----------
    edition : Edition
        The computed edition to report.
    out_dir : Path
        Output folder, created if missing (e.g. ``out/2024``).
    languages : iterable of str
        HTML languages, among ``en``, ``ar``, ``fr``.
    pdf_languages : iterable of str
        PDF languages; each must also be in ``languages`` (the PDF is made from that HTML).
    progress : callable, optional
        Called with a one-line message after each file, e.g. ``"report.ar.pdf: 79 pages in 27.3 s (CPU 25.9 s)"``.
    workers : int, optional
        Processes laying out PDFs at once; default: one per PDF, at most the CPUs available to this
        process. With 1 (or a single PDF) WeasyPrint runs in this process.

    Returns
    -------
    list of Path
        The files written: the HTML files in the order of ``languages``, then the PDFs in the order of
        ``pdf_languages``.

    Raises
    ------
    ValueError
        If a language is unknown, a PDF language is not among the HTML languages, or ``audit.xlsx`` lacks a
        sheet or column of the annex.
    """
    languages = tuple(languages)
    pdf_languages = tuple(pdf_languages)
    for lang in languages:
        if lang not in LANGUAGES:
            raise ValueError(f"report language {lang!r}: expected one of {LANGUAGES}")
    stray = [lang for lang in pdf_languages if lang not in languages]
    if stray:
        raise ValueError(f"PDF languages {stray} are not among the HTML languages {languages}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    say = progress or (lambda message: log.info(message))
    if "ar" in pdf_languages:
        say(f"Arabic font for the PDF: {arabic_font() or 'none found (install fonts-noto-core)'}")
    audit = read_audit(out_dir / "audit.xlsx")
    workers = min(len(pdf_languages), workers or len(os.sched_getaffinity(0)))
    # a PDF starts as soon as its HTML exists, laid out while the next language renders
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) if workers > 1 else None
    written, futures = [], {}
    try:
        for lang in languages:
            started = time.perf_counter()
            html = report_html(edition, lang, audit)
            path = out_dir / f"report.{lang}.html"
            path.write_text(html, encoding="utf-8")
            written.append(path)
            say(f"{path.name}: {len(html) // 1024} KiB in {time.perf_counter() - started:.1f} s")
            if lang in pdf_languages:
                job = (html, str(out_dir / f"report.{lang}.pdf"), str(out_dir))
                if pool is None:
                    say(_pdf_message(lang, *pdf.write_pdf(*job)))
                else:
                    futures[pool.submit(pdf.write_pdf, *job)] = lang
        for future in as_completed(futures):
            say(_pdf_message(futures[future], *future.result()))
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return written + [out_dir / f"report.{lang}.pdf" for lang in pdf_languages]
