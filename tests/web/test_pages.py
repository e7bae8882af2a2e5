"""Served pages in the three languages with the Django test client: ranking, profiles, 404s, no edition."""
from __future__ import annotations

import re

import pytest

LANGS = ("en", "ar", "fr")


@pytest.mark.parametrize("lang", LANGS)
def test_home_ranking_in_each_language(client, edition, lang):
    response = client.get(f"/{lang}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in html
    # ranking order from the Score rows: Jordan 80.0, Türkiye 65.5, Egypt 40.25, Niger unranked
    assert re.findall(r'<tr data-iso3="(\w+)">', html) == ["JOR", "TUR", "EGY", "NER"]
    assert f'href="/{lang}/countries/JOR/"' in html
    # the area columns come from the framework, in the page's language
    area = {"en": "Improving digital connectivity", "fr": "Améliorer la connectivité numérique",
            "ar": "تحسين الاتصال الرقمي"}[lang]
    assert area in html
    unranked = {"en": "unranked", "fr": "non classé", "ar": "غير مصنفة"}[lang]
    assert unranked in html


def test_home_translated_texts_and_numbers(client, edition):
    fr = client.get("/fr/").content.decode()
    assert "Indice de transformation numérique <bdi>2024</bdi>" in fr
    assert "Jordanie" in fr and "<bdi dir=\"ltr\">40,2</bdi>" in fr  # Egypt's 40.25, French decimal comma, half-even
    ar = client.get("/ar/").content.decode()
    assert "مؤشر التحول الرقمي <bdi>2024</bdi>" in ar
    assert "الأردن" in ar
    # Arabic plural form "few" (3-10) for the 4 members covered
    assert "يقارن المؤشر 4 دول أعضاء" in ar


def test_home_map_marks_members(client, edition):
    html = client.get("/en/").content.decode()
    if 'class="map"' not in html:
        pytest.fail("map missing: install the shapes with `npm ci` (node_modules/world-atlas)")
    # Egypt 40.25 -> class c2 (40-60), Jordan 80.0 -> c4 (80-100), Niger without score -> noscore
    assert re.search(r'class="member c2" data-iso3="EGY"', html)
    assert re.search(r'class="member c4" data-iso3="JOR"', html)
    assert re.search(r'class="member noscore" data-iso3="NER"', html)


@pytest.mark.parametrize("lang", LANGS)
def test_country_profile_in_each_language(client, edition, lang):
    response = client.get(f"/{lang}/countries/EGY/")
    assert response.status_code == 200
    html = response.content.decode()
    name = {"en": "Egypt", "fr": "Égypte", "ar": "مصر"}[lang]
    assert f"<h1>{name} <bdi" in html
    # gap of Egypt's index to the OIC median: 40.25 - 65.5 = -25.25 -> "−25.2" / "−25,2"
    assert ('<bdi dir="ltr">\u221225,2</bdi>' if lang == "fr" else '<bdi dir="ltr">\u221225.2</bdi>') in html
    # strongest indicator: Internet users (normalised 75.0); weakest: fixed broadband (12.5)
    strongest = html[html.index('class="strongest"'):html.index('class="weakest"')]
    assert 'data-code="IT.NET.USER.ZS"' in strongest and "IT.NET.BBND.P2" not in strongest
    # the language switcher keeps the page
    for other in LANGS:
        assert f'href="/{other}/countries/EGY/"' in html
    assert 'data-chart="profile-EGY"' in html


def test_country_code_is_case_insensitive(client, edition):
    assert client.get("/en/countries/jor/").status_code == 200


@pytest.mark.parametrize("lang,code,message", [
    ("en", "FRA", "<bdi>FRA</bdi> is not an OIC member state"),
    ("fr", "FRA", "<bdi>FRA</bdi> n'est pas un État membre de l'OCI"),
    ("ar", "WLD", "<bdi>WLD</bdi> ليست دولة عضوًا في منظمة التعاون الإسلامي"),
    ("en", "XYZ", "No country has the code <bdi>XYZ</bdi>"),
    ("fr", "XYZ", "Aucun pays n'a le code <bdi>XYZ</bdi>"),
    ("ar", "XYZ", "لا توجد دولة بالرمز <bdi>XYZ</bdi>"),
])
def test_country_404_with_message_in_page_language(client, edition, lang, code, message):
    response = client.get(f"/{lang}/countries/{code}/")
    assert response.status_code == 404
    html = response.content.decode().replace("&#x27;", "'")
    assert message in html
    assert f'<html lang="{lang}"' in html


@pytest.mark.parametrize("lang,text", [("en", "Run <code>make build</code>"),
                                       ("fr", "Lancez <code>make build</code>"),
                                       ("ar", "شغّل <code>make build</code>")])
def test_no_edition_yet(client, db, lang, text):
    for path in (f"/{lang}/", f"/{lang}/countries/EGY/"):
        response = client.get(path)
        assert response.status_code == 200
        assert text in response.content.decode()


def test_member_without_score_gets_a_clear_page(client, edition):
    html = client.get("/en/countries/NER/").content.decode()
    assert "This member state has no score in this edition" in html
    assert 'data-chart="profile-NER"' not in html
