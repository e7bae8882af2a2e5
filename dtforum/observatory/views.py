"""Pages of the observatory: the ranking (home) and one profile per member state, in ar/en/fr.

Views are thin: data comes from :mod:`dtforum.observatory.selectors`, the map from
:mod:`dtforum.observatory.report.map`. Unknown or non-member codes answer 404 with a message in the page's
language (rendered here, so the message is the same with DEBUG on or off).
"""
from __future__ import annotations

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.shortcuts import render
from django.urls import translate_url
from django.utils.translation import get_language

from dtforum.observatory import selectors
from dtforum.observatory.report.charts import member_profile_chart
from dtforum.observatory.report.map import member_map


def _base_context(request) -> dict:
    """Language switcher links that keep the current page (``/ar/countries/EGY/`` ↔ ``/fr/countries/EGY/``)."""
    current = (get_language() or settings.LANGUAGE_CODE)[:2]
    links = [{"code": code, "name": LANG_INFO[code]["name_local"], "current": code == current,
              "url": translate_url(request.get_full_path(), code)} for code, _ in settings.LANGUAGES]
    return {"language_links": links}


def _no_edition(request):
    return render(request, "observatory/no_edition.html", _base_context(request))


def home(request):
    """Ranking of the latest edition with area scores, map of members and a link per member.

    Renders ``observatory/no_edition.html`` (HTTP 200) when no edition has been computed yet.
    """
    edition = selectors.latest_edition()
    if edition is None:
        return _no_edition(request)
    lang = (get_language() or "en")[:2]
    ranking = selectors.edition_ranking(edition, selectors.INDEX, lang)
    context = _base_context(request) | {
        "edition": edition,
        "areas": selectors.framework_areas(edition, lang),
        "ranking": ranking,
        "summary": selectors.summarise_ranking(ranking),
        "map_svg": member_map(ranking, lang),
    }
    return render(request, "observatory/home.html", context)


def country(request, iso3: str):
    """Profile of one member state in the latest edition; 404 page for unknown or non-member codes."""
    edition = selectors.latest_edition()
    if edition is None:
        return _no_edition(request)
    lang = (get_language() or "en")[:2]
    try:
        profile = selectors.member_profile(edition, iso3, lang)
    except selectors.ProfileNotFound as exc:
        context = _base_context(request) | {"code": exc.iso3, "reason": exc.reason}
        return render(request, "observatory/not_found.html", context, status=404)
    context = _base_context(request) | {
        "edition": edition, "p": profile,
        "profile_chart": member_profile_chart(profile, lang) if profile.index else None,
    }
    return render(request, "observatory/country.html", context)
