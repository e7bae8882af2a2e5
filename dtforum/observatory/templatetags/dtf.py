"""Template filters of the observatory pages and report: numbers formatted for the active language."""
from __future__ import annotations

from django import template
from django.utils.html import format_html

from dtforum.core.i18n import active_language
from dtforum.observatory.report.formatting import format_number

register = template.Library()


def _lang() -> str:
    return active_language()


@register.filter
def num(value, digits=1):
    """Format a number for the active language (see :func:`format_number`) inside ``<bdi>``.

    The left-to-right isolate keeps a number's visual order inside Arabic text (CASE C24, WeasyPrint
    bidi): without ``dir="ltr"`` a signed number (no strong character) would take the paragraph's
    right-to-left direction and show its sign on the wrong side. ``None`` gives an en dash.
    """
    return format_html('<bdi dir="ltr">{}</bdi>', format_number(value, _lang(), int(digits)))


@register.filter
def numtext(value, digits=1):
    """Format a number for the active language as plain text (for attributes and titles)."""
    return format_number(value, _lang(), int(digits))


@register.filter
def gap(value, digits=1):
    """Format a gap (score minus a reference) with an explicit sign, in a left-to-right ``<bdi>``."""
    return format_html('<bdi dir="ltr">{}</bdi>', format_number(value, _lang(), int(digits), signed=True))


@register.filter
def sign_class(value):
    """CSS class of a gap: ``pos`` above the reference, ``neg`` below, empty when missing or zero."""
    if value is None:
        return ""
    return "pos" if value > 0 else "neg" if value < 0 else ""


@register.filter
def pick(names, language=None):
    """Return ``names[language]`` (active language by default) from a ``{en, fr, ar}`` dict, else English."""
    if not isinstance(names, dict):
        return names or ""
    language = language or _lang()
    return names.get(language) or names.get("en") or ""


@register.filter
def get(mapping, key):
    """Return ``mapping[key]`` or ``None`` (dicts in templates, e.g. a member's score per area)."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None
