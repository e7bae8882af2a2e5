"""Report sections of the robustness results (issue 3 item 10): rank intervals, sensitivity, convergence, the audit
annex read from audit.xlsx, the coverage screening in the framework table; the two-series chart."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from dtforum.observatory.report import charts
from dtforum.observatory.report.audit import read_audit
from dtforum.observatory.report.render import report_html, write_report

from .conftest import add_robustness


def _section(html: str, section: str) -> str:
    start = html.index(f'<section class="chapter" id="{section}">')
    return html[start:html.index("</section>", start)]


def _write_audit(path, *, drop_sheet: str | None = None, drop_column: str | None = None):
    """A small audit.xlsx shaped like robustness._write_audit's (index column first)."""
    stats = pd.DataFrame({
        "n": [3, 3], "availability": [1.0, 1.0], "mean": [59.4, 0.6], "sd": [31.2, 0.105], "min": [20.0, 0.49],
        "max": [90.5, 0.7], "median": [72.7, 0.6], "skewness": [-0.9, 0.2], "kurtosis": [-1.5, -1.0],
        "share_zero": [0.0, 0.0], "share_unique": [1.0, 0.33], "flag_availability": [False, False],
        "flag_skew_kurt": [False, False], "flag_zero": [False, False], "flag_unique": [False, True],
        "flagged": [False, True]}, index=pd.Index(["IT.NET.USER.ZS", "HCI"]))
    flags = pd.DataFrame({"level": ["indicator-indicator"], "group": ["connectivity"], "x": ["IT.NET.USER.ZS"],
                          "y": ["IT.NET.BBND.P2"], "r": [0.953], "n": [3], "flag": ["collinear"]})
    pca = pd.DataFrame({"n_components": [2, 2], "n_units": [3, 3], "explained": [0.876, 0.812],
                        "cronbach_alpha": [0.71, 0.64], "loadings": ['{"a": 0.7}', '{"b": 0.7}']},
                       index=pd.Index(["connectivity", "index"]))
    sheets = {"indicator_statistics": stats, "correlation_flags": flags, "pca_alpha": pca}
    if drop_column:
        sheets["pca_alpha"] = pca.drop(columns=drop_column)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, table in sheets.items():
            if name != drop_sheet:
                table.to_excel(writer, sheet_name=name, index=not isinstance(table.index, pd.RangeIndex))
    return path


def test_read_audit_values(tmp_path):
    audit = read_audit(_write_audit(tmp_path / "audit.xlsx"))
    hci = audit["indicators"][1]
    assert (hci["code"], hci["n"], hci["mean"], hci["flags"]) == ("HCI", 3, 0.6, ["flag_unique"])
    assert audit["indicators"][0]["flags"] == []
    assert audit["correlation_flags"] == [{"level": "indicator-indicator", "group": "connectivity",
                                           "x": "IT.NET.USER.ZS", "y": "IT.NET.BBND.P2", "r": 0.953,
                                           "flag": "collinear"}]
    assert [(p["level"], p["explained"], p["cronbach_alpha"]) for p in audit["pca"]] == [
        ("connectivity", 0.876, 0.71), ("index", 0.812, 0.64)]


def test_read_audit_missing_file_sheet_or_column(tmp_path):
    assert read_audit(tmp_path / "none.xlsx") is None
    with pytest.raises(ValueError, match=r"audit\.xlsx: no sheet 'correlation_flags'"):
        read_audit(_write_audit(tmp_path / "audit.xlsx", drop_sheet="correlation_flags"))
    with pytest.raises(ValueError, match=r"audit2\.xlsx, sheet 'pca_alpha': missing column\(s\) cronbach_alpha"):
        read_audit(_write_audit(tmp_path / "audit2.xlsx", drop_column="cronbach_alpha"))


def test_report_robustness_and_convergence_sections(edition):
    add_robustness(edition)
    html = report_html(edition, "en")
    robustness = _section(html, "robustness")
    assert "the index was recomputed 10,000 times" in robustness
    # aggregation: S1 0.741 -> 0.74, CI 0.069 -> 0.07; ST 0.869 -> 0.87, CI 0.072 -> 0.07
    assert ('<tr data-input="aggregation"><th scope="row">Aggregation</th><td class="num"><bdi dir="ltr">0.74</bdi>'
            '</td><td class="num"><bdi dir="ltr">0.07</bdi></td><td class="num"><bdi dir="ltr">0.87</bdi></td>'
            '<td class="num"><bdi dir="ltr">0.07</bdi></td></tr>') in robustness
    assert '<th scope="row">Outlier treatment</th><td class="num"><bdi dir="ltr">\u22120.01</bdi>' in robustness
    conv = _section(html, "convergence")
    # CV axis: nice_ticks(0.5) = 0 … 0.5; 2022 members 0.4 -> x = 10 + 280 * 0.4 / 0.5 = 234.0, world 0.5 -> 290.0
    row = re.search(r'<tr class="bar" data-key="2022".*?</tr>', conv, re.DOTALL).group(0)
    assert '<td class="num"><bdi dir="ltr">0.400</bdi></td><td class="num"><bdi dir="ltr">0.500</bdi></td>' in row
    assert '<circle cx="234.0" cy="7.0" r="3.5" fill="#1f6f8b" data-mark="s0"/>' in row
    assert '<path d="M290.0 3.0L294.0 7.0L290.0 11.0L286.0 7.0Z" fill="#e07b39" data-mark="s1"/>' in row
    index = re.search(r'<tr data-area="index">.*?</tr>', conv, re.DOTALL).group(0)
    cells = re.findall(r'<td class="num"><bdi dir="ltr">(.*?)</bdi></td>', index)
    # members CV 2022 0.4, 2024 0.3; world 0.5, 0.5; beta slope -0.0421 -> -0.042, p 0.012
    assert cells == ["0.400", "0.300", "0.500", "0.500", "\u22120.042", "0.012"]
    assert index.endswith("<td>yes</td></tr>")
    # connectivity has no world series and no beta row: dashes, not zeros
    conn = re.search(r'<tr data-area="connectivity">.*?</tr>', conv, re.DOTALL).group(0)
    assert conn.count('<bdi dir="ltr">\u2013</bdi>') == 4 and conn.endswith("<td>\u2013</td></tr>")
    assert 'Human Capital Index (<bdi dir="ltr">HCI</bdi>, last observed <bdi>2020</bdi>)' in conv


def test_report_framework_marks_excluded_indicators_and_direction(edition):
    add_robustness(edition)
    html = _section(report_html(edition, "fr"), "framework")
    row = re.search(r'<tr data-code="IP.PAT.RESD".*?</tr>', html, re.DOTALL).group(0)
    assert 'class="excluded" data-excluded="true"' in row
    # coverage 0.25 -> "25 %"; threshold indicator_min 0.66 -> "66 %"
    assert '<bdi dir="ltr">25 %</bdi>' in row and "exclu : couverture inférieure au seuil (<bdi dir=\"ltr\">66 %</bdi>)" in row
    assert '<td data-direction="1">plus haut est meilleur</td>' in row
    kept = re.search(r'<tr data-code="IT.NET.BBND.P2".*?</tr>', html, re.DOTALL).group(0)
    assert "excluded" not in kept and '<bdi dir="ltr">75 %</bdi>' in kept and "<td>utilisé</td>" in kept
    assert "1 indicateur du cadre a été écarté de cette édition" in html
    assert "<bdi>pour 100 habitants</bdi>" in kept  # unit through the catalog


def test_report_tiers_divide_note_and_intervals_in_language(edition):
    add_robustness(edition)
    html = report_html(edition, "fr")
    summary = _section(html, "summary")
    # counts {leading: 1, advancing: 0, emerging: 2} in the order of labels [emerging, advancing, leading]
    assert re.findall(r'<tr><th scope="row">(.*?)</th><td class="num"><bdi dir="ltr">(\d)</bdi>', summary) == [
        ("Émergent", "2"), ("En progression", "0"), ("En tête", "1")]
    assert "Méthode : seuils fixes" in summary
    assert "Valeurs brutes, dernière année de la fenêtre." in _section(html, "divide")
    ranking = _section(html, "ranking")
    assert re.search(r'<tr data-iso3="EGY">\s*<td class="num"><bdi dir="ltr">3</bdi></td>\s*'
                     r'<td class="num interval"><bdi dir="ltr">2–3</bdi></td>', ranking)


def test_write_report_reads_the_audit_of_its_folder(edition, tmp_path):
    add_robustness(edition)
    html = report_html(edition, "en")
    assert "No statistical audit was written for this edition." in html
    _write_audit(tmp_path / "audit.xlsx")
    write_report(edition, tmp_path, languages=("en",), pdf_languages=())
    annex = _section((tmp_path / "report.en.html").read_text(encoding="utf-8"), "audit")
    hci = re.search(r'<tr data-code="HCI">.*?</tr>', annex, re.DOTALL).group(0)
    assert "Human Capital Index" in hci and '<span class="tag">few unique values</span>' in hci
    assert '<td class="num"><bdi dir="ltr">0.60</bdi></td>' in hci  # mean 0.6
    # pair names from the framework, r 0.953 -> 0.95
    assert ('<th scope="row">Improving digital connectivity</th><td>Internet users</td>'
            '<td>Fixed broadband subscriptions</td><td class="num"><bdi dir="ltr">0.95</bdi></td>'
            '<td>collinear</td>') in annex
    # PCA: 0.876 -> 88 %, alpha 0.71; the index row named "Index"
    assert ('<tr data-level="index"><th scope="row">Index</th><td class="num"><bdi dir="ltr">2</bdi></td>'
            '<td class="num"><bdi dir="ltr">81 %</bdi></td><td class="num"><bdi dir="ltr">0.64</bdi></td>') in annex
    assert '<bdi dir="ltr">88 %</bdi>' in annex


def test_series_chart_mirrors_in_arabic_and_checks_lengths():
    html = charts.series_chart(["2023", "2024"], [("members", [0.2, None]), ("world", [0.25, 0.5])],
                               language="ar", chart_id="t", headers=("year", "m", "w"))
    # RTL axis 0 … 0.5: x = 10 + 280 * (1 - v / 0.5); 0.2 -> 178.0, 0.25 -> 150.0, 0.5 -> 10.0
    assert '<circle cx="178.0"' in html and 'M150.0 3.0' in html and 'M10.0 3.0' in html
    assert html.count('data-mark="s0"') == 1  # no mark for the missing 2024 member value
    with pytest.raises(ValueError, match="series 'world' has 1 values for 2 labels"):
        charts.series_chart(["a", "b"], [("m", [1, 2]), ("world", [1])], language="en", chart_id="t",
                            headers=("x", "m", "w"))
    with pytest.raises(ValueError, match="3 series; expected 1 or 2"):
        charts.series_chart(["a"], [("a", [1])] * 3, language="en", chart_id="t", headers=("x", "a", "b", "c"))
