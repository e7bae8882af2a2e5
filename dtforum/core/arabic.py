"""Match keys for Arabic-, French- and English-aware search, and highlighting in the original text (C20, C22).

Users type bare letters; stored texts carry hamza forms, harakat, tatweel, accents and Arabic-Indic digits.
The same folding is applied to the stored text and to the query, and only to the *match key*: what is shown is
always the original text, with the matching span marked.

Folding, in order (:func:`search_key`):

1. Unicode NFKC over the whole string (UAX #15). Composition must see the whole string: text extracted from
   PDFs/OCR may write أ as alef + U+0654 HAMZA ABOVE, which composes to U+0623 only when the two are
   normalised together (stella/stella PR #916: per-character NFKC left them apart). NFKC also unfolds
   presentation forms (U+FB50-U+FEFF ligatures and positional forms) and turns no-break spaces into spaces.
2. ``str.casefold`` (Unicode default case folding), for Latin.
3. Hamza carriers folded to the bare letter: أ إ آ ٱ (and the rare ٲ ٳ) -> ا, because users rarely type the
   hamza and writing it on or under alef varies between writers (``الإجتماع`` vs ``الاجتماع``);
   ``ؤ`` -> ``و`` and ``ئ`` -> ``ي`` likewise by default (``fold_carriers=False`` keeps them: they change the
   word less often in practice). A standalone ``ء`` is kept.
4. ``ى`` (alef maqsura) -> ``ي`` and ``ة`` (ta marbuta) -> ``ه``: both are written interchangeably at word end
   in Egyptian and informal spelling (``مصرى``/``مصري``, ``الدولة``/``الدوله``).
5. Combining marks removed after canonical decomposition: the harakat U+064B-U+0652, the superscript alef
   U+0670, Quranic marks, and Latin accents (``é`` -> ``e``, so ``Égypte`` matches ``egypte``).
6. Tatweel (kashida) U+0640 removed: it only stretches a word.
7. Arabic-Indic (U+0660-0669) and Eastern Arabic-Indic (U+06F0-06F9) digits -> ASCII digits.

The same choices are those of Arabic search normalisers in common use (e.g. Lucene's ``ArabicNormalizer``:
hamza on alef, alef maqsura, ta marbuta, tatweel and harakat).
"""
from __future__ import annotations

import html
import unicodedata

_HAMZA_ALEF = {0x0623: "ا", 0x0625: "ا", 0x0622: "ا", 0x0671: "ا", 0x0672: "ا", 0x0673: "ا"}
_CARRIERS = {0x0624: "و", 0x0626: "ي"}
_LETTERS = {0x0649: "ي", 0x0629: "ه", 0x0640: ""}
_DIGITS = {**{0x0660 + i: str(i) for i in range(10)}, **{0x06F0 + i: str(i) for i in range(10)}}
_FOLD = str.maketrans({**_HAMZA_ALEF, **_CARRIERS, **_LETTERS, **_DIGITS})
_FOLD_KEEP_CARRIERS = str.maketrans({**_HAMZA_ALEF, **_LETTERS, **_DIGITS})
_CARRIER_CHARS = frozenset(chr(c) for c in _CARRIERS)


def _strip_marks(text: str, keep_carriers: bool) -> str:
    out = []
    for ch in text:
        if keep_carriers and ch in _CARRIER_CHARS:
            out.append(ch)   # NFD would split ؤ into و + U+0654
            continue
        out.extend(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)
                   and unicodedata.category(c) != "Mn")
    return "".join(out)


def _fold(normalised: str, fold_carriers: bool) -> str:
    text = normalised.casefold().translate(_FOLD if fold_carriers else _FOLD_KEEP_CARRIERS)
    return _strip_marks(text, keep_carriers=not fold_carriers)


def search_key(text: str, *, fold_carriers: bool = True) -> str:
    """The match key of ``text``: NFKC of the whole string, then the folds listed in the module docstring.

    Parameters
    ----------
    text : str
        Stored text or query, in any script.
    fold_carriers : bool
        Fold ``ؤ`` -> ``و`` and ``ئ`` -> ``ي`` (default). Hamza on/under alef is always folded.

    Returns
    -------
    str
        The key; never displayed. Same length as the text or shorter (except for case folds such as ß -> ss).

    Examples
    --------
    >>> search_key("أَحْمَـــد") == search_key("احمد") == search_key("ا\\u0654حمد")
    True
    >>> search_key("Égypte ٢٠٢٤")
    'egypte 2024'
    """
    return _fold(unicodedata.normalize("NFKC", text or ""), fold_carriers)


def _segments(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into (start, end) runs of one starter and its following combining characters.

    NFKC composes only within such a run (a starter with the non-starters after it; Hangul jamo are the
    exception and are kept with their syllable), so normalising run by run equals normalising the whole
    string while keeping track of where each key character came from.
    """
    bounds = []
    for i, ch in enumerate(text):
        starter = unicodedata.combining(ch) == 0 and not (0x1160 <= ord(ch) <= 0x11FF)
        if starter or not bounds:
            bounds.append([i, i + 1])
        else:
            bounds[-1][1] = i + 1
    return [tuple(b) for b in bounds]


def keyed(text: str, *, fold_carriers: bool = True) -> tuple[str, list[tuple[int, int]]]:
    """The match key of ``text`` with, for each key character, the span of the original it comes from.

    Parameters
    ----------
    text : str
    fold_carriers : bool
        As in :func:`search_key`.

    Returns
    -------
    key : str
        Equal to ``search_key(text)`` (tested).
    spans : list of (int, int)
        ``spans[i]`` is the ``(start, end)`` slice of ``text`` (the whole base letter with its harakat)
        that produced ``key[i]``; shape (len(key),).
    """
    key, spans = [], []
    for start, end in _segments(text or ""):
        piece = _fold(unicodedata.normalize("NFKC", text[start:end]), fold_carriers)
        key.append(piece)
        spans.extend([(start, end)] * len(piece))
    return "".join(key), spans


def terms(query: str) -> list[str]:
    """The distinct keys of the words of ``query`` (split on white space after folding), longest first."""
    return sorted(set(search_key(query).split()), key=lambda t: (-len(t), t))


def find_spans(original: str, query: str) -> list[tuple[int, int]]:
    """Where the words of ``query`` occur in ``original``, as slices of the original text.

    Parameters
    ----------
    original : str
        The text as stored and displayed.
    query : str
        The user's query.

    Returns
    -------
    list of (int, int)
        Sorted, non-overlapping ``(start, end)`` slices of ``original`` covering every occurrence of every
        query word (overlapping or touching occurrences merged); empty if any word is absent (all words must
        match) or the query has no word. Tatweel and harakat inside a match are inside the slice.
    """
    words = terms(query)
    if not words:
        return []
    key, spans = keyed(original)
    found = []
    for word in words:
        start = key.find(word)
        if start < 0:
            return []
        while start >= 0:
            found.append((spans[start][0], spans[start + len(word) - 1][1]))
            start = key.find(word, start + len(word))
    merged: list[list[int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [tuple(m) for m in merged]


def matches(original: str, query: str) -> bool:
    """True when every word of ``query`` occurs in ``original`` under :func:`search_key` folding."""
    words = terms(query)
    key = search_key(original)
    return bool(words) and all(w in key for w in words)


def highlight(original: str, query: str) -> str:
    """``original`` as HTML-escaped text with ``<mark>`` around each span matching ``query``.

    Parameters
    ----------
    original : str
        Displayed text (unchanged apart from HTML escaping).
    query : str

    Returns
    -------
    str
        Safe to insert into HTML (every piece escaped with :func:`html.escape`, quotes included); without a
        match, just the escaped text.

    Examples
    --------
    >>> highlight("أَحْمَـــد يُشارِك", "احمد")
    '<mark>أَحْمَـــد</mark> يُشارِك'
    """
    out, last = [], 0
    for start, end in find_spans(original, query):
        out += [html.escape(original[last:start]), "<mark>", html.escape(original[start:end]), "</mark>"]
        last = end
    out.append(html.escape(original[last:]))
    return "".join(out)


def excerpt(original: str, query: str, *, context: int = 80) -> str:
    """Like :func:`highlight`, but only the part of a long text around the first match.

    Parameters
    ----------
    original : str
    query : str
    context : int
        Characters kept on each side of the first match (the cut moves to the nearest white space so no word,
        and no letter with its harakat, is split); ``…`` marks a cut.

    Returns
    -------
    str
        HTML-safe excerpt with ``<mark>`` around every match inside it; the start of the text when nothing
        matches.
    """
    spans = find_spans(original, query)
    first = spans[0] if spans else (0, 0)
    start = max(0, first[0] - context)
    end = min(len(original), first[1] + context)
    if 0 < start and not original[start - 1].isspace() and not original[start].isspace():   # inside a word
        space = original.rfind(" ", 0, start)
        start = space + 1 if space >= 0 else 0
    if end < len(original) and not original[end - 1].isspace() and not original[end].isspace():
        space = original.find(" ", end)
        end = space if space >= 0 else len(original)
    out, last = [], start
    for s, e in spans:
        if s >= start and e <= end:
            out += [html.escape(original[last:s]), "<mark>", html.escape(original[s:e]), "</mark>"]
            last = e
    out.append(html.escape(original[last:end]))
    return ("… " if start > 0 else "") + "".join(out).strip() + (" …" if end < len(original) else "")
