"""Explorer, comparison, methodology and what-if pages and the what-if API on tests/explorer/sample.py.

Expected values are the hand computation in sample.py's docstring.
"""
from __future__ import annotations

import csv
import io
import json

import pytest

from dtforum.explorer import whatif

pytestmark = pytest.mark.django_db


def _chart(response) -> dict:
    html = response.content.decode()
    start = html.index('<script id="chart-data" type="application/json">') + len(
        '<script id="chart-data" type="application/json">')
    return json.loads(html[start:html.index("</script>", start)])


# --- explorer ---------------------------------------------------------------------------------------------------

def test_explore_default_shows_members_for_the_first_indicator(client, edition):
    r = client.get("/en/explore/")
    assert r.status_code == 200
    chart = _chart(r)
    # default range: 2014-2024 clipped to stored years 2021-2023; members only (no FRA, no WLD aggregate)
    assert chart["years"] == [2021, 2022, 2023]
    assert chart["bar_year"] == 2023
    by_iso = {row["iso3"]: row for row in chart["rows"]}
    assert sorted(by_iso) == ["EGY", "JOR", "SEN", "TUR"]
    assert by_iso["EGY"]["values"] == [35.0, 38.0, 40.0]
    assert by_iso["JOR"]["values"] == [None, None, 90.0] and by_iso["JOR"]["bar"] == 90.0
    assert by_iso["EGY"]["m49"] == "818"    # ISO 3166 numeric of Egypt, the id in world-atlas
    html = r.content.decode()
    assert '<table class="data" id="explore-table">' in html and "<caption>" in html
    assert "/static/vendor/chartjs/chart.umd.min.js" in html


def test_explore_filters_and_downloads(client, edition):
    r = client.get("/en/explore/?indicator=IT.NET.USER.ZS&countries=EGY,FRA&year_from=2022&year_to=2023&year=2022")
    assert r.status_code == 200
    chart = _chart(r)
    assert chart["years"] == [2022, 2023] and chart["bar_year"] == 2022
    assert {row["iso3"]: row["values"] for row in chart["rows"]} == {"EGY": [38.0, 40.0], "FRA": [None, 86.8]}
    csv_url = next(url for label, url in r.context["downloads"] if label == "CSV")
    assert csv_url == "/api/v1/data/indicators/IT.NET.USER.ZS/observations.csv?country=EGY%2CFRA&year_from=2022&year_to=2023"
    body = client.get(csv_url).content.decode()
    rows = list(csv.DictReader(line for line in io.StringIO(body) if not line.startswith("#")))
    assert [(row["iso3"], row["year"], row["value"]) for row in rows] == [("EGY", "2022", "38.0"), ("EGY", "2023", "40.0"),
                                                                       ("FRA", "2023", "86.8")]


def test_explore_accepts_arabic_indic_years(client, edition):
    r = client.get("/ar/explore/?countries=EGY&year_from=٢٠٢٢")
    assert r.status_code == 200
    assert _chart(r)["years"] == [2022, 2023]
    assert 'dir="rtl"' in r.content.decode() and 'lang="ar"' in r.content.decode()


@pytest.mark.parametrize("query, field", [
    ("indicator=NOPE", "indicator"), ("year_from=abc", "year_from"), ("year_from=1800", "year_from"),
    ("year_from=2023&year_to=2021", "year_from"), ("countries=XXX", "countries"), ("countries=WLD", "countries"),
])
def test_explore_bad_query_is_400_with_message(client, edition, query, field):
    r = client.get(f"/en/explore/?{query}")
    assert r.status_code == 400
    assert r.context["field"] == field
    assert 'role="alert"' in r.content.decode()


def test_explore_bad_query_message_in_french(client, edition):
    r = client.get("/fr/explore/?indicator=NOPE")
    assert r.status_code == 400
    assert "Indicateur inconnu" in r.content.decode()


# --- comparison -------------------------------------------------------------------------------------------------

def test_compare_two_members(client, edition):
    r = client.get("/en/compare/?countries=JOR,egy")
    assert r.status_code == 200
    data = r.context["data"]
    assert [p.iso3 for p in data["profiles"]] == ["JOR", "EGY"]
    index, conn, skills = data["areas"]
    assert index["is_index"] and index["scores"] == [75.0, 37.5] and index["ranks"] == [2, 3]
    assert conn["scores"] == [100.0, 0.0] and skills["scores"] == [50.0, 75.0]
    assert _chart(r) == {"labels": ["Improving digital connectivity", "Developing digital skills"],
                         "series": [{"name": "Jordan", "values": [100.0, 50.0]},
                                    {"name": "Egypt", "values": [0.0, 75.0]}]}


def test_compare_tables_link_to_their_downloads(client, edition):
    html = client.get("/fr/compare/?countries=JOR,egy").content.decode()
    query = "?countries=JOR,EGY&amp;edition=2024"
    for table in ("scores", "indicators"):
        assert f'<p class="downloads" data-table="compare-{table}">Télécharger ce tableau :' in html
        for fmt in ("csv", "xlsx", "json"):
            assert f'href="/api/v1/data/compare/{table}.{fmt}{query}" data-format="{fmt}" download' in html
    # the scores link serves the table of the page: index JOR 75.0 (rank 2), EGY 37.5 (rank 3), then
    # connectivity JOR 100.0 (1), EGY 0.0 (4) and skills JOR 50.0 (3), EGY 75.0 (2) (tests/explorer/sample.py)
    text = client.get("/api/v1/data/compare/scores.csv?countries=JOR,EGY&edition=2024").content.decode()
    rows = [line.split(",") for line in text.splitlines() if not line.startswith("#")]
    assert rows[0][-4:] == ["score_JOR", "rank_JOR", "score_EGY", "rank_EGY"]
    assert [[r[0]] + r[-4:] for r in rows[1:]] == [["index", "75.0", "2", "37.5", "3"],
                                                   ["connectivity", "100.0", "1", "0.0", "4"],
                                                   ["skills", "50.0", "3", "75.0", "2"]]


@pytest.mark.parametrize("countries", ["JOR", "JOR,EGY,TUR,SEN,JOR,FRA,XXX", "JOR,XXX", "JOR,FRA"])
def test_compare_refuses_bad_selection(client, edition, countries):
    r = client.get(f"/en/compare/?countries={countries}")
    assert r.status_code == 400
    assert 'role="alert"' in r.content.decode()


def test_compare_without_selection_shows_the_form(client, edition):
    r = client.get("/en/compare/")
    assert r.status_code == 200 and 'name="countries"' in r.content.decode()


# --- methodology ------------------------------------------------------------------------------------------------

def test_methodology_lists_definition_source_licence(client, edition):
    r = client.get("/en/methodology/")
    assert r.status_code == 200
    html = r.content.decode()
    for text in ("Individuals who have used the Internet in the last 3 months.", "CC BY 4.0", "UN terms of use",
                 "World Bank", "higher is better", "How to read this score", "minmax"):
        assert text in html, text


# --- what-if ----------------------------------------------------------------------------------------------------

def test_rebuilt_run_reproduces_the_stored_scores(edition):
    run = whatif.edition_run(edition)
    scores = run.tables["scores"]["index"].round(6).to_dict()
    assert scores == {"EGY": 37.5, "JOR": 75.0, "SEN": 20.0, "TUR": 90.0}


def test_what_if_weights_change_the_ranking(edition):
    # connectivity 3, skills 1: JOR (3*100 + 50)/4 = 87.5, TUR (3*80 + 100)/4 = 85, SEN (3*40 + 0)/4 = 30,
    # EGY (3*0 + 75)/4 = 18.75
    used, rows = whatif.run_what_if(edition, {"connectivity": 3.0, "skills": 1.0})
    assert used == {"connectivity": 3.0, "skills": 1.0}
    got = [(r.iso3, round(r.score, 6), r.rank, r.nominal_rank, r.rank_change) for r in rows]
    assert got == [("JOR", 87.5, 1, 2, -1), ("TUR", 85.0, 2, 1, 1), ("SEN", 30.0, 3, 4, -1), ("EGY", 18.75, 4, 3, 1)]
    for r in rows:   # the interval holds the rank (weights vary by ±25 % around the visitor's)
        assert 1 <= r.rank_q05 <= r.rank <= r.rank_q95 <= 4


@pytest.mark.parametrize("text, expected", [("2", 2.0), ("٢٫٥", 2.5), ("۱", 1.0), (" 0.5 ", 0.5), ("100", 100.0),
                                            ("0.01", 0.01), ("٠٫٠١", 0.01), (".5", 0.5)])
def test_parse_weight_accepts_arabic_digits(text, expected):
    assert whatif.parse_weight(text, "skills") == expected


@pytest.mark.parametrize("text", ["-1", "0", "abc", "", "nan", "inf", "101", "0.009", "1e-320", "1e2", "1_000",
                                  "\uff12", "1.5.2", "0x10", "\u0662\uff12"])
def test_parse_weight_refuses(text):
    # full-width "２" (U+FF12) and "1_000" are numbers to Python's float(), not to a visitor's form
    with pytest.raises(whatif.WeightError, match="skills"):
        whatif.parse_weight(text, "skills")


def test_weight_messages_name_the_area_state_the_range_and_cut_long_input():
    with pytest.raises(whatif.WeightError) as raised:
        whatif.parse_weight("1e-320", "skills", "Developing digital skills")
    assert str(raised.value) == ("Weight of “Developing digital skills”: “1e-320” is not a number; enter a number "
                                 "such as 1 or 0.5 (digits 0-9 or ٠-٩, decimal point . or ٫).")
    assert raised.value.field == "skills"
    with pytest.raises(whatif.WeightError) as raised:
        whatif.parse_weight("0.001", "skills", "Developing digital skills")
    assert str(raised.value) == ("Weight of “Developing digital skills”: “0.001” is out of range; enter a number "
                                 "from 0.01 to 100.")
    with pytest.raises(whatif.WeightError) as raised:
        whatif.parse_weight("9" * 5000, "skills")
    # 5,000 digits are cut to the first 20 and an ellipsis
    assert f"“{'9' * 20}…”" in str(raised.value) and len(str(raised.value)) < 150
    with pytest.raises(whatif.WeightError) as raised:
        whatif.parse_weights("x" * 300 + ":1", ["connectivity", "skills"])
    assert f"“{'x' * 20}…”" in str(raised.value) and len(str(raised.value)) < 150


def test_run_what_if_refuses_a_weight_out_of_range(edition):
    # 1e-320 is positive (the old check) but not a weight: all areas at 1e-320 gave the nominal scores back
    # with rounding noise (90.03176 against 90.03168 on the real edition)
    with pytest.raises(whatif.WeightError, match="out of range"):
        whatif.run_what_if(edition, {"connectivity": 1e-320, "skills": 1e-320}, interval=False)


def test_what_if_page_ranks_with_weights(client, edition):
    # connectivity 1, skills 9: TUR (80 + 900)/10 = 98, EGY (0 + 675)/10 = 67.5, JOR (100 + 450)/10 = 55,
    # SEN (40 + 0)/10 = 4
    r = client.get("/en/what-if/?w_connectivity=1&w_skills=9")
    assert r.status_code == 200
    assert [(row.iso3, row.rank) for row in r.context["rows"]] == [("TUR", 1), ("EGY", 2), ("JOR", 3), ("SEN", 4)]
    r = client.get("/ar/what-if/?w_connectivity=٣&w_skills=١")
    assert r.status_code == 200
    assert [row.iso3 for row in r.context["rows"]] == ["JOR", "TUR", "SEN", "EGY"]


@pytest.mark.parametrize("value", ["-1", "abc"])
@pytest.mark.parametrize("lang", ["en", "ar", "fr"])
def test_what_if_page_bad_weight_is_400(client, edition, value, lang):
    r = client.get(f"/{lang}/what-if/?w_connectivity={value}")
    assert r.status_code == 400
    html = r.content.decode()
    assert f'lang="{lang}"' in html and 'role="alert"' in html and "connectivity" in html
    assert 'aria-invalid="true"' in html


def test_what_if_page_zero_weight_is_400(client, edition):
    # compindex's aggregation needs positive weights: 0 is refused with the message, not a 500
    assert client.get("/en/what-if/?w_connectivity=0&w_skills=1").status_code == 400


def test_what_if_api(client, edition):
    r = client.get("/api/v1/editions/2024/what-if/?weights=connectivity:3,skills:1")
    assert r.status_code == 200
    body = r.json()
    assert body["weights"] == {"connectivity": 3.0, "skills": 1.0}
    assert body["interval"]["replications"] == 200 and body["interval"]["weight_noise"] == 0.25
    first = body["results"][0]
    assert (first["iso3"], first["score"], first["rank"], first["nominal_score"], first["nominal_rank"]) == (
        "JOR", pytest.approx(87.5), 1, pytest.approx(75.0), 2)
    assert first["areas"] == {"connectivity": pytest.approx(100.0), "skills": pytest.approx(50.0)}
    # no weights: the published ranking
    body = client.get("/api/v1/editions/2024/what-if/?interval=false").json()
    assert [(x["iso3"], x["rank"], x["rank_change"], x["rank_q05"]) for x in body["results"]] == [
        ("TUR", 1, 0, None), ("JOR", 2, 0, None), ("EGY", 3, 0, None), ("SEN", 4, 0, None)]


@pytest.mark.parametrize("weights, needle", [
    ("connectivity:-1", "Improving digital connectivity"), ("connectivity:abc", "abc"), ("digital:1", "digital"),
    ("connectivity", "area:weight"), ("connectivity:0,skills:1", "from 0.01 to 100"), ("skills:1,skills:2", "twice"),
    ("connectivity:1e-320,skills:1e-320", "“1e-320” is not a number"), ("skills:1_000", "“1_000” is not a number"),
    ("skills:%EF%BC%92", "“２” is not a number"), ("skills:0.001", "“0.001” is out of range"),
    ("skills:" + "9" * 400, "“" + "9" * 20 + "…”"),
])
def test_what_if_api_bad_weights_400(client, edition, weights, needle):
    r = client.get(f"/api/v1/editions/2024/what-if/?weights={weights}")
    assert r.status_code == 400
    message = r.json()["errors"]["weights"][0]
    assert needle in message and len(message) < 200


@pytest.mark.parametrize("lang, expected", [
    # the limits in the language's number format (Django's fr and ar formats: decimal comma), the input as typed
    ("fr", ("Poids de « Améliorer la connectivité numérique » : « 0.001 » est hors limites ; saisissez un nombre "
            "de 0,01 à 100.")),
    ("ar", "وزن «تحسين الاتصال الرقمي»: «0.001» خارج النطاق؛ أدخل رقمًا من 0,01 إلى 100."),
])
def test_what_if_api_range_message_names_the_area_in_the_language_asked(client, edition, lang, expected):
    r = client.get(f"/api/v1/editions/2024/what-if/?weights=connectivity:0.001&lang={lang}")
    assert r.status_code == 400
    assert r.json()["errors"]["weights"] == [expected]


def test_what_if_api_message_in_arabic(client, edition):
    r = client.get("/api/v1/editions/2024/what-if/?weights=connectivity:abc&lang=ar")
    assert r.status_code == 400
    assert "ليس رقمًا" in r.json()["errors"]["weights"][0]


def test_what_if_api_unknown_edition_404(client, edition):
    assert client.get("/api/v1/editions/1999/what-if/").status_code == 404


def test_what_if_unavailable_is_503_with_the_reason(client, edition):
    # the stored framework names an indicator the store does not hold: no run can be rebuilt
    edition.methodology["areas"][1]["indicators"][0]["code"] = "NO.SUCH.CODE"
    edition.save()
    r = client.get("/api/v1/editions/2024/what-if/")
    assert r.status_code == 503 and "NO.SUCH.CODE" in r.json()["detail"]
    r = client.get("/en/what-if/")
    assert r.status_code == 503 and "NO.SUCH.CODE" in r.content.decode()


@pytest.mark.parametrize("lang, text", [("en", "Each weight from 0.01 to 100."),
                                        ("fr", "Chaque poids de 0,01 à 100.")])
def test_what_if_page_states_the_weight_range(client, edition, lang, text):
    assert text in client.get(f"/{lang}/what-if/").content.decode()
