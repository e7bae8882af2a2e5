"""Defects found by a new user's review of the report and pages (sources, Arabic PDF text, page layout, order of
the profiles, imputed strengths, chart spacing, methodology in words), each with the test that would have caught
it. PDF tests lay out the small edition of ``conftest.py`` with WeasyPrint and read it back with poppler's
``pdftotext``."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.utils import translation

from dtforum.members.models import Economy
from dtforum.observatory import selectors
from dtforum.observatory.models import Edition, Indicator, IndicatorResult, Score, Source
from dtforum.observatory.report import charts
from dtforum.observatory.report.pdf import write_pdf
from dtforum.observatory.report.render import report_html, stage_sentences

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def _section(html: str, start: str, end: str) -> str:
    i = html.index(start)
    return html[i:html.index(end, i)]


# --- 1. sources: the framework's per-indicator source, not Indicator.source ---------------------------------

def test_sources_are_the_frameworks_not_the_indicators_first(edition):
    sources = selectors.edition_sources(edition)
    # ordered by publisher: "UN DESA" < "World Bank"; HCI's Indicator row points at the 2010 survey (unegov2010)
    assert [(s.code, s.indicator_codes) for s in sources] == [
        ("unegov", ["HCI"]), ("wdi", ["IT.NET.USER.ZS", "IT.NET.BBND.P2"])]
    html = report_html(edition, "en")
    table = _section(html, 'class="sources"', "</table>")
    assert "UN E-Government Survey 2024" in table and "2010" not in table
    assert re.search(r'data-source="unegov">.*?<bdi dir="ltr">HCI</bdi>', table)


def test_profile_lines_carry_the_frameworks_source(edition):
    p = selectors.member_profile(edition, "EGY", "en")
    assert {x.code: x.source.code for x in p.indicators} == {
        "IT.NET.USER.ZS": "wdi", "IT.NET.BBND.P2": "wdi", "HCI": "unegov"}


def test_framework_source_not_ingested_is_named(edition):
    methodology = dict(edition.methodology)
    methodology["areas"] = [dict(a) for a in methodology["areas"]]
    methodology["areas"][1]["indicators"] = [dict(methodology["areas"][1]["indicators"][0], source="un_egov.2030")]
    edition.methodology = methodology
    with pytest.raises(LookupError, match=r"edition 2024: .*indicator HCI names source 'un_egov.2030'"):
        selectors.edition_sources(edition)


# --- 4. profiles in the order of the report's language -------------------------------------------------------

def test_name_sort_key_french_and_arabic():
    fr = ["Ouzbékistan", "Égypte", "Émirats arabes unis", "Djibouti", "Oman"]
    # accents removed: egypte < emirats; ouzbekistan after oman ("m" < "u")
    assert sorted(fr, key=lambda n: selectors.name_sort_key(n, "fr")) == [
        "Djibouti", "Égypte", "Émirats arabes unis", "Oman", "Ouzbékistan"]
    # article dropped, hamza folded: الأردن -> اردن, أفغانستان -> افغانستان, النيجر -> نيجر;
    # ا (U+0627) < ت (U+062A) < م (U+0645) < ن (U+0646), and ر (U+0631) < ف (U+0641)
    ar = ["مصر", "النيجر", "أفغانستان", "تركيا", "الأردن"]
    assert sorted(ar, key=lambda n: selectors.name_sort_key(n, "ar")) == [
        "الأردن", "أفغانستان", "تركيا", "مصر", "النيجر"]


def test_profiles_follow_the_report_language(edition):
    order = {lang: [p.iso3 for p in selectors.member_profiles(edition, lang)] for lang in ("en", "fr", "ar")}
    assert order["en"] == ["EGY", "JOR", "NER", "TUR"]
    # Égypte, Jordanie, Niger, Türkiye (É sorts as E, not after Z as its code point would)
    assert order["fr"] == ["EGY", "JOR", "NER", "TUR"]
    # الأردن (اردن), تركيا, مصر, النيجر (نيجر) — the English order would give EGY first
    assert order["ar"] == ["JOR", "TUR", "EGY", "NER"]
    html = report_html(edition, "ar")
    assert re.findall(r'class="profile" id="p-([A-Z]{3})"', html) == order["ar"]


# --- 5. imputed values are never a strength or a weakness ----------------------------------------------------

def test_imputed_values_are_not_strongest_or_weakest(edition):
    IndicatorResult.objects.filter(edition=edition, economy__iso3="EGY", indicator__code="IT.NET.USER.ZS").update(
        imputed=True)
    p = selectors.member_profile(edition, "EGY", "en")
    # measured: BBND 12.5 and HCI 50.5 -> n = min(3, 2 // 2) = 1: strongest HCI, weakest BBND;
    # before, the imputed 75.0 of IT.NET.USER.ZS was the strongest
    assert [x.code for x in p.strongest] == ["HCI"]
    assert [x.code for x in p.weakest] == ["IT.NET.BBND.P2"]
    profile = _section(report_html(edition, "en"), 'id="p-EGY"', "</section>")
    assert "IT.NET.USER.ZS" not in profile
    assert "imputed values are not listed" in profile


# --- 6. profile and divide charts: rows apart ------------------------------------------------------------------

def test_profile_and_divide_rows_are_spaced(edition):
    p = selectors.member_profile(edition, "EGY", "en")
    chart = charts.member_profile_chart(p, "en")
    # 22 px rows, marks centred: offset (22 - 14) / 2 = 4
    assert chart.count('height="22" viewBox="0 0 300 22"') == 2
    assert '<g transform="translate(0 4.0)">' in chart
    # the grid runs the whole row: M x 0 V 22
    assert "M10.0 0V22" in chart
    ranking = charts.bar_chart(["A"], [50.0], language="en", chart_id="r")
    assert 'height="14"' in ranking and "translate" not in ranking


# --- 7. methodology as sentences in the page's language --------------------------------------------------------

REAL_STAGES = {"reference_year": 2024, "window": 5, "coverage": {"indicator_min": 0.66, "unit_min": 0.66},
               "stages": {"imputation": {"method": "group_median", "group": "income_group", "fallback": "median"},
                          "treatment": {"skew": 2.0, "kurtosis": 3.5, "max_winsorised": 5, "then": "log"},
                          "normalisation": {"method": "minmax", "low": 0, "high": 100},
                          "aggregation": {"indicators": "arithmetic", "areas": "arithmetic"},
                          "zero_variance": "error"}}


def test_stage_sentences_english():
    with translation.override("en"):
        rows = dict(stage_sentences(REAL_STAGES, "en"))
    assert rows["Imputation"] == "median of the member's income group; members' median where the group has none"
    assert rows["Data selection"] == "latest value of each indicator in the 5 years up to the reference year 2024"
    assert rows["Coverage screening"].startswith("an indicator is used when at least 66 % of the members")
    assert rows["Outlier treatment"] == ("an indicator whose absolute skewness exceeds 2.0 and kurtosis exceeds 3.5 "
                                         "has its extreme values winsorised (at most 5), then, if still skewed, is "
                                         "log-transformed")
    assert rows["Normalisation"] == "min-max, rescaled to 0–100 (higher is better)"
    assert rows["Aggregation"] == "arithmetic mean of the indicators in each area, arithmetic mean of the areas for the index"
    assert list(rows)[-1] == "Indicators without variance"


def test_stage_sentences_french_and_arabic():
    with translation.override("fr"):
        fr = dict(stage_sentences(REAL_STAGES, "fr"))
    assert fr["Imputation"] == ("médiane du groupe de revenu du membre ; médiane des membres là où le groupe n'a "
                                "aucune valeur")
    assert "2,0" in fr["Traitement des valeurs aberrantes"]  # decimal comma
    with translation.override("ar"):
        ar = stage_sentences(REAL_STAGES, "ar")
    # every stage name and sentence in Arabic: no English word of three letters or more left
    assert not [t for row in ar for t in row if re.search(r"[A-Za-z]{3,}", t)]


def test_report_methodology_has_no_raw_specs(edition):
    for lang in ("en", "fr", "ar"):
        table = _section(report_html(edition, lang), 'class="recipe"', "</table>")
        assert "{" not in table and "minmax" not in table, lang


# --- 2 and 3. PDF text and layout ------------------------------------------------------------------------------

def _pdftotext(pdf: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@needs_pdftotext
def test_c24_arabic_pdf_text_extracts_latin_words_and_numbers(edition, tmp_path):
    html = report_html(edition, "ar")
    pdf = tmp_path / "report.ar.pdf"
    write_pdf(html, pdf)
    text = _pdftotext(pdf)
    # a code, a score (Egypt 40.25 -> "40.2", half-even), a scale in brackets and an English source title.
    # The scale: before, "(" came out as ")" (a glyph shared with the mirrored brackets of Arabic text has one
    # ToUnicode entry) and read ")100–0(" or "(<LRE>)0–100"; pdftotext itself may still move the closing bracket
    # to the other end of the left-to-right run, so only the opening one is checked.
    for exact in ("IT.NET.USER.ZS", "IT.NET.BBND.P2", "40.2", "80.0", "(0–100", "World Development Indicators"):
        assert exact in text, exact
    # every Latin word or number of the HTML text comes back whole (no letter or digit dropped)
    body = re.sub(r"<(style|svg)\b.*?</\1>", " ", html, flags=re.DOTALL)
    words = set(re.findall(r"[A-Za-z0-9][A-Za-z0-9.]*[A-Za-z0-9]", re.sub(r"<[^>]+>", " ", body)))
    assert words - set(re.findall(r"[A-Za-z0-9][A-Za-z0-9.]*[A-Za-z0-9]", text)) == set()


def _framework_edition() -> Edition:
    """The real framework file (seven areas, long names) with made-up scores for three members, to lay out the
    report's widest table and fullest profile pages: every member has a rank interval and a tier (four summary
    cards) and six scored indicators with the framework's longest names."""
    framework = yaml.safe_load((Path(settings.BASE_DIR) / "methodology" / "2024.yaml").read_text(encoding="utf-8"))
    areas = framework["areas"]
    edition = Edition.objects.get(code="2024")
    edition.methodology = framework
    edition.save()
    Score.objects.filter(edition=edition).exclude(area="index").delete()
    IndicatorResult.objects.filter(edition=edition).delete()
    for code in {i["source"] for a in areas for i in a["indicators"]}:
        Source.objects.get_or_create(code=code, defaults={"publisher": "P", "title": code, "path": code})
    longest = sorted((i for a in areas for i in a["indicators"]), key=lambda i: -len(i["name"]["en"]))[:6]
    area_of = {i["code"]: a["code"] for a in areas for i in a["indicators"]}
    for n, (iso3, index) in enumerate((("JOR", 80.0), ("TUR", 65.5), ("EGY", 40.25))):
        economy = Economy.objects.get(iso3=iso3)
        Score.objects.filter(edition=edition, economy=economy, area="index").update(
            rank_q05=n + 1, rank_q95=n + 2, tier="developing")
        for k, a in enumerate(areas):
            Score.objects.create(edition=edition, economy=economy, area=a["code"], score=100.0 - 10 * k - n,
                                 rank=n + 1, gap_oic_median=-10.0, gap_oic_best=-20.0, gap_income_median=1.0,
                                 gap_group_median=2.0, gap_world_median=3.0)
        for k, ind in enumerate(longest):
            indicator, _ = Indicator.objects.get_or_create(code=ind["code"], defaults={"name_en": ind["code"]})
            IndicatorResult.objects.create(edition=edition, economy=economy, indicator=indicator,
                                           area=area_of[ind["code"]], raw_value=1.0, normalised_value=90.0 - 15 * k)
    return edition


@needs_pdftotext
def test_english_pdf_fits_the_page_and_one_page_per_profile(edition, tmp_path):
    edition = _framework_edition()
    html = report_html(edition, "en")
    pdf = tmp_path / "report.en.pdf"
    write_pdf(html, pdf)
    pages = _pdftotext(pdf).split("\f")
    # profiles (ordered by name): Egypt, Jordan, Niger, Türkiye, each on one page, then the methodology
    heads = [next(i for i, p in enumerate(pages) if re.search(rf"^{name} {iso3}$", p, flags=re.MULTILINE))
             for name, iso3 in (("Egypt", "EGY"), ("Jordan", "JOR"), ("Niger", "NER"), ("Türkiye", "TUR"))]
    methodology = next(i for i, p in enumerate(pages) if p.startswith("Methodology and sources"))
    assert [b - a for a, b in zip(heads, [*heads[1:], methodology])] == [1, 1, 1, 1]
    # nothing runs off the right edge: every word, the ranking's last area header included, ends inside the page
    bbox = _pdftotext(pdf, "-bbox")
    width = float(re.search(r'<page width="([\d.]+)"', bbox).group(1))
    assert max(float(x) for x in re.findall(r'xMax="([\d.]+)"', bbox)) <= width
    ranking_page = bbox.split("<page ")[next(i for i, p in enumerate(pages) if p.startswith("Overall ranking")) + 1]
    header_y = float(re.search(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">Rank</word>', ranking_page).group(1))
    header = [(float(x1), w) for y, x1, w in re.findall(r'yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]+)</word>',
                                                       ranking_page) if abs(float(y) - header_y) < 2]
    assert max(header)[1] == "7" and max(header)[0] < width - 40  # 16 mm margin = 45 pt
