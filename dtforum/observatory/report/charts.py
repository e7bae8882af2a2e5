"""SVG charts of the status report, drawn with matplotlib's object API (no pyplot state, thread-safe).

Text stays text (``svg.fonttype = 'none'``) so that the browser shapes Arabic with the page's font; the font family written by matplotlib is removed so the page's CSS decides it. Output is
deterministic: ``svg.hashsalt`` is fixed per chart (which also keeps the ids of several charts inlined in
one HTML page distinct) and the SVG metadata carries no date. In right-to-left languages the value axis
runs from right to left and the category labels stand on the right, as an Arabic reader expects.

``raster=True`` draws a PNG image (200 dpi) instead, for the PDF of right-to-left languages: WeasyPrint
(v70) lays out SVG ``<text>`` letter by letter, which breaks Arabic joining and order, and SVG glyph
outlines cost it several seconds per chart. matplotlib itself shapes the text (libraqm: HarfBuzz shaping,
FriBidi ordering) with Noto Naskh Arabic. Browsers shape SVG text correctly, so HTML keeps real text.
"""
from __future__ import annotations

import base64
import contextvars
import functools
import io
import re
from collections.abc import Sequence
from xml.sax.saxutils import quoteattr

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from dtforum.observatory.report.formatting import format_number

RTL_LANGUAGES = {"ar"}
BAR = "#1f6f8b"
HIGHLIGHT = "#e07b39"
REFERENCE = "#444444"
GRID = "#d9d9d9"

#: Font stacks used for measuring (and, in PNG charts, drawing) text; matplotlib falls back along them.
LATIN_FONTS = ["Noto Sans", "DejaVu Sans"]
ARABIC_FONTS = ["Noto Naskh Arabic", "Noto Sans Arabic", "DejaVu Sans"]


_RASTER = contextvars.ContextVar("raster", default=False)
RASTER_DPI = 200


def _chart(func):
    """Run a chart function under the rc settings of its language and output mode (see module docstring)."""
    @functools.wraps(func)
    def wrapper(*args, language: str, chart_id: str, raster: bool = False, **kwargs):
        fonts = ARABIC_FONTS if language in RTL_LANGUAGES else LATIN_FONTS
        token = _RASTER.set(raster)
        try:
            with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": chart_id, "font.family": fonts}):
                return func(*args, language=language, chart_id=chart_id, **kwargs)
        finally:
            _RASTER.reset(token)
    return wrapper


def _svg(fig: Figure, salt: str) -> str:
    """Serialise ``fig`` to an inline-ready SVG string (no XML prolog, no date, no font family), or to an
    ``<img>`` with an embedded PNG when the chart is drawn with ``raster=True``."""
    if _RASTER.get():
        buf = io.BytesIO()
        fig.set_dpi(RASTER_DPI)
        FigureCanvasAgg(fig).print_png(buf, metadata={"Software": None})
        width_pt = fig.get_figwidth() * 72
        return (f'<img class="chart" data-chart="{salt}" style="width: {width_pt:.0f}pt" alt="" '
                f'src="data:image/png;base64,{base64.b64encode(buf.getvalue()).decode()}">')
    buf = io.StringIO()
    FigureCanvasSVG(fig).print_svg(buf, metadata={"Date": None, "Creator": None})
    text = buf.getvalue()
    text = text[text.index("<svg"):]
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, count=1, flags=re.DOTALL)
    # matplotlib names its own font list; drop it so the page's CSS font (with Arabic glyphs) applies.
    text = re.sub(r"font-family: [^;\"]*;? ?", "", text)
    # matplotlib numbers its ids per figure (figure_1, text_3…): prefix them with the chart id so that the
    # many charts inlined in one report page keep unique ids.
    text = re.sub(r'(id="|url\(#|href="#)(?!bar-|divide-)([^")]+)', rf"\g<1>{salt}-\g<2>", text)
    return text.replace("<svg ", f'<svg class="chart" data-chart="{salt}" style="direction: ltr" ', 1)


@_chart
def bar_chart(labels: Sequence[str], values: Sequence[float | None], *, language: str, chart_id: str,
              title: str = "", xlabel: str = "", highlight: Sequence[str] = (), reference: float | None = None,
              reference_label: str = "", keys: Sequence[str] | None = None, xmax: float = 100.0,
              width_in: float = 7.0) -> str:
    """Draw a horizontal bar chart, first item on top, and return it as SVG text.

    Parameters
    ----------
    labels : sequence of str
        Category labels (e.g. member names), in display order.
    values : sequence of float or None
        One value per label on the 0-``xmax`` scale; ``None`` draws no bar and writes "–" as its value.
    language : str
        ``"ar"`` mirrors the chart (bars grow leftwards, labels on the right); numbers are formatted per
        language (:func:`~dtforum.observatory.report.formatting.format_number`).
    chart_id : str
        Stable identifier: salts the SVG ids and is written as ``data-chart``.
    raster : bool
        Keyword of every chart function: return an ``<img>`` with a 200 dpi PNG instead of SVG (for the
        WeasyPrint PDF of right-to-left languages, see the module docstring).
    title, xlabel : str
        Axis texts, already translated.
    highlight : sequence of str
        Keys of bars drawn in the highlight colour.
    reference : float, optional
        A vertical reference line (e.g. the OIC median), labelled ``reference_label``.
    keys : sequence of str, optional
        One key per bar (e.g. ISO3), written as ``data-key`` on the bar so tests and scripts can find it;
        defaults to ``labels``.
    xmax : float
        Upper end of the value axis.
    width_in : float
        Figure width in inches (height grows with the number of bars).

    Returns
    -------
    str
        ``<svg …>`` markup; each bar is a ``<g id="bar-<chart_id>-<n>" data-key=… data-value=…>`` group.

    Raises
    ------
    ValueError
        If ``labels`` and ``values`` (or ``keys``) differ in length.
    """
    if len(labels) != len(values) or (keys is not None and len(keys) != len(labels)):
        raise ValueError(f"chart {chart_id}: {len(labels)} labels, {len(values)} values"
                         + (f", {len(keys)} keys" if keys is not None else "") + "; expected equal lengths")
    keys = list(keys) if keys is not None else list(labels)
    rtl = language in RTL_LANGUAGES
    n = len(labels)
    fig = Figure(figsize=(width_in, 0.6 + 0.22 * max(n, 1) + (0.3 if xlabel else 0)))
    ax = fig.add_subplot()
    ys = list(range(n))
    bars = ax.barh(ys, [v if v is not None else 0 for v in values], height=0.7,
                   color=[HIGHLIGHT if k in highlight else BAR for k in keys])
    for i, (bar, key, value) in enumerate(zip(bars, keys, values)):
        bar.set_gid(f"bar-{chart_id}-{i}")
        bar.set_url(None)
        if value is None:
            bar.set_visible(False)
        ax.text((value or 0) + xmax * 0.01, i, format_number(value, language),
                va="center", ha="left", fontsize=7, color="#222222")
    ax.set_yticks(ys, labels, fontsize=8)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(0, xmax * 1.08)
    ticks = [xmax * t / 5 for t in range(6)]
    ax.set_xticks(ticks, [format_number(t, language, 0) for t in ticks], fontsize=7)
    if reference is not None:
        ax.axvline(reference, color=REFERENCE, linestyle="--", linewidth=0.8)
        if reference_label:
            ax.text(reference, -0.9, reference_label, ha="center", va="bottom", fontsize=7, color=REFERENCE)
    ax.grid(axis="x", color=GRID, linewidth=0.5)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    if xlabel:
        ax.set_xlabel(xlabel, fontsize=8)
    if title:
        ax.set_title(title, fontsize=10)
    if rtl:
        ax.invert_xaxis()
        ax.yaxis.tick_right()
        ax.spines["left"].set_visible(False)
        for t in ax.texts:
            if t.get_text() and t.get_position()[1] >= 0:
                t.set_ha("right")
    fig.tight_layout(pad=0.4)
    return _tag_bars(_svg(fig, chart_id), chart_id, keys, values)


def _tag_bars(svg: str, chart_id: str, keys: Sequence[str], values: Sequence[float | None]) -> str:
    """Write each bar's key and value on its group (matplotlib names the group after the artist's gid)."""
    for i, (key, value) in enumerate(zip(keys, values)):
        svg = svg.replace(f'<g id="bar-{chart_id}-{i}">',
                          f'<g id="bar-{chart_id}-{i}" class="bar" data-key={quoteattr(str(key))} '
                          f'data-value="{"" if value is None else round(value, 6)}">', 1)
    return svg


@_chart
def profile_chart(area_names: Sequence[str], member: Sequence[float | None],
                  reference: Sequence[float | None], *, language: str, chart_id: str, member_label: str,
                  reference_label: str, keys: Sequence[str] | None = None) -> str:
    """Draw a member's area scores as bars with the OIC median of each area as a marker.

    Parameters
    ----------
    area_names : sequence of str
        Area names in framework order.
    member, reference : sequence of float or None
        The member's score and the reference (OIC median) per area, 0-100.
    language, chart_id : str
        As in :func:`bar_chart`.
    member_label, reference_label : str
        Legend entries, already translated.
    keys : sequence of str, optional
        Area codes written as ``data-key`` on the bars.

    Returns
    -------
    str
        SVG markup.
    """
    keys = list(keys) if keys is not None else list(area_names)
    rtl = language in RTL_LANGUAGES
    n = len(area_names)
    fig = Figure(figsize=(6.0, 0.6 + 0.22 * max(n, 1) + 0.35))
    ax = fig.add_subplot()
    ys = list(range(n))
    bars = ax.barh(ys, [v if v is not None else 0 for v in member], height=0.6, color=BAR, label=member_label)
    for i, bar in enumerate(bars):
        bar.set_gid(f"bar-{chart_id}-{i}")
    for i, value in enumerate(member):
        ax.text((value or 0) + 1, i, format_number(value, language), va="center",
                ha="right" if rtl else "left", fontsize=7)
    ref_y = [y for y, v in zip(ys, reference) if v is not None]
    ref_x = [v for v in reference if v is not None]
    ax.scatter(ref_x, ref_y, marker="|", s=180, color=HIGHLIGHT, linewidths=2, label=reference_label, zorder=3)
    ax.set_yticks(ys, area_names, fontsize=8)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(0, 108)
    ax.set_xticks([0, 20, 40, 60, 80, 100], [format_number(t, language, 0) for t in (0, 20, 40, 60, 80, 100)],
                  fontsize=7)
    ax.grid(axis="x", color=GRID, linewidth=0.5)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12 if n > 3 else -0.3), ncol=2, fontsize=7,
              frameon=False)
    if rtl:
        ax.invert_xaxis()
        ax.yaxis.tick_right()
    fig.tight_layout(pad=0.4)
    return _tag_bars(_svg(fig, chart_id), chart_id, keys, member)


@_chart
def divide_chart(rows: Sequence[dict], *, language: str, chart_id: str, labels: dict) -> str:
    """Draw the connectivity divide: per indicator, the members' 10th-90th percentile range, the OIC median
    and the world median.

    Parameters
    ----------
    rows : sequence of dict
        Items of ``edition.analysis["divide"]["indicators"]`` with ``label`` (translated name) and the keys
        ``oic_p10, oic_p90, oic_median, world_median`` (raw units of the indicator; ``None`` allowed).
    language, chart_id : str
        As in :func:`bar_chart`.
    labels : dict
        Translated legend entries: ``range``, ``oic_median``, ``world_median``.

    Returns
    -------
    str
        SVG markup; each indicator row is a ``<g class="divide-row" data-key=code>`` group.
    """
    rtl = language in RTL_LANGUAGES
    n = len(rows)
    fig = Figure(figsize=(7.0, 0.9 + 0.45 * max(n, 1)))
    ax = fig.add_subplot()
    ys = list(range(n))
    finite = [v for r in rows for v in (r.get("oic_p10"), r.get("oic_p90"), r.get("world_median"),
                                        r.get("oic_max")) if v is not None]
    xmax = max(finite + [1.0]) * 1.1
    for i, r in enumerate(rows):
        lo, hi = r.get("oic_p10"), r.get("oic_p90")
        if lo is not None and hi is not None:
            line = ax.plot([lo, hi], [i, i], color=BAR, linewidth=6, alpha=0.35, solid_capstyle="butt",
                           label=labels["range"] if i == 0 else None)[0]
            line.set_gid(f"divide-{chart_id}-{i}")
        if r.get("oic_median") is not None:
            ax.plot([r["oic_median"]], [i], "o", color=BAR, label=labels["oic_median"] if i == 0 else None)
        if r.get("world_median") is not None:
            ax.plot([r["world_median"]], [i], "D", color=HIGHLIGHT,
                    label=labels["world_median"] if i == 0 else None)
    ax.set_yticks(ys, [r.get("label", r.get("code", "")) for r in rows], fontsize=8)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(0, xmax)
    ax.set_xticks(ax.get_xticks()[ax.get_xticks() <= xmax])
    ax.set_xticklabels([format_number(t, language, 0) for t in ax.get_xticks()], fontsize=7)
    ax.grid(axis="x", color=GRID, linewidth=0.5)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25 if n > 2 else -0.5), ncol=3, fontsize=7,
              frameon=False)
    if rtl:
        ax.invert_xaxis()
        ax.yaxis.tick_right()
    fig.tight_layout(pad=0.4)
    svg = _svg(fig, chart_id)
    for i, r in enumerate(rows):
        svg = svg.replace(f'<g id="divide-{chart_id}-{i}">',
                          f'<g id="divide-{chart_id}-{i}" class="divide-row" '
                          f'data-key={quoteattr(str(r.get("code", "")))}>', 1)
    return svg


def member_profile_chart(profile, language: str, raster: bool = False) -> str:
    """Area scores of one member (a :class:`~dtforum.observatory.selectors.MemberProfile`) against the OIC
    median of each area, recovered as ``score − gap_oic_median``.

    Returns
    -------
    str
        SVG markup (see :func:`profile_chart`), with ``chart_id = "profile-<ISO3>"``.
    """
    from django.utils.translation import gettext as _

    medians = [(a.score - a.gaps["gap_oic_median"])
               if a.score is not None and a.gaps.get("gap_oic_median") is not None else None
               for a in profile.areas]
    return profile_chart([a.name for a in profile.areas], [a.score for a in profile.areas], medians,
                         language=language, chart_id=f"profile-{profile.iso3}", keys=[a.code for a in profile.areas],
                         member_label=profile.name, reference_label=_("OIC median"), raster=raster)
