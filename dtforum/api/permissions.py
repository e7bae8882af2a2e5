"""Permission of the read-only API: everyone may read, nobody may write."""
from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission


class ReadOnly(BasePermission):
    """Allow ``GET``, ``HEAD`` and ``OPTIONS`` to anyone, signed in or not; refuse every other method.

    The observatory's figures are public; they change only through ``make build`` (ingest and edition
    computation), never through the API. Views declare only safe handlers, so a write is answered 405 before
    this class is asked; the class is the second lock, should a view ever gain a write handler by mistake.
    """

    def has_permission(self, request, view) -> bool:
        """Return ``True`` for the safe methods of RFC 9110 §9.2.1, ``False`` otherwise."""
        return request.method in SAFE_METHODS
