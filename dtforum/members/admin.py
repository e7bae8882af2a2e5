"""Admin registration of the members app, and the audited admin base of the Forum workspace."""
from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dtforum.core import permissions
from dtforum.core.audit import record_change
from dtforum.core.models import AuditEvent
from dtforum.members import services
from dtforum.members.models import CompetentAuthority, Economy, Invitation, Membership, ObserverInstitution


@admin.register(Economy)
class EconomyAdmin(admin.ModelAdmin):
    """Economies, filterable by kind, OIC group, World Bank region and income group."""

    list_display = ("iso3", "name_en", "name_ar", "kind", "oic_group", "wb_region", "income_group")
    list_filter = ("kind", "oic_group", "wb_region", "income_group")
    search_fields = ("iso3", "iso2", "name_en", "name_fr", "name_ar")
    ordering = ("name_en",)


def _record(request, obj, before, action):
    record_change(action=action, object_type=obj._meta.label, object_id=obj.pk, before=before,
                  after=services.snapshot(obj), actor=request.user)


class AuditedModelAdmin(admin.ModelAdmin):
    """Admin for the secretariat's daily work: open to secretariat roles, every save audited, no deletion.

    Rights come from the workspace roles (:mod:`dtforum.core.permissions`), not Django model permissions, so a
    new secretariat member needs nothing but the role. Deleting is disabled: records are withdrawn or
    cancelled through their status fields instead. Django's admin runs each save in a transaction, so the
    change and its audit event commit together.
    """

    def has_module_permission(self, request):
        return permissions.is_secretariat(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.is_secretariat(request.user)

    def has_add_permission(self, request):
        return permissions.is_secretariat(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.is_secretariat(request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        before = services.snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        _record(request, obj, before, f"admin.{'change' if change else 'add'}")

    def save_formset(self, request, form, formset, change):
        for obj in formset.save(commit=False):
            save_audited(request, obj)
        formset.save_m2m()


def save_audited(request, obj) -> None:
    """Store an admin-edited ``obj`` (already validated by its form) with an ``admin.add``/``admin.change`` event.

    Parameters
    ----------
    request : HttpRequest
        Its user is the actor.
    obj : Model
    """
    before = services.snapshot(type(obj).objects.get(pk=obj.pk)) if obj.pk else None
    obj.save()
    _record(request, obj, before, f"admin.{'change' if before else 'add'}")


class AuditedInline(admin.TabularInline):
    """Inline with the same role-based rights as :class:`AuditedModelAdmin` (no deletion)."""

    extra = 0

    def has_view_permission(self, request, obj=None):
        return permissions.is_secretariat(request.user)

    def has_add_permission(self, request, obj=None):
        return permissions.is_secretariat(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.is_secretariat(request.user)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CompetentAuthority)
class CompetentAuthorityAdmin(AuditedModelAdmin):
    list_display = ("name_en", "name_ar", "economy", "type", "is_active")
    list_filter = ("type", "is_active", "economy__oic_group")
    search_fields = ("name_en", "name_fr", "name_ar", "economy__iso3")
    autocomplete_fields = ("economy",)


@admin.register(ObserverInstitution)
class ObserverInstitutionAdmin(AuditedModelAdmin):
    list_display = ("acronym", "name_en", "is_active")
    list_filter = ("is_active",)
    search_fields = ("acronym", "name_en", "name_fr", "name_ar")


@admin.register(Membership)
class MembershipAdmin(AuditedModelAdmin):
    """Memberships are read here; roles change through invitations or :func:`services.grant_role`."""

    list_display = ("user", "role", "economy", "observer", "started_at", "ended_at")
    list_filter = ("role", "ended_at", "economy__oic_group")
    search_fields = ("user__email", "user__last_name", "economy__iso3")
    readonly_fields = ("user", "role", "economy", "observer", "started_at", "ended_at")
    fields = ("user", "role", "economy", "authority", "observer", "title", "phone", "language",
              "started_at", "ended_at")

    def has_add_permission(self, request):
        return False


@admin.register(Invitation)
class InvitationAdmin(AuditedModelAdmin):
    """Invitations: the add form sends one through :func:`services.create_invitation` (same checks)."""

    list_display = ("email", "role", "economy", "observer", "invited_by", "created_at", "accepted_at",
                    "revoked_at")
    list_filter = ("role", "accepted_at", "revoked_at")
    search_fields = ("email", "economy__iso3")
    fields = ("email", "role", "economy", "observer", "language")
    actions = ("revoke",)

    def get_readonly_fields(self, request, obj=None):
        return self.fields if obj else ()

    def save_model(self, request, obj, form, change):
        if change:
            return
        try:
            created, _path = services.create_invitation(
                request.user, email=obj.email, role=obj.role, economy=obj.economy, observer=obj.observer,
                language=obj.language)
        except ValidationError as error:
            raise ValidationError(error.messages) from error
        obj.pk = created.pk

    @admin.action(description=_("Withdraw the selected invitations"))
    def revoke(self, request, queryset):
        from django.utils import timezone

        for invitation in queryset.filter(accepted_at__isnull=True, revoked_at__isnull=True):
            before = services.snapshot(invitation)
            invitation.revoked_at = timezone.now()
            invitation.save(update_fields=["revoked_at"])
            _record(request, invitation, before, "invitation.revoke")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit trail, read-only, for the secretariat (core owns the model; registered here for the workspace)."""

    list_display = ("at", "actor", "actor_label", "action", "object_type", "object_id")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "actor__email", "actor_label")
    readonly_fields = ("at", "actor", "actor_label", "action", "object_type", "object_id", "before", "after")

    def has_module_permission(self, request):
        return permissions.is_secretariat(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.is_secretariat(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
