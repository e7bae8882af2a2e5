"""SVG charts and the map: well-formed XML, the expected bars in the expected order and size, mirrored in Arabic,
deterministic output; TopoJSON decoding checked on a topology small enough to decode by hand."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from dtforum.observatory.report import charts
from dtforum.observatory.report.formatting import format_number
from dtforum.observatory.report.map import decode_topology, map_svg, score_class

SVG = "{http://www.w3.org/2000/svg}"


def _bars(svg: str) -> list[tuple[str, float, float]]:
    """(key, x_min, x_max) of each bar, from the rectangle path inside each ``g.bar``."""
    root = ET.fromstring(svg)
    out = []
    for g in root.iter(f"{SVG}g"):
        if g.get("class") == "bar":
            d = g.find(f"{SVG}path").get("d")
            xs = [float(x) for x in re.findall(r"([-\d.]+) [-\d.]+", d)]
            out.append((g.get("data-key"), min(xs), max(xs)))
    return out


def test_bar_chart_bars_in_order_and_proportional():
    svg = charts.bar_chart(["Jordan", "Türkiye", "Egypt"], [80.0, 65.5, 40.25], keys=["JOR", "TUR", "EGY"],
                           language="en", chart_id="t")
    bars = _bars(svg)
    assert [b[0] for b in bars] == ["JOR", "TUR", "EGY"]
    widths = [b[2] - b[1] for b in bars]
    # bar length is proportional to the value: 80 / 40.25 = 1.98758
    assert widths[0] / widths[2] == pytest.approx(80 / 40.25, rel=1e-3)
    assert widths[1] / widths[2] == pytest.approx(65.5 / 40.25, rel=1e-3)
    # all bars start at the same x (the 0 of the axis) on the left in a left-to-right language
    assert len({round(b[1], 2) for b in bars}) == 1
    assert 'font-family' not in svg and "<text" in svg and ">80.0<" in svg


def test_bar_chart_mirrored_in_arabic():
    svg = charts.bar_chart(["الأردن", "مصر"], [80.0, 40.25], keys=["JOR", "EGY"], language="ar", chart_id="r")
    (_, jor_min, jor_max), (_, egy_min, egy_max) = _bars(svg)
    # right-to-left: every bar ends at the same right edge (value 0) and grows leftwards
    assert jor_max == pytest.approx(egy_max, abs=0.01)
    assert jor_min < egy_min
    assert "الأردن" in svg and "مصر" in svg


def test_bar_chart_is_deterministic_and_ids_distinct():
    a = charts.bar_chart(["A", "B"], [10.0, 20.0], language="fr", chart_id="one")
    b = charts.bar_chart(["A", "B"], [10.0, 20.0], language="fr", chart_id="one")
    c = charts.bar_chart(["A", "B"], [10.0, 20.0], language="fr", chart_id="two")
    assert a == b
    ids_a = re.findall(r' id="([^"]+)"', a)
    ids_c = re.findall(r' id="([^"]+)"', c)
    assert len(ids_a) == len(set(ids_a)) > 10 and not set(ids_a) & set(ids_c)
    # every internal reference (clip paths, markers) points at an id of the same chart
    assert set(re.findall(r'(?:url\(#|href="#)([^")]+)', a)) <= set(ids_a)
    assert "<dc:date>" not in a and "metadata" not in a
    # French decimal comma on the value labels: 20.0 -> "20,0"
    assert ">20,0<" in a


def test_bar_chart_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="chart x: 2 labels, 1 values"):
        charts.bar_chart(["A", "B"], [1.0], language="en", chart_id="x")


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
