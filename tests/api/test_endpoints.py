"""The read-only API v1 on the small edition of tests/api/sample.py: real values, filters, languages, pages."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_root_lists_endpoints(api):
    status, body = api("/api/v1/")
    assert status == 200
    assert body["endpoints"]["economies"] == "http://testserver/api/v1/economies/"
    assert body["endpoints"]["docs"] == "http://testserver/api/docs/"


def test_economies_filter_by_kind_group_and_income(api, edition):
    status, body = api("/api/v1/economies/?kind=member")
    assert status == 200
    # four members in the sample, ordered by ISO3
    assert body["count"] == 4
    assert [e["iso3"] for e in body["results"]] == ["EGY", "JOR", "NER", "TUR"]
    _, body = api("/api/v1/economies/?kind=member&oic_group=arab")
    assert [e["iso3"] for e in body["results"]] == ["EGY", "JOR"]
    _, body = api("/api/v1/economies/?income_group=Upper%20middle%20income")
    assert [e["iso3"] for e in body["results"]] == ["JOR", "TUR"]
    _, body = api("/api/v1/economies/?kind=aggregate")
    assert [e["iso3"] for e in body["results"]] == ["WLD"]


def test_economy_names_follow_lang_and_accept_language(api, edition):
    _, body = api("/api/v1/economies/EGY/")
    assert body["name"] == "Egypt"
    assert body["names"] == {"en": "Egypt", "fr": "Égypte", "ar": "مصر"}
    _, body = api("/api/v1/economies/egy/?lang=ar")
    assert body["name"] == "مصر"
    _, body = api("/api/v1/economies/EGY/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert body["name"] == "Égypte"
    # ?lang= wins over the header
    _, body = api("/api/v1/economies/EGY/?lang=en", HTTP_ACCEPT_LANGUAGE="ar")
    assert body["name"] == "Egypt"


def test_indicators_carry_source_unit_and_licence(api, edition):
    status, body = api("/api/v1/indicators/IT.NET.USER.ZS/")
    assert status == 200
    assert body["unit"] == "% of population"
    assert body["licence"] == "CC BY 4.0"
    assert body["source"]["publisher"] == "World Bank"
    assert body["source"]["code"] == "wdi_api.IT.NET.USER.ZS"
    _, body = api("/api/v1/indicators/?source=un_egov.2024&lang=fr")
    assert [(i["code"], i["name"], i["licence"]) for i in body["results"]] == [
        ("HCI", "Indice du capital humain", "UN terms of use (free with attribution)")]


def test_observations_filters(api, edition):
    _, body = api("/api/v1/observations/?indicator=IT.NET.USER.ZS&country=EGY,tur&year=2023")
    assert [(o["iso3"], o["year"], o["value"]) for o in body["results"]] == [("EGY", 2023, 72.7), ("TUR", 2023, 86.5)]
    _, body = api("/api/v1/observations/?indicator=IT.NET.USER.ZS&country=EGY&year_from=2021&year_to=2022")
    assert [(o["year"], o["value"]) for o in body["results"]] == [(2021, 65.5), (2022, 72.1)]
    _, body = api("/api/v1/observations/?source=un_egov.2024")
    # two HCI observations; EGY's flagged by the publisher
    assert [(o["iso3"], o["value"], o["flags"]) for o in body["results"]] == [("EGY", 0.49, "estimate"),
                                                                           ("TUR", 0.65, "")]


def test_observations_are_paginated(api, edition):
    # 11 observations in the sample; ordered by indicator (HCI < IT...), ISO3, year
    status, body = api("/api/v1/observations/?limit=3&offset=2")
    assert status == 200
    assert body["count"] == 11
    assert [(o["indicator"], o["iso3"], o["year"]) for o in body["results"]] == [
        ("IT.NET.USER.ZS", "EGY", 2020), ("IT.NET.USER.ZS", "EGY", 2021), ("IT.NET.USER.ZS", "EGY", 2022)]
    assert body["next"].endswith("limit=3&offset=5")
    assert body["previous"].endswith("limit=3")
    _, last = api("/api/v1/observations/?limit=3&offset=9")
    assert len(last["results"]) == 2 and last["next"] is None


def test_page_size_is_capped(api, edition, settings):
    settings.DTFORUM_API_MAX_LIMIT = 5
    status, body = api("/api/v1/observations/?limit=6")
    assert status == 400
    assert body["errors"]["limit"] == ["expected an integer from 1 to 5, got '6'"]
    status, body = api("/api/v1/observations/?limit=5")
    assert status == 200 and len(body["results"]) == 5


def test_editions_list_and_detail(api, edition):
    _, body = api("/api/v1/editions/?lang=ar")
    assert [e["code"] for e in body] == ["2024"]
    assert body[0]["areas"][0]["name"] == "تحسين الاتصال الرقمي"
    status, body = api("/api/v1/editions/2024/")
    assert status == 200
    assert body["reference_year"] == 2024
    assert [i["code"] for a in body["areas"] for i in a["indicators"]] == ["IT.NET.USER.ZS", "HCI"]
    assert body["has_uncertainty"] is False
    assert body["links"]["datapackage"] == "http://testserver/api/v1/data/editions/2024/datapackage.zip"


def test_scores_per_area_and_country(api, edition):
    _, body = api("/api/v1/editions/2024/scores/?area=index")
    # ranked first, Niger (no score) last
    assert [(r["iso3"], r["score"], r["rank"]) for r in body["results"]] == [
        ("JOR", 80.0, 1), ("TUR", 65.5, 2), ("EGY", 40.25, 3), ("NER", None, None)]
    # EGY: 40.25 - median(80, 65.5, 40.25) = 40.25 - 65.5 = -25.25; 40.25 - 80 = -39.75
    egy = body["results"][2]
    assert egy["gaps"]["oic_median"] == pytest.approx(-25.25)
    assert egy["gaps"]["oic_best"] == pytest.approx(-39.75)
    assert egy["tier"] == "emerging"
    _, body = api("/api/v1/editions/2024/scores/?country=EGY")
    # framework order: connectivity, skills, then the index
    assert [(r["area"], r["score"], r["rank"]) for r in body["results"]] == [
        ("connectivity", 30.0, 3), ("skills", 50.5, 3), ("index", 40.25, 3)]


def test_edition_indicator_values_with_flags(api, edition):
    _, body = api("/api/v1/editions/2024/indicators/?indicator=IT.NET.USER.ZS")
    assert [(r["iso3"], r["raw_value"], r["source_year"], r["flag"]) for r in body["results"]] == [
        ("EGY", 72.7, 2023, "observed"), ("JOR", None, None, "imputed"), ("NER", None, None, "missing")]
    _, body = api("/api/v1/editions/2024/indicators/?country=EGY&area=skills")
    assert [(r["indicator"], r["raw_value"], r["flag"]) for r in body["results"]] == [("HCI", 0.49, "estimated")]


def test_uncertainty_absent_is_a_clear_404(api, edition):
    status, body = api("/api/v1/editions/2024/uncertainty/")
    assert status == 404
    assert body["detail"] == "edition 2024 has no uncertainty analysis stored yet"


def test_country_profile(api, edition):
    status, body = api("/api/v1/countries/EGY/profile/?edition=2024&lang=fr")
    assert status == 200
    assert body["name"] == "Égypte"
    assert body["edition"] == "2024"
    scores = {s["area"]: s for s in body["scores"]}
    assert [s["area"] for s in body["scores"]] == ["index", "connectivity", "skills"]
    assert scores["index"]["score"] == 40.25 and scores["index"]["rank"] == 3
    # three members ranked on the index (Niger unranked)
    assert scores["index"]["ranked"] == 3
    assert scores["skills"]["name"] == "Développer les compétences numériques"
    # 50.5 - median(70, 71, 50.5) = 50.5 - 70 = -19.5
    assert scores["skills"]["gaps"]["oic_median"] == pytest.approx(-19.5)
    ind = {i["code"]: i for i in body["indicators"]}
    assert (ind["IT.NET.USER.ZS"]["value"], ind["IT.NET.USER.ZS"]["year"], ind["IT.NET.USER.ZS"]["flag"],
            ind["IT.NET.USER.ZS"]["source"], ind["IT.NET.USER.ZS"]["licence"]) == (
        72.7, 2023, "observed", "wdi_api.IT.NET.USER.ZS", "CC BY 4.0")
    assert ind["HCI"]["flag"] == "estimated" and ind["HCI"]["name"] == "Indice du capital humain"
    assert body["licence"]["name"] == "CC-BY-4.0"
    assert "World Bank, World Development Indicators" in body["attribution"]


def test_country_profile_defaults_to_newest_edition(api, edition):
    _, body = api("/api/v1/countries/jor/profile/")
    assert body["edition"] == "2024"
    assert body["indicators"][0]["flag"] == "imputed"
