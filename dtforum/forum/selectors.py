"""Read side of the Forum workspace: what each role may see.

The public sees published meetings (``publish_at`` passed), public documents, published minutes and public
decisions; signed-in members also see members-only documents and the delegations; the secretariat sees all.
"""
from __future__ import annotations

from collections import Counter

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from dtforum.core import permissions
from dtforum.forum.models import ActionItem, Decision, Document, Meeting, Registration, ThematicArea

OPEN_STATUSES = (ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS)


def visible_meetings(user, *, now=None) -> QuerySet[Meeting]:
    """Meetings ``user`` may see: all for the secretariat, published ones for everyone else."""
    qs = Meeting.objects.prefetch_related("areas")
    if permissions.is_secretariat(user):
        return qs
    return qs.filter(publish_at__lte=now or timezone.now())


def agenda(user, *, kind: str = "", area: str = "", country: str = "", when: str = "upcoming", year=None,
           now=None) -> QuerySet[Meeting]:
    """The agenda across all meetings, filtered.

    Parameters
    ----------
    user : User
    kind : str
        ``Meeting.Kind`` value or ``""`` (all).
    area : str
        Thematic area code or ``""``.
    country : str
        ISO3 of a member state: meetings where it has a delegation.
    when : str
        ``"upcoming"`` (not yet ended, soonest first), ``"past"`` (latest first) or ``"all"``.
    year : int, optional
        Calendar year of the start (UTC).

    Returns
    -------
    QuerySet of Meeting
    """
    now = now or timezone.now()
    qs = visible_meetings(user, now=now)
    if kind:
        qs = qs.filter(kind=kind)
    if area:
        qs = qs.filter(areas__code=area)
    if country:
        qs = qs.filter(delegations__economy__iso3=country.upper())
    if year:
        qs = qs.filter(start__year=int(year))
    if when == "upcoming":
        qs = qs.filter(end__gte=now).order_by("start")
    elif when == "past":
        qs = qs.filter(end__lt=now).order_by("-start")
    return qs.distinct()


def meeting_detail(user, pk: int, *, now=None) -> dict:
    """A meeting with what ``user`` may see of it.

    Returns
    -------
    dict
        ``meeting``, ``agenda`` (items), ``documents`` (not withdrawn, with ``versions`` prefetched),
        ``minutes`` (or ``None`` while unpublished for non-secretariat), ``decisions``, ``delegations`` (members
        only, else empty), ``my_registration`` (the user's active registration or ``None``).

    Raises
    ------
    Http404
        Unknown or not yet published meeting.
    """
    now = now or timezone.now()
    try:
        meeting = visible_meetings(user, now=now).get(pk=pk)
    except Meeting.DoesNotExist:
        raise Http404("meeting") from None
    member = permissions.is_member(user)
    secretariat = permissions.is_secretariat(user)
    documents = meeting.documents.filter(withdrawn_at__isnull=True).select_related("economy") \
        .prefetch_related("versions")
    if not member:
        documents = documents.filter(access=Document.Access.PUBLIC)
    minutes = getattr(meeting, "minutes", None)
    if minutes is not None and not secretariat and not (minutes.publish_at and minutes.publish_at <= now):
        minutes = None
    decisions = meeting.decisions.all() if secretariat else meeting.decisions.filter(is_public=True)
    delegations = []
    if member:
        delegations = meeting.delegations.select_related("economy", "head__person").prefetch_related(
            Prefetch("registrations", Registration.objects.filter(status=Registration.Status.REGISTERED)
                     .select_related("person")))
    mine = None
    if user.is_authenticated:
        mine = meeting.registrations.filter(person=user, status=Registration.Status.REGISTERED).first()
    return {"meeting": meeting, "agenda": meeting.agenda_items.select_related("area"), "documents": documents,
            "minutes": minutes, "decisions": decisions, "delegations": delegations, "my_registration": mine}


def document_for(user, pk: int, *, now=None) -> Document:
    """A document ``user`` may see, with its meeting and member state.

    Raises
    ------
    Http404
        Unknown, withdrawn, members-only for a non-member, or meeting not published.
    """
    meeting_ids = visible_meetings(user, now=now).values("pk")
    qs = Document.objects.select_related("meeting", "economy").filter(pk=pk, meeting__in=meeting_ids,
                                                                       withdrawn_at__isnull=True)
    if not permissions.is_member(user):
        qs = qs.filter(access=Document.Access.PUBLIC)
    document = qs.first()
    if document is None:
        raise Http404("document")
    return document


def document_version_for(user, pk: int, number: int | None = None, *, now=None):
    """The version of a document ``user`` may download (latest when ``number`` is ``None``).

    Raises
    ------
    Http404
        As :func:`document_for`, or no such version.
    """
    versions = document_for(user, pk, now=now).versions.order_by("-number")
    version = versions.filter(number=number).first() if number else versions.first()
    if version is None:
        raise Http404("document version")
    return version


def public_decisions(*, area: str = "", year=None, q: str = "", now=None) -> QuerySet[Decision]:
    """The public register of decisions: public decisions of published meetings, newest first."""
    qs = Decision.objects.filter(is_public=True, meeting__publish_at__lte=now or timezone.now()) \
        .select_related("meeting").prefetch_related("areas", "action_items__owner_economy")
    if area:
        qs = qs.filter(areas__code=area)
    if year:
        qs = qs.filter(adopted_on__year=int(year))
    if q:
        qs = qs.filter(Q(text_en__icontains=q) | Q(text_fr__icontains=q) | Q(text_ar__icontains=q)
                       | Q(reference__icontains=q))
    return qs.distinct()


def follow_up_board(*, today=None, area: str = "", country: str = "", status: str = "") -> dict:
    """The secretariat's follow-up board of action items.

    Parameters
    ----------
    today : date, optional
        Reference date for "overdue" (default: today in ``TIME_ZONE``).
    area, country, status : str
        Optional filters (thematic area code, ISO3 or ``"SEC"`` for the secretariat, ``ActionItem.Status``
        value or ``"overdue"``).

    Returns
    -------
    dict
        ``items`` (list of ActionItem, due date order), ``totals`` (``{"open", "overdue", "done"}``),
        ``by_area`` and ``by_owner``: lists of ``(label, {"open", "overdue", "done"})`` sorted by label.
        "open" counts open and in-progress items, "overdue" those of them past their due date (a subset of
        "open"), cancelled items are listed but not counted. ``by_status``: ``(status value, label, count)``
        for every status, cancelled included.
    """
    today = today or timezone.localdate()
    items = ActionItem.objects.select_related("owner_economy", "area", "decision").prefetch_related("reports") \
        .order_by("due_date", "pk")
    if area:
        items = items.filter(area__code=area)
    if country == "SEC":
        items = items.filter(owner_secretariat=True)
    elif country:
        items = items.filter(owner_economy__iso3=country.upper())
    if status == "overdue":
        items = items.filter(status__in=OPEN_STATUSES, due_date__lt=today)
    elif status:
        items = items.filter(status=status)
    items = list(items)
    totals: Counter = Counter()
    by_area: dict[str, Counter] = {}
    by_owner: dict[str, Counter] = {}
    for item in items:
        keys = []
        if item.status in OPEN_STATUSES:
            keys.append("open")
            if item.due_date < today:
                keys.append("overdue")
        elif item.status == ActionItem.Status.DONE:
            keys.append("done")
        for key in keys:
            totals[key] += 1
            by_area.setdefault(item.area.name if item.area else "—", Counter())[key] += 1
            by_owner.setdefault(item.owner_label, Counter())[key] += 1

    def rows(table):
        return [(label, {k: c[k] for k in ("open", "overdue", "done")}) for label, c in sorted(table.items())]

    statuses = Counter(item.status for item in items)
    return {"items": items, "totals": {k: totals[k] for k in ("open", "overdue", "done")},
            "by_status": [(value, label, statuses[value]) for value, label in ActionItem.Status.choices],
            "by_area": rows(by_area), "by_owner": rows(by_owner), "today": today}


def private_feed_meetings(user) -> QuerySet[Meeting]:
    """Meetings of a user's private calendar: those they are registered for (all meetings for the secretariat)."""
    if permissions.is_secretariat(user):
        return Meeting.objects.all()
    return Meeting.objects.filter(registrations__person=user,
                                  registrations__status=Registration.Status.REGISTERED).distinct()


def thematic_areas() -> QuerySet[ThematicArea]:
    """The eight thematic areas in the declaration's order."""
    return ThematicArea.objects.all()
