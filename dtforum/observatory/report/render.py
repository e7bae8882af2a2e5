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

from dtforum.observatory import selectors
from dtforum.observatory.models import Edition
from dtforum.observatory.report import charts, pdf
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


def _stages(edition: Edition) -> list[tuple[str, str]]:
    """The method as (stage, compact spec) rows: the framework's ``stages`` plus window and coverage."""
    method = edition.methodology or {}
    rows = []
    for key in ("window", "coverage"):
        if key in method:
            rows.append((key, json.dumps(method[key], ensure_ascii=False, sort_keys=True)))
    stages = method.get("stages") or {k: v for k, v in (edition.recipe or {}).items() if isinstance(v, dict)}
    for stage, spec in stages.items():
        text = json.dumps(spec, ensure_ascii=False, sort_keys=True, default=str)
        rows.append((stage, text if len(text) <= 300 else text[:297] + "…"))
    return rows


def _tier_counts(tiers: dict, language: str) -> list[tuple[str, int]]:
    counts = tiers.get("counts") or {}
    order = [lab if isinstance(lab, str) else lab.get("en", "") for lab in tiers.get("labels") or []]
    keys = [k for k in order if k in counts] + sorted(k for k in counts if k not in order)
    shown = {}
    for lab in tiers.get("labels") or []:
        if isinstance(lab, dict):
            shown[lab.get("en", "")] = lab.get(language) or lab.get("en", "")
    return [(shown.get(k, k), counts[k]) for k in keys]


def report_html(edition: Edition, language: str) -> str:
    """Render the status report of ``edition`` in ``language`` as one self-contained HTML document.

    Parameters
    ----------
    edition : Edition
        A computed edition (its Score and IndicatorResult rows are read through the selectors).
    language : str
        ``"en"``, ``"ar"`` or ``"fr"``.

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
            "stages": _stages(edition),
            "tier_counts": _tier_counts(ctx["tiers"], language),
        })
        return render_to_string("observatory/report/report.html", ctx)


def _pdf_message(lang: str, pages: int, seconds: float, cpu: float) -> str:
    return f"report.{lang}.pdf: {pages} pages in {seconds:.1f} s (CPU {cpu:.1f} s)"


def write_report(edition: Edition, out_dir: Path, languages: Iterable[str] = LANGUAGES,
                 pdf_languages: Iterable[str] = ("en", "ar"),
                 progress: Callable[[str], None] | None = None, workers: int | None = None) -> list[Path]:
    """Write ``report.<lang>.html`` for each language, then ``report.<lang>.pdf`` for each PDF language.

    HTML documents are rendered in this process (which reads the database); each PDF is laid out by
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
        If a language is unknown or a PDF language is not among the HTML languages.
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
    workers = min(len(pdf_languages), workers or len(os.sched_getaffinity(0)))
    # a PDF starts as soon as its HTML exists, laid out while the next language renders
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) if workers > 1 else None
    written, futures = [], {}
    try:
        for lang in languages:
            started = time.perf_counter()
            html = report_html(edition, lang)
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
