"""Pages of the observatory: the ranking (home) and one profile per member state, in ar/en/fr.

Views are thin: data comes from :mod:`dtforum.observatory.selectors`, the map from
:mod:`dtforum.observatory.report.map`. Unknown or non-member codes answer 404 with a message in the page's
language (rendered here, so the message is the same with DEBUG on or off).

Speed (issue 4, item 7): an edition never changes once computed (a rebuild gives it a new ``computed_at``), so
the body of each page, the ranking and map of the home page and a member's profile, is rendered once per edition
and language and kept in Django's cache (Redis in production, local memory in development) under
:func:`edition_cache_key`. A request then costs one query (the latest edition) and the page frame (title,
navigation, language switcher, which depend on the request). The map is cached on its own as well, so that a body
evicted from the cache does not redraw it.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.core.cache import cache
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import translate_url
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from dtforum.observatory import selectors
from dtforum.observatory.models import Edition
from dtforum.observatory.report.charts import member_profile_chart, trend_chart
from dtforum.observatory.report.map import member_map

#: Lifetime of a cached page body; keys change with the edition, so this only bounds memory use.
CACHE_SECONDS = getattr(settings, "DTFORUM_PAGE_CACHE_SECONDS", 24 * 3600)
#: Downloads offered under the ranking and on a member's page (formats of ``api:download-scores`` and
#: ``api:download-profile``).
DOWNLOAD_FORMATS = ("csv", "xlsx", "json")
_ISO3 = re.compile(r"^[A-Za-z]{3}$")


def edition_cache_key(edition: Edition, language: str, *parts: str) -> str:
    """Cache key of something rendered from ``edition`` in ``language``.

    Parameters
    ----------
    edition : Edition
        Its code, primary key and ``computed_at`` are in the key, so that recomputing the edition (a new
        ``computed_at``) or replacing it makes every old entry unreachable; nothing needs deleting.
    language : str
        Two-letter language code.
    *parts : str
        What is cached, e.g. ``"home"``, ``"map"``, ``"country", "EGY"`` (ASCII without spaces, as Memcached
        and Redis keys want).

    Returns
    -------
    str
        e.g. ``"observatory:2024:7:2025-01-01T00:00:00+00:00:fr:country:EGY"``.
    """
    stamp = edition.computed_at.isoformat() if edition.computed_at else "-"
    return ":".join(("observatory", edition.code, str(edition.pk), stamp, language, *parts))


def _cached(key: str, build: Callable[[], str | None]) -> SafeString | None:
    """Return the markup cached under ``key``, rendering and storing it with ``build`` when missing."""
    value = cache.get(key)
    if value is None:
        value = build()
        # the map is None when its shapes are not installed: store "" so that it is not retried every request
        cache.set(key, "" if value is None else str(value), CACHE_SECONDS)
    return mark_safe(value) if value else None


def _base_context(request) -> dict:
    """Language switcher links that keep the current page (``/ar/countries/EGY/`` ↔ ``/fr/countries/EGY/``)."""
    current = (get_language() or settings.LANGUAGE_CODE)[:2]
    links = [{"code": code, "name": LANG_INFO[code]["name_local"], "current": code == current,
              "url": translate_url(request.get_full_path(), code)} for code, _ in settings.LANGUAGES]
    return {"language_links": links}


def _no_edition(request):
    return render(request, "observatory/no_edition.html", _base_context(request))


def home(request):
    """Ranking of the latest edition with area scores, rank intervals, map of members, a link per member, a
    "how to read these scores" note and the ranking's downloads (scores, and rank intervals when computed).

    Renders ``observatory/no_edition.html`` (HTTP 200) when no edition has been computed yet.
    """
    edition = selectors.latest_edition()
    if edition is None:
        return _no_edition(request)
    lang = (get_language() or "en")[:2]

    def body() -> str:
        ranking = selectors.edition_ranking(edition, selectors.INDEX, lang)
        return render_to_string("observatory/_home_body.html", {
            "edition": edition,
            "areas": selectors.framework_areas(edition, lang),
            "ranking": ranking,
            "summary": selectors.summarise_ranking(ranking),
            "scale": selectors.score_scale(edition),
            "download_formats": DOWNLOAD_FORMATS,
            "map_svg": _cached(edition_cache_key(edition, lang, "map"), lambda: member_map(ranking, lang, links=True)),
        })

    context = _base_context(request) | {"edition": edition,
                                        "body": _cached(edition_cache_key(edition, lang, "home"), body)}
    return render(request, "observatory/home.html", context)


def country(request, iso3: str):
    """Profile of one member state in the latest edition, with its download links, a "how to read these scores"
    note, trends and peers for learning (when the edition stores them); 404 page for unknown or non-member
    codes."""
    edition = selectors.latest_edition()
    if edition is None:
        return _no_edition(request)
    lang = (get_language() or "en")[:2]
    code = iso3.strip().upper()
    key = edition_cache_key(edition, lang, "country", code)
    cached = cache.get(key) if _ISO3.match(code) else None
    if cached is None:
        try:
            profile = selectors.member_profile(edition, code, lang)
        except selectors.ProfileNotFound as exc:
            context = _base_context(request) | {"code": exc.iso3, "reason": exc.reason}
            return render(request, "observatory/not_found.html", context, status=404)
        parts = {"name": profile.name, "iso3": profile.iso3, "body": str(render_to_string(
            "observatory/_country_body.html", {
                "edition": edition, "p": profile, "download_formats": DOWNLOAD_FORMATS,
                "scale": selectors.score_scale(edition),
                "profile_chart": member_profile_chart(profile, lang) if profile.index else None,
                "trend_chart": (mark_safe(trend_chart(profile.trends, language=lang, chart_id=f"trends-{code}"))
                                if profile.trends else None)}))}
        cache.set(key, parts, CACHE_SECONDS)
        cached = parts
    context = _base_context(request) | {"edition": edition, "name": cached["name"], "iso3": cached["iso3"],
                                        "body": mark_safe(cached["body"])}
    return render(request, "observatory/country.html", context)
