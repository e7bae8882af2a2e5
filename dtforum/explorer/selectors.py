"""Read side of the explorer pages: indicator series, comparisons and the framework as readers see it.

Nothing here writes. Names come in the page's language (falling back to English, then the code); values are
raw floats (``None`` where missing) and are formatted in the templates and scripts. Terms follow the OECD/JRC
Handbook on Constructing Composite Indicators (2008): *area* = pillar, *index* = aggregate of the areas.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from dtforum.members.models import Economy
from dtforum.observatory import selectors as obs
from dtforum.observatory.ingest.parsing import ascii_digits
from dtforum.observatory.models import Edition, Indicator, Observation, Source

#: Members a comparison accepts (issue 4: "a comparison of 2 to 5 members").
COMPARE_MIN, COMPARE_MAX = 2, 5
#: Years shown by default in the explorer: the ten years up to the edition's reference year.
DEFAULT_SPAN = 10


class QueryError(ValueError):
    """A page's query string cannot be used: ``str(error)`` is a message in the active language.

    Attributes
    ----------
    field : str
        The query parameter at fault.
    """

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def _name(economy: Economy, language: str) -> str:
    return getattr(economy, f"name_{language}", "") or economy.name_en


def economies(language: str) -> list[dict]:
    """Members and comparison economies a visitor can pick, members first, by name in ``language``.

    Returns
    -------
    list of dict
        Keys ``iso3, name, kind`` (``member`` or ``comparison``).
    """
    rows = Economy.objects.filter(kind__in=[Economy.Kind.MEMBER, Economy.Kind.COMPARISON])
    out = [{"iso3": e.iso3, "name": _name(e, language), "kind": e.kind} for e in rows]
    return sorted(out, key=lambda r: (r["kind"] != Economy.Kind.MEMBER, r["name"]))


def indicator_options(edition: Edition, language: str) -> list[dict]:
    """The framework's indicators grouped for a ``<select>``: area name, code, name, unit and source code."""
    return [{"area": a.name, "code": i["code"], "name": i["name"], "unit": i["unit"], "source": i["source"]}
            for a in obs.framework_areas(edition, language) for i in a.indicators]


def _int_param(params, name: str, low: int, high: int) -> int | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = int(ascii_digits(raw))
    except ValueError:
        raise QueryError(name, _("“%(value)s” is not a year; enter a year such as 2022.") % {"value": raw}) from None
    if not low <= value <= high:
        raise QueryError(name, _("Year %(value)s is out of range: data run from %(low)s to %(high)s.")
                         % {"value": value, "low": low, "high": high})
    return value


def _codes(params, name: str) -> list[str]:
    """``?countries=EGY,TUR`` and ``?countries=EGY&countries=TUR`` alike, upper-cased, order kept."""
    values = params.getlist(name) if hasattr(params, "getlist") else [params.get(name, "")]
    codes = [c.strip().upper() for v in values for c in (v or "").split(",") if c.strip()]
    return list(dict.fromkeys(codes))


@dataclass
class Series:
    """One indicator's observations for the chosen economies and years, as the explorer shows them.

    Attributes
    ----------
    indicator : dict
        ``code, name, unit, source`` (the framework's source of the indicator).
    years : list of int
        Years with at least one value, ascending.
    bar_year : int or None
        Year of the bar chart (the latest year with data unless asked).
    rows : list of dict
        One per economy: ``iso3, name, kind, values`` (list aligned on ``years``, ``None`` where missing),
        ``bar`` (value in ``bar_year``) and ``flags`` (publisher markers by year).
    year_from, year_to : int
        The range applied.
    countries : list of str
        The ISO3 codes applied.
    """

    indicator: dict
    years: list
    bar_year: int | None
    rows: list
    year_from: int
    year_to: int
    countries: list = field(default_factory=list)


def year_bounds() -> tuple[int, int]:
    """First and last year of any stored observation (``(2000, 2024)`` style); ``(reference, reference)`` if none."""
    from django.db.models import Max, Min

    agg = Observation.objects.aggregate(lo=Min("year"), hi=Max("year"))
    return agg["lo"] or 1990, agg["hi"] or 2024


def indicator_series(edition: Edition, params, language: str) -> Series:
    """The explorer's data: observations of one framework indicator for economies and a year range.

    Parameters
    ----------
    edition : Edition
        Its framework lists the indicators and the source used for each.
    params : QueryDict or dict
        ``indicator`` (code; default the framework's first), ``countries`` (ISO3 codes, comma-separated or
        repeated; default every member), ``year_from``/``year_to`` (default the :data:`DEFAULT_SPAN` years to the
        reference year, clipped to the stored years), ``year`` (bar chart year; default the latest with data).
    language : str

    Returns
    -------
    Series

    Raises
    ------
    QueryError
        Unknown indicator (not in the framework), unknown or aggregate ISO3 code, a year that is not a number or
        out of the stored range, ``year_from`` after ``year_to``.
    """
    options = {o["code"]: o for o in indicator_options(edition, language)}
    code = (params.get("indicator") or "").strip() or next(iter(options), "")
    if code not in options:
        raise QueryError("indicator", _("Unknown indicator “%(code)s”: choose one of the framework's indicators.")
                         % {"code": code})
    lo, hi = year_bounds()
    year_from = _int_param(params, "year_from", lo, hi) or max(lo, edition.reference_year - DEFAULT_SPAN)
    year_to = _int_param(params, "year_to", lo, hi) or min(hi, edition.reference_year)
    if year_from > year_to:
        raise QueryError("year_from", _("The first year (%(a)s) is after the last year (%(b)s).")
                         % {"a": year_from, "b": year_to})
    bar_year = _int_param(params, "year", lo, hi)
    pickable = {e["iso3"]: e for e in economies(language)}
    countries = _codes(params, "countries")
    unknown = [c for c in countries if c not in pickable]
    if unknown:
        raise QueryError("countries", _("Unknown country code(s): %(codes)s. Use ISO3 codes of members or "
                                        "comparison economies, such as EGY or TUR.") % {"codes": ", ".join(unknown)})
    if not countries:
        countries = [c for c, e in pickable.items() if e["kind"] == Economy.Kind.MEMBER]
    option = options[code]
    qs = Observation.objects.filter(indicator__code=code, economy__iso3__in=countries,
                                    year__gte=year_from, year__lte=year_to)
    source = option["source"] or Indicator.objects.filter(code=code).values_list("source__code", flat=True).first()
    if source:
        qs = qs.filter(source__code=source)
    values: dict[str, dict[int, float]] = {}
    flags: dict[str, dict[int, str]] = {}
    for iso3, year, value, flag in qs.values_list("economy__iso3", "year", "value", "flags"):
        values.setdefault(iso3, {})[year] = value
        if flag:
            flags.setdefault(iso3, {})[year] = flag
    years = sorted({y for v in values.values() for y in v})
    if bar_year is None:
        bar_year = years[-1] if years else None
    rows = [{"iso3": iso3, "name": pickable[iso3]["name"], "kind": pickable[iso3]["kind"],
             "values": [values.get(iso3, {}).get(y) for y in years],
             "bar": values.get(iso3, {}).get(bar_year), "flags": flags.get(iso3, {})}
            for iso3 in countries]
    rows.sort(key=lambda r: r["name"])
    indicator = {"code": code, "name": option["name"], "unit": option["unit"], "source": source or ""}
    return Series(indicator, years, bar_year, rows, year_from, year_to, countries)


def compare_codes(params) -> list[str]:
    """The ISO3 codes of a comparison, validated: 2 to 5 distinct OIC members.

    Raises
    ------
    QueryError
        Fewer than 2 or more than 5 codes, an unknown code, a code that is not a member.
    """
    codes = _codes(params, "countries")
    if not COMPARE_MIN <= len(codes) <= COMPARE_MAX:
        raise QueryError("countries", _("Choose from %(min)s to %(max)s member states to compare (you chose "
                                        "%(n)s).") % {"min": COMPARE_MIN, "max": COMPARE_MAX, "n": len(codes)})
    kinds = dict(Economy.objects.filter(iso3__in=codes).values_list("iso3", "kind"))
    unknown = [c for c in codes if c not in kinds]
    if unknown:
        raise QueryError("countries", _("Unknown country code(s): %(codes)s.") % {"codes": ", ".join(unknown)})
    outside = [c for c in codes if kinds[c] != Economy.Kind.MEMBER]
    if outside:
        raise QueryError("countries", _("Not OIC member states: %(codes)s. Only members have index scores.")
                         % {"codes": ", ".join(outside)})
    return codes


def comparison(edition: Edition, codes: list[str], language: str) -> dict:
    """Area scores and indicator values of 2-5 members side by side.

    Parameters
    ----------
    edition : Edition
    codes : list of str
        Validated by :func:`compare_codes`.
    language : str

    Returns
    -------
    dict
        ``profiles`` (list of :class:`~dtforum.observatory.selectors.MemberProfile`, in ``codes`` order),
        ``areas`` (list of ``{code, name, scores: [score per member], ranks: [...]}``, the index first) and
        ``indicators`` (list of ``{code, name, area_name, unit, cells: [IndicatorLine or None per member]}``).
    """
    profiles = [obs.member_profile(edition, c, language) for c in codes]
    areas = []
    for k, level in enumerate(([p.index for p in profiles],) + tuple(
            [p.areas[j] for p in profiles] for j in range(len(profiles[0].areas)))):
        first = next((s for s in level if s is not None), None)
        areas.append({"code": first.code if first else "index", "name": first.name if first else _("Index"),
                      "is_index": k == 0, "scores": [s.score if s else None for s in level],
                      "ranks": [s.rank if s else None for s in level]})
    lines: dict[str, dict] = {}
    for n, p in enumerate(profiles):
        for line in p.indicators:
            entry = lines.setdefault(line.code, {"code": line.code, "name": line.name, "area_name": line.area_name,
                                                 "unit": line.unit, "cells": [None] * len(profiles)})
            entry["cells"][n] = line
    return {"profiles": profiles, "areas": areas, "indicators": list(lines.values())}


def methodology(edition: Edition, language: str) -> dict:
    """The framework as the methodology page shows it: areas, indicators with definition, source and licence.

    Returns
    -------
    dict
        ``areas`` (list of :class:`~dtforum.observatory.selectors.AreaInfo` with each indicator dict extended by
        ``definition`` (the stored indicator's description), ``publisher``, ``title``, ``licence``, ``url``,
        ``vintage`` of its source), ``stages`` (the framework's ``stages`` mapping as stored), ``window``,
        ``coverage`` and ``reference_year``.
    """
    areas = obs.framework_areas(edition, language)
    codes = [i["code"] for a in areas for i in a.indicators]
    stored = {i.code: i for i in Indicator.objects.filter(code__in=codes).select_related("source")}
    sources = {s.code: s for s in Source.objects.filter(code__in=[i["source"] for a in areas for i in a.indicators])}
    out = []
    for a in areas:
        inds = []
        for i in a.indicators:
            row = dict(i)
            ind = stored.get(i["code"])
            src = sources.get(i["source"]) or (ind.source if ind else None)
            row.update({"definition": ind.description if ind else "",
                        "publisher": src.publisher if src else "", "title": src.title if src else "",
                        "licence": src.licence if src else "", "url": src.url if src else "",
                        "vintage": src.vintage if src else ""})
            inds.append(row)
        out.append({"code": a.code, "name": a.name, "weight": a.weight, "indicators": inds})
    m = edition.methodology or {}
    return {"areas": out, "stages": m.get("stages", {}), "window": m.get("window"),
            "coverage": m.get("coverage", {}), "reference_year": edition.reference_year}
