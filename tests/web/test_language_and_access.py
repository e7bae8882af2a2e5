"""Pages and the report in Arabic and French carry no English UI text; accessibility basics (WCAG 2.1 AA):
skip link, header scopes, language of embedded runs, keyboard focus styles and text contrast of our colours."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

from dtforum.observatory.report.render import report_html

from .conftest import sample

#: English UI words that must not appear in an Arabic or French page outside an element marked ``lang="en"``
#: (each is English-only: none is also a French word).
ENGLISH = ("Rank", "Ranking", "Member state", "Tier", "Leading", "Advancing", "Emerging", "Download", "Search",
           "Skip", "Back to", "Thematic area", "Gap to", "Strongest", "Weakest", "unranked", "interval",
           "higher is better", "lower is better", "Weights", "Robustness", "Sensitivity", "Annex", "Flags",
           "Skewness", "Kurtosis", "Mean", "Standard deviation", "of population", "per 100 people", "no data",
           "members ranked", "median", "Map of", "What if", "Methodology", "Explorer", "Compare", "Members",
           "World", "Year", "excluded", "used", "yes", "Status", "Coverage", "Raw values", "thresholds")


class VisibleText(HTMLParser):
    """Text a reader sees, leaving out ``<style>``, ``<script>``, SVG and elements in another language."""

    VOID = frozenset({"br", "meta", "link", "input", "col", "img", "hr", "path", "rect", "circle", "source"})

    def __init__(self, lang: str):
        super().__init__()
        self.lang, self.stack, self.parts = lang, [], []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        lang = dict(attrs).get("lang")
        hidden = tag in {"style", "script", "svg"} or (lang is not None and lang != self.lang)
        self.stack.append((tag, hidden or bool(self.stack and self.stack[-1][1])))

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if not (self.stack and self.stack[-1][1]):
            self.parts.append(data)


def english_words(html: str, lang: str) -> list[str]:
    parser = VisibleText(lang)
    parser.feed(html)
    text = " ".join(parser.parts)
    return [w for w in ENGLISH if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)]


def test_english_words_detector_finds_english():
    # the detector itself: an English page is caught, a lang="en" run is not
    assert english_words('<p>Rank <span lang="en">Weights</span></p>', "fr") == ["Rank"]


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_no_english_ui_text_in_arabic_and_french(client, edition, lang, tmp_path):
    sample.add_robustness(edition)
    pages = {path: client.get(path).content.decode() for path in (f"/{lang}/", f"/{lang}/countries/EGY/")}
    pages["report"] = report_html(edition, lang, audit=AUDIT)
    found = {name: english_words(html, lang) for name, html in pages.items()}
    assert found == {name: [] for name in pages}


#: Audit tables as read_audit returns them (one flagged indicator, one flagged pair, one area).
AUDIT = {
    "indicators": [{"code": "HCI", "n": 3, "availability": 1.0, "mean": 0.6, "sd": 0.1, "min": 0.49, "max": 0.7,
                    "skewness": 0.2, "kurtosis": -1.0, "flag_availability": False, "flag_skew_kurt": False,
                    "flag_zero": False, "flag_unique": True, "flagged": True, "flags": ["flag_unique"]}],
    "correlation_flags": [{"level": "indicator-indicator", "group": "connectivity", "x": "IT.NET.USER.ZS",
                           "y": "IT.NET.BBND.P2", "r": 0.95, "flag": "collinear"}],
    "pca": [{"level": "connectivity", "n_components": 2, "n_units": 3, "explained": 0.9, "cronbach_alpha": 0.8}],
}


def test_skip_link_search_and_scoped_headers(client, edition):
    sample.add_robustness(edition)
    for path in ("/en/", "/en/countries/EGY/"):
        html = client.get(path).content.decode()
        assert html.index('<a class="skip-link" href="#content">') < html.index("<header")
        assert '<main id="content" tabindex="-1">' in html
        heads = re.findall(r"<thead>.*?</thead>", html, re.DOTALL)
        assert heads and all(re.findall(r'<th(?=[\s>])(?![^>]*(?:scope=|aria-hidden="true"))', h) == [] for h in heads)
    report = report_html(edition, "ar", audit=AUDIT)
    heads = re.findall(r"<thead>.*?</thead>", report, re.DOTALL)
    # chart axes are aria-hidden decoration, every other header cell names its column
    assert all(re.findall(r'<th(?=[\s>])(?![^>]*(?:scope=|aria-hidden="true"))', h) == [] for h in heads)


def test_embedded_runs_carry_their_language(client, edition):
    html = client.get("/ar/").content.decode()
    # the language switcher names each language in itself
    assert 'hreflang="en" lang="en"' in html and 'hreflang="fr" lang="fr"' in html
    report = report_html(edition, "ar")
    # the sources' publisher and title are English text inside the Arabic report
    assert '<td><bdi lang="en">World Bank</bdi></td><td><bdi lang="en">World Development Indicators</bdi></td>' in report


def _css_rules() -> str:
    static = Path(settings.BASE_DIR) / "dtforum" / "observatory" / "static" / "observatory"
    return "\n".join((static / name).read_text(encoding="utf-8") for name in ("common.css", "site.css"))


def test_focus_is_visible_for_keyboard_users():
    css = _css_rules()
    assert re.search(r"a:focus-visible[^{]*\{[^}]*outline: 3px solid", css)
    assert re.search(r"\.skip-link:focus \{ top: 0\.5rem; \}", css)
    assert "nav.main a { margin-inline-end: 0.8rem; }" in css


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour ``#rrggbb``."""
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio (L1 + 0.05) / (L2 + 0.05)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_contrast_formula_on_known_pairs():
    # black on white is 21:1; #777777 on white is the classic 4.48:1 just below AA
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_text_colours_meet_aa_contrast():
    css = _css_rules()
    var = dict(re.findall(r"--([\w-]+): (#[0-9a-fA-F]{6})", css))
    colour = lambda name: var[name]
    pos = re.search(r"\.pos \{ color: (#[0-9a-f]{6})", css).group(1)
    neg = re.search(r"\.neg \{ color: (#[0-9a-f]{6})", css).group(1)
    stripe = re.search(r"tbody tr:nth-child\(even\) \{ background: (#[0-9a-f]{6})", css).group(1)
    error_bg = re.search(r"\.error-box \{[^}]*background: (#[0-9a-f]{6})", css).group(1)
    pairs = {  # text, background: where our text colours stand
        "body text": (colour("ink"), "#ffffff"), "muted text": (colour("muted"), "#ffffff"),
        "muted in headers": (colour("muted"), colour("bg-alt")), "muted on striped rows": (colour("muted"), stripe),
        "links": (colour("accent"), "#ffffff"), "links on striped rows": (colour("accent"), stripe),
        "gap above": (pos, stripe), "gap below": (neg, stripe), "header": ("#ffffff", colour("ink")),
        "tags": (colour("ink"), colour("bg-alt")), "error box": (colour("ink"), error_bg),
    }
    ratios = {name: round(contrast(*pair), 2) for name, pair in pairs.items()}
    assert {name: r for name, r in ratios.items() if r < 4.5} == {}
