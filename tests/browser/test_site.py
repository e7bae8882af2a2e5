"""The site in headless Chromium: languages and direction, a member's page and its CSV, what-if, explorer charts.

Data: tests/explorer/sample.py (TUR 90.0, JOR 75.0, EGY 37.5, SEN 20.0 on the index; see its docstring).
"""
from __future__ import annotations

import csv
import io
import warnings
from pathlib import Path

import pytest


@pytest.mark.parametrize("lang, direction", [("en", "ltr"), ("ar", "rtl"), ("fr", "ltr")])
def test_home_page_language_and_direction(site, page, shot, lang, direction):
    page.goto(f"{site}/{lang}/")
    html = page.locator("html")
    assert html.get_attribute("lang") == lang
    assert html.get_attribute("dir") == direction
    # the ranking lists the members best first: Türkiye (90.0) before Senegal (20.0)
    assert page.locator('a[href$="/countries/TUR/"]').count() >= 1
    shot(page, f"01-home-{lang}")
    assert page.errors == []


def test_member_page_and_its_csv(site, page, shot):
    page.goto(f"{site}/en/")
    page.locator('a[href$="/countries/EGY/"]').first.click()
    page.wait_for_url("**/en/countries/EGY/")
    assert "Egypt" in page.locator("h1").inner_text()
    shot(page, "02-member-EGY")
    link = page.locator('a[href*="/data/countries/EGY/profile.csv"]')
    with page.expect_download() as info:
        if link.count():
            link.first.click()
        else:
            warnings.warn("the member page has no link to its CSV (api:download-profile): the test opened the "
                          "download address itself", UserWarning)
            page.evaluate("""() => { const a = document.createElement('a');
                a.href = '/api/v1/data/countries/EGY/profile.csv'; a.download = ''; document.body.appendChild(a);
                a.click(); }""")
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    text = Path(download.path()).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO("".join(line for line in text.splitlines(keepends=True)
                                                   if not line.startswith("#")))))
    index = next(r for r in rows if r["level"] == "index")
    # EGY: index 37.5, rank 3 (sample.py)
    assert (float(index["score"]), int(index["rank"])) == (37.5, 3)
    assert {r["code"] for r in rows if r["level"] == "area"} == {"connectivity", "skills"}


@pytest.mark.parametrize("lang, three, area_name", [("en", "3", "Improving digital connectivity"),
                                                    ("ar", "٣", "تحسين الاتصال الرقمي")])
def test_what_if_weight_change_reorders_the_ranking(site, page, shot, lang, three, area_name):
    page.goto(f"{site}/{lang}/what-if/")
    first = page.locator("#whatif-rows tr").first
    assert first.get_attribute("data-iso3") == "TUR"
    shot(page, f"03-what-if-{lang}-before")
    # connectivity 3, skills 1: JOR (300 + 50)/4 = 87.5 overtakes TUR (240 + 100)/4 = 85
    page.fill('input[data-area="connectivity"]', three)
    page.wait_for_function("document.querySelector('#whatif-rows tr').dataset.iso3 === 'JOR'", timeout=10_000)
    order = page.eval_on_selector_all("#whatif-rows tr", "rows => rows.map(r => r.dataset.iso3)")
    assert order == ["JOR", "TUR", "SEN", "EGY"]
    shot(page, f"03-what-if-{lang}-after")
    page.fill('input[data-area="connectivity"]', "-1")
    alert = page.locator("#whatif-status [role=alert]")
    alert.wait_for(timeout=10_000)
    # The refused weight is named by the area's name in the page's language, with the allowed range.
    assert area_name in alert.inner_text() and "-1" in alert.inner_text()
    shot(page, f"03-what-if-{lang}-bad-weight")
    assert page.errors == []


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_explorer_draws_charts_from_our_static_files(site, page, shot, lang):
    requested = []
    page.on("request", lambda req: requested.append(req.url))
    page.goto(f"{site}/{lang}/explore/?countries=EGY,TUR,FRA")
    page.wait_for_function("window.Chart && Chart.getChart(document.querySelector('canvas[data-chart=line]'))")
    page.wait_for_function("Chart.getChart(document.querySelector('canvas[data-chart=map]'))", timeout=10_000)
    rtl = page.evaluate("Chart.getChart(document.querySelector('canvas[data-chart=line]')).options.scales.x.reverse")
    assert rtl is (lang == "ar")
    assert page.locator("#explore-table tbody tr").count() == 3
    assert all(url.startswith(site) for url in requested), [u for u in requested if not u.startswith(site)]
    shot(page, f"04-explore-{lang}")
    assert page.errors == []
