"""Site search over member states, indicators, Forum meetings and decisions, Arabic-aware (CASES C20, C22).

Match keys are computed in Python with :func:`dtforum.core.arabic.search_key` over the candidate rows, so the
search behaves the same on SQLite and PostgreSQL (neither ``LIKE`` nor a default ``tsvector`` configuration
folds hamza, harakat or tatweel). The corpus is small (57 members, about a hundred indicators, a few hundred
meetings and decisions), so every search reads the candidates' text columns. When it grows to many
thousands of rows, the path is a stored key column per text field (filled with ``search_key`` on save) with an
index (``pg_trgm`` GIN on PostgreSQL) and the same key computed for the query.

Visibility follows the Forum's own selectors: published meetings (:func:`dtforum.forum.selectors.visible_meetings`)
and the public register of decisions (:func:`dtforum.forum.selectors.public_decisions`) for everyone but the
secretariat, which sees all.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from dtforum.core import arabic, permissions

#: Longest query accepted, in characters.
MAX_QUERY_LENGTH = 200
#: Most results listed per group.
PER_GROUP = 50
LANGUAGES = ("en", "fr", "ar")


class QueryError(ValueError):
    """The query cannot be searched (empty, too long, or nothing but marks/punctuation); message translated."""


@dataclass
class Hit:
    """One result: ``title`` and ``detail`` are HTML-safe with ``<mark>`` around the matches."""

    title: SafeString
    url: str = ""
    detail: SafeString = field(default_factory=lambda: mark_safe(""))
    code: str = ""


@dataclass
class Group:
    """The results of one kind (``key`` in ``members``, ``indicators``, ``meetings``, ``decisions``)."""

    key: str
    label: str
    hits: list[Hit]
    total: int


def check_query(query: str | None) -> str:
    """The query stripped, or :class:`QueryError` with a message for the page.

    Raises
    ------
    QueryError
        Empty; longer than :data:`MAX_QUERY_LENGTH`; no letter or digit once folded (e.g. only harakat).
    """
    query = (query or "").strip()
    if not query:
        raise QueryError(_("Type a word to search for."))
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryError(_("The query is too long: at most %(max)d characters.") % {"max": MAX_QUERY_LENGTH})
    if not any(ch.isalnum() for ch in "".join(arabic.terms(query))):
        raise QueryError(_("The query has no letter or digit to search for."))
    return query


def _shown(row: dict, prefix: str, lang: str, query: str, *, long: bool = False) -> SafeString | None:
    """The field of ``row`` to show: the page's language if it matches, else the first matching language."""
    order = [lang] + [code for code in LANGUAGES if code != lang]
    for code in order:
        text = row.get(f"{prefix}_{code}") or ""
        if text and arabic.matches(text, query):
            return mark_safe(arabic.excerpt(text, query) if long else arabic.highlight(text, query))
    return None


def _plain(row: dict, prefix: str, lang: str) -> str:
    return row.get(f"{prefix}_{lang}") or row.get(f"{prefix}_en") or ""


def search(query: str, *, user, lang: str = "en", per_group: int = PER_GROUP) -> list[Group]:
    """Search the site for ``query``.

    Parameters
    ----------
    query : str
        As typed; every word must occur (after :func:`~dtforum.core.arabic.search_key` folding) in one field.
    user : User or AnonymousUser
        Decides which meetings and decisions are visible.
    lang : str
        Page language (``en``, ``fr``, ``ar``): the field shown first when it matches.
    per_group : int
        Most hits listed per group (``Group.total`` counts them all).

    Returns
    -------
    list of Group
        Member states (names in three languages, ISO3), indicators (names, code), meetings (titles) and
        decisions (reference, texts), in that order; each hit shows the original text with ``<mark>``.

    Raises
    ------
    QueryError
        See :func:`check_query`.
    """
    from dtforum.forum import selectors
    from dtforum.forum.models import Decision
    from dtforum.members.models import Economy
    from dtforum.observatory.models import Indicator

    query = check_query(query)
    lang = lang if lang in LANGUAGES else "en"
    names = [f"name_{code}" for code in LANGUAGES]
    titles = [f"title_{code}" for code in LANGUAGES]
    texts = [f"text_{code}" for code in LANGUAGES]

    def code_hit(code: str) -> SafeString | None:
        return mark_safe(arabic.highlight(code, query)) if arabic.matches(code, query) else None

    members = []
    for row in Economy.objects.filter(kind=Economy.Kind.MEMBER).order_by("name_en").values("iso3", *names):
        title = _shown(row, "name", lang, query)
        iso3 = code_hit(row["iso3"])
        if title or iso3:
            members.append(Hit(title or mark_safe(arabic.highlight(_plain(row, "name", lang), "")),
                               reverse("observatory:country", kwargs={"iso3": row["iso3"]}), code=row["iso3"]))
    indicators = []
    for row in Indicator.objects.order_by("code").values("code", *names):
        title = _shown(row, "name", lang, query)
        code = code_hit(row["code"])
        if title or code:
            indicators.append(Hit(title or mark_safe(arabic.highlight(_plain(row, "name", lang), "")),
                                  reverse("api:indicator", kwargs={"code": row["code"]}),
                                  detail=code or mark_safe(arabic.highlight(row["code"], "")), code=row["code"]))
    meetings = []
    for row in selectors.visible_meetings(user).prefetch_related(None).order_by("-start").values("pk", "start",
                                                                                                  *titles):
        title = _shown(row, "title", lang, query)
        if title:
            meetings.append(Hit(title, reverse("forum:meeting", kwargs={"pk": row["pk"]}),
                                detail=mark_safe(f"{row['start']:%Y-%m-%d}")))
    decision_rows = Decision.objects.all() if permissions.is_secretariat(user) else selectors.public_decisions()
    decisions = []
    for row in decision_rows.prefetch_related(None).order_by("-adopted_on", "reference").values(
            "pk", "reference", *texts):
        text = _shown(row, "text", lang, query, long=True)
        reference = code_hit(row["reference"])
        if text or reference:
            decisions.append(Hit(reference or mark_safe(arabic.highlight(row["reference"], "")),
                                 reverse("forum:decision", kwargs={"pk": row["pk"]}),
                                 detail=text or mark_safe(arabic.excerpt(_plain(row, "text", lang), ""))))
    labels = {"members": _("Member states"), "indicators": _("Indicators"), "meetings": _("Meetings"),
              "decisions": _("Decisions")}
    found = {"members": members, "indicators": indicators, "meetings": meetings, "decisions": decisions}
    return [Group(key, labels[key], hits[:per_group], len(hits)) for key, hits in found.items()]
