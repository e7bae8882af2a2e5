"""The status report of the small edition (tests/report/conftest.py): content, RTL, numbers, PDF, CASE C24."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from dtforum.observatory import selectors
from dtforum.observatory.report.render import report_html, write_report


def _pdftotext(path: Path, *args: str) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (Debian poppler-utils) is needed to read the PDF; `make sysdeps` installs it")
    return subprocess.run(["pdftotext", *args, str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_selectors_ranking_and_profiles(edition):
    rows = selectors.edition_ranking(edition)
    # competition ranks 1, 2, 3; Niger has no score and comes last, unranked (CASE C09)
    assert [(r.iso3, r.rank) for r in rows] == [("JOR", 1), ("TUR", 2), ("EGY", 3), ("NER", None)]
    assert rows[0].areas == {"connectivity": 90.0, "skills": 70.0}
    skills = selectors.edition_ranking(edition, "skills")
    assert [r.iso3 for r in skills][:3] == ["TUR", "JOR", "EGY"]  # 71.0 > 70.0 > 50.5
    with pytest.raises(ValueError, match="unknown area 'nope'"):
        selectors.edition_ranking(edition, "nope")

    p = selectors.member_profile(edition, "egy", "fr")
    assert p.name == "Égypte" and p.index.rank == 3 and p.members_ranked == 3
    assert p.index.gaps["gap_oic_median"] == pytest.approx(-25.25)  # 40.25 - 65.5
    assert p.index.gaps["gap_oic_best"] == pytest.approx(-39.75)  # 40.25 - 80.0
    # three scored indicators -> one strongest (75.0) and one weakest (12.5), never the same
    assert [x.code for x in p.strongest] == ["IT.NET.USER.ZS"]
    assert [x.code for x in p.weakest] == ["IT.NET.BBND.P2"]
    assert p.strongest[0].name == "Utilisateurs d'Internet"
    with pytest.raises(selectors.ProfileNotFound) as err:
        selectors.member_profile(edition, "FRA")
    assert err.value.reason == "not_member"
    with pytest.raises(selectors.ProfileNotFound) as err:
        selectors.member_profile(edition, "XYZ")
    assert err.value.reason == "unknown"
    assert selectors.summarise_ranking(rows)["median"] == 65.5


def test_report_html_ranking_order_and_sections(edition):
    html = report_html(edition, "en")
    ranking = html[html.index('id="ranking"'):html.index('id="areas"')]
    rows = re.findall(r'<tr data-iso3="(\w+)">', ranking)
    assert rows == ["JOR", "TUR", "EGY", "NER"]
    assert "unranked" in ranking
    for section in ("summary", "framework", "ranking", "areas", "map", "gaps", "divide", "profiles",
                    "methodology"):
        assert f'<section class="chapter" id="{section}"' in html
    # one profile page per member (4), none for the comparison economy or the aggregate
    assert re.findall(r'<section class="profile" id="p-(\w+)"', html) == ["EGY", "JOR", "NER", "TUR"]
    assert "<link" not in html and "<style>" in html  # self-contained
    assert "CC BY 4.0" in html and "World Development Indicators" in html
    # the gap table: Egypt 40.25 - 65.5 = -25.25 -> "−25.2" (half-even), Jordan +14.5
    gaps = html[html.index('id="gaps"'):html.index('id="divide"')]
    assert '<bdi dir="ltr">\u221225.2</bdi>' in gaps and "<bdi dir=\"ltr\">+14.5</bdi>" in gaps
    # the ranking chart: three bars (Niger has no score) in rank order, the top three highlighted (all three
    # here), the dashed OIC median (65.5) at x = 10 + 280 * 0.655 = 193.4
    chart = re.search(r'<figure class="chart" data-chart="ranking">.*?</figure>', html, re.DOTALL).group(0)
    assert re.findall(r'<tr class="bar" data-key="(\w+)" data-value="([\d.]+)" tabindex="0">', chart) == [
        ("JOR", "80.0"), ("TUR", "65.5"), ("EGY", "40.25")]
    assert chart.count('d="M193.4 0V14"') == 3 and 'OIC median (<bdi dir="ltr">65.5</bdi>)' in chart
    # area charts: skills in its own order, 71.0 > 70.0 > 50.5, with its median 70.0 at x = 206.0
    skills = re.search(r'data-chart="area-skills">.*?</figure>', html, re.DOTALL).group(0)
    assert re.findall(r'data-key="(\w+)"', skills) == ["TUR", "JOR", "EGY"] and 'd="M206.0 0V14"' in skills
    # Egypt's profile chart: connectivity 30.0 (bar 84.0 px), OIC median 60 (x = 178.0), best 90 (x = 262.0)
    profile = re.search(r'data-chart="profile-EGY">.*?</figure>', html, re.DOTALL).group(0)
    assert 'width="84.0"' in profile and 'd="M178.0 1V13"' in profile and 'd="M262.0 3.0L' in profile
    assert 'data-chart="profile-NER"' not in html  # no score, no chart
    # ids unique across the whole page although it inlines many charts
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def test_report_html_arabic_is_rtl_with_isolated_numbers(edition):
    html = report_html(edition, "ar")
    assert '<html lang="ar" dir="rtl">' in html
    assert "تحسين الاتصال الرقمي" in html  # area name from the framework, in Arabic
    assert "الأردن" in html and "مصر" in html
    assert "<bdi dir=\"ltr\">80.0</bdi>" in html  # numbers isolated for the bidi algorithm (CASE C24)
    assert "<bdi dir=\"ltr\">IT.NET.USER.ZS</bdi>" in html
    # the chart labels are HTML text (shaped by the browser or WeasyPrint), the bars mirrored: Jordan's
    # 80.0 runs from x = 10 + 280 * 0.2 = 66.0 to the axis 0 at x = 290 on the right
    assert '<tr class="bar" data-key="JOR" data-value="80.0" tabindex="0"><th scope="row">الأردن</th>' in html
    assert '<rect x="66.0" y="2.5" width="224.0"' in html


def test_report_html_french_numbers(edition):
    html = report_html(edition, "fr")
    assert '<html lang="fr" dir="ltr">' in html
    assert "<bdi dir=\"ltr\">40,2</bdi>" in html and '<bdi dir="ltr">\u221225,2</bdi>' in html
    assert "Jordanie" in html


def test_write_report_files_and_pdf(edition, tmp_path):
    messages = []
    files = write_report(edition, tmp_path, languages=("en", "ar"), pdf_languages=("en", "ar"),
                         progress=messages.append)
    # HTML first, then the two PDFs laid out in two processes
    assert [f.name for f in files] == ["report.en.html", "report.ar.html", "report.en.pdf", "report.ar.pdf"]
    pdf = tmp_path / "report.en.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    pages = next(m for m in messages if m.startswith("report.en.pdf"))
    # cover, 8 chapters, 4 profile pages at least: 13 pages or more
    assert int(re.search(r"(\d+) pages", pages).group(1)) >= 13
    text = _pdftotext(pdf)
    assert text.index("Jordan") < text.index("Egypt")
    assert "Digital Transformation Index" in text
    assert "مصر" in _pdftotext(tmp_path / "report.ar.pdf")
    with pytest.raises(ValueError, match="PDF languages \\['fr'\\]"):
        write_report(edition, tmp_path, languages=("en",), pdf_languages=("fr",))


def test_c24_weasyprint_bidi_rtl_heading_with_latin_and_digits(tmp_path):
    """CASE C24: in an RTL paragraph starting with a Latin word, "ITU" stands at the right end and "2024" at
    the left end of the heading; "45.6%" is after (left of) the colon. Positions read from the PDF."""
    import weasyprint

    html = ('<html lang="ar" dir="rtl"><head><style>body{font-family:"Noto Naskh Arabic","DejaVu Sans"}'
            '</style></head><body><h1>ITU مؤشر الاتصال 2024</h1><p>القيمة: 45.6%</p></body></html>')
    pdf = tmp_path / "c24.pdf"
    weasyprint.HTML(string=html).write_pdf(pdf)
    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]+)</word>',
                       _pdftotext(pdf, "-bbox"))
    heading = sorted((float(x0), float(x1), w) for x0, y0, x1, w in words if float(y0) < 120)
    assert heading[-1][2] == "ITU", heading  # right end
    assert heading[0][2] == "2024", heading  # left end
    value = {w: (float(x0), float(x1)) for x0, y0, x1, w in words if float(y0) >= 120}
    # poppler writes the run as "%45.6" or "45.6%" depending on its own reordering; its box is what counts
    number = next(v for w, v in value.items() if "45.6" in w)
    label = next(v for w, v in value.items() if "45.6" not in w)  # "القيمة:" (extracted in visual order)
    assert number[1] <= label[0], value  # the number is left of the label, i.e. after it in reading order


def test_arabic_pdf_chart_rows_read_right_to_left(edition, tmp_path):
    """The Arabic PDF's charts keep real, shaped text (no images): on the ranking chart's row of Egypt the
    name stands rightmost and its score "40.2" to its left (the bar further left is drawn, not text)."""
    write_report(edition, tmp_path, languages=("ar",), pdf_languages=("ar",))
    html = (tmp_path / "report.ar.html").read_text(encoding="utf-8")
    assert "<img" not in html and 'data-chart="ranking"' in html
    assert '<ul class="map-legend">' in html and "عضو بلا درجة" in html
    pages = _pdftotext(tmp_path / "report.ar.pdf", "-bbox").split("<page ")
    # poppler writes Arabic words in visual order, letters reversed: "الترتيب" (ranking) -> "بيترتلا"
    page = next(p for p in pages if ">بيترتلا<" in p and ">رصم<" in p)  # not the contents page
    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]+)</word>', page)
    name = min((w for w in words if w[3] == "مصر"[::-1]), key=lambda w: float(w[1]))  # topmost: the chart
    score = next(w for w in words if w[3] == "40.2" and abs(float(w[1]) - float(name[1])) < 3)
    assert float(score[2]) < float(name[0]), (score, name)
