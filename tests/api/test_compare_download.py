"""Comparison downloads (``/api/v1/data/compare/<table>.<fmt>?countries=&edition=``): the compare page's two
tables as CSV, XLSX and JSON with licence and attribution, members validated as on the page.

Values from tests/api/sample.py, edition 2024, members JOR and EGY (columns in the order asked):
index JOR 80.0 (rank 1), EGY 40.25 (rank 3); connectivity JOR 90.0 (1), EGY 30.0 (3); skills JOR 70.0 (2),
EGY 50.5 (3). Indicators: internet users JOR imputed (no raw value, normalised 50.0), EGY 72.7 in 2023
(observed, normalised 75.0); HCI JOR has no result (missing), EGY 0.49 in 2022 (the publisher's estimate,
normalised 50.5).
"""
from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db

ATTRIBUTION_START = "Source: UN DESA, UN E-Government Survey 2024 (UN terms of use (free with attribution)); " \
                    "World Bank, World Development Indicators, Individuals using the Internet (CC BY 4.0)."


def test_scores_csv_rows_side_by_side(client, edition):
    response = client.get("/api/v1/data/compare/scores.csv?countries=JOR,egy&edition=2024")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="compare_scores_2024_JOR-EGY.csv"'
    text = response.content.decode("utf-8")
    comments = [line for line in text.splitlines() if line.startswith("#")]
    assert comments[0] == "# Title: Comparison of JOR, EGY: scores, edition 2024"
    assert any(line.startswith("# Licence: CC-BY-4.0 (https://creativecommons.org/licenses/by/4.0/)")
               for line in comments)
    assert any(line.startswith("# Attribution: " + ATTRIBUTION_START) for line in comments)
    frame = pd.read_csv(io.StringIO(text), comment="#")
    assert list(frame.columns) == ["area", "name_en", "name_fr", "name_ar", "score_JOR", "rank_JOR",
                                   "score_EGY", "rank_EGY"]
    # the index first, then the areas in framework order, as on the page
    assert frame.values.tolist() == [
        ["index", "Digital Transformation Index", "Indice de transformation numérique", "مؤشر التحول الرقمي",
         80.0, 1, 40.25, 3],
        ["connectivity", "Improving digital connectivity", "Améliorer la connectivité numérique",
         "تحسين الاتصال الرقمي", 90.0, 1, 30.0, 3],
        ["skills", "Developing digital skills and competencies", "Développer les compétences numériques",
         "تطوير المهارات والكفاءات الرقمية", 70.0, 2, 50.5, 3]]


def test_scores_of_a_member_without_scores_are_empty(client, edition):
    # Niger has an index row with no score and no area rows: every cell of its columns is empty
    text = client.get("/api/v1/data/compare/scores.csv?countries=NER,TUR").content.decode()
    frame = pd.read_csv(io.StringIO(text), comment="#")
    assert frame.score_NER.isna().all() and frame.rank_NER.isna().all()
    assert frame.score_TUR.tolist() == [65.5, 60.0, 71.0]


def test_indicators_xlsx_data_sheet_and_about(client, edition):
    response = client.get("/api/v1/data/compare/indicators.xlsx?countries=JOR,EGY&edition=2024")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="compare_indicators_2024_JOR-EGY.xlsx"'
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["data", "about"]
    header, *rows = list(wb["data"].values)
    assert header == ("indicator", "area", "name_en", "name_fr", "name_ar", "unit",
                      "value_JOR", "year_JOR", "flag_JOR", "normalised_JOR",
                      "value_EGY", "year_EGY", "flag_EGY", "normalised_EGY")
    assert [r[:2] + r[5:] for r in rows] == [
        ("IT.NET.USER.ZS", "connectivity", "% of population", None, None, "imputed", 50.0, 72.7, 2023, "observed", 75.0),
        ("HCI", "skills", "0-1", None, None, "missing", None, 0.49, 2022, "estimated", 50.5)]
    about = {r[0]: r[1] for r in wb["about"].values if r and r[0]}
    assert about["Licence"].startswith("CC-BY-4.0")
    assert about["Attribution"].startswith(ATTRIBUTION_START)
    assert about["flag_EGY"] == "string"          # fields table: name, type, description


def test_indicators_json_keys(client, edition):
    doc = client.get("/api/v1/data/compare/indicators.json?countries=EGY,JOR").json()
    assert set(doc) == {"name", "title", "description", "licence", "attribution", "sources", "publisher",
                        "generated", "schema", "data"}
    assert doc["name"] == "compare_indicators_2024_EGY-JOR"
    assert doc["licence"]["name"] == "CC-BY-4.0" and doc["attribution"].startswith(ATTRIBUTION_START)
    assert {s["code"]: s["licence"] for s in doc["sources"]} == {
        "un_egov.2024": "UN terms of use (free with attribution)", "wdi_api.IT.NET.USER.ZS": "CC BY 4.0"}
    assert doc["schema"]["primaryKey"] == ["indicator"]
    assert doc["data"][1] == {"indicator": "HCI", "area": "skills", "name_en": "Human Capital Index",
                              "name_fr": "Indice du capital humain", "name_ar": "مؤشر رأس المال البشري",
                              "unit": "0-1", "value_EGY": 0.49, "year_EGY": 2022, "flag_EGY": "estimated",
                              "normalised_EGY": 50.5, "value_JOR": None, "year_JOR": None, "flag_JOR": "missing",
                              "normalised_JOR": None}


def test_scores_json_without_edition_is_the_newest(client, edition):
    doc = client.get("/api/v1/data/compare/scores.json?countries=TUR,JOR").json()
    # skills: TUR 71.0 rank 1, JOR 70.0 rank 2
    assert doc["data"][2] == {"area": "skills", "name_en": "Developing digital skills and competencies",
                              "name_fr": "Développer les compétences numériques",
                              "name_ar": "تطوير المهارات والكفاءات الرقمية",
                              "score_TUR": 71.0, "rank_TUR": 1, "score_JOR": 70.0, "rank_JOR": 2}


@pytest.mark.parametrize("query, message", [
    ("", "Choose from 2 to 5 member states to compare (you chose 0)."),
    ("?countries=JOR", "Choose from 2 to 5 member states to compare (you chose 1)."),
    ("?countries=JOR,EGY,TUR,NER,FRA,WLD", "Choose from 2 to 5 member states to compare (you chose 6)."),
    ("?countries=JOR,XXX", "Unknown country code(s): XXX."),
    ("?countries=JOR,FRA,WLD", "Not OIC member states: FRA, WLD. Only members have index scores."),
])
def test_bad_members_are_400_with_the_page_message(client, edition, query, message):
    response = client.get("/api/v1/data/compare/scores.csv" + query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["errors"] == {"countries": [message]}


def test_bad_members_message_in_french(client, edition):
    response = client.get("/api/v1/data/compare/indicators.json?countries=JOR,FRA&lang=fr")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "countries": ["Pas des États membres de l'OCI : FRA. Seuls les membres ont un score d'indice."]}


@pytest.mark.parametrize("url, status, detail", [
    ("/api/v1/data/compare/scores.csv?countries=JOR,EGY&edition=1999", 404,
     "no computed edition '1999'; editions available: 2024"),
    ("/api/v1/data/compare/scores.pdf?countries=JOR,EGY", 404,
     "no download in format 'pdf'; formats: csv, xlsx, json"),
])
def test_unknown_edition_or_format_is_404(client, edition, url, status, detail):
    response = client.get(url)
    assert (response.status_code, response.json()) == (status, {"status": status, "detail": detail})
