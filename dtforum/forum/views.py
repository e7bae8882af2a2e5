"""Pages of the Forum workspace. Thin: reads through :mod:`.selectors`, writes through :mod:`.services`.

Bad input (``ValidationError``) comes back to the page as a message in the user's language, with nothing
stored; a forbidden action (``PermissionDenied``) answers 403 with the reason.
"""
from __future__ import annotations

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, translate_url
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dtforum.core import permissions
from dtforum.forum import exports, selectors, services
from dtforum.forum.feeds import meeting_calendar
from dtforum.forum.forms import (
    ActionItemForm,
    AgendaFormSet,
    DecisionForm,
    DocumentForm,
    MeetingForm,
    MinutesForm,
    VersionForm,
    agenda_from,
    show_errors,
)
from dtforum.forum.models import ActionItem, CalendarToken, Decision, Document, Meeting, Minutes, Registration
from dtforum.members.models import Economy, Role


def page_context(request, **extra) -> dict:
    """Context shared by the workspace pages: language links keeping the current page, the user's role."""
    current = (get_language() or settings.LANGUAGE_CODE)[:2]
    links = [{"code": code, "name": LANG_INFO[code]["name_local"], "current": code == current,
              "url": translate_url(request.get_full_path(), code)} for code, _name in settings.LANGUAGES]
    return {"language_links": links, "role": permissions.role_of(request.user),
            "is_secretariat": permissions.is_secretariat(request.user),
            "is_member": permissions.is_member(request.user)} | extra


def _messages_from(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def agenda(request):
    """The agenda across all meetings, filtered by type, thematic area, member state, period and year."""
    params = {k: request.GET.get(k, "") for k in ("kind", "area", "country", "year")}
    when = request.GET.get("when", "upcoming")
    if params["year"] and not params["year"].isdigit():
        params["year"] = ""
    meetings = selectors.agenda(request.user, when=when, **params)
    return render(request, "forum/agenda.html", page_context(
        request, meetings=meetings, filters=params | {"when": when}, kinds=Meeting.Kind.choices,
        areas=selectors.thematic_areas(), countries=Economy.objects.filter(kind=Economy.Kind.MEMBER)))


def meeting(request, pk: int):
    """One meeting: agenda, documents, minutes, decisions, delegations (members) and registration."""
    detail = selectors.meeting_detail(request.user, pk)
    people = []
    if permissions.is_secretariat(request.user):
        people = get_user_model().objects.filter(memberships__ended_at__isnull=True).order_by("last_name")
    elif permissions.country_of(request.user) and permissions.role_of(request.user) == "focal_point":
        people = get_user_model().objects.filter(memberships__ended_at__isnull=True,
                                                 memberships__economy=permissions.country_of(request.user))
    return render(request, "forum/meeting.html", page_context(request, people=people, **detail))


@login_required
@require_POST
def register(request, pk: int):
    """Register the signed-in user, or (focal point, secretariat) the person chosen in the form."""
    meeting = get_object_or_404(selectors.visible_meetings(request.user), pk=pk)
    person = request.user
    if request.POST.get("person"):
        person = get_object_or_404(get_user_model(), pk=request.POST["person"])
    try:
        services.register(request.user, meeting, person, head=request.POST.get("head") == "on")
    except ValidationError as error:
        _messages_from(request, error)
    else:
        messages.success(request, _("Registration confirmed; an e-mail has been sent."))
    return redirect("forum:meeting", pk=meeting.pk)


@login_required
@require_POST
def withdraw(request, pk: int):
    """Withdraw a registration (the person, their focal point or the secretariat)."""
    registration = get_object_or_404(Registration, pk=pk, status=Registration.Status.REGISTERED)
    services.withdraw_registration(request.user, registration)
    messages.success(request, _("Registration withdrawn."))
    return redirect("forum:meeting", pk=registration.meeting_id)


def document(request, pk: int, number: int | None = None):
    """Download the latest (or a given) version of a document, if the user may see it."""
    version = selectors.document_version_for(request.user, pk, number)
    try:
        handle = version.file.open("rb")
    except FileNotFoundError:
        raise Http404("file") from None
    return FileResponse(handle, as_attachment=True, filename=version.file.name.rsplit("/", 1)[-1])


def decisions(request):
    """The public register of decisions, filtered by thematic area, year and text."""
    params = {"area": request.GET.get("area", ""), "q": request.GET.get("q", "").strip(),
              "year": request.GET.get("year", "")}
    if params["year"] and not params["year"].isdigit():
        params["year"] = ""
    return render(request, "forum/decisions.html", page_context(
        request, decisions=selectors.public_decisions(**params), filters=params, areas=selectors.thematic_areas()))


def decision(request, pk: int):
    """One decision with its action items and their follow-up reports."""
    qs = Decision.objects.all() if permissions.is_secretariat(request.user) else selectors.public_decisions()
    item = get_object_or_404(qs, pk=pk)
    return render(request, "forum/decision.html", page_context(
        request, decision=item, action_items=item.action_items.select_related("owner_economy", "area")
        .prefetch_related("reports__author")))


def _board_filters(request) -> dict:
    status = request.GET.get("status", "")
    return {"area": request.GET.get("area", ""), "country": request.GET.get("country", ""),
            "status": status if status in (*ActionItem.Status.values, "overdue") else ""}


@login_required
def board(request):
    """The secretariat's follow-up board: open, overdue and done action items by status, area and owner."""
    permissions.require_secretariat(request.user)
    filters = _board_filters(request)
    return render(request, "forum/board.html", page_context(
        request, filters=filters, areas=selectors.thematic_areas(), statuses=ActionItem.Status.choices,
        countries=Economy.objects.filter(kind=Economy.Kind.MEMBER), **selectors.follow_up_board(**filters)))


@login_required
def board_export(request, fmt: str):
    """The follow-up board, with the board's filters, as ``csv`` or ``xlsx`` (secretariat only)."""
    permissions.require_secretariat(request.user)
    if fmt not in ("csv", "xlsx"):
        raise Http404("format")
    board_data = selectors.follow_up_board(**_board_filters(request))
    name = f"follow-up-{board_data['today']:%Y-%m-%d}.{fmt}"
    if fmt == "csv":   # the byte-order mark makes spreadsheet programs read the UTF-8 (Arabic, accents)
        response = HttpResponse("\ufeff" + exports.board_csv(board_data), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(exports.board_xlsx(board_data), content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def follow_up(request, pk: int):
    """Report on an action item (its member state's focal point, or the secretariat)."""
    item = get_object_or_404(ActionItem.objects.select_related("owner_economy", "decision"), pk=pk)
    if item.owner_economy_id:
        permissions.require_acts_for(request.user, item.owner_economy)
    else:
        permissions.require_secretariat(request.user)
    if request.method == "POST":
        try:
            services.report_follow_up(request.user, item, text=request.POST.get("text", ""),
                                      status=request.POST.get("status", ""))
        except ValidationError as error:
            _messages_from(request, error)
        else:
            messages.success(request, _("Follow-up report recorded."))
            return redirect("forum:decision", pk=item.decision_id)
    return render(request, "forum/follow_up.html", page_context(request, item=item,
                                                                statuses=ActionItem.Status.choices))


@login_required
def my_calendar(request):
    """The address of the user's private calendar feed; POST replaces the secret."""
    if not permissions.is_member(request.user):
        raise PermissionDenied(_("Only Forum members have a private calendar."))
    token = services.calendar_token_for(request.user, reset=request.method == "POST")
    url = request.build_absolute_uri(reverse("feeds:private", kwargs={"token": token}))
    return render(request, "forum/my_calendar.html", page_context(request, feed_url=url))


def public_feed(request):
    """``/meetings.ics``: every published meeting (cancelled ones marked so)."""
    body = meeting_calendar(selectors.visible_meetings(None), name="COMCEC DT Forum")
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


def private_feed(request, token: str):
    """A user's private feed (token in the URL, for calendar clients that cannot sign in)."""
    owner = CalendarToken.objects.select_related("user").filter(token=token).first()
    if owner is None or not owner.user.is_active or not permissions.is_member(owner.user):
        raise Http404("calendar")
    membership = permissions.membership_of(owner.user)
    body = meeting_calendar(selectors.private_feed_meetings(owner.user), name="COMCEC DT Forum — private",
                            language=membership.language if membership else "en")
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


# --- Secretariat's forms ----------------------------------------------------------------------------------

def _form_page(request, title: str, forms_: list, *, back: str, formset=None, upload: bool = False,
               status: int = 200):
    return render(request, "forum/form.html", page_context(request, title=title, forms=forms_, formset=formset,
                                                           back=back, upload=upload), status=status)


def _secretariat(request) -> None:
    permissions.require_secretariat(request.user)


@login_required
def meeting_edit(request, pk: int | None = None):
    """Convene a meeting (``pk`` None) or change one, with its agenda items (secretariat only)."""
    _secretariat(request)
    meeting = get_object_or_404(Meeting, pk=pk) if pk else Meeting()
    form = MeetingForm(request.POST or None, instance=meeting, prefix="meeting")
    agenda_forms = AgendaFormSet(request.POST or None, instance=meeting, prefix="agenda")
    if request.method == "POST" and form.is_valid() and agenda_forms.is_valid():
        try:
            if pk:
                meeting = services.update_meeting(request.user, meeting, areas=form.cleaned_data["areas"],
                                                  agenda=agenda_from(agenda_forms), **form.service_fields())
            else:
                meeting = services.create_meeting(request.user, areas=form.cleaned_data["areas"],
                                                  agenda=agenda_from(agenda_forms), **form.service_fields())
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Meeting saved."))
            return redirect("forum:meeting", pk=meeting.pk)
    title = _("Change the meeting") if pk else _("Convene a meeting")
    back = reverse("forum:meeting", kwargs={"pk": pk}) if pk else reverse("forum:agenda")
    return _form_page(request, title, [form], formset=agenda_forms, back=back,
                      status=400 if request.method == "POST" else 200)


@login_required
def decision_create(request, pk: int):
    """Record a decision adopted at meeting ``pk`` (secretariat only)."""
    _secretariat(request)
    meeting = get_object_or_404(Meeting, pk=pk)
    form = DecisionForm(request.POST or None, instance=Decision(meeting=meeting))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.adopt_decision(
                request.user, meeting, reference=data["reference"], text_en=data["text_en"],
                text_fr=data["text_fr"], text_ar=data["text_ar"], adopted_on=data["adopted_on"],
                areas=data["areas"], is_public=data["is_public"])
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("forum:decision", pk=decision.pk)
    return _form_page(request, _("Adopt a decision: %(meeting)s") % {"meeting": meeting.title}, [form],
                      back=reverse("forum:meeting", kwargs={"pk": pk}),
                      status=400 if request.method == "POST" else 200)


@login_required
def decision_edit(request, pk: int):
    """Correct a decision: reference, date, texts, areas, publicity (secretariat only; audited)."""
    _secretariat(request)
    decision = get_object_or_404(Decision, pk=pk)
    form = DecisionForm(request.POST or None, instance=decision)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.update_decision(request.user, decision, areas=data.pop("areas"), **data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Decision saved."))
            return redirect("forum:decision", pk=decision.pk)
    return _form_page(request, _("Change decision %(reference)s") % {"reference": decision.reference}, [form],
                      back=reverse("forum:decision", kwargs={"pk": pk}),
                      status=400 if request.method == "POST" else 200)


@login_required
def action_item_edit(request, pk: int):
    """Correct an action item: titles, owner, due date, area (secretariat only; the status moves by reports)."""
    _secretariat(request)
    item = get_object_or_404(ActionItem.objects.select_related("decision", "owner_economy"), pk=pk)
    form = ActionItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_action_item(request.user, item, **form.service_fields())
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Action item saved."))
            return redirect("forum:decision", pk=item.decision_id)
    return _form_page(request, _("Change the action item"), [form],
                      back=reverse("forum:decision", kwargs={"pk": item.decision_id}),
                      status=400 if request.method == "POST" else 200)


@login_required
def action_item_create(request, pk: int):
    """Create an action item under decision ``pk`` (secretariat only)."""
    _secretariat(request)
    decision = get_object_or_404(Decision, pk=pk)
    form = ActionItemForm(request.POST or None, instance=ActionItem(decision=decision))
    if request.method == "POST" and form.is_valid():
        try:
            services.create_action_item(request.user, decision, **form.service_fields())
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Action item created."))
            return redirect("forum:decision", pk=decision.pk)
    return _form_page(request, _("New action item under decision %(reference)s") % {"reference": decision.reference},
                      [form], back=reverse("forum:decision", kwargs={"pk": pk}),
                      status=400 if request.method == "POST" else 200)


@login_required
def minutes_edit(request, pk: int):
    """Write, revise and publish the minutes of meeting ``pk`` (secretariat only)."""
    _secretariat(request)
    meeting = get_object_or_404(Meeting, pk=pk)
    existing = Minutes.objects.filter(meeting=meeting).first()
    form = MinutesForm(request.POST or None, instance=existing or Minutes(meeting=meeting))
    if request.method == "POST" and form.is_valid():
        try:
            services.save_minutes(request.user, meeting, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Minutes saved."))
            return redirect("forum:meeting", pk=meeting.pk)
    return _form_page(request, _("Minutes: %(meeting)s") % {"meeting": meeting.title}, [form],
                      back=reverse("forum:meeting", kwargs={"pk": pk}),
                      status=400 if request.method == "POST" else 200)


# --- Documents --------------------------------------------------------------------------------------------

def _may_upload(user) -> bool:
    return permissions.is_secretariat(user) or permissions.role_of(user) == Role.FOCAL_POINT


def _warn_if_closed(request, meeting, economy) -> None:
    """Say above the upload form why the rule would refuse (cancelled, ended, no delegation), before sending."""
    try:
        services.check_country_contribution(request.user, meeting, economy, timezone.now())
    except ValidationError as error:
        _messages_from(request, error)


@login_required
def document_create(request, pk: int):
    """Upload a document to meeting ``pk``: the secretariat any, a focal point its own member state's."""
    if not _may_upload(request.user):
        raise PermissionDenied(_("Only the secretariat or a focal point may upload documents, "
                                 "the focal point for its own member state."))
    meeting = get_object_or_404(selectors.visible_meetings(request.user), pk=pk)
    secretariat = permissions.is_secretariat(request.user)
    form = DocumentForm(request.POST or None, request.FILES or None, instance=Document(meeting=meeting),
                        meeting=meeting, secretariat=secretariat)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_document(request.user, meeting, form.cleaned_data["file"], **form.service_fields())
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Document uploaded."))
            return redirect("forum:meeting", pk=meeting.pk)
    elif request.method != "POST" and not secretariat:
        _warn_if_closed(request, meeting, permissions.country_of(request.user))
    return _form_page(request, _("Upload a document: %(meeting)s") % {"meeting": meeting.title}, [form],
                      back=reverse("forum:meeting", kwargs={"pk": pk}), upload=True,
                      status=400 if request.method == "POST" else 200)


@login_required
def document_version_create(request, pk: int):
    """Upload a new version of document ``pk`` (the secretariat, or the focal point of its member state)."""
    document = selectors.document_for(request.user, pk)
    if not permissions.is_secretariat(request.user) and (
            document.economy_id is None or not permissions.is_focal_point_of(request.user, document.economy)):
        raise PermissionDenied(_("Only the secretariat or the focal point of the member state the document comes "
                                 "from may add a version."))
    form = VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_document_version(request.user, document, form.cleaned_data["file"])
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("New version uploaded."))
            return redirect("forum:document_versions", pk=document.pk)
    elif request.method != "POST":
        _warn_if_closed(request, document.meeting, document.economy)
    return _form_page(request, _("New version: %(document)s") % {"document": document.title}, [form],
                      back=reverse("forum:document_versions", kwargs={"pk": pk}), upload=True,
                      status=400 if request.method == "POST" else 200)


def document_versions(request, pk: int):
    """Every version of a document, newest first, for whoever may download it."""
    document = selectors.document_for(request.user, pk)
    may_add = permissions.is_secretariat(request.user) or (
        document.economy_id is not None and permissions.is_focal_point_of(request.user, document.economy))
    return render(request, "forum/document_versions.html", page_context(
        request, document=document, may_add=may_add,
        versions=document.versions.select_related("uploaded_by").order_by("-number")))
