"""Write side of the Forum workspace.

Every function validates everything before it writes, writes in one transaction together with its audit events
(:func:`dtforum.core.audit.record_change`, state before and after), and raises
:class:`~django.core.exceptions.ValidationError` (bad input) or :class:`~django.core.exceptions.PermissionDenied`
(wrong role or member state) with messages in the active language. Nothing of record is deleted: cancelling and
withdrawing set a status.

Who changes what: the secretariat everything; a focal point registers and heads its own member state's
delegation, reports on the action items its state owns, and contributes its state's documents to meetings under
the rule of :func:`check_country_contribution` (published, not cancelled, not ended, delegation registered;
papers, presentations, reports and others, members only; new versions of its state's documents only).
Decisions and action items are corrected by :func:`update_decision` and :func:`update_action_item`, which the
site's forms and the admin both call.

E-mail notifications (registration confirmed, reminder, minutes published) are rendered here, after the
transaction commits, and sent by the task :func:`dtforum.core.tasks.send_email` (in-process by default, by the
worker machines in production); see :mod:`dtforum.core.tasks`.
"""
from __future__ import annotations

import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dtforum.core import permissions
from dtforum.core.audit import record_change
from dtforum.core.tasks import enqueue_templated
from dtforum.forum.documents import check_upload
from dtforum.forum.models import (
    ActionItem,
    CalendarToken,
    Decision,
    Delegation,
    Document,
    DocumentVersion,
    FollowUpReport,
    Meeting,
    Minutes,
    Registration,
)
from dtforum.members.models import COUNTRY_ROLES, Membership
from dtforum.members.services import snapshot


def _label(instance) -> str:
    return instance._meta.label


def _save_new(actor, instance, action: str, m2m: dict | None = None):
    """Validate (``full_clean``), store, set many-to-many fields, record the creation."""
    instance.full_clean()
    instance.save()
    for name, values in (m2m or {}).items():
        getattr(instance, name).set(values)
    after = snapshot(instance) | {name: sorted(v.pk for v in values) for name, values in (m2m or {}).items()}
    record_change(action=action, object_type=_label(instance), object_id=instance.pk, after=after, actor=actor)
    return instance


def _save_changes(actor, instance, action: str, changes: dict):
    """Apply ``changes`` to ``instance``, validate, store, record before and after."""
    before = snapshot(instance)
    for name, value in changes.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    record_change(action=action, object_type=_label(instance), object_id=instance.pk, before=before,
                  after=snapshot(instance), actor=actor)
    return instance


def _language_of(user) -> str:
    membership = permissions.membership_of(user)
    return membership.language if membership else "en"


# --- Meetings ---------------------------------------------------------------------------------------------

@transaction.atomic
def create_meeting(actor, *, areas=(), agenda=(), **fields) -> Meeting:
    """Convene a Forum session or technical meeting (secretariat only).

    Parameters
    ----------
    actor : User
    areas : iterable of ThematicArea
    agenda : iterable of dict
        Agenda items in order, each with ``title_en`` (and optionally ``title_fr``, ``title_ar``,
        ``description``, ``area``); numbered from 1.
    **fields
        :class:`~dtforum.forum.models.Meeting` fields: ``kind``, ``title_en``..., ``start``, ``end`` (aware
        datetimes), ``time_zone``, ``venue``, ``online_url``, ``registration_deadline``, ``publish_at``.

    Returns
    -------
    Meeting

    Raises
    ------
    PermissionDenied
        ``actor`` is not secretariat.
    ValidationError
        E.g. the end before the start, the deadline after the start, an unknown time zone.
    """
    from dtforum.forum.models import AgendaItem

    permissions.require_secretariat(actor)
    meeting = _save_new(actor, Meeting(**fields), "meeting.create", {"areas": list(areas)})
    for order, item in enumerate(agenda, start=1):
        _save_new(actor, AgendaItem(meeting=meeting, order=order, **item), "agenda_item.create")
    return meeting


@transaction.atomic
def update_meeting(actor, meeting: Meeting, *, areas=None, agenda=None, **changes) -> Meeting:
    """Change fields of a meeting (secretariat only); same checks as :func:`create_meeting`.

    Parameters
    ----------
    actor : User
    meeting : Meeting
    areas : iterable of ThematicArea, optional
        Replaces the thematic areas when given.
    agenda : iterable of dict, optional
        Agenda items: a dict with ``pk`` changes that item of this meeting (audited only when something
        changed), one without is appended after the last item. Items not listed stay: agenda items are
        records that documents may point at, so they are never removed.
    **changes
        Meeting fields.

    Returns
    -------
    Meeting

    Raises
    ------
    PermissionDenied
        ``actor`` is not secretariat.
    ValidationError
        As :func:`create_meeting`; an agenda ``pk`` of another meeting is reported on ``agenda``.
    """
    from dtforum.forum.models import AgendaItem

    permissions.require_secretariat(actor)
    meeting = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    if changes or areas is not None:
        before = sorted(meeting.areas.values_list("pk", flat=True))
        _save_changes(actor, meeting, "meeting.update", changes)
        if areas is not None and sorted(a.pk for a in areas) != before:
            meeting.areas.set(list(areas))
            record_change(action="meeting.areas", object_type=_label(meeting), object_id=meeting.pk,
                          before={"areas": before}, after={"areas": sorted(a.pk for a in areas)}, actor=actor)
    existing = {item.pk: item for item in meeting.agenda_items.all()}
    last = max((item.order for item in existing.values()), default=0)
    for fields in agenda or ():
        fields = dict(fields)
        pk = fields.pop("pk", None)
        if pk is None:
            last += 1
            _save_new(actor, AgendaItem(meeting=meeting, order=last, **fields), "agenda_item.create")
        elif pk not in existing:
            raise ValidationError({"agenda": _("Agenda item %(pk)s belongs to another meeting.") % {"pk": pk}})
        elif any(getattr(existing[pk], name) != value for name, value in fields.items()):
            _save_changes(actor, existing[pk], "agenda_item.update", fields)
    return meeting


@transaction.atomic
def cancel_meeting(actor, meeting: Meeting) -> Meeting:
    """Mark a meeting cancelled (it stays in the record and in the feeds as ``STATUS:CANCELLED``)."""
    return update_meeting(actor, meeting, status=Meeting.Status.CANCELLED)


# --- Registration -----------------------------------------------------------------------------------------

def register(actor, meeting: Meeting, person, *, head: bool = False, now=None) -> Registration:
    """Register ``person`` for ``meeting``, in the delegation of their member state; confirm by e-mail.

    Who may register whom: the secretariat anyone; a focal point the people of its own member state; anyone
    else only themselves. A person of a member state (focal point, delegate) joins that state's delegation,
    created on first registration; ``head=True`` makes them head of delegation (secretariat or focal point).

    Parameters
    ----------
    actor : User
    meeting : Meeting
    person : User
        Must hold an active role.
    head : bool
    now : datetime, optional
        The present (tests); default :func:`django.utils.timezone.now`.

    Returns
    -------
    Registration

    Raises
    ------
    ValidationError
        After the deadline, meeting cancelled, person already registered, person without a role.
    PermissionDenied
        ``actor`` may not register ``person`` (e.g. a focal point for another member state's delegate).
    """
    now = now or timezone.now()
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
        membership = Membership.objects.select_related("economy").filter(user=person, ended_at__isnull=True).first()
        who = person.get_full_name() or person.email
        if membership is None and not person.is_superuser:
            raise ValidationError({"person": _("%(person)s has no role in the Forum and cannot be registered.")
                                             % {"person": who}})
        economy = membership.economy if membership and membership.role in COUNTRY_ROLES else None
        if actor.pk != person.pk or head:
            if economy is not None:
                permissions.require_acts_for(actor, economy)
            else:
                permissions.require_secretariat(actor)
        if meeting.status == Meeting.Status.CANCELLED:
            raise ValidationError(_("%(meeting)s has been cancelled.") % {"meeting": meeting.title})
        if now > meeting.registration_deadline:
            raise ValidationError(_("Registration for %(meeting)s closed on %(deadline)s.") % {
                "meeting": meeting.title,
                "deadline": f"{timezone.localtime(meeting.registration_deadline, _tz(meeting)):%Y-%m-%d %H:%M}"})
        if Registration.objects.filter(meeting=meeting, person=person,
                                       status=Registration.Status.REGISTERED).exists():
            raise ValidationError({"person": _("%(person)s is already registered for %(meeting)s.")
                                             % {"person": who, "meeting": meeting.title}})
        delegation = None
        if economy is not None:
            delegation, created = Delegation.objects.get_or_create(meeting=meeting, economy=economy)
            if created:
                record_change(action="delegation.create", object_type=_label(delegation),
                              object_id=delegation.pk, after=snapshot(delegation), actor=actor)
        registration = _save_new(actor, Registration(meeting=meeting, person=person, delegation=delegation,
                                                     registered_by=actor), "registration.create")
        if head:
            if delegation is None:
                raise ValidationError({"head": _("Only a member of a member state's delegation can head it.")})
            registration.delegation = set_head_of_delegation(actor, delegation, registration)
        transaction.on_commit(lambda: notify_registration_confirmed(registration))
    return registration


@transaction.atomic
def set_head_of_delegation(actor, delegation: Delegation, registration: Registration | None) -> Delegation:
    """Make ``registration`` the head of ``delegation`` (``None`` leaves it without a head).

    The secretariat and the delegation's own focal point may do this.

    Parameters
    ----------
    actor : User
    delegation : Delegation
    registration : Registration or None
        An active registration of this delegation (checked by :meth:`Delegation.clean`).

    Returns
    -------
    Delegation

    Raises
    ------
    PermissionDenied
        ``actor`` may not act for the delegation's member state.
    ValidationError
        On ``head``: the person is not registered in this delegation (another member state's, withdrawn...).
    """
    delegation = Delegation.objects.select_for_update(of=("self",)).select_related("economy").get(pk=delegation.pk)
    permissions.require_acts_for(actor, delegation.economy)
    return _save_changes(actor, delegation, "delegation.head", {"head": registration})


def _tz(meeting):
    import zoneinfo

    return zoneinfo.ZoneInfo(meeting.time_zone)


@transaction.atomic
def withdraw_registration(actor, registration: Registration) -> Registration:
    """Withdraw a registration (kept with status ``withdrawn``); same rights as :func:`register`."""
    registration = Registration.objects.select_for_update(of=("self",)).select_related("delegation").get(pk=registration.pk)
    if actor.pk != registration.person_id:
        if registration.delegation_id:
            permissions.require_acts_for(actor, registration.delegation.economy)
        else:
            permissions.require_secretariat(actor)
    if registration.delegation_id and registration.delegation.head_id == registration.pk:
        _save_changes(actor, registration.delegation, "delegation.head", {"head": None})
    return _save_changes(actor, registration, "registration.withdraw", {"status": Registration.Status.WITHDRAWN})


@transaction.atomic
def record_attendance(actor, registration: Registration, attended: bool) -> Registration:
    """Record whether a registered person attended (secretariat only)."""
    permissions.require_secretariat(actor)
    return _save_changes(actor, registration, "registration.attendance", {"attended": bool(attended)})


# --- Documents and minutes --------------------------------------------------------------------------------

#: Kinds of document a focal point may contribute for its member state (agenda and minutes are the
#: secretariat's own).
COUNTRY_DOCUMENT_KINDS = (Document.Kind.WORKING_PAPER, Document.Kind.PRESENTATION, Document.Kind.REPORT,
                          Document.Kind.OTHER)


def check_country_contribution(actor, meeting: Meeting, economy, now) -> None:
    """The rule for documents a member state contributes to a meeting (the secretariat is not bound by it).

    A focal point may upload documents of its own member state, and new versions of them, to a meeting that is
    published, not cancelled and not yet ended, where its member state has a delegation with at least one
    active registration. Delegates, experts and observers send their documents through their focal point or
    the secretariat.

    Raises
    ------
    PermissionDenied
        ``actor`` is neither secretariat nor the focal point of ``economy``.
    ValidationError
        The meeting is not open to contributions (cancelled, ended, no delegation of ``economy``).
    """
    if permissions.is_secretariat(actor):
        return
    if economy is None or not permissions.is_focal_point_of(actor, economy):
        if economy is not None and permissions.country_of(actor) is not None:
            permissions.require_acts_for(actor, economy)   # names both member states
        raise PermissionDenied(_("Only the secretariat or a focal point may upload documents, "
                                 "the focal point for its own member state."))
    if meeting.publish_at > now:
        raise PermissionDenied(_("%(meeting)s is not published yet.") % {"meeting": meeting.title})
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("%(meeting)s has been cancelled.") % {"meeting": meeting.title})
    if now > meeting.end:
        raise ValidationError(_("Member states' documents are accepted until the meeting ends (%(end)s).") % {
            "end": f"{meeting.local_end:%Y-%m-%d %H:%M} {meeting.time_zone}"})
    if not Registration.objects.filter(meeting=meeting, delegation__economy=economy,
                                       status=Registration.Status.REGISTERED).exists():
        raise ValidationError(_("%(country)s has no delegation registered for %(meeting)s; register the "
                                "delegation first.") % {"country": economy.name, "meeting": meeting.title})


@transaction.atomic
def add_document(actor, meeting: Meeting, uploaded, *, kind: str, title_en: str, title_fr: str = "",
                 title_ar: str = "", access: str = Document.Access.MEMBERS, agenda_item=None, economy=None,
                 now=None) -> Document:
    """Create a meeting document with its first version.

    The secretariat uploads any document (``economy`` optional: the member state it comes from). A focal point
    uploads its own member state's documents under the rule of :func:`check_country_contribution`: kinds
    :data:`COUNTRY_DOCUMENT_KINDS`, members-only access (making a document public is the secretariat's
    decision); ``economy`` defaults to its member state.

    Parameters
    ----------
    actor : User
    meeting : Meeting
    uploaded : django.core.files.File
        PDF, DOCX, XLSX or PPTX; checked by :func:`dtforum.forum.documents.check_upload` (size limit
        ``DTFORUM_DOCUMENT_MAX_BYTES``, type read from the content).
    kind, access : str
        ``Document.Kind`` and ``Document.Access`` values.
    title_en, title_fr, title_ar : str
    agenda_item : AgendaItem, optional
        Must belong to ``meeting``.
    economy : Economy, optional
        The member state the document comes from.
    now : datetime, optional
        The present (tests).

    Returns
    -------
    Document

    Raises
    ------
    PermissionDenied
        Neither secretariat nor the focal point of ``economy``; meeting not published (focal point).
    ValidationError
        File too large, not an accepted type, or content not of the claimed type; meeting cancelled or ended,
        no delegation, kind or access not open to member states, agenda item of another meeting (nothing
        stored).
    """
    now = now or timezone.now()
    secretariat = permissions.is_secretariat(actor)
    if economy is None and not secretariat:
        economy = permissions.country_of(actor)
    check_country_contribution(actor, meeting, economy, now)
    if not secretariat:
        if kind not in COUNTRY_DOCUMENT_KINDS:
            raise ValidationError({"kind": _("A member state may upload working papers, presentations, reports "
                                             "and other documents; the agenda and the minutes are the "
                                             "secretariat's.")})
        if access != Document.Access.MEMBERS:
            raise ValidationError({"access": _("Documents of member states are for members only; the secretariat "
                                               "decides what is public.")})
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": _("This agenda item belongs to another meeting.")})
    check_upload(uploaded)
    document = _save_new(actor, Document(meeting=meeting, kind=kind, title_en=title_en, title_fr=title_fr,
                                         title_ar=title_ar, access=access, agenda_item=agenda_item,
                                         economy=economy), "document.create")
    add_document_version(actor, document, uploaded, now=now)
    return document


@transaction.atomic
def add_document_version(actor, document: Document, uploaded, *, now=None) -> DocumentVersion:
    """Store a new version of ``document``; earlier versions are kept and stay downloadable.

    The secretariat versions any document; a focal point its own member state's documents, under the rule of
    :func:`check_country_contribution`.

    Parameters
    ----------
    actor : User
    document : Document
    uploaded : django.core.files.File
        As :func:`add_document`.
    now : datetime, optional
        The present (tests).

    Returns
    -------
    DocumentVersion
        Numbered one more than the latest version.

    Raises
    ------
    PermissionDenied
        Neither secretariat nor the focal point of the document's member state.
    ValidationError
        As :func:`dtforum.forum.documents.check_upload`; the document is withdrawn; the meeting is closed to
        member states' documents.
    """
    now = now or timezone.now()
    document = Document.objects.select_for_update(of=("self",)).select_related("meeting", "economy") \
        .get(pk=document.pk)
    check_country_contribution(actor, document.meeting, document.economy, now)
    if document.withdrawn_at is not None:
        raise ValidationError(_("%(document)s has been withdrawn; it takes no new version.")
                              % {"document": document.title})
    facts = check_upload(uploaded)
    number = (document.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = DocumentVersion(document=document, number=number, uploaded_by=actor, **facts)
    version.file.save(uploaded.name.rsplit("/", 1)[-1], uploaded, save=False)
    return _save_new(actor, version, "document.version")


@transaction.atomic
def withdraw_document(actor, document: Document) -> Document:
    """Withdraw a document from the meeting page; its versions stay stored (secretariat only)."""
    permissions.require_secretariat(actor)
    return _save_changes(actor, document, "document.withdraw", {"withdrawn_at": timezone.now()})


@transaction.atomic
def save_minutes(actor, meeting: Meeting, *, text_en: str, text_fr: str = "", text_ar: str = "",
                 publish_at=None) -> Minutes:
    """Write or revise the minutes of a meeting; ``publish_at`` schedules publication (secretariat only).

    Participants are e-mailed by :func:`notify_minutes_published` once the publication time has passed.
    """
    permissions.require_secretariat(actor)
    fields = {"text_en": text_en, "text_fr": text_fr, "text_ar": text_ar, "publish_at": publish_at}
    existing = Minutes.objects.select_for_update(of=("self",)).filter(meeting=meeting).first()
    if existing is None:
        return _save_new(actor, Minutes(meeting=meeting, **fields), "minutes.create")
    return _save_changes(actor, existing, "minutes.update", fields)


# --- Decisions and action items ---------------------------------------------------------------------------

@transaction.atomic
def adopt_decision(actor, meeting: Meeting, *, reference: str, text_en: str, text_fr: str, text_ar: str,
                   adopted_on, areas=(), is_public: bool = True) -> Decision:
    """Record a decision adopted at ``meeting``, in three languages (secretariat only)."""
    permissions.require_secretariat(actor)
    return _save_new(actor, Decision(meeting=meeting, reference=reference, text_en=text_en, text_fr=text_fr,
                                     text_ar=text_ar, adopted_on=adopted_on, is_public=is_public),
                     "decision.adopt", {"areas": list(areas)})


@transaction.atomic
def create_action_item(actor, decision: Decision, *, title_en: str, due_date, owner_economy=None,
                       owner_secretariat: bool = False, title_fr: str = "", title_ar: str = "",
                       area=None) -> ActionItem:
    """Create an action item under a decision, owned by one member state or by the secretariat.

    Raises
    ------
    ValidationError
        No owner, or both owners.
    PermissionDenied
        ``actor`` is not secretariat.
    """
    permissions.require_secretariat(actor)
    return _save_new(actor, ActionItem(decision=decision, title_en=title_en, title_fr=title_fr, title_ar=title_ar,
                                       due_date=due_date, owner_economy=owner_economy,
                                       owner_secretariat=owner_secretariat, area=area), "action_item.create")


DECISION_FIELDS = ("reference", "text_en", "text_fr", "text_ar", "adopted_on", "is_public")
ACTION_ITEM_FIELDS = ("title_en", "title_fr", "title_ar", "due_date", "owner_economy", "owner_secretariat", "area")


def _changed_only(function: str, instance, changes: dict, allowed: tuple) -> dict:
    """The entries of ``changes`` that differ from ``instance``; ``TypeError`` for a field not in ``allowed``."""
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise TypeError(f"{function}() cannot change {', '.join(unknown)}; it changes {', '.join(allowed)}")
    return {name: value for name, value in changes.items() if getattr(instance, name) != value}


@transaction.atomic
def update_decision(actor, decision: Decision, *, areas=None, **changes) -> Decision:
    """Correct a recorded decision: reference, texts, date of adoption, publicity, thematic areas (secretariat).

    Only what differs is written, with one audit event ``decision.update`` (every field before and after) and,
    when the areas change, ``decision.areas`` (area ids before and after). The meeting of a decision is not
    changed: a decision adopted elsewhere is another decision.

    Parameters
    ----------
    actor : User
    decision : Decision
    areas : iterable of ThematicArea, optional
        Replaces the thematic areas when given.
    **changes
        Any of :data:`DECISION_FIELDS`.

    Returns
    -------
    Decision

    Raises
    ------
    PermissionDenied
        ``actor`` is not secretariat.
    ValidationError
        A text left empty, the reference of another decision (nothing stored).
    TypeError
        A field outside :data:`DECISION_FIELDS`.
    """
    permissions.require_secretariat(actor)
    decision = Decision.objects.select_for_update(of=("self",)).get(pk=decision.pk)
    changes = _changed_only("update_decision", decision, changes, DECISION_FIELDS)
    if changes:
        _save_changes(actor, decision, "decision.update", changes)
    if areas is not None:
        before, after = sorted(decision.areas.values_list("pk", flat=True)), sorted(a.pk for a in areas)
        if before != after:
            decision.areas.set(list(areas))
            record_change(action="decision.areas", object_type=_label(decision), object_id=decision.pk,
                          before={"areas": before}, after={"areas": after}, actor=actor)
    return decision


@transaction.atomic
def update_action_item(actor, item: ActionItem, **changes) -> ActionItem:
    """Correct an action item: titles, owner, due date, thematic area (secretariat only).

    The status is not changed here: it moves with follow-up reports (:func:`report_follow_up`), which say
    why. Only what differs is written, audited as ``action_item.update`` with every field before and after.

    Parameters
    ----------
    actor : User
    item : ActionItem
    **changes
        Any of :data:`ACTION_ITEM_FIELDS`; give ``owner_economy`` and ``owner_secretariat`` together when the
        owner changes (exactly one owner, :meth:`ActionItem.clean`).

    Returns
    -------
    ActionItem

    Raises
    ------
    PermissionDenied
        ``actor`` is not secretariat.
    ValidationError
        No owner or two owners, an empty English title (nothing stored).
    TypeError
        A field outside :data:`ACTION_ITEM_FIELDS` (``status`` included).
    """
    permissions.require_secretariat(actor)
    item = ActionItem.objects.select_for_update(of=("self",)).get(pk=item.pk)
    changes = _changed_only("update_action_item", item, changes, ACTION_ITEM_FIELDS)
    if changes:
        _save_changes(actor, item, "action_item.update", changes)
    return item


@transaction.atomic
def report_follow_up(actor, item: ActionItem, *, text: str, status: str) -> FollowUpReport:
    """Report progress on an action item and move its status.

    The secretariat reports on every item; a focal point only on items its own member state owns.

    Raises
    ------
    ValidationError
        Empty text, unknown status, item already closed.
    PermissionDenied
        A focal point reporting for another member state, or anyone else.
    """
    item = ActionItem.objects.select_for_update(of=("self",)).select_related("owner_economy").get(pk=item.pk)
    if item.owner_economy_id:
        permissions.require_acts_for(actor, item.owner_economy)
    else:
        permissions.require_secretariat(actor)
    if not (text or "").strip():
        raise ValidationError({"text": _("Write what was done.")})
    if status not in ActionItem.Status.values:
        raise ValidationError({"status": _("Unknown status %(status)r.") % {"status": status}})
    if item.status in (ActionItem.Status.DONE, ActionItem.Status.CANCELLED):
        raise ValidationError({"status": _("This action item is closed (%(status)s).")
                                         % {"status": item.get_status_display()}})
    report = _save_new(actor, FollowUpReport(action_item=item, author=actor, text=text.strip(), status=status),
                       "follow_up.create")
    closed = timezone.now() if status in (ActionItem.Status.DONE, ActionItem.Status.CANCELLED) else None
    _save_changes(actor, item, "action_item.status", {"status": status, "closed_at": closed})
    return report


# --- Calendar tokens --------------------------------------------------------------------------------------

@transaction.atomic
def calendar_token_for(user, *, reset: bool = False) -> str:
    """The secret token of ``user``'s private iCalendar feed, created on first use; ``reset`` replaces it."""
    token = CalendarToken.objects.select_for_update(of=("self",)).filter(user=user).first()
    if token is None:
        token = CalendarToken.objects.create(user=user, token=secrets.token_urlsafe(32))
        record_change(action="calendar_token.create", object_type=_label(token), object_id=token.pk, actor=user)
    elif reset:
        token.token = secrets.token_urlsafe(32)
        token.save(update_fields=["token"])
        record_change(action="calendar_token.reset", object_type=_label(token), object_id=token.pk, actor=user)
    return token.token


# --- Notifications ----------------------------------------------------------------------------------------

def _meeting_context(meeting: Meeting, language: str) -> dict:
    with translation.override(language):
        return {"meeting": meeting, "title": meeting.title, "start": meeting.local_start, "end": meeting.local_end,
                "path": reverse("forum:meeting", kwargs={"pk": meeting.pk})}


def notify_registration_confirmed(registration: Registration) -> int:
    """E-mail the registered person (and whoever registered them) that the registration is confirmed."""
    from dtforum.forum.feeds import meeting_calendar

    person = registration.person
    language = _language_of(person)
    recipients = sorted({person.email, registration.registered_by.email} - {""})
    ics = meeting_calendar([registration.meeting], method="PUBLISH")
    return enqueue_templated("forum/email/registration_confirmed", recipients,
                          _meeting_context(registration.meeting, language), language,
                          attachments=[("meeting.ics", ics, "text/calendar")])


def send_reminders(*, days: int = 7, now=None) -> int:
    """E-mail a reminder, once, to everyone registered for a meeting starting within ``days`` days.

    Returns
    -------
    int
        Number of reminders sent.
    """
    now = now or timezone.now()
    due = Registration.objects.select_related("meeting", "person").filter(
        status=Registration.Status.REGISTERED, reminder_sent_at__isnull=True,
        meeting__status=Meeting.Status.PLANNED, meeting__start__gt=now, meeting__start__lte=now + timedelta(days=days))
    sent = 0
    for registration in due:
        language = _language_of(registration.person)
        sent += enqueue_templated("forum/email/reminder", [registration.person.email],
                               _meeting_context(registration.meeting, language), language)
        Registration.objects.filter(pk=registration.pk).update(reminder_sent_at=now)
    return sent


def notify_minutes_published(*, now=None) -> int:
    """E-mail the participants of every meeting whose minutes became public and were not yet announced.

    Returns
    -------
    int
        Number of e-mails sent (one per participant).
    """
    now = now or timezone.now()
    sent = 0
    for minutes in Minutes.objects.select_related("meeting").filter(publish_at__lte=now, notified_at__isnull=True):
        people = [r.person for r in minutes.meeting.registrations.select_related("person")
                  .filter(status=Registration.Status.REGISTERED)]
        for person in people:
            language = _language_of(person)
            sent += enqueue_templated("forum/email/minutes_published", [person.email],
                                   _meeting_context(minutes.meeting, language), language)
        Minutes.objects.filter(pk=minutes.pk).update(notified_at=now)
    return sent

