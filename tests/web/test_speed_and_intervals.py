"""Pages with the robustness results (rank intervals, tier names, downloads) and the page cache (issue 4 item 7)."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dtforum.observatory.models import Score

from .conftest import sample


@pytest.fixture
def robust(edition):
    return sample.add_robustness(edition)


def test_home_shows_rank_intervals_widened_to_whole_ranks(client, robust):
    html = client.get("/en/").content.decode()
    # JOR q05 1.0, q95 2.4 -> floor 1, ceil 3; TUR 1.2, 3.0 -> 1-3; EGY 2.6, 3.0 -> 2-3; NER no score -> en dash
    cells = dict(re.findall(r'<tr data-iso3="(\w+)">\s*<td class="num">.*?</td>\s*'
                            r'<td class="num interval">(.*?)</td>', html, re.DOTALL))
    assert cells == {"JOR": '<bdi dir="ltr">1–3</bdi>', "TUR": '<bdi dir="ltr">1–3</bdi>',
                     "EGY": '<bdi dir="ltr">2–3</bdi>', "NER": "–"}
    # the header carries the mark linking to the "how to read" note
    assert '<th scope="col" class="num">5–95 % interval <a class="read-mark" href="#how-to-read"' in html


def test_home_without_uncertainty_has_no_interval_column(client, edition):
    assert "5–95 % interval" not in client.get("/en/").content.decode()


@pytest.mark.parametrize("lang,jordan,egypt", [("fr", "En tête", "Émergent"), ("ar", "رائدة", "ناشئة")])
def test_tier_names_in_page_language(client, robust, lang, jordan, egypt):
    html = client.get(f"/{lang}/").content.decode()
    assert f'<span class="tag" data-tier="leading">{jordan}</span>' in html
    assert f'<span class="tag" data-tier="emerging">{egypt}</span>' in html
    profile = client.get(f"/{lang}/countries/JOR/").content.decode()
    assert f'<div class="value" data-tier="leading">{jordan}</div>' in profile


def test_tier_names_fall_back_to_the_catalog(client, edition):
    # the base edition stores tier codes only: the French catalog translates "Leading"
    assert "names" not in edition.analysis["tiers"]
    html = client.get("/fr/").content.decode()
    assert '<span class="tag" data-tier="leading">En tête</span>' in html


def test_profile_interval_card_and_downloads(client, robust):
    html = client.get("/en/countries/EGY/").content.decode()
    # Egypt: q05 2.6, q95 3.0 -> 2-3
    assert '<div class="card" data-card="interval"><div class="value"><bdi dir="ltr">2–3</bdi></div>' in html
    for fmt in ("csv", "xlsx", "json"):
        assert f'href="/api/v1/data/countries/EGY/profile.{fmt}" data-format="{fmt}"' in html
    assert 'href="/en/search/"' in html  # search in the header


def test_country_page_served_from_cache_with_one_query(client, robust):
    client.get("/fr/countries/EGY/")
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/fr/countries/EGY/").content.decode()
    assert len(queries) == 1  # the latest edition; the body comes from the cache
    assert "<h1>Égypte <bdi" in html
    client.get("/en/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/en/")
    assert len(queries) == 1


def test_recomputed_edition_is_not_served_from_the_old_cache(client, robust):
    before = client.get("/en/countries/EGY/").content.decode()
    assert "<strong><bdi dir=\"ltr\">40.2</bdi></strong>" in before  # 40.25, half-even
    Score.objects.filter(edition=robust, economy__iso3="EGY", area="index").update(score=41.0)
    assert client.get("/en/countries/EGY/").content.decode() == before  # same edition: cached
    robust.computed_at = dt.datetime(2025, 2, 1, tzinfo=dt.UTC)  # a rebuild stamps a new time
    robust.save(update_fields=["computed_at"])
    after = client.get("/en/countries/EGY/").content.decode()
    assert "<strong><bdi dir=\"ltr\">41.0</bdi></strong>" in after


def test_unknown_codes_are_not_cached(client, robust):
    assert client.get("/en/countries/XYZ/").status_code == 404
    assert client.get("/en/countries/a%20b/").status_code == 404
    from django.core.cache import cache

    from dtforum.observatory.views import edition_cache_key

    assert cache.get(edition_cache_key(robust, "en", "country", "XYZ")) is None
