"""Interactive map and charts on the pages (issue 4 item 5): member shapes are links with tooltips, chart marks
carry tooltips with value and rank, chart rows are focusable."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from django.utils import translation

from dtforum.members.countries import OIC_MEMBERS
from dtforum.observatory.report.map import member_map
from dtforum.observatory.selectors import RankingRow

SVG = "{http://www.w3.org/2000/svg}"
LINK = re.compile(r'<a class="member-link" href="([^"]+)"><title>([^<]*)</title><path class="[^"]+" data-iso3="(\w+)"')


def test_home_map_members_link_to_their_pages_with_tooltips(client, edition):
    # The sample edition: Jordan 80.0, Türkiye 65.5, Egypt 40.25 (one decimal, half-even: 40.2) ranked 1-3 of 3;
    # Niger has no score.
    en = {iso3: (href, title) for href, title, iso3 in LINK.findall(client.get("/en/").content.decode())}
    assert en == {
        "EGY": ("/en/countries/EGY/", "Egypt: index score 40.2, rank 3 of 3"),
        "JOR": ("/en/countries/JOR/", "Jordan: index score 80.0, rank 1 of 3"),
        "NER": ("/en/countries/NER/", "Niger: member, no score"),
        "TUR": ("/en/countries/TUR/", "Türkiye: index score 65.5, rank 2 of 3"),
    }
    ar = {iso3: (href, title) for href, title, iso3 in LINK.findall(client.get("/ar/").content.decode())}
    assert ar["EGY"] == ("/ar/countries/EGY/", "مصر: درجة المؤشر 40.2، المرتبة 3 من 3")
    assert ar["NER"] == ("/ar/countries/NER/", "النيجر: عضو بلا درجة")


def test_map_of_all_57_members_links_54_and_lists_the_three_too_small(db):
    # Natural Earth 1:110m has no shape for Bahrain, Comoros and Maldives: 57 - 3 = 54 links.
    rows = [RankingRow(iso3=c, name=c, score=50.0, rank=1, tier="", oic_group="", income_group="")
            for c in OIC_MEMBERS]
    with translation.override("fr"):  # member_map's labels follow the active language (its contract)
        svg = member_map(rows, "fr", links=True)
    root = ET.fromstring(svg[:svg.index("<ul")])
    links = root.findall(f".//{SVG}a")
    assert len(OIC_MEMBERS) == 57 and len(links) == 54
    assert root.get("data-missing") == "BHR COM MDV"
    hrefs = {a.get("href") for a in links}
    assert "/fr/countries/TUR/" in hrefs and "/fr/countries/BHR/" not in hrefs
    # 57 members tied at 50.0: each is rank 1 of 57, in French "50,0"
    assert links[0].find(f"{SVG}title").text.endswith(": score de l’indice 50,0, rang 1 sur 57")
    # the report's map has no links
    with translation.override("fr"):
        assert "<a " not in member_map(rows, "fr")


def test_profile_chart_marks_have_tooltips_and_rows_are_focusable(client, edition):
    # Egypt, first area: score 30.0, rank 3; OIC median 60.0 and best 90.0 (score − gap, from the sample gaps)
    html = client.get("/en/countries/EGY/").content.decode()
    chart = html[html.index('data-chart="profile-EGY"'):]
    chart = chart[:chart.index("</figure>")]
    titles = re.findall(r"<title>([^<]*)</title>", chart)
    assert titles[:3] == ["Improving digital connectivity: 30.0, rank 3", "OIC median: 60.0", "best OIC member: 90.0"]
    assert re.search(r'<path d="[^"]+" stroke="#e07b39" stroke-width="2.5" data-mark="median"><title>', chart)
    assert chart.count('tabindex="0"') == chart.count("<tr class=\"bar\"") > 0
