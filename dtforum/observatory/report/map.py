"""Choropleth map of the members' index scores, as SVG, from Natural Earth 110m shapes.

Geometry: the npm package ``world-atlas`` (Natural Earth 1:110m Admin 0 countries as TopoJSON, public
domain; package ISC licence, Mike Bostock), installed at build time by ``npm ci`` into ``node_modules/``.
Countries are keyed by ISO 3166-1 numeric code, mapped to alpha-3 with django-countries. Kosovo has no ISO
numeric code in the file (its ``id`` is empty); it is recognised by name and mapped to the World Bank code
XKX. Northern Cyprus and Somaliland have no code either and stay unkeyed (drawn grey).

TopoJSON decoding follows the TopoJSON Format Specification 1.0 (quantised, delta-encoded arcs; a negative
arc index ``~i`` means arc ``i`` reversed). The projection is equirectangular (plate carrée), clipped to
latitudes 60° S – 84° N where no member lies outside.
"""
from __future__ import annotations

import functools
import json
import logging
from collections.abc import Mapping
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django_countries import countries

from dtforum.observatory.report.formatting import format_number

#: Default location of the shapes after ``npm ci`` in the repository root.
DEFAULT_TOPOLOGY = Path(settings.BASE_DIR) / "node_modules" / "world-atlas" / "countries-110m.json"
#: Sequential colour classes for scores 0-20, 20-40, … 80-100 (ColorBrewer "YlGnBu", 5 classes).
CLASSES = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
NO_SCORE = "#f2c6a0"
OTHER = "#d4d4d4"
_NAMED = {"Kosovo": "XKX"}
_LAT_TOP, _LAT_BOTTOM = 84.0, -60.0


class TopologyError(ValueError):
    """The TopoJSON file is missing or not a world-atlas countries topology."""


def decode_topology(topology: Mapping) -> dict[str, list[list[list[tuple[float, float]]]]]:
    """Decode the ``countries`` object of a TopoJSON topology into polygons keyed by ISO3.

    Parameters
    ----------
    topology : mapping
        Parsed TopoJSON with ``arcs``, optional ``transform`` (``scale``, ``translate``) and
        ``objects.countries.geometries`` (``Polygon``/``MultiPolygon`` with ``id`` = ISO 3166 numeric as
        text and ``properties.name``).

    Returns
    -------
    dict
        ``{iso3: [polygon, …]}``, each polygon a list of rings, each ring a list of ``(lon, lat)`` degrees.
        Geometries whose code django-countries does not know (and that are not named in ``_NAMED``) are
        returned under ``"#<name>"`` so that they are still drawn.

    Raises
    ------
    TopologyError
        If ``objects.countries`` or ``arcs`` is missing, or an arc index is out of range.
    """
    try:
        geometries = topology["objects"]["countries"]["geometries"]
        raw_arcs = topology["arcs"]
    except (KeyError, TypeError) as exc:
        raise TopologyError(f"TopoJSON: expected 'objects.countries.geometries' and 'arcs' ({exc!r} missing)")
    tf = topology.get("transform")
    arcs = []
    for arc in raw_arcs:
        if tf:
            (sx, sy), (tx, ty) = tf["scale"], tf["translate"]
            x = y = 0
            points = []
            for dx, dy, *_ in arc:
                x, y = x + dx, y + dy
                points.append((x * sx + tx, y * sy + ty))
        else:
            points = [(p[0], p[1]) for p in arc]
        arcs.append(points)

    def ring(indexes):
        out: list[tuple[float, float]] = []
        for i in indexes:
            if not -len(arcs) <= (i if i >= 0 else ~i) < len(arcs):
                raise TopologyError(f"TopoJSON: arc index {i} out of range (0..{len(arcs) - 1})")
            points = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(points[1:] if out else points)
        return out

    shapes: dict[str, list] = {}
    for geom in geometries:
        kind = geom.get("type")
        if kind == "Polygon":
            polygons = [geom["arcs"]]
        elif kind == "MultiPolygon":
            polygons = geom["arcs"]
        else:
            continue
        name = (geom.get("properties") or {}).get("name", "")
        code = geom.get("id")
        iso3 = countries.alpha3(int(code)) if code not in (None, "") and str(code).isdigit() else ""
        key = iso3 or _NAMED.get(name) or f"#{name}"
        shapes.setdefault(key, []).extend([ring(r) for r in rings] for rings in polygons)
    return shapes


@functools.lru_cache(maxsize=4)
def load_shapes(path: str | Path = DEFAULT_TOPOLOGY) -> dict:
    """Read and decode a world-atlas TopoJSON file (cached per path).

    Raises
    ------
    TopologyError
        If the file does not exist (with the command that installs it) or is not valid JSON.
    """
    path = Path(path)
    if not path.is_file():
        raise TopologyError(f"{path}: map shapes not found; install them with `npm ci` in the repository root")
    try:
        return decode_topology(json.loads(path.read_text(encoding="utf-8")))
    except json.JSONDecodeError as exc:
        raise TopologyError(f"{path}: not valid JSON ({exc})") from exc


def _project(lon: float, lat: float, width: float) -> tuple[float, float]:
    scale = width / 360.0
    return (lon + 180.0) * scale, (_LAT_TOP - max(min(lat, _LAT_TOP), _LAT_BOTTOM)) * scale


def _path(polygons, width: float) -> str:
    parts = []
    for rings in polygons:
        for r in rings:
            if max(lon for lon, _ in r) - min(lon for lon, _ in r) > 270:
                # A ring crossing the antimeridian (Fiji, Chukotka): draw it whole east of 180°, where the
                # viewport clips it, instead of a stroke across the whole map.
                r = [(lon + 360.0 if lon < 0 else lon, lat) for lon, lat in r]
            pts = [_project(lon, lat, width) for lon, lat in r]
            parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in pts) + "Z")
    return "".join(parts)


def score_class(score: float | None) -> int | None:
    """Return the colour class 0-4 of a 0-100 score (20-point bins, 100 in the top bin), or ``None``."""
    if score is None:
        return None
    return min(int(max(score, 0.0) // 20), 4)


def map_svg(scores: Mapping[str, float | None], names: Mapping[str, str], *, language: str,
            labels: Mapping[str, str], shapes: Mapping | None = None, width: float = 960.0,
            legend: bool = True, titles: Mapping[str, str] | None = None,
            links: Mapping[str, str] | None = None) -> str:
    """Draw the world with members coloured by index score and other countries grey.

    Parameters
    ----------
    scores : mapping
        ``{iso3: index score 0-100 or None}`` for every member; ``None`` = member without a score.
    names : mapping
        ``{iso3: display name}`` for the tooltips (``<title>``) of members.
    language : str
        Numbers in the legend and tooltips are formatted for it; ``"ar"`` mirrors the legend order.
    labels : mapping
        Translated texts: ``title``, ``no_score``, ``not_member``.
    shapes : mapping, optional
        Decoded shapes (:func:`decode_topology`); by default :func:`load_shapes` of ``DEFAULT_TOPOLOGY``.
    width : float
        Width of the SVG user space (height follows the clipped latitude range).
    legend : bool
        Draw the legend inside the SVG; :func:`member_map` draws it in HTML instead (see there).
    titles : mapping, optional
        ``{iso3: tooltip text}``; a member not in it gets ``"<name>: <score>"``.
    links : mapping, optional
        ``{iso3: URL}``; each member listed is wrapped in an SVG ``<a href=… class="member-link">`` (focusable
        by keyboard, its ``<title>`` the link's accessible name, SVG 2 § 17.1 / SVG-AAM 1.0).

    Returns
    -------
    str
        ``<svg class="map" …>``; every member is a ``<path class="member c<k>" data-iso3=…>`` (``c0``-``c4``
        by score class, ``noscore`` without a score); other countries have ``class="other"``. Members absent
        from the shapes (too small for 1:110m, e.g. Bahrain, Comoros, Maldives) are listed in ``data-missing``.
    """
    shapes = load_shapes() if shapes is None else shapes
    height = (_LAT_TOP - _LAT_BOTTOM) * width / 360.0
    legend_h = 40.0
    paths = []
    for key in sorted(shapes):
        if key == "ATA":  # south of the clipped range; would only add a line along 60° S
            continue
        d = _path(shapes[key], width)
        if key in scores:
            k = score_class(scores[key])
            cls = f"member c{k}" if k is not None else "member noscore"
            fill = CLASSES[k] if k is not None else NO_SCORE
            title = (titles or {}).get(key) or f"{names.get(key, key)}: {format_number(scores[key], language)}"
            if links and key in links:
                paths.append(f'<a class="member-link" href={quoteattr(links[key])}><title>{escape(title)}</title>'
                             f'<path class="{cls}" data-iso3={quoteattr(key)} fill="{fill}" d="{d}"/></a>')
            else:
                paths.append(f'<path class="{cls}" data-iso3={quoteattr(key)} fill="{fill}" d="{d}">'
                             f"<title>{escape(title)}</title></path>")
        else:
            paths.append(f'<path class="other" fill="{OTHER}" d="{d}"/>')
    missing = sorted(set(scores) - set(shapes))
    items = legend_items(language, labels)
    if language == "ar":
        items = items[::-1]
    legend_svg = []
    step = width / len(items)
    for i, (colour, text) in enumerate(items if legend else []):
        x = i * step + 10
        legend_svg.append(f'<rect x="{x:.0f}" y="{height + 12:.0f}" width="18" height="12" fill="{colour}" '
                      f'stroke="#888" stroke-width="0.5"/><text x="{x + 24:.0f}" y="{height + 22:.0f}" '
                      f'font-size="13">{escape(text)}</text>')
    title = escape(labels.get("title", ""))
    legend_h = legend_h if legend else 0.0
    return (f'<svg class="map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} '
            f'{height + legend_h:.0f}" role="img" aria-label="{title}" style="direction: ltr" '
            f'data-missing="{" ".join(missing)}"><title>{title}</title>'
            f'<g stroke="#ffffff" stroke-width="0.4">{"".join(paths)}</g>{"".join(legend_svg)}</svg>')


def legend_items(language: str, labels: Mapping[str, str]) -> list[tuple[str, str]]:
    """Legend of the map as ``(colour, text)``: the five score classes, then "no score" and "not a member"."""
    items = [(CLASSES[k], f"{format_number(20 * k, language, 0)}\u2013{format_number(20 * k + 20, language, 0)}")
             for k in range(5)]
    return items + [(NO_SCORE, labels.get("no_score", "")), (OTHER, labels.get("not_member", ""))]


def member_map(ranking, language: str, shapes: Mapping | None = None, *, links: bool = False) -> str | None:
    """Map of a ranking (rows with ``iso3``, ``name``, ``score``, ``rank``) with translated labels and
    tooltips (name, index score, rank among the ranked members).

    Parameters
    ----------
    ranking : sequence of RankingRow
        From :func:`dtforum.observatory.selectors.edition_ranking`.
    language : str
        Active language; the caller activates it (labels use gettext).
    shapes : mapping, optional
        Decoded shapes; default: the installed world-atlas file.
    links : bool
        Make each member a link to its page (``/<language>/countries/<ISO3>/``), for the web pages; the PDF
        report leaves them out.

    Returns
    -------
    str or None
        SVG markup followed by an HTML legend (``<ul class="map-legend">``), or ``None`` when the shapes are not installed (logged as a warning, so pages and the
        report still render without the map).
    """
    from django.utils.translation import gettext as _

    labels = {"title": _("Digital Transformation Index score of the OIC member states"),
              "no_score": _("member, no score"), "not_member": _("not a member")}
    ranked = sum(r.rank is not None for r in ranking)
    titles = {r.iso3: (_("%(name)s: index score %(score)s, rank %(rank)s of %(n)s") % {
        "name": r.name, "score": format_number(r.score, language), "rank": format_number(r.rank, language, 0),
        "n": format_number(ranked, language, 0)}
        if r.score is not None and r.rank is not None else f"{r.name}: {labels['no_score']}") for r in ranking}
    hrefs = None
    if links:
        from django.urls import reverse
        from django.utils import translation

        with translation.override(language):
            hrefs = {r.iso3: reverse("observatory:country", args=[r.iso3]) for r in ranking}
    try:
        svg = map_svg({r.iso3: r.score for r in ranking}, {r.iso3: r.name for r in ranking},
                      language=language, shapes=shapes, labels=labels, legend=False, titles=titles, links=hrefs)
    except TopologyError as exc:
        logging.getLogger(__name__).warning("map left out: %s", exc)
        return None
    # The legend is HTML, not SVG text: WeasyPrint lays out SVG text letter by letter, which breaks Arabic.
    legend = "".join(f'<li><span class="swatch" style="background:{colour}"></span>{escape(text)}</li>'
                     for colour, text in legend_items(language, labels))
    return f'{svg}<ul class="map-legend">{legend}</ul>'
