"""One JSON shape for every error of the API: ``{"status": ..., "detail": "...", "errors": {...}}``."""
from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    """Turn an exception raised in an API view into a JSON response with a readable ``detail``.

    Parameters
    ----------
    exc : Exception
        What the view raised.
    context : dict
        DRF's context (view, request).

    Returns
    -------
    rest_framework.response.Response or None
        ``None`` for exceptions DRF does not handle (they become a 500, which the tests forbid for any bad
        input: such input must be caught as a ``ValidationError`` or ``NotFound`` first).

    Notes
    -----
    Validation errors keep DRF's per-field lists under ``errors`` and get a one-line ``detail`` that names the
    fields, so that a client showing only ``detail`` still tells the user what to fix.
    """
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        errors = data if isinstance(data, dict) else {"non_field_errors": data}
        parts = []
        for field, messages in errors.items():
            messages = messages if isinstance(messages, list) else [messages]
            parts.append(f"{field}: {'; '.join(str(m) for m in messages)}")
        response.data = {"status": response.status_code, "detail": _("invalid request: %(errors)s")
                         % {"errors": " | ".join(parts)},
                         "errors": errors}
    elif isinstance(data, dict) and "detail" in data:
        response.data = {"status": response.status_code, "detail": str(data["detail"])}
    return response
