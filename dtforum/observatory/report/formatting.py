"""Number formatting per language for the pages and the report.

Conventions follow the Unicode CLDR number symbols of each locale: English ``1,234.5``; French
``1 234,5`` (narrow no-break space U+202F as group separator, decimal comma); Arabic ``1,234.5`` with
Western digits (CLDR ``ar`` with the ``latn`` numbering system, as in the OIC statistical office SESRIC's
Arabic publications). The minus sign is U+2212 so that it never breaks from its number.
"""
from __future__ import annotations

import math

_SYMBOLS = {"en": (",", "."), "fr": ("\u202f", ","), "ar": (",", ".")}
MINUS = "\u2212"


def format_number(value: float | None, language: str, digits: int = 1, signed: bool = False,
                  missing: str = "\u2013") -> str:
    """Format ``value`` with ``digits`` decimals and the group/decimal symbols of ``language``.

    Parameters
    ----------
    value : float, int or None
        ``None`` and NaN give ``missing`` (an en dash by default).
    language : str
        ``"en"``, ``"fr"`` or ``"ar"`` (other codes use English symbols).
    digits : int
        Number of decimals (rounded half-even, as Python's ``format``).
    signed : bool
        Prefix ``+`` for positive values (gaps to a reference); zero has no sign.

    Returns
    -------
    str

    Examples
    --------
    >>> format_number(-1234.56, "fr")
    '−1\u202f234,6'
    >>> format_number(3.25, "en", signed=True, digits=2)
    '+3.25'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return missing
    group, decimal = _SYMBOLS.get((language or "en")[:2], _SYMBOLS["en"])
    text = f"{abs(value):,.{digits}f}"
    integer, _, fraction = text.partition(".")
    text = integer.replace(",", group) + (decimal + fraction if fraction else "")
    if round(value, digits) < 0:
        return MINUS + text
    if signed and round(value, digits) > 0:
        return "+" + text
    return text
