"""Pages of the explorer: indicator explorer, comparison of members, methodology, what-if (ar/en/fr).

Views are thin: data from :mod:`dtforum.explorer.selectors` and :mod:`dtforum.explorer.whatif`. A query the
page cannot use answers 400 with the page and a message in its language (never 500); without a computed edition
the observatory's "no edition yet" page is shown. Charts are drawn in the browser by ``explorer/explorer.js``
(Chart.js, served from our static files) from the JSON embedded in the page; every chart has its data table.
"""
from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.shortcuts import render
from django.urls import reverse, translate_url
from django.utils.translation import get_language

from dtforum.explorer import selectors, whatif
from dtforum.members.countries import CountryResolver
from dtforum.observatory import selectors as obs
from dtforum.observatory.opendata import FORMATS


def _context(request) -> dict:
    """Language switcher links that keep the page and its query (``/ar/explore/?indicator=…``)."""
    current = _lang()
    links = [{"code": code, "name": LANG_INFO[code]["name_local"], "current": code == current,
              "url": translate_url(request.get_full_path(), code)} for code, _ in settings.LANGUAGES]
    return {"language_links": links, "lang": current}


def _lang() -> str:
    return (get_language() or settings.LANGUAGE_CODE)[:2]


def _no_edition(request):
    return render(request, "observatory/no_edition.html", _context(request))


def explore(request):
    """Indicator explorer: ``?indicator=&countries=&year_from=&year_to=&year=`` → line and bar charts, table.

    Downloads (CSV/XLSX/JSON) are the API's observation downloads with the same filters.
    """
    edition = obs.latest_edition()
    if edition is None:
        return _no_edition(request)
    lang = _lang()
    context = _context(request) | {"edition": edition, "options": selectors.indicator_options(edition, lang),
                                   "economies": selectors.economies(lang)}
    try:
        series = selectors.indicator_series(edition, request.GET, lang)
    except selectors.QueryError as exc:
        return render(request, "explorer/explore.html", context | {"error": str(exc), "field": exc.field},
                      status=400)
    resolver = CountryResolver.default()
    chart = {"years": series.years, "bar_year": series.bar_year, "unit": series.indicator["unit"],
             "title": series.indicator["name"],
             "rows": [{"iso3": r["iso3"], "name": r["name"], "values": r["values"], "bar": r["bar"],
                       "m49": f"{resolver.m49(r['iso3']):03d}" if resolver.m49(r["iso3"]) else None}
                      for r in series.rows]}
    query = {"country": ",".join(series.countries), "year_from": series.year_from, "year_to": series.year_to}
    base = reverse("api:download-observations", args=[series.indicator["code"], "FMT"])
    downloads = [(fmt.upper(), base.replace("FMT", fmt) + "?" + urlencode(query)) for fmt in ("csv", "xlsx", "json")]
    return render(request, "explorer/explore.html", context | {
        "series": series, "chart": chart, "downloads": downloads, "selected": set(series.countries)})


def compare(request):
    """Comparison of 2-5 members (``?countries=JOR,EGY``): area scores as bar and radar charts, tables.

    Each table links to its download (CSV/XLSX/JSON), the API's comparison downloads for the same members.
    """
    edition = obs.latest_edition()
    if edition is None:
        return _no_edition(request)
    lang = _lang()
    members = [e for e in selectors.economies(lang) if e["kind"] == "member"]
    context = _context(request) | {"edition": edition, "members": members}
    if not request.GET.get("countries"):
        return render(request, "explorer/compare.html", context | {"selected": set()})
    try:
        codes = selectors.compare_codes(request.GET)
    except selectors.QueryError as exc:
        return render(request, "explorer/compare.html", context | {"error": str(exc), "selected": set()}, status=400)
    data = selectors.comparison(edition, codes, lang)
    chart = {"labels": [a["name"] for a in data["areas"] if not a["is_index"]],
             "series": [{"name": p.name, "values": [a["scores"][n] for a in data["areas"] if not a["is_index"]]}
                        for n, p in enumerate(data["profiles"])]}
    query = "?" + urlencode({"countries": ",".join(codes), "edition": edition.code}, safe=",")
    downloads = {table: [(fmt, reverse(f"api:download-compare-{table}", args=[fmt]) + query) for fmt in FORMATS]
                 for table in ("scores", "indicators")}
    return render(request, "explorer/compare.html", context | {"data": data, "chart": chart, "selected": set(codes),
                                                               "downloads": downloads})


def methodology(request):
    """The framework of the latest edition: areas, indicators (definition, unit, direction, source, licence), stages."""
    edition = obs.latest_edition()
    if edition is None:
        return _no_edition(request)
    return render(request, "explorer/methodology.html", _context(request) | {
        "edition": edition, "m": selectors.methodology(edition, _lang())})


def what_if_page(request):
    """What-if: area weights from ``?w_<area>=`` → new scores and ranks (script updates them as weights change).

    A bad weight (``-1``, ``abc``) answers 400 with the form and the message in the page's language.
    """
    edition = obs.latest_edition()
    if edition is None:
        return _no_edition(request)
    lang = _lang()
    areas = obs.framework_areas(edition, lang)
    names = {r.iso3: r.name for r in obs.edition_ranking(edition, obs.INDEX, lang)}
    inputs = [{"code": a.code, "name": a.name, "value": request.GET.get(f"w_{a.code}", ""), "default": a.weight}
              for a in areas]
    context = _context(request) | {"edition": edition, "areas": areas, "inputs": inputs, "names": names,
                                   "api_url": reverse("api:edition-what-if", args=[edition.code]),
                                   "min_weight": whatif.MIN_WEIGHT, "max_weight": whatif.MAX_WEIGHT}
    weights, errors = {}, []
    for item in inputs:
        if item["value"].strip():
            try:
                weights[item["code"]] = whatif.parse_weight(item["value"], item["code"], item["name"])
            except whatif.WeightError as exc:
                errors.append(str(exc))
                item["invalid"] = True
    if not errors:
        try:
            used, rows = whatif.run_what_if(edition, weights)
        except whatif.WeightError as exc:
            errors.append(str(exc))
        except whatif.WhatIfUnavailable as exc:
            return render(request, "explorer/what_if.html", context | {"errors": [str(exc)]}, status=503)
    if errors:
        return render(request, "explorer/what_if.html", context | {"errors": errors}, status=400)
    for row in rows:
        row.name = names.get(row.iso3, row.iso3)
    return render(request, "explorer/what_if.html", context | {
        "rows": rows, "used": used, "noise": int(whatif.INTERVAL_NOISE * 100),
        "replications": whatif.INTERVAL_REPLICATIONS})
