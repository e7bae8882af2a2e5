"""Reads of the API: editions, economies and country profiles, with 404s that say what exists."""
from __future__ import annotations

import io
import json
import zipfile

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from rest_framework.exceptions import NotFound

from dtforum.core.i18n import localised
from dtforum.members.models import Economy
from dtforum.observatory import opendata
from dtforum.observatory.models import Edition, Indicator, IndicatorResult, Score


def pick(names, language: str, fallback: str = "") -> str:
    """The ``language`` entry of a ``{"en": ..., "fr": ..., "ar": ...}`` mapping, else English, else fallback."""
    if not isinstance(names, dict):
        return names or fallback
    return names.get(language) or names.get("en") or fallback


def computed_editions():
    """Editions that have been computed (``computed_at`` set), newest reference year first."""
    return Edition.objects.exclude(computed_at=None).order_by("-reference_year", "-code")


def get_edition(code: str | None) -> Edition:
    """The computed edition ``code``, or the newest one when ``code`` is ``None``.

    Raises
    ------
    rest_framework.exceptions.NotFound
        When no such computed edition exists; the message lists the editions that do.
    """
    qs = computed_editions()
    if code is None:
        edition = qs.first()
        if edition is None:
            raise NotFound(_("no edition of the index has been computed yet"))
        return edition
    edition = qs.filter(code=code).first()
    if edition is None:
        known = ", ".join(qs.values_list("code", flat=True)) or pgettext("editions available", "none")
        raise NotFound(_("no computed edition %(code)s; editions available: %(known)s")
                       % {"code": repr(code), "known": known})
    return edition


def get_economy(iso3: str) -> Economy:
    """The economy with ISO3 code ``iso3`` (case-insensitive).

    Raises
    ------
    rest_framework.exceptions.NotFound
        When the code is not an economy of the observatory.
    """
    economy = Economy.objects.filter(iso3=iso3.upper()).first()
    if economy is None:
        raise NotFound(_("no economy with ISO3 code %(code)s (expected an ISO 3166-1 alpha-3 code such as EGY)")
                       % {"code": repr(iso3)})
    return economy


def get_member(iso3: str) -> Economy:
    """Like :func:`get_economy`, but only OIC member states have profiles (404 otherwise)."""
    economy = get_economy(iso3)
    if economy.kind != Economy.Kind.MEMBER:
        name = localised(economy, "name")
        raise NotFound(_("%(name)s (%(iso3)s) is not an OIC member state: profiles exist for the 57 members only")
                       % {"name": name, "iso3": economy.iso3})
    return economy


def get_indicator(code: str) -> Indicator:
    """The indicator ``code`` (exact, e.g. ``IT.NET.USER.ZS``); 404 naming the code otherwise."""
    indicator = Indicator.objects.select_related("source").filter(code=code).first()
    if indicator is None:
        raise NotFound(_("no indicator with code %(code)s; the list is at /api/v1/indicators/") % {"code": repr(code)})
    return indicator


def area_names(edition: Edition, language: str) -> dict[str, str]:
    """Area code → name in ``language`` for the framework of ``edition`` (and ``index``)."""
    names = {a["code"]: pick(a.get("name"), language, a["code"]) for a in edition.methodology.get("areas", [])}
    names[opendata.INDEX_AREA] = {"ar": "مؤشر التحول الرقمي", "fr": "Indice de transformation numérique"}.get(
        language, "Digital Transformation Index")
    return names


def ranked_counts(edition: Edition) -> dict[str, int]:
    """Area → number of ranked members, so that a rank reads "3 of 56"."""
    counts: dict[str, int] = {}
    for area in Score.objects.filter(edition=edition).exclude(rank=None).values_list("area", flat=True):
        counts[area] = counts.get(area, 0) + 1
    return counts


def country_profile(edition: Edition, economy: Economy, language: str) -> dict:
    """A member's profile in ``edition``: scores by area with ranks and gaps, and every indicator value.

    Parameters
    ----------
    edition : Edition
    economy : Economy
        An OIC member state.
    language : str
        ``en``, ``fr`` or ``ar``: language of the ``name`` fields.

    Returns
    -------
    dict
        ``iso3, name, names, oic_group, income_group, edition, reference_year, scores[], indicators[],
        licence, attribution, sources[]``; scores in framework order with the index first; indicator
        ``flag`` as in :func:`dtforum.observatory.opendata.value_flag`.
    """
    names = area_names(edition, language)
    order = {code: n for n, code in enumerate([opendata.INDEX_AREA] + opendata.area_codes(edition)[:-1])}
    counts = ranked_counts(edition)
    scores = sorted(Score.objects.filter(edition=edition, economy=economy), key=lambda s: order.get(s.area, 99))
    framework = {i["code"]: i for a in edition.methodology.get("areas", []) for i in a.get("indicators", [])}
    results = list(IndicatorResult.objects.filter(edition=edition, economy=economy)
                   .select_related("indicator", "indicator__source").order_by("area", "indicator__code"))
    estimated = opendata.estimated_keys(results)
    sources = opendata.edition_sources(edition)
    return {
        "iso3": economy.iso3, "name": getattr(economy, f"name_{language}", "") or economy.name_en,
        "names": {"en": economy.name_en, "fr": economy.name_fr, "ar": economy.name_ar},
        "oic_group": economy.oic_group, "income_group": economy.income_group,
        "edition": edition.code, "reference_year": edition.reference_year,
        "scores": [{
            "area": s.area, "name": names.get(s.area, s.area), "score": s.score, "rank": s.rank,
            "ranked": counts.get(s.area, 0), "tier": s.tier,
            "gaps": {"oic_median": s.gap_oic_median, "oic_best": s.gap_oic_best,
                     "income_median": s.gap_income_median, "group_median": s.gap_group_median,
                     "world_median": s.gap_world_median},
        } for s in scores],
        "indicators": [{
            "code": r.indicator.code, "area": r.area,
            "name": pick(framework.get(r.indicator.code, {}).get("name"), language, r.indicator.name),
            "value": r.raw_value, "unit": framework.get(r.indicator.code, {}).get("unit") or r.indicator.unit,
            "year": r.source_year, "flag": opendata.value_flag(r, estimated), "treated": r.treated,
            "normalised_value": r.normalised_value,
            "source": r.indicator.source.code if r.indicator.source else None,
            "licence": r.indicator.source.licence if r.indicator.source else None,
        } for r in results],
        "licence": opendata.RESULTS_LICENCE,
        "attribution": opendata.attribution(sources),
        "sources": [opendata.source_descriptor(s) for s in sources],
    }


def has_uncertainty(edition: Edition) -> bool:
    """True once the robustness step has stored rank intervals (a ``median_rank``) on the edition's scores."""
    return Score.objects.filter(edition=edition).exclude(median_rank=None).exists()


def uncertainty_rows(edition: Edition, language: str = "en", areas: list[str] | None = None,
                     countries: list[str] | None = None) -> list[dict]:
    """Rank intervals of the uncertainty analysis (OECD/JRC Handbook 2008, Step 7), one row per member and area.

    Read from the :class:`~dtforum.observatory.models.Score` rows, where
    :func:`dtforum.observatory.robustness.analyse_robustness` stores them.

    Parameters
    ----------
    edition : Edition
    language : str
        ``en``, ``fr`` or ``ar``: language of ``name``.
    areas, countries : list of str, optional
        Keep only these area codes (``index`` included) and ISO3 codes.

    Returns
    -------
    list of dict
        ``iso3, name, area, nominal_rank, median_rank, rank_q05, rank_q95`` (ranks: 1 = best; the median and
        the 5 % and 95 % quantiles over the Monte Carlo replications; ``None`` where the member has no score),
        in framework order of areas (the index last), then nominal rank (unranked last), then ISO3.
    """
    return [{"iso3": s.economy.iso3, "name": getattr(s.economy, f"name_{language}", "") or s.economy.name_en,
             "area": s.area, **_interval(s)} for s in _uncertainty_scores(edition, areas, countries)]


def _uncertainty_scores(edition: Edition, areas: list[str] | None = None, countries: list[str] | None = None):
    """The edition's Score rows (economy joined), filtered and in the order of :func:`uncertainty_rows`."""
    qs = Score.objects.filter(edition=edition).select_related("economy")
    if areas:
        qs = qs.filter(area__in=areas)
    if countries:
        qs = qs.filter(economy__iso3__in=countries)
    order = {code: n for n, code in enumerate(opendata.area_codes(edition))}
    return sorted(qs, key=lambda s: (order.get(s.area, len(order)), s.rank is None, s.rank or 0, s.economy.iso3))


def _interval(score: Score) -> dict:
    return {"nominal_rank": score.rank, "median_rank": score.median_rank, "rank_q05": score.rank_q05,
            "rank_q95": score.rank_q95}


def uncertainty_table(edition: Edition) -> opendata.Table:
    """The rank intervals of ``edition`` as an open-data table (download and data-package resource).

    Parameters
    ----------
    edition : Edition

    Returns
    -------
    dtforum.observatory.opendata.Table
        Named ``uncertainty``, the rows of :func:`uncertainty_rows` with the names in three languages; no rows
        when no interval is stored (:func:`has_uncertainty` is false). The description carries the method,
        replications and seed from ``Edition.recipe["uncertainty"]``.
    """
    rows = [{"iso3": s.economy.iso3, "name_en": s.economy.name_en, "name_fr": s.economy.name_fr,
             "name_ar": s.economy.name_ar, "area": s.area, **_interval(s)}
            for s in (_uncertainty_scores(edition) if has_uncertainty(edition) else [])]
    recipe = (edition.recipe or {}).get("uncertainty") or {}
    method = "; ".join(f"{key} {recipe[key]}" for key in ("method", "n_rep", "seed", "quantiles") if key in recipe)
    rank = "rank among the members over the Monte Carlo replications (1 = best; empty: no score)"
    return opendata.Table(
        "uncertainty", f"Rank intervals, edition {edition.code}",
        f"Digital Transformation Index {edition.code}: published rank, median rank and 5-95 % rank interval of "
        f"each member by thematic area and for the index under the uncertainty analysis "
        f"({method or 'method not recorded'}).", [
            opendata.Field("iso3", "string", "member state", {"required": True}),
            opendata.Field("name_en", "string", "name in English"),
            opendata.Field("name_fr", "string", "name in French"),
            opendata.Field("name_ar", "string", "name in Arabic"),
            opendata.Field("area", "string", "thematic area, or index", {"required": True}),
            opendata.Field("nominal_rank", "integer", "published competition rank (empty: unranked)", {"minimum": 1}),
            opendata.Field("median_rank", "number", "median " + rank),
            opendata.Field("rank_q05", "number", "5th percentile of the " + rank),
            opendata.Field("rank_q95", "number", "95th percentile of the " + rank),
        ], rows, ["iso3", "area"], [
            {"fields": "iso3", "reference": {"resource": "economies", "fields": "iso3"}},
            {"fields": "area", "reference": {"resource": "areas", "fields": "area"}},
        ], opendata.edition_sources(edition))


def datapackage_zip(edition: Edition) -> bytes:
    """:func:`dtforum.observatory.opendata.datapackage_zip` with the ``uncertainty`` resource once there is one.

    Parameters
    ----------
    edition : Edition

    Returns
    -------
    bytes
        The zip archive: ``datapackage.json``, ``data/<resource>.csv`` and ``README.txt``.
    """
    tables = opendata.edition_tables(edition)
    uncertainty = uncertainty_table(edition)
    if uncertainty.rows:
        tables.append(uncertainty)
    descriptor = opendata.datapackage_descriptor(edition, tables)
    out = io.BytesIO()
    # the same layout as opendata.datapackage_zip, which takes no extra resources
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("datapackage.json", json.dumps(descriptor, ensure_ascii=False, indent=1))
        for t in tables:
            z.writestr(f"data/{t.name}.csv", opendata.to_csv(t, comments=False))
        licence = opendata.RESULTS_LICENCE
        z.writestr("README.txt", f"{descriptor['title']}\n\n{descriptor['description']}\n\nLicence: "
                                 f"{licence['title']} ({licence['path']}).\n{descriptor['attribution']}\n")
    return out.getvalue()


def _members(codes: list[str]) -> list[Economy]:
    found = Economy.objects.in_bulk(codes, field_name="iso3")
    return [found[c] for c in codes]


def compare_scores_table(edition: Edition, codes: list[str]) -> opendata.Table:
    """The compare page's first table as open data: scores and ranks of 2-5 members side by side.

    Parameters
    ----------
    edition : Edition
    codes : list of str
        ISO3 codes of OIC members, validated by :func:`dtforum.explorer.selectors.compare_codes`; their order
        is the order of the columns.

    Returns
    -------
    dtforum.observatory.opendata.Table
        Named ``compare_scores``; one row per level, the index first then the areas in framework order (as on
        the page), with ``area``, the area's names in three languages, then ``score_<ISO3>`` (0-100) and
        ``rank_<ISO3>`` (competition rank among the members) per member; empty where the member has no score.
    """
    members = _members(codes)
    scores = {(s.economy.iso3, s.area): s for s in
              Score.objects.filter(edition=edition, economy__iso3__in=codes).select_related("economy")}
    areas = {r["area"]: r for r in opendata.areas_table(edition).rows}
    order = [opendata.INDEX_AREA] + opendata.area_codes(edition)[:-1]
    rows = []
    for area in order:
        row = {k: areas[area][k] for k in ("area", "name_en", "name_fr", "name_ar")}
        for e in members:
            s = scores.get((e.iso3, area))
            row[f"score_{e.iso3}"] = s.score if s else None
            row[f"rank_{e.iso3}"] = s.rank if s else None
        rows.append(row)
    per_member = [f for e in members for f in (
        opendata.Field(f"score_{e.iso3}", "number", f"score of {e.name_en} ({e.iso3}) on 0-100 (empty: not scored)"),
        opendata.Field(f"rank_{e.iso3}", "integer", f"competition rank of {e.name_en} ({e.iso3}) among the "
                                                    "members (empty: unranked)", {"minimum": 1}))]
    return opendata.Table(
        "compare_scores", f"Comparison of {', '.join(codes)}: scores, edition {edition.code}",
        f"Digital Transformation Index {edition.code}: scores (0-100) and ranks of {', '.join(codes)} side by "
        "side, for the index and each thematic area.", [
            opendata.Field("area", "string", "thematic area, or index", {"required": True}),
            opendata.Field("name_en", "string", "name in English"),
            opendata.Field("name_fr", "string", "name in French"),
            opendata.Field("name_ar", "string", "name in Arabic"),
            *per_member,
        ], rows, ["area"], sources=opendata.edition_sources(edition))


def compare_indicators_table(edition: Edition, codes: list[str]) -> opendata.Table:
    """The compare page's indicators table as open data: each framework indicator's value for 2-5 members.

    Parameters
    ----------
    edition : Edition
    codes : list of str
        ISO3 codes of OIC members, validated by :func:`dtforum.explorer.selectors.compare_codes`.

    Returns
    -------
    dtforum.observatory.opendata.Table
        Named ``compare_indicators``; one row per framework indicator in framework order with ``indicator``,
        ``area``, names in three languages and ``unit``, then per member ``value_<ISO3>`` (selected raw value
        in the unit; empty when imputed or missing), ``year_<ISO3>``, ``flag_<ISO3>`` (as
        :func:`dtforum.observatory.opendata.value_flag`; ``missing`` when the member has no result) and
        ``normalised_<ISO3>`` (0-100, 100 best).
    """
    members = _members(codes)
    results = {(r["iso3"], r["indicator"]): r for r in opendata.indicator_results_table(edition).rows
               if r["iso3"] in codes}
    rows = []
    for f in opendata.framework_table(edition).rows:
        row = {k: f[k] for k in ("indicator", "area", "name_en", "name_fr", "name_ar", "unit")}
        for e in members:
            r = results.get((e.iso3, f["indicator"]), {})
            row.update({f"value_{e.iso3}": r.get("raw_value"), f"year_{e.iso3}": r.get("source_year"),
                        f"flag_{e.iso3}": r.get("flag", "missing"),
                        f"normalised_{e.iso3}": r.get("normalised_value")})
        rows.append(row)
    per_member = [f for e in members for f in (
        opendata.Field(f"value_{e.iso3}", "number", f"value for {e.name_en} ({e.iso3}) in the indicator's unit "
                                                    "(empty when imputed or missing)"),
        opendata.Field(f"year_{e.iso3}", "integer", f"year of the value for {e.iso3}"),
        opendata.Field(f"flag_{e.iso3}", "string", f"flag of the value for {e.iso3}: observed, imputed (by the "
                                                  "edition's method), estimated (by the publisher) or missing",
                       {"enum": ["observed", "imputed", "estimated", "missing"]}),
        opendata.Field(f"normalised_{e.iso3}", "number", f"normalised value for {e.iso3} on 0-100 (100 best)"))]
    return opendata.Table(
        "compare_indicators", f"Comparison of {', '.join(codes)}: indicator values, edition {edition.code}",
        f"Values of the framework indicators of edition {edition.code} for {', '.join(codes)} side by side, with "
        "the year used, the value's flag and the normalised value.", [
            opendata.Field("indicator", "string", "indicator code", {"required": True}),
            opendata.Field("area", "string", "thematic area"),
            opendata.Field("name_en", "string", "name in English"),
            opendata.Field("name_fr", "string", "name in French"),
            opendata.Field("name_ar", "string", "name in Arabic"),
            opendata.Field("unit", "string", "unit of the raw value"),
            *per_member,
        ], rows, ["indicator"], sources=opendata.edition_sources(edition))
