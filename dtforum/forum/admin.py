"""Admin of the Forum workspace: the secretariat's daily work (in ar/en/fr; Arabic pages are right-to-left).

Every save is audited and nothing can be deleted (:class:`~dtforum.members.admin.AuditedModelAdmin`). The admin
and the site enforce the same rules: the admin forms run the models' validation (``Meeting.clean``,
``Delegation.clean``, ``ActionItem.clean``, constraints), and saves go through the services where one exists
(meetings, decisions and action items, created or changed, minutes, heads of delegation, attendance,
withdrawals), so they are audited under the same actions as on the site. Fields whose change has a procedure of
its own (a registration's status, an action item's status) are read-only here, as are the meeting of a decision
and the decision of an action item once stored. Documents are uploaded through
:func:`dtforum.forum.services.add_document_version`, which checks size and type.
"""
from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from dtforum.forum import services
from dtforum.forum.documents import check_upload
from dtforum.forum.models import (
    ActionItem,
    AgendaItem,
    Decision,
    Delegation,
    Document,
    DocumentVersion,
    FollowUpReport,
    Meeting,
    Minutes,
    Registration,
    ThematicArea,
)
from dtforum.members.admin import AuditedInline, AuditedModelAdmin


def _adopt(obj, saved) -> None:
    """Make the admin's unsaved ``obj`` stand for the row a service stored, for the inlines and m2m after it."""
    obj.pk = saved.pk
    obj._state.adding, obj._state.db = False, saved._state.db
    for field in saved._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))


def _changes(form, exclude=()) -> dict:
    """The model fields the admin form changed, as service keyword arguments."""
    names = {f.name for f in form.instance._meta.concrete_fields}
    return {name: form.cleaned_data[name] for name in form.changed_data if name in names and name not in exclude}


class AgendaItemInline(AuditedInline):
    model = AgendaItem
    fields = ("order", "title_en", "title_fr", "title_ar", "area")


@admin.register(Meeting)
class MeetingAdmin(AuditedModelAdmin):
    list_display = ("title_en", "kind", "start", "end", "time_zone", "status", "registration_deadline",
                    "publish_at", "is_demo")
    list_filter = ("kind", "status", "areas", "is_demo")
    search_fields = ("title_en", "title_fr", "title_ar", "venue")
    date_hierarchy = "start"
    filter_horizontal = ("areas",)
    inlines = (AgendaItemInline,)

    def save_model(self, request, obj, form, change):
        areas = form.cleaned_data.get("areas", [])
        if change:
            services.update_meeting(request.user, obj, areas=areas, **_changes(form))
        else:
            fields = {name: form.cleaned_data[name] for name in form.cleaned_data
                      if name in {f.name for f in Meeting._meta.concrete_fields}}
            _adopt(obj, services.create_meeting(request.user, areas=areas, **fields))


@admin.register(Delegation)
class DelegationAdmin(AuditedModelAdmin):
    list_display = ("meeting", "economy", "head")
    list_filter = ("meeting", "economy__oic_group")
    readonly_fields = ("meeting", "economy")

    def has_add_permission(self, request):
        return False  # delegations are created by the first registration of their member state

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "head":   # offer this delegation's active registrations only
            delegation_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Registration.objects.filter(delegation_id=delegation_id,
                                                             status=Registration.Status.REGISTERED)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        services.set_head_of_delegation(request.user, obj, form.cleaned_data.get("head"))


@admin.register(Registration)
class RegistrationAdmin(AuditedModelAdmin):
    """Registrations: attendance is recorded here (list action or the ``attended`` field)."""

    list_display = ("person", "meeting", "delegation", "status", "attended", "registered_at")
    list_filter = ("meeting", "status", "attended", "delegation__economy__oic_group")
    search_fields = ("person__email", "person__last_name", "delegation__economy__iso3")
    readonly_fields = ("meeting", "person", "delegation", "status", "registered_by", "registered_at",
                       "reminder_sent_at")
    fields = readonly_fields[:4] + ("attended",) + readonly_fields[4:]
    actions = ("mark_attended", "mark_absent", "withdraw")

    def save_model(self, request, obj, form, change):
        services.record_attendance(request.user, obj, form.cleaned_data["attended"])

    @admin.action(description=_("Withdraw the selected registrations"))
    def withdraw(self, request, queryset):
        for registration in queryset.filter(status=Registration.Status.REGISTERED):
            services.withdraw_registration(request.user, registration)

    def has_add_permission(self, request):
        return False  # registrations go through services.register (deadline, duplicates, member state)

    @admin.action(description=_("Record as attended"))
    def mark_attended(self, request, queryset):
        for registration in queryset:
            services.record_attendance(request.user, registration, True)

    @admin.action(description=_("Record as absent"))
    def mark_absent(self, request, queryset):
        for registration in queryset:
            services.record_attendance(request.user, registration, False)


class VersionForm(forms.ModelForm):
    class Meta:
        model = DocumentVersion
        fields = ("file",)

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded is not None and not self.instance.pk:
            check_upload(uploaded)
        return uploaded


class DocumentVersionInline(admin.TabularInline):
    """Versions: new ones are uploaded here; stored ones are read-only (every version is kept)."""

    model = DocumentVersion
    form = VersionForm
    extra = 1
    fields = ("file", "number", "file_type", "size", "uploaded_by", "uploaded_at")
    readonly_fields = ("number", "file_type", "size", "uploaded_by", "uploaded_at")
    has_view_permission = AuditedInline.has_view_permission
    has_add_permission = AuditedInline.has_add_permission

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(AuditedModelAdmin):
    list_display = ("title_en", "meeting", "kind", "access", "withdrawn_at")
    list_filter = ("kind", "access", "meeting")
    search_fields = ("title_en", "title_fr", "title_ar")
    inlines = (DocumentVersionInline,)

    def save_formset(self, request, form, formset, change):
        if formset.model is not DocumentVersion:
            return super().save_formset(request, form, formset, change)
        for version_form in formset.forms:
            uploaded = version_form.cleaned_data.get("file") if version_form.has_changed() else None
            if uploaded is not None and not version_form.instance.pk:
                services.add_document_version(request.user, form.instance, uploaded)


@admin.register(Minutes)
class MinutesAdmin(AuditedModelAdmin):
    list_display = ("meeting", "publish_at", "notified_at")
    list_filter = ("publish_at",)
    readonly_fields = ("notified_at",)

    def get_readonly_fields(self, request, obj=None):
        return ("meeting", "notified_at") if obj else ("notified_at",)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        _adopt(obj, services.save_minutes(request.user, obj.meeting, text_en=data["text_en"],
                                          text_fr=data.get("text_fr", ""), text_ar=data.get("text_ar", ""),
                                          publish_at=data.get("publish_at")))


class ActionItemInline(AuditedInline):
    model = ActionItem
    fields = ("title_en", "owner_economy", "owner_secretariat", "due_date", "status", "area")
    readonly_fields = ("status",)   # moved by follow-up reports (services.report_follow_up)


@admin.register(Decision)
class DecisionAdmin(AuditedModelAdmin):
    list_display = ("reference", "meeting", "adopted_on", "is_public")
    list_filter = ("is_public", "areas", "meeting")
    search_fields = ("reference", "text_en", "text_fr", "text_ar")
    filter_horizontal = ("areas",)
    inlines = (ActionItemInline,)

    def get_readonly_fields(self, request, obj=None):
        return ("meeting",) if obj else ()

    def save_model(self, request, obj, form, change):
        if change:
            services.update_decision(request.user, obj, areas=form.cleaned_data.get("areas"), **_changes(form))
            return
        data = form.cleaned_data
        _adopt(obj, services.adopt_decision(
            request.user, data["meeting"], reference=data["reference"], text_en=data["text_en"],
            text_fr=data["text_fr"], text_ar=data["text_ar"], adopted_on=data["adopted_on"],
            areas=data.get("areas", []), is_public=data.get("is_public", True)))

    def save_formset(self, request, form, formset, change):
        if formset.model is not ActionItem:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)   # only for the admin's history message (new_objects, changed_objects)
        for item_form in formset.forms:
            if not item_form.has_changed():
                continue
            item = item_form.instance
            if item.pk is None:
                services.create_action_item(
                    request.user, form.instance, title_en=item.title_en, due_date=item.due_date,
                    owner_economy=item.owner_economy, owner_secretariat=item.owner_secretariat, area=item.area)
            else:
                services.update_action_item(request.user, item, **_changes(item_form))


class FollowUpInline(AuditedInline):
    model = FollowUpReport
    fields = ("author", "text", "status", "created_at")
    readonly_fields = ("author", "text", "status", "created_at")

    def has_add_permission(self, request, obj=None):
        return False  # reports go through services.report_follow_up, which also moves the status


@admin.register(ActionItem)
class ActionItemAdmin(AuditedModelAdmin):
    list_display = ("title_en", "decision", "owner_economy", "owner_secretariat", "due_date", "status", "area")
    list_filter = ("status", "area", "owner_secretariat", "owner_economy__oic_group", "due_date")
    search_fields = ("title_en", "title_fr", "title_ar", "decision__reference", "owner_economy__iso3")
    readonly_fields = ("status", "closed_at")   # moved by follow-up reports (services.report_follow_up)
    inlines = (FollowUpInline,)

    def get_readonly_fields(self, request, obj=None):
        return (*self.readonly_fields, "decision") if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            services.update_action_item(request.user, obj, **_changes(form, exclude=("decision",)))
            return
        data = form.cleaned_data
        _adopt(obj, services.create_action_item(
            request.user, data["decision"], title_en=data["title_en"], title_fr=data.get("title_fr", ""),
            title_ar=data.get("title_ar", ""), due_date=data["due_date"], owner_economy=data.get("owner_economy"),
            owner_secretariat=data.get("owner_secretariat", False), area=data.get("area")))


@admin.register(ThematicArea)
class ThematicAreaAdmin(AuditedModelAdmin):
    list_display = ("code", "name_en", "name_fr", "name_ar")

    def has_add_permission(self, request):
        return False
