"""Charts (HTML tables with SVG marks) and the map: the expected rows in the expected order, marks at the
hand-computed positions, mirrored in Arabic, no text inside the marks, deterministic output; TopoJSON decoding
checked on a topology small enough to decode by hand.

Chart geometry (charts.py): the track is 300 px wide with 10 px padding, so value v on a 0-100 axis stands at
x = 10 + 280 * v / 100 left to right, and x = 10 + 280 * (1 - v / 100) right to left."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from dtforum.observatory.report import charts
from dtforum.observatory.report.formatting import format_number
from dtforum.observatory.report.map import decode_topology, map_svg, score_class

SVG = "{http://www.w3.org/2000/svg}"


def _rows(html: str) -> list[dict]:
    """Each ``tr.bar`` row: key, value, label text, value text and the SVG marks as XML elements."""
    out = []
    for m in re.finditer(r'<tr class="bar" data-key="([^"]*)" data-value="([^"]*)" tabindex="0"><th scope="row">(.*?)</th>'
                         r'(?:<td class="num">(.*?)</td>)?<td class="track">(<svg.*?</svg>)</td></tr>', html):
        svg = ET.fromstring(m.group(5).replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))
        out.append({"key": m.group(1), "value": m.group(2), "label": m.group(3), "text": m.group(4),
                    # marks of the spaced charts sit in a <g> that centres them in the taller row
                    "marks": [e for e in svg.iter() if e is not svg and not e.tag.endswith(("}g", "}title"))
                              and e.get("stroke") != charts.GRID]})
    return out


def test_nice_ticks():
    assert charts.nice_ticks(100) == [0, 20, 40, 60, 80, 100]  # step 100/5 = 20 exactly
    assert charts.nice_ticks(43.0) == [0, 10, 20, 30, 40, 50]  # raw step 8.6 -> 10
    assert charts.nice_ticks(12.0) == [0, 2.5, 5, 7.5, 10, 12.5]  # raw step 2.4 -> 2.5
    assert charts.nice_ticks(0) == [0, 0.2, 0.4, 0.6, 0.8, 1.0]  # nothing to show: the 0-1 axis


def test_bar_chart_rows_in_order_and_proportional():
    html = charts.bar_chart(["Jordan", "Türkiye", "Egypt"], [80.0, 65.5, 40.25], keys=["JOR", "TUR", "EGY"],
                            language="en", chart_id="t", headers=("Member state", "Index"), reference=65.5,
                            reference_label="OIC median", highlight=["JOR"], highlight_label="top")
    rows = _rows(html)
    assert [(r["key"], r["value"], r["label"]) for r in rows] == [
        ("JOR", "80.0", "Jordan"), ("TUR", "65.5", "Türkiye"), ("EGY", "40.25", "Egypt")]
    assert [r["text"] for r in rows] == ['<bdi dir="ltr">80.0</bdi>', '<bdi dir="ltr">65.5</bdi>',
                                         '<bdi dir="ltr">40.2</bdi>']  # 40.25 half-even -> 40.2
    bars = [r["marks"][0] for r in rows]
    # bars start at the axis 0 (x = 10) and are 280 * v / 100 long: 224.0, 183.4, 112.7 px
    assert [(b.get("x"), b.get("width")) for b in bars] == [("10.0", "224.0"), ("10.0", "183.4"),
                                                           ("10.0", "112.7")]
    assert [b.get("fill") for b in bars] == [charts.HIGHLIGHT, charts.BAR, charts.BAR]
    # the dashed median line at x = 10 + 280 * 0.655 = 193.4 on every row
    assert {r["marks"][1].get("d") for r in rows} == {"M193.4 0V14"}
    # labels are HTML text; the only SVG text is the axis numbers 0, 20, ..., 100 in the header
    assert re.findall(r"<text[^>]*>([^<]*)</text>", html) == ["0", "20", "40", "60", "80", "100"]
    assert '<th scope="col">Member state</th><th scope="col" class="num">Index</th>' in html
    assert 'OIC median (<bdi dir="ltr">65.5</bdi>)' in html and "</svg> top</li>" in html


def test_bar_chart_mirrored_in_arabic():
    html = charts.bar_chart(["الأردن", "مصر"], [80.0, 40.25], keys=["JOR", "EGY"], language="ar", chart_id="r")
    jor, egy = (r["marks"][0] for r in _rows(html))
    # right to left: bars end at the axis 0 on the right (x = 290) and grow leftwards:
    # Jordan 10 + 280 * 0.2 = 66.0 .. 290, Egypt 10 + 280 * 0.5975 = 177.3 .. 290
    assert (jor.get("x"), jor.get("width")) == ("66.0", "224.0")
    assert (egy.get("x"), egy.get("width")) == ("177.3", "112.7")
    assert '<th scope="row">الأردن</th>' in html
    # the axis numbers run 100 ... 0 from left to right: "0" at x = 290
    assert re.search(r'<text x="290.0"[^>]*>0</text>', html) and re.search(r'<text x="10.0"[^>]*>100</text>', html)


def test_bar_chart_is_deterministic_and_localised():
    a = charts.bar_chart(["A", "B"], [10.0, 20.0], language="fr", chart_id="one")
    assert a == charts.bar_chart(["A", "B"], [10.0, 20.0], language="fr", chart_id="one")
    assert 'data-chart="one"' in a and " id=" not in a  # no ids: many charts share a page
    # French decimal comma on the values, never in the SVG geometry: 20.0 -> "20,0", bar 280 * 0.2 = 56.0
    assert '<bdi dir="ltr">20,0</bdi>' in a and 'width="56.0"' in a


def test_bar_chart_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="chart x: 2 labels, 1 values"):
        charts.bar_chart(["A", "B"], [1.0], language="en", chart_id="x")


def test_profile_chart_markers():
    html = charts.profile_chart(["Connectivity", "Skills"], [30.0, None], [60.0, 70.0], [90.0, None],
                                language="en", chart_id="profile-EGY", member_label="Egypt",
                                reference_label="OIC median", best_label="best OIC member")
    conn, skills = _rows(html)
    marks = {m.get("data-mark", "bar"): m for m in conn["marks"]}
    assert marks["bar"].get("width") == "84.0"  # 280 * 0.30
    assert marks["median"].get("d") == "M178.0 1V13"  # 10 + 280 * 0.60
    assert marks["best"].get("d") == "M262.0 3.0L266.0 7.0L262.0 11.0L258.0 7.0Z"  # diamond at 10 + 252
    # no skills score: no bar, "–" as value; its median (10 + 196 = 206) is still drawn
    assert skills["text"] == '<bdi dir="ltr">\u2013</bdi>' and skills["value"] == ""
    assert [m.get("d") for m in skills["marks"]] == ["M206.0 1V13"]
    assert "</svg> Egypt</li>" in html and "</svg> best OIC member</li>" in html
    with pytest.raises(ValueError, match="2 areas, 2 scores, 1 medians, 2 best"):
        charts.profile_chart(["a", "b"], [1, 2], [1], [1, 2], language="en", chart_id="p", member_label="",
                             reference_label="", best_label="")


def test_divide_chart_on_nice_axis():
    rows = [{"code": "IT.NET.USER.ZS", "label": "Internet users", "unit": "% of population", "oic_p10": 30.0,
             "oic_p90": 88.0, "oic_median": 72.7, "world_median": 70.0, "oic_max": 90.5}]
    html = charts.divide_chart(rows, language="en", chart_id="divide",
                               labels={"range": "range", "oic_median": "OIC median", "world_median": "world"})
    (row,) = _rows(html)
    marks = {m.get("data-mark"): m for m in row["marks"]}
    # axis 0-100 (max 90.5, step 20): range 30-88 -> x = 10 + 84 = 94.0, width 280 * 0.58 = 162.4
    assert (marks["range"].get("x"), marks["range"].get("width")) == ("94.0", "162.4")
    assert marks["oic_median"].get("cx") == "213.6"  # 10 + 280 * 0.727 = 213.56
    assert marks["world_median"].get("d").startswith("M206.0 3.0")  # 10 + 196
    assert row["text"] is None  # no value column
    # units may be translated (Arabic runs right to left): the isolate takes its direction from its text
    assert row["label"] == 'Internet users <span class="muted">(<bdi>% of population</bdi>)</span>'


def test_format_number_per_language():
    assert format_number(1234.56, "en") == "1,234.6"
    assert format_number(1234.56, "fr") == "1\u202f234,6"
    assert format_number(-25.25, "ar", signed=True) == "\u221225.2"  # half-even, U+2212 minus
    assert format_number(0.0, "en", signed=True) == "0.0"
    assert format_number(None, "en") == "\u2013"


# Two unit squares sharing the edge x=1, quantised with scale 1 and translate (10, 20), so quantised (1, 0) is
# (11, 20) in degrees. Arcs (delta-encoded): 0 = shared edge (1,0)->(1,1); 1 = Egypt's other edges
# (1,1)->(0,1)->(0,0)->(1,0); 2 = Jordan's other edges (1,0)->(2,0)->(2,1)->(1,1).
# Egypt = [0, 1]; Jordan = [2, ~0] (~0 == -1: arc 0 reversed).
TOPOLOGY = {
    "type": "Topology",
    "transform": {"scale": [1, 1], "translate": [10, 20]},
    "arcs": [[[1, 0], [0, 1]], [[1, 1], [-1, 0], [0, -1], [1, 0]], [[1, 0], [1, 0], [0, 1], [-1, 0]]],
    "objects": {"countries": {"type": "GeometryCollection", "geometries": [
        {"type": "Polygon", "arcs": [[0, 1]], "id": "818", "properties": {"name": "Egypt"}},
        {"type": "Polygon", "arcs": [[2, -1]], "id": "400", "properties": {"name": "Jordan"}},
        {"type": "Polygon", "arcs": [[0, 1]], "properties": {"name": "Kosovo"}},
        {"type": "Polygon", "arcs": [[0, 1]], "properties": {"name": "Somaliland"}},
    ]}},
}


def test_decode_topology_by_hand():
    shapes = decode_topology(TOPOLOGY)
    # arc 0 then arc 1 without its first point (shared with the end of arc 0)
    assert shapes["EGY"] == [[[(11, 20), (11, 21), (10, 21), (10, 20), (11, 20)]]]
    # arc 2, then arc 0 reversed (11,21)->(11,20) without its first point
    assert shapes["JOR"] == [[[(11, 20), (12, 20), (12, 21), (11, 21), (11, 20)]]]
    assert "XKX" in shapes  # Kosovo has no ISO numeric code in Natural Earth: matched by name
    assert "#Somaliland" in shapes


def test_decode_topology_bad_input():
    with pytest.raises(ValueError, match="objects.countries.geometries"):
        decode_topology({"arcs": []})
    bad = {"arcs": [], "objects": {"countries": {"geometries": [{"type": "Polygon", "arcs": [[3]]}]}}}
    with pytest.raises(ValueError, match="arc index 3 out of range"):
        decode_topology(bad)


def test_map_classes_and_legend():
    shapes = decode_topology(TOPOLOGY)
    svg = map_svg({"EGY": 40.25, "JOR": None, "BHR": 70.0}, {"EGY": "Egypt"}, language="en", shapes=shapes,
                  labels={"title": "Map", "no_score": "no score", "not_member": "not a member"})
    root = ET.fromstring(svg)
    paths = {p.get("data-iso3") or p.get("class"): p.get("class") for p in root.iter(f"{SVG}path")}
    assert paths["EGY"] == "member c2"  # 40.25 is in the 40-60 class
    assert paths["JOR"] == "member noscore"
    assert paths["other"] == "other"  # XKX and Somaliland: not members
    assert root.get("data-missing") == "BHR"  # Bahrain is too small for 1:110m
    assert [score_class(s) for s in (0, 19.99, 20, 99.9, 100)] == [0, 0, 1, 4, 4]
    assert "Egypt: 40.2" in svg
