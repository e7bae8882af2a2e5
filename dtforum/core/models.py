"""Shared base models and the audit trail."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Abstract base adding ``created_at`` and ``updated_at`` (UTC, set by the database layer)."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One change of record: who did what to which object, with the state before and after.

    Written only through :func:`dtforum.core.audit.record_change`; never updated or deleted.
    """

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("actor")
    )
    actor_label = models.CharField(_("actor label"), max_length=200, blank=True,
                                   help_text=_("for system jobs, e.g. 'make build'"))
    action = models.CharField(_("action"), max_length=80)
    object_type = models.CharField(_("object type"), max_length=120)
    object_id = models.CharField(_("object id"), max_length=120, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"
