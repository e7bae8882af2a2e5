"""Language helpers shared by the models and views: which language is active, and a trilingual field's text."""
from __future__ import annotations

from django.utils.translation import get_language


def active_language(default: str = "en") -> str:
    """Two-letter code of the language Django has activated (``"en"``, ``"fr"``, ``"ar"``), else ``default``.

    Parameters
    ----------
    default : str
        Returned when no language is active (outside a request or ``translation.override``).

    Returns
    -------
    str
        The primary subtag, e.g. ``"ar"`` for ``ar`` or ``ar-sa``.
    """
    return (get_language() or default)[:2]


def localised(obj: object, field: str) -> str:
    """The text of a trilingual field in the active language, falling back to English.

    Parameters
    ----------
    obj : object
        Has attributes ``<field>_en``, ``<field>_fr``, ``<field>_ar`` (a model with three language columns).
    field : str
        Field stem, e.g. ``"name"`` or ``"title"``.

    Returns
    -------
    str
        ``<field>_<active language>`` when it is filled, else ``<field>_en``.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> from django.utils import translation
    >>> row = SimpleNamespace(name_en="Jordan", name_fr="Jordanie", name_ar="")
    >>> with translation.override("fr"):
    ...     localised(row, "name")
    'Jordanie'
    >>> with translation.override("ar"):
    ...     localised(row, "name")
    'Jordan'
    """
    return getattr(obj, f"{field}_{active_language()}", "") or getattr(obj, f"{field}_en")
