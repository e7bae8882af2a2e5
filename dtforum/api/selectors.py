"""Reads of the API: editions, economies and country profiles, with 404s that say what exists."""
from __future__ import annotations

from rest_framework.exceptions import NotFound

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
            raise NotFound("no edition of the index has been computed yet")
        return edition
    edition = qs.filter(code=code).first()
    if edition is None:
        known = ", ".join(qs.values_list("code", flat=True)) or "none"
        raise NotFound(f"no computed edition {code!r}; editions available: {known}")
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
        raise NotFound(f"no economy with ISO3 code {iso3!r} (expected an ISO 3166-1 alpha-3 code such as EGY)")
    return economy


def get_member(iso3: str) -> Economy:
    """Like :func:`get_economy`, but only OIC member states have profiles (404 otherwise)."""
    economy = get_economy(iso3)
    if economy.kind != Economy.Kind.MEMBER:
        raise NotFound(f"{economy.name_en} ({economy.iso3}) is not an OIC member state: profiles exist for the "
                       "57 members only")
    return economy


def get_indicator(code: str) -> Indicator:
    """The indicator ``code`` (exact, e.g. ``IT.NET.USER.ZS``); 404 naming the code otherwise."""
    indicator = Indicator.objects.select_related("source").filter(code=code).first()
    if indicator is None:
        raise NotFound(f"no indicator with code {code!r}; the list is at /api/v1/indicators/")
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
