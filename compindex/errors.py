"""Errors raised by compindex."""
from __future__ import annotations


class CompindexError(ValueError):
    """Invalid framework, panel or data state for a composite-indicator stage.

    Subclasses :class:`ValueError` so that callers treating bad input generically still catch it. The
    message always names the field path, indicator, area or unit concerned and what was expected.
    """
