"""Charts of the status report and pages as HTML tables with one small inline SVG per row.

Each chart is a ``<table class="chart">``: a row per item with its label and value as HTML text, so browsers
and WeasyPrint shape and order Arabic like any other text (WeasyPrint lays out SVG ``<text>`` letter by
letter, which breaks Arabic joining), and the chart doubles as its own data table for screen readers. The
marks (bars, ranges, reference lines, markers) are drawn in a fixed-size SVG without text, whose geometry is
computed here and mirrored in right-to-left languages: the value axis then runs from right to left, next to
the labels on the right. The header row carries the axis (tick marks and their numbers, digits only, so
letter-by-letter layout is harmless), repeated on each PDF page that the chart spans; the legend is an HTML
list. The markup comes from the template ``observatory/charts/chart.html``; output is deterministic
(coordinates rounded to 0.1 px, no ids).

This replaced matplotlib figures (about 0.3 s each, 198 per edition in three languages): a chart now costs
a few milliseconds and needs no raster fallback for the Arabic PDF.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from dtforum.observatory.report.formatting import format_number

RTL_LANGUAGES = {"ar"}
BAR = "#1f6f8b"
HIGHLIGHT = "#e07b39"
REFERENCE = "#444444"
GRID = "#d9d9d9"

#: Plot width, side padding (room for the first and last tick numbers) and row height, in CSS px.
TRACK_WIDTH = 300
TRACK_PAD = 10
ROW_HEIGHT = 14
#: Row height of the profile and divide charts, whose labels (area and indicator names) often wrap onto two
#: lines: the marks stay 14 px tall, centred, and the extra height separates one label from the next.
SPACED_ROW_HEIGHT = 22
AXIS_HEIGHT = 16
_TEMPLATE = "observatory/charts/chart.html"


def nice_ticks(vmax: float, count: int = 5) -> list[float]:
    """Return about ``count`` + 1 evenly spaced ticks from 0 to the first tick at or above ``vmax``.

    The step is 1, 2, 2.5 or 5 times a power of ten, the "nice numbers" of Heckbert (1990), *Nice numbers
    for graph labels*, Graphics Gems I, pp. 61-63.

    Parameters
    ----------
    vmax : float
        Largest value to show (> 0; anything else gives the 0-1 axis).
    count : int
        Wanted number of intervals.

    Returns
    -------
    list of float
        Ticks starting at 0; the last one is the axis maximum.

    Examples
    --------
    >>> nice_ticks(100)
    [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
    >>> nice_ticks(43.0)
    [0.0, 10.0, 20.0, 30.0, 40.0, 50.0]
    """
    if not vmax > 0 or not math.isfinite(vmax):
        vmax = 1.0
    raw = vmax / count
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw - 1e-12)
    n = math.ceil(vmax / step - 1e-9)
    return [round(i * step, 10) for i in range(n + 1)]


@dataclass(frozen=True)
class Axis:
    """Maps values ``0 … vmax`` onto the track, left to right or (``rtl``) right to left.

    Parameters
    ----------
    vmax : float
        Value at the far end of the axis (the last tick).
    rtl : bool
        Mirror the axis: 0 at the right edge.
    """

    vmax: float
    rtl: bool

    def x(self, value: float) -> float:
        """Horizontal position (px from the SVG's left edge) of ``value``, clipped to the axis."""
        share = min(max(value / self.vmax, 0.0), 1.0)
        inner = TRACK_WIDTH - 2 * TRACK_PAD
        return round(TRACK_PAD + (inner * (1 - share) if self.rtl else inner * share), 1)

    def span(self, lo: float, hi: float) -> tuple[float, float]:
        """``(x, width)`` of the rectangle covering ``lo … hi``, whatever the direction."""
        a, b = self.x(lo), self.x(hi)
        return min(a, b), round(abs(b - a), 1)


def _bar(axis: Axis, value: float, fill: str) -> dict:
    x, w = axis.span(0, value)
    return {"kind": "rect", "x": x, "y": 2.5, "w": w, "h": 9, "fill": fill, "opacity": 1}


def _range(axis: Axis, lo: float, hi: float) -> dict:
    x, w = axis.span(lo, hi)
    return {"kind": "rect", "x": x, "y": 4, "w": w, "h": 6, "fill": BAR, "opacity": 0.35}


def _vline(x: float, stroke: str, width: float = 1.0, dash: str = "", y1: float = 0,
           y2: float = ROW_HEIGHT) -> dict:
    return {"kind": "vline", "x": x, "y1": y1, "y2": y2, "stroke": stroke, "width": width, "dash": dash}


def _circle(x: float, fill: str, y: float = ROW_HEIGHT / 2) -> dict:
    return {"kind": "circle", "x": x, "y": y, "r": 3.5, "fill": fill}


def _diamond(x: float, fill: str, y: float = ROW_HEIGHT / 2, size: float = 4.0) -> dict:
    return {"kind": "path", "fill": fill,
            "d": f"M{x:.1f} {y - size:.1f}L{x + size:.1f} {y:.1f}L{x:.1f} {y + size:.1f}L{x - size:.1f} {y:.1f}Z"}


# Legend icons: the same marks in a 14 x 14 box.
_ICONS = {
    "bar": {"kind": "rect", "x": 1, "y": 2.5, "w": 12, "h": 9, "fill": BAR, "opacity": 1},
    "highlight": {"kind": "rect", "x": 1, "y": 2.5, "w": 12, "h": 9, "fill": HIGHLIGHT, "opacity": 1},
    "range": {"kind": "rect", "x": 1, "y": 4, "w": 12, "h": 6, "fill": BAR, "opacity": 0.35},
    "reference": _vline(7, REFERENCE, 1.0, "3 2"),
    "median": _vline(7, HIGHLIGHT, 2.5, "", 1, 13),
    "best": _diamond(7, REFERENCE),
    "dot": _circle(7, BAR),
    "diamond": _diamond(7, HIGHLIGHT),
}


def _grid(axis: Axis, ticks: Sequence[float], height: float = ROW_HEIGHT) -> dict:
    return {"kind": "grid", "stroke": GRID,
            "d": "".join(f"M{axis.x(t):.1f} 0V{height}" for t in ticks)}


def _chart_html(*, chart_id: str, kind: str, language: str, ticks: Sequence[float], rows: list[dict],
                headers: tuple, legend: Sequence[tuple] = (), caption: str = "",
                digits: int = 1, row_height: int = ROW_HEIGHT) -> str:
    """Render the chart template; ``rows`` carry ``key, label, value, shapes`` (and optional ``note`` and
    ``values``, one per value column when ``headers`` names more than one: ``(label, value 1, value 2, …)``;
    ``(label, None)`` has no value column). Marks are drawn for a :data:`ROW_HEIGHT` row and centred in
    ``row_height``; the grid runs the full height."""
    axis = Axis(ticks[-1], language in RTL_LANGUAGES)
    tick_digits = 0 if all(float(t).is_integer() for t in ticks) else 1
    grid = _grid(axis, ticks, row_height)
    for row in rows:
        row["shapes"] = [grid, *row["shapes"]]
        row["data_value"] = "" if row["value"] is None else round(row["value"], 6)
        row.setdefault("values", [row["value"]])
    context = {
        "chart_id": chart_id, "kind": kind, "rows": rows, "digits": digits,
        "label_header": headers[0], "value_headers": [h for h in headers[1:] if h is not None],
        "width": TRACK_WIDTH, "height": row_height, "axis_height": AXIS_HEIGHT,
        "offset": (row_height - ROW_HEIGHT) / 2,
        "ticks": [{"x": axis.x(t), "text": format_number(t, language, tick_digits)} for t in ticks],
        # legend items: (icon, label) or (icon, label, value shown after the label)
        "legend": [{"icon": _ICONS[item[0]], "label": item[1], "value": item[2] if len(item) > 2 else None}
                   for item in legend],
        "caption": caption,
    }
    with translation.override(language):
        return render_to_string(_TEMPLATE, context)


def _bar_title(label: str, value: float | None, scored: Sequence[float], language: str) -> str:
    """Tooltip of a bar: label, value and its competition rank ("1224", the rank of the ranking tables) among
    the ``scored`` values, highest first."""
    if value is None:
        return f"{label}: {format_number(None, language)}"
    rank = 1 + sum(v > value for v in scored)
    return _("%(name)s: %(value)s, rank %(rank)s of %(n)s") % {
        "name": label, "value": format_number(value, language), "rank": format_number(rank, language, 0),
        "n": format_number(len(scored), language, 0)}


def bar_chart(labels: Sequence[str], values: Sequence[float | None], *, language: str, chart_id: str,
              keys: Sequence[str] | None = None, headers: tuple[str, str] = ("", ""),
              highlight: Sequence[str] = (), highlight_label: str = "", reference: float | None = None,
              reference_label: str = "", caption: str = "", xmax: float = 100.0) -> str:
    """Draw a ranking as horizontal bars, first item on top.

    Parameters
    ----------
    labels : sequence of str
        Category labels (e.g. member names), in display order.
    values : sequence of float or None
        One value per label on the 0-``xmax`` scale; ``None`` draws no bar and shows "–".
    language : str
        ``"ar"`` mirrors the bars (they grow leftwards from the labels on the right); numbers are
        formatted per language (:func:`~dtforum.observatory.report.formatting.format_number`).
    chart_id : str
        Stable identifier, written as ``data-chart`` on the ``<figure>``.
    keys : sequence of str, optional
        One key per bar (e.g. ISO3), written as ``data-key`` on its row; defaults to ``labels``.
    headers : (str, str)
        Column headers of the labels and the values, already translated.
    highlight : sequence of str
        Keys of bars drawn in the highlight colour, explained in the legend by ``highlight_label``.
    reference : float, optional
        A dashed vertical reference line (e.g. the OIC median), explained by ``reference_label``.
    caption : str
        Text under the chart (e.g. the axis name).
    xmax : float
        Upper end of the value axis (0-100 scores: 100).

    Returns
    -------
    str
        ``<figure class="chart" data-chart=…>`` markup; each bar is a ``<tr class="bar" data-key=…
        data-value=…>`` row whose SVG ``<title>`` (tooltip) gives the label, value and competition rank among
        the bars with a value.

    Raises
    ------
    ValueError
        If ``labels`` and ``values`` (or ``keys``) differ in length.
    """
    if len(labels) != len(values) or (keys is not None and len(keys) != len(labels)):
        raise ValueError(f"chart {chart_id}: {len(labels)} labels, {len(values)} values"
                         + (f", {len(keys)} keys" if keys is not None else "") + "; expected equal lengths")
    keys = list(keys) if keys is not None else list(labels)
    ticks = nice_ticks(xmax)
    axis = Axis(ticks[-1], language in RTL_LANGUAGES)
    ref = [_vline(axis.x(reference), REFERENCE, 1.0, "3 2")] if reference is not None else []
    scored = [v for v in values if v is not None]
    with translation.override(language):
        rows = [{"key": key, "label": label, "value": value, "title": _bar_title(label, value, scored, language),
                 "shapes": ([_bar(axis, value, HIGHLIGHT if key in highlight else BAR)] if value is not None
                            else []) + ref}
                for key, label, value in zip(keys, labels, values)]
    legend = []
    if highlight and highlight_label:
        legend.append(("highlight", highlight_label))
    if reference is not None and reference_label:
        legend.append(("reference", reference_label, reference))
    return _chart_html(chart_id=chart_id, kind="bars", language=language, ticks=ticks, rows=rows,
                       headers=headers, legend=legend, caption=caption)


def profile_chart(area_names: Sequence[str], member: Sequence[float | None],
                  reference: Sequence[float | None], best: Sequence[float | None], *, language: str,
                  chart_id: str, member_label: str, reference_label: str, best_label: str,
                  headers: tuple[str, str] = ("", ""), keys: Sequence[str] | None = None,
                  ranks: Sequence[int | None] | None = None) -> str:
    """Draw a member's area scores as bars, with the OIC median and the best OIC member of each area as
    markers.

    Parameters
    ----------
    area_names : sequence of str
        Area names in framework order.
    member, reference, best : sequence of float or None
        The member's score, the OIC median and the best OIC member's score per area, 0-100.
    language, chart_id : str
        As in :func:`bar_chart`.
    member_label, reference_label, best_label : str
        Legend entries, already translated.
    headers : (str, str)
        Column headers of the area names and the scores.
    keys : sequence of str, optional
        Area codes written as ``data-key`` on the rows.
    ranks : sequence of int or None, optional
        The member's rank in each area, shown in the bar's tooltip.

    Returns
    -------
    str
        Chart markup as :func:`bar_chart`; the median and best markers of a row carry ``data-mark`` and a
        ``<title>`` tooltip (legend label and value); the row's tooltip gives the area, score and rank.

    Raises
    ------
    ValueError
        If the sequences differ in length.
    """
    if not len(area_names) == len(member) == len(reference) == len(best):
        raise ValueError(f"chart {chart_id}: {len(area_names)} areas, {len(member)} scores, "
                         f"{len(reference)} medians, {len(best)} best; expected equal lengths")
    keys = list(keys) if keys is not None else list(area_names)
    axis = Axis(100.0, language in RTL_LANGUAGES)
    ranks = list(ranks) if ranks is not None else [None] * len(keys)
    rows = []
    with translation.override(language):
        for key, name, value, med, top, rank in zip(keys, area_names, member, reference, best, ranks):
            shapes = [_bar(axis, value, BAR)] if value is not None else []
            if med is not None:
                shapes.append(_vline(axis.x(med), HIGHLIGHT, 2.5, "", 1, ROW_HEIGHT - 1)
                              | {"mark": "median", "title": f"{reference_label}: {format_number(med, language)}"})
            if top is not None:
                shapes.append(_diamond(axis.x(top), REFERENCE)
                              | {"mark": "best", "title": f"{best_label}: {format_number(top, language)}"})
            title = f"{name}: {format_number(value, language)}"
            if value is not None and rank is not None:
                title = _("%(name)s: %(value)s, rank %(rank)s") % {
                    "name": name, "value": format_number(value, language), "rank": format_number(rank, language, 0)}
            rows.append({"key": key, "label": name, "value": value, "shapes": shapes, "title": title})
    legend = [("bar", member_label), ("median", reference_label), ("best", best_label)]
    return _chart_html(chart_id=chart_id, kind="profile", language=language, ticks=nice_ticks(100.0),
                       rows=rows, headers=headers, legend=legend, row_height=SPACED_ROW_HEIGHT)


def divide_chart(rows: Sequence[dict], *, language: str, chart_id: str, labels: dict,
                 header: str = "") -> str:
    """Draw the connectivity divide: per indicator, the members' 10th-90th percentile range, the OIC median
    and the world median, on one axis in the indicators' raw units.

    Parameters
    ----------
    rows : sequence of dict
        Items of ``edition.analysis["divide"]["indicators"]`` with ``code``, ``label`` (translated name),
        optionally ``unit``, and ``oic_p10, oic_p90, oic_median, world_median, oic_max`` (raw units;
        ``None`` allowed).
    language, chart_id : str
        As in :func:`bar_chart`.
    labels : dict
        Translated legend entries: ``range``, ``oic_median``, ``world_median``.
    header : str
        Column header of the indicator names.

    Returns
    -------
    str
        Chart markup as :func:`bar_chart` without a value column; each indicator is a ``<tr class="bar"
        data-key=code>`` row whose ``data-value`` is the OIC median.
    """
    finite = [v for r in rows for v in (r.get("oic_p10"), r.get("oic_p90"), r.get("world_median"),
                                        r.get("oic_median"), r.get("oic_max")) if v is not None]
    ticks = nice_ticks(max(finite, default=1.0))
    axis = Axis(ticks[-1], language in RTL_LANGUAGES)
    out = []
    for r in rows:
        shapes = []
        lo, hi = r.get("oic_p10"), r.get("oic_p90")
        if lo is not None and hi is not None:
            shapes.append(_range(axis, lo, hi) | {"mark": "range"})
        if r.get("oic_median") is not None:
            shapes.append(_circle(axis.x(r["oic_median"]), BAR) | {"mark": "oic_median"})
        if r.get("world_median") is not None:
            shapes.append(_diamond(axis.x(r["world_median"]), HIGHLIGHT) | {"mark": "world_median"})
        out.append({"key": r.get("code", ""), "label": r.get("label") or r.get("code", ""),
                    "note": r.get("unit", ""), "value": r.get("oic_median"), "shapes": shapes})
    legend = [("range", labels["range"]), ("dot", labels["oic_median"]), ("diamond", labels["world_median"])]
    return _chart_html(chart_id=chart_id, kind="divide", language=language, ticks=ticks, rows=out,
                       headers=(header, None), legend=legend, row_height=SPACED_ROW_HEIGHT)


def member_profile_chart(profile, language: str) -> str:
    """Area scores of one member (a :class:`~dtforum.observatory.selectors.MemberProfile`) against the OIC
    median and the best OIC member of each area, recovered as ``score − gap_oic_median`` and
    ``score − gap_oic_best``.

    Returns
    -------
    str
        Chart markup (see :func:`profile_chart`) with ``chart_id = "profile-<ISO3>"``.
    """
    def reference(area, gap: str) -> float | None:
        if area.score is None or area.gaps.get(gap) is None:
            return None
        return area.score - area.gaps[gap]

    with translation.override(language):
        return profile_chart(
            [a.name for a in profile.areas], [a.score for a in profile.areas],
            [reference(a, "gap_oic_median") for a in profile.areas],
            [reference(a, "gap_oic_best") for a in profile.areas],
            language=language, chart_id=f"profile-{profile.iso3}", keys=[a.code for a in profile.areas],
            ranks=[a.rank for a in profile.areas],
            member_label=profile.name, reference_label=_("OIC median"), best_label=_("best OIC member"),
            headers=(_("Thematic area"), _("Score")))


def series_chart(labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], *, language: str,
                 chart_id: str, headers: tuple[str, ...], caption: str = "", digits: int = 3,
                 keys: Sequence[str] | None = None) -> str:
    """Draw two series over the same categories (e.g. a coefficient of variation per year for the members and
    for the world) as a dot and a diamond per row, on one axis from 0.

    Parameters
    ----------
    labels : sequence of str
        Row labels (e.g. years), in display order.
    series : sequence of (str, sequence of float or None)
        One or two ``(legend label, values)``; the first is drawn as dots, the second as diamonds. Each values
        sequence has one value per label (``None``: no mark).
    language, chart_id : str
        As in :func:`bar_chart`.
    headers : tuple of str
        Header of the label column, then one per series (value columns, already translated).
    caption : str
        Text under the chart.
    digits : int
        Decimals of the value columns.
    keys : sequence of str, optional
        ``data-key`` of each row; defaults to ``labels``.

    Returns
    -------
    str
        Chart markup as :func:`bar_chart`; each row's marks carry ``data-mark="s0"``/``"s1"`` and its
        ``data-value`` is the first series' value.

    Raises
    ------
    ValueError
        If there are not one or two series, a series' length differs from ``labels``, or ``headers`` does not have
        one entry per series plus the label column.
    """
    if not 1 <= len(series) <= 2:
        raise ValueError(f"chart {chart_id}: {len(series)} series; expected 1 or 2")
    for name, values in series:
        if len(values) != len(labels):
            raise ValueError(f"chart {chart_id}: series {name!r} has {len(values)} values for {len(labels)} labels")
    if len(headers) != len(series) + 1:
        raise ValueError(f"chart {chart_id}: {len(headers)} headers; expected {len(series) + 1}")
    keys = [str(k) for k in (keys if keys is not None else labels)]
    finite = [v for _, values in series for v in values if v is not None and math.isfinite(v)]
    ticks = nice_ticks(max(finite, default=1.0))
    axis = Axis(ticks[-1], language in RTL_LANGUAGES)
    marks = (lambda x: _circle(x, BAR), lambda x: _diamond(x, HIGHLIGHT))
    rows = []
    for i, (key, label) in enumerate(zip(keys, labels)):
        values = [values[i] for _, values in series]
        shapes = [marks[k](axis.x(v)) | {"mark": f"s{k}"} for k, v in enumerate(values) if v is not None]
        rows.append({"key": key, "label": label, "value": values[0], "values": values, "shapes": shapes})
    legend = [(icon, name) for icon, (name, _) in zip(("dot", "diamond"), series)]
    return _chart_html(chart_id=chart_id, kind="series", language=language, ticks=ticks, rows=rows,
                       headers=headers, legend=legend, caption=caption, digits=digits)


#: Width, height and inner padding of a trend line (sparkline, Tufte 2006, *Beautiful Evidence*, ch. 2), in px.
SPARK_WIDTH = 120
SPARK_HEIGHT = 22
SPARK_PAD = 3


def _spark_path(values: Sequence[float | None], lo: float, hi: float, rtl: bool) -> tuple[str, tuple | None]:
    """SVG path of one line (broken at missing years; a year between two gaps is a zero-length segment, drawn as a
    dot by the round line cap) and the position of its last point."""
    n = len(values)
    inner_w, inner_h = SPARK_WIDTH - 2 * SPARK_PAD, SPARK_HEIGHT - 2 * SPARK_PAD
    parts, last = [], None
    for i, v in enumerate(values):
        if v is None:
            continue
        share = i / (n - 1) if n > 1 else 0.5
        x = round(SPARK_PAD + inner_w * (1 - share if rtl else share), 1)
        y = round(SPARK_PAD + inner_h * (1 - (v - lo) / (hi - lo)), 1)
        joined = i > 0 and values[i - 1] is not None
        parts.append(f"{'L' if joined else 'M'}{x} {y}")
        if not joined and (i == n - 1 or values[i + 1] is None):
            parts.append("h0")
        last = (x, y)
    return "".join(parts), last


def trend_chart(trends, *, language: str, chart_id: str) -> str:
    """Draw a member's trend scores as a table: one row per area and the index, the score of each year and the
    compound annual growth rate as text, and a small line (sparkline) of the years' scores.

    The lines share one vertical scale, from the lowest to the highest score shown rounded outwards to tens, so
    that rows can be compared (stated in the caption); the time axis runs from the first year to the last in the
    reading direction (right to left in Arabic, like the year columns).

    Parameters
    ----------
    trends : MemberTrends
        From :func:`dtforum.observatory.selectors.member_trends`.
    language : str
        ``"en"``, ``"fr"`` or ``"ar"``; numbers formatted per language.
    chart_id : str
        Written as ``data-chart`` on the ``<figure>``.

    Returns
    -------
    str
        ``<figure class="chart" data-chart=…>`` with a ``<table class="chart trend">``; each row is
        ``<tr data-key=area>`` and its line a ``<path data-mark="line">``.
    """
    finite = [v for s in trends.series for v in s.values if v is not None and math.isfinite(v)]
    lo = math.floor(min(finite, default=0.0) / 10) * 10
    hi = math.ceil(max(finite, default=100.0) / 10) * 10
    if hi <= lo:
        hi = lo + 10
    rtl = language in RTL_LANGUAGES
    rows = []
    for s in trends.series:
        values = [v if v is not None and math.isfinite(v) else None for v in s.values]
        path, last = _spark_path(values, lo, hi, rtl)
        rows.append({"key": s.code, "label": s.name, "values": values, "cagr_pct": s.cagr_pct,
                     "path": path, "last": last, "colour": HIGHLIGHT if s.code == "index" else BAR})
    with translation.override(language):
        return render_to_string("observatory/charts/trend.html", {
            "chart_id": chart_id, "years": trends.years, "rows": rows, "width": SPARK_WIDTH,
            "height": SPARK_HEIGHT, "lo": lo, "hi": hi})
