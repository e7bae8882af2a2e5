"""Site-wide pages that belong to no single app: the search page."""
from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import get_language

from dtforum.core import search as site_search
from dtforum.forum.views import page_context


def search(request):
    """``/<lang>/search/?q=``: member states, indicators, meetings and decisions matching the query.

    Without ``q`` the page shows the form only; an empty, too long or mark-only query shows the reason
    (HTTP 200, the form keeps the text), never an error page.
    """
    query = request.GET.get("q")
    groups, error = [], ""
    if query is not None:
        try:
            groups = site_search.search(query, user=request.user, lang=(get_language() or "en")[:2])
        except site_search.QueryError as exc:
            error = str(exc)
    return render(request, "search.html", page_context(
        request, query=(query or "")[:site_search.MAX_QUERY_LENGTH * 2], error=error, groups=groups,
        searched=query is not None and not error, total=sum(g.total for g in groups),
        max_length=site_search.MAX_QUERY_LENGTH))
