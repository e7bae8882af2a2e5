"""Admin of the Forum workspace: the secretariat's daily work (in ar/en/fr; Arabic pages are right-to-left).

Every save is audited and nothing can be deleted (:class:`~dtforum.members.admin.AuditedModelAdmin`); documents
are uploaded through :func:`dtforum.forum.services.add_document_version`, which checks size and type.
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
    inlines = [AgendaItemInline]


@admin.register(Delegation)
class DelegationAdmin(AuditedModelAdmin):
    list_display = ("meeting", "economy", "head")
    list_filter = ("meeting", "economy__oic_group")
    readonly_fields = ("meeting", "economy")

    def has_add_permission(self, request):
        return False  # delegations are created by the first registration of their member state


@admin.register(Registration)
class RegistrationAdmin(AuditedModelAdmin):
    """Registrations: attendance is recorded here (list action or the ``attended`` field)."""

    list_display = ("person", "meeting", "delegation", "status", "attended", "registered_at")
    list_filter = ("meeting", "status", "attended", "delegation__economy__oic_group")
    search_fields = ("person__email", "person__last_name", "delegation__economy__iso3")
    readonly_fields = ("meeting", "person", "delegation", "registered_by", "registered_at", "reminder_sent_at")
    fields = readonly_fields[:4] + ("status", "attended") + readonly_fields[4:]
    actions = ["mark_attended", "mark_absent"]

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
    inlines = [DocumentVersionInline]

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


class ActionItemInline(AuditedInline):
    model = ActionItem
    fields = ("title_en", "owner_economy", "owner_secretariat", "due_date", "status", "area")


@admin.register(Decision)
class DecisionAdmin(AuditedModelAdmin):
    list_display = ("reference", "meeting", "adopted_on", "is_public")
    list_filter = ("is_public", "areas", "meeting")
    search_fields = ("reference", "text_en", "text_fr", "text_ar")
    filter_horizontal = ("areas",)
    inlines = [ActionItemInline]


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
    inlines = [FollowUpInline]


@admin.register(ThematicArea)
class ThematicAreaAdmin(AuditedModelAdmin):
    list_display = ("code", "name_en", "name_fr", "name_ar")

    def has_add_permission(self, request):
        return False
