"""Arabic-aware match keys and highlighting (C20, C22)."""
from __future__ import annotations

import unicodedata

import pytest

from dtforum.core.arabic import excerpt, find_spans, highlight, keyed, matches, search_key

TITLE = "أَحْمَـــد يُشارِك في الاجتماع"


@pytest.mark.parametrize("query", ["احمد", "أحمد", "إحمد", "الإجتماع"])
def test_c20_hamza_harakat_tatweel_do_not_block_a_match(query):
    assert matches(TITLE, query)
    # The key drops harakat (U+064E, U+0652...) and the three tatweels; hamza on alef folds to alef.
    assert search_key(TITLE) == "احمد يشارك في الاجتماع"
    marked = highlight(TITLE, query)
    word = "أَحْمَـــد" if "حمد" in query else "الاجتماع"
    # The original word, with its harakat and tatweel, is inside the mark; the rest is unchanged.
    assert marked == TITLE.replace(word, f"<mark>{word}</mark>")


def test_c22_decomposed_hamza_from_pdf_text():
    document = "ا\u0654حمد"     # alef, combining hamza above, then حمد
    # Per-character NFKC leaves the alef and U+0654 apart; NFKC over the whole string composes U+0623.
    assert "".join(unicodedata.normalize("NFKC", c) for c in document) == document
    assert unicodedata.normalize("NFKC", document) == "أحمد"
    for query in ("أحمد", "احمد"):
        assert matches(document, query)
        assert highlight(document, query) == f"<mark>{document}</mark>"   # the whole original, U+0654 included


@pytest.mark.parametrize("text, key", [
    ("مستشفى", "مستشفي"),                # alef maqsura -> ya
    ("الدولة", "الدوله"),                  # ta marbuta -> ha
    ("مسؤول", "مسوول"), ("رئيس", "رييس"),  # hamza on waw / ya folded by default
    ("آمنة", "امنه"), ("ٱلله", "الله"),     # madda and wasla on alef
    ("Égypte CÔTE d'Ivoire", "egypte cote d'ivoire"),
    ("٢٠٢٤ ۱۴۰۳", "2024 1403"),           # Arabic-Indic and Eastern Arabic-Indic digits
    ("\ufefb", "لا"),                      # presentation-form ligature unfolded by NFKC
])
def test_search_key_folds(text, key):
    assert search_key(text) == key


def test_carriers_can_be_kept():
    assert search_key("مسؤول رئيس", fold_carriers=False) == "مسؤول رئيس"
    assert search_key("أحمد", fold_carriers=False) == "احمد"


@pytest.mark.parametrize("text", [TITLE, "ا\u0654حمد", "Straße Ǆ \ufefb", "한국어 ᄀ\u1161", "َabc", ""])
def test_keyed_equals_whole_string_key(text):
    key, spans = keyed(text)
    assert key == search_key(text)
    assert len(spans) == len(key)


def test_highlight_escapes_html_and_marks_every_word():
    text = 'Égypte <b>"OIC"</b> & égypte'
    assert highlight(text, "EGYPTE") == ("<mark>Égypte</mark> &lt;b&gt;&quot;OIC&quot;&lt;/b&gt; &amp; "
                                         "<mark>égypte</mark>")
    assert highlight(text, "egypte absent") == 'Égypte &lt;b&gt;&quot;OIC&quot;&lt;/b&gt; &amp; égypte'
    # Words "bc" and "ab": "ab" at 0-2 and 4-6, "bc" at 1-3 and 5-7; overlapping occurrences merge.
    assert find_spans("abc abc", "bc ab") == [(0, 3), (4, 7)]
    assert find_spans("abc abc", "bc xy") == []           # every word must occur
    assert not matches(text, "  ")


def test_excerpt_cuts_at_spaces_around_the_first_match():
    text = " ".join(f"w{i}" for i in range(40)) + " الاجتماع " + " ".join(f"z{i}" for i in range(40))
    out = excerpt(text, "الإجتماع", context=10)
    # 10 characters either side of the match, widened to whole words: "w37 w38 w39" and "z0 z1 z2".
    assert out == "… w37 w38 w39 <mark>الاجتماع</mark> z0 z1 z2 …"
