"""Limit/offset pagination that refuses malformed values instead of silently falling back."""
from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination

#: Largest offset accepted: far beyond any table of the observatory (the observation store holds ~10^5 rows).
MAX_OFFSET = 10**9


class StrictLimitOffsetPagination(LimitOffsetPagination):
    """``?limit=`` (1 to ``DTFORUM_API_MAX_LIMIT``, default ``PAGE_SIZE``) and ``?offset=`` (0 to :data:`MAX_OFFSET`).

    DRF's own class replaces ``limit=-1`` or ``limit=abc`` by the default page size without a word, which hides
    a client's mistake; here they are answered 400 naming the parameter and the accepted range.

    Raises
    ------
    rest_framework.exceptions.ValidationError
        When ``limit`` is not an integer in [1, max] or ``offset`` not one in [0, MAX_OFFSET].
    """

    @property
    def max_limit(self) -> int:  # read at request time so that tests may override the setting
        return int(getattr(settings, "DTFORUM_API_MAX_LIMIT", 1000))

    @staticmethod
    def _integer(request, name: str, low: int, high: int | None):
        raw = request.query_params.get(name)
        if raw is None:
            return None
        try:
            value = int(raw)
        except ValueError:
            value = None
        if value is None or value < low or (high is not None and value > high):
            if high is None:
                message = _("expected an integer of %(low)s or more, got %(value)s")
            else:
                message = _("expected an integer from %(low)s to %(high)s, got %(value)s")
            raise ValidationError({name: [message % {"low": low, "high": high, "value": repr(raw)}]})
        return value

    def get_limit(self, request) -> int:
        """The page size asked for, or the default page size."""
        value = self._integer(request, self.limit_query_param, 1, self.max_limit)
        return self.default_limit if value is None else value

    def get_offset(self, request) -> int:
        """The number of rows skipped, 0 by default."""
        # bounded so that the database never sees an OFFSET beyond its integer type (PostgreSQL: bigint)
        value = self._integer(request, self.offset_query_param, 0, MAX_OFFSET)
        return 0 if value is None else value
