"""Member page: trends, peers for learning, "how to read these scores" notes; home: the ranking's downloads.

Hand values are in tests/report/conftest.py (TRENDS, PEERS, RANK_QUANTILES).
"""
from __future__ import annotations

import re

import pytest

from dtforum.observatory import selectors
from tests.web.conftest import sample


@pytest.fixture
def robust(edition):
    return sample.add_robustness(edition)


def _section(html: str, start: str, end: str | None = None) -> str:
    i = html.index(start)
    return html[i:html.index(end, i)] if end else html[i:]


def test_trend_series_and_cagr_from_the_edition(robust):
    t = selectors.member_trends(robust, "EGY", "en")
    assert t.years == [2019, 2020, 2021, 2022, 2023, 2024]
    assert [s.code for s in t.series] == ["connectivity", "skills", "index"]
    assert [s.name for s in t.series] == ["Improving digital connectivity",
                                          "Developing digital skills and competencies", "Index"]
    # (41/35)^(1/5) - 1 = 0.032151 -> 3.2151 %
    assert t.series[2].cagr_pct == pytest.approx(3.2151)
    assert t.static == [{"code": "HCI", "name": "Human Capital Index", "year": 2022}]
    assert selectors.member_trends(robust, "TUR", "en") is None   # no trends stored for Türkiye


def test_trends_and_peers_absent_from_older_editions(client, edition):
    assert selectors.member_trends(edition, "EGY") is None and selectors.member_peers(edition, "EGY") == []
    html = client.get("/en/countries/EGY/").content.decode()
    assert 'id="trends"' not in html and 'id="peers"' not in html


def test_malformed_trends_and_peers_name_the_field(robust):
    robust.analysis["trends"]["members"]["EGY"]["skills"] = [50.0]
    with pytest.raises(ValueError, match=r"analysis\['trends'\]\['members'\]\['EGY'\]\['skills'\] has 1 values"):
        selectors.member_trends(robust, "EGY")
    del robust.analysis["peers"]["EGY"]["index"][0]["score_gap"]
    with pytest.raises(ValueError, match=r"analysis\['peers'\]\['EGY'\]\['index'\]\[0\] lacks score_gap"):
        selectors.member_peers(robust, "EGY")


@pytest.mark.parametrize("lang,first_path", [
    # Egypt's values run from 20 to 50 -> shared scale 20-50 (tens);
    # x = 3 + 114 i/5 (mirrored in Arabic: 3 + 114 (1 - i/5)), y = 3 + 16 (1 - (v - 20)/30):
    # 35 -> 11.0 (alone before the gap: a dot, "h0"), 2020 missing (the line breaks), 38 -> 9.4, 39 -> 8.87,
    # 40 -> 8.33, 41 -> 7.8
    ("en", "M3.0 11.0h0M48.6 9.4L71.4 8.9L94.2 8.3L117.0 7.8"),
    ("ar", "M117.0 11.0h0M71.4 9.4L48.6 8.9L25.8 8.3L3.0 7.8"),
])
def test_trend_chart_on_member_page(client, robust, lang, first_path):
    html = client.get(f"/{lang}/countries/EGY/").content.decode()
    chart = _section(html, 'data-chart="trends-EGY"', "</figure>")
    rows = re.findall(r'<tr data-key="(\w+)"', chart)
    assert rows == ["connectivity", "skills", "index"]
    index_row = _section(chart, '<tr data-key="index"', "</tr>")
    assert f'<path d="{first_path}"' in index_row
    # 2020 missing -> en dash; CAGR 3.2151 % shown signed with one decimal
    assert '<td class="num"><bdi dir="ltr">–</bdi></td>' in index_row
    assert '<bdi dir="ltr">+3.2</bdi>&nbsp;%' in index_row and 'data-cagr="3.215100"' in index_row
    assert ("from 20 to 50" if lang == "en" else "من 20 إلى 50") in chart
    # skills flat: CAGR 0.0 has no sign class
    assert '<td class="num " data-cagr="0.000000"><bdi dir="ltr">0.0</bdi>' in chart
    assert 'data-code="HCI"' in _section(html, 'class="note static-indicators"', "</ul>")


@pytest.mark.parametrize("lang,jordan,reason,gap", [
    ("en", "Jordan", "similar population; similar income per person", "+60.0"),
    ("fr", "Jordanie", "population semblable ; revenu par habitant semblable", "+60,0"),
    ("ar", "الأردن", "عدد سكان مماثل؛ دخل فردي مماثل", "+60.0"),
])
def test_peers_table_in_page_language(client, robust, lang, jordan, reason, gap):
    html = client.get(f"/{lang}/countries/EGY/").content.decode()
    table = _section(html, '<table class="peers">', "</table>")
    # areas in framework order, then the index, whatever the stored order
    assert re.findall(r'<tbody data-area="(\w+)">', table) == ["connectivity", "index"]
    conn = _section(table, '<tbody data-area="connectivity">', "</tbody>")
    assert re.findall(r'data-peer="(\w+)"', conn) == ["JOR", "TUR"]
    assert f'<a href="/{lang}/countries/JOR/">{jordan}</a>' in conn
    assert f'<bdi dir="ltr">{gap}</bdi>' in conn          # Jordan 90 - Egypt 30
    assert reason in conn.replace("&#x27;", "'")
    assert 'rowspan="2"' in conn


def test_report_profiles_carry_peers_with_names_in_language(robust):
    egypt = next(p for p in selectors.member_profiles(robust, "fr") if p.iso3 == "EGY")
    assert [(g.code, [(x.name, x.score_gap) for x in g.peers]) for g in egypt.peers] == [
        ("connectivity", [("Jordanie", 60.0), ("Türkiye", 30.0)]), ("index", [("Jordanie", 39.75)])]
    assert egypt.trends.series[-1].values[-1] == 41.0


@pytest.mark.parametrize("lang,rank_note", [
    ("en", "Rank: position among the 3 ranked member states"),
    ("fr", "Rang : position parmi les 3 États membres classés"),
    ("ar", "الترتيب: الموقع بين 3 دول أعضاء مصنفة"),   # Arabic plural form for 3-10
])
def test_how_to_read_note_on_home_and_member_page(client, robust, lang, rank_note):
    home = client.get(f"/{lang}/").content.decode()
    note = _section(home, '<details class="how-to-read" id="how-to-read">', "</details>")
    assert rank_note in note
    assert re.findall(r'data-note="(\w+)"', note) == ["scale", "rank", "interval"]   # no gaps on the ranking
    # marks next to the rank, interval and index headers of the ranking
    head = _section(home, '<table class="ranking">', "</thead>")
    assert head.count('class="read-mark" href="#how-to-read"') == 3
    page = client.get(f"/{lang}/countries/EGY/").content.decode()
    note = _section(page, 'id="how-to-read"', "</details>")
    assert re.findall(r'data-note="(\w+)"', note) == ["scale", "rank", "interval", "gap"]
    assert page.count('class="read-mark"') >= 7


def test_how_to_read_scale_from_the_methodology(client, edition):
    # minmax 0-100 in the sample framework; no uncertainty analysis -> no interval note
    note = _section(client.get("/en/").content.decode(), 'id="how-to-read"', "</details>")
    assert "Scores run from 0 to 100 relative to the OIC member states: each indicator" in note
    assert 'data-note="interval"' not in note


def test_ranking_downloads_under_the_table(client, robust):
    html = client.get("/fr/").content.decode()
    links = _section(html, '<p class="downloads" data-table="ranking">', "</p>")
    for fmt in ("csv", "xlsx", "json"):
        assert f'href="/api/v1/data/editions/2024/scores.{fmt}" data-format="{fmt}"' in links
        assert f'href="/api/v1/data/editions/2024/uncertainty.{fmt}"' in links
    assert 'href="/api/v1/data/editions/2024/datapackage.zip"' in links
    response = client.get("/api/v1/data/editions/2024/scores.csv")
    assert response.status_code == 200
    body = response.content.decode()
    assert "JOR" in body and "EGY" in body


def test_ranking_without_intervals_offers_no_interval_download(client, edition):
    links = _section(client.get("/en/").content.decode(), 'data-table="ranking"', "</p>")
    assert "uncertainty." not in links and "scores.csv" in links
