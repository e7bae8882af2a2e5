"""Forum workspace: meetings, agenda, registrations, documents, minutes, decisions and their follow-up.

Nothing of record is deleted: cancelled meetings, withdrawn registrations and documents, and cancelled action
items keep their rows with a status. Every change goes through :mod:`dtforum.forum.services`, which writes the
audit trail.
"""
from __future__ import annotations

import secrets
import zoneinfo
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dtforum.core.i18n import localised
from dtforum.members.models import Economy


def validate_time_zone(value: str) -> None:
    """Raise ``ValidationError`` unless ``value`` is an IANA time-zone name (e.g. ``Asia/Riyadh``)."""
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)r is not a time zone name such as Europe/Istanbul.") % {"value": value})


class Trilingual(models.Model):
    """Abstract base for records whose ``title`` exists in English, French and Arabic."""

    title_en = models.CharField(_("title (English)"), max_length=300)
    title_fr = models.CharField(_("title (French)"), max_length=300, blank=True)
    title_ar = models.CharField(_("title (Arabic)"), max_length=300, blank=True)

    class Meta:
        abstract = True

    @property
    def title(self) -> str:
        """Title in the active language (falls back to English)."""
        return localised(self, "title")

    def __str__(self) -> str:
        return self.title


class ThematicArea(models.Model):
    """One of the eight thematic areas of the declaration of 27 November 2022 (codes of the design brief)."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering: ClassVar[list] = ["order"]
        verbose_name = _("thematic area")
        verbose_name_plural = _("thematic areas")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localised(self, "name")


class Meeting(Trilingual):
    """A Forum session or a technical meeting.

    ``start`` and ``end`` are stored in UTC; ``time_zone`` (IANA name) is the venue's, used for display and
    in the iCalendar feeds. Public pages show the meeting only from ``publish_at``.
    """

    class Kind(models.TextChoices):
        FORUM_SESSION = "session", _("Forum session")
        TECHNICAL = "technical", _("technical meeting")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        CANCELLED = "cancelled", _("cancelled")

    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Istanbul",
                                 validators=[validate_time_zone], help_text=_("IANA name, e.g. Europe/Istanbul"))
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    areas = models.ManyToManyField(ThematicArea, blank=True, verbose_name=_("thematic areas"))
    registration_deadline = models.DateTimeField(_("registration deadline"))
    publish_at = models.DateTimeField(_("published from"), default=timezone.now)
    uid = models.CharField(_("calendar UID"), max_length=80, unique=True, editable=False)
    is_demo = models.BooleanField(_("demonstration data"), default=False)

    class Meta:
        ordering: ClassVar[list] = ["start"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def clean(self):
        """Check the time line: start before end, registration closes no later than the start.

        Raises
        ------
        ValidationError
            On ``end`` or ``registration_deadline``, in the active language.
        """
        errors = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("The meeting ends (%(end)s) before it starts (%(start)s).") % {
                "end": f"{self.end:%Y-%m-%d %H:%M}", "start": f"{self.start:%Y-%m-%d %H:%M}"}
        if self.start and self.registration_deadline and self.registration_deadline > self.start:
            errors["registration_deadline"] = _("Registration must close before the meeting starts.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if not self.uid:
            self.uid = f"{secrets.token_hex(12)}@dtforum"
        super().save(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.publish_at <= timezone.now()

    @property
    def registration_open(self) -> bool:
        return self.status == self.Status.PLANNED and timezone.now() <= self.registration_deadline

    @property
    def local_start(self):
        return timezone.localtime(self.start, zoneinfo.ZoneInfo(self.time_zone))

    @property
    def local_end(self):
        return timezone.localtime(self.end, zoneinfo.ZoneInfo(self.time_zone))


class AgendaItem(Trilingual):
    """One item of a meeting's agenda, in order."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="agenda_items",
                                verbose_name=_("meeting"))
    order = models.PositiveSmallIntegerField(_("order"))
    description = models.TextField(_("description"), blank=True)
    area = models.ForeignKey(ThematicArea, null=True, blank=True, on_delete=models.PROTECT,
                             verbose_name=_("thematic area"))

    class Meta:
        ordering: ClassVar[list] = ["meeting", "order"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints: ClassVar[list] = [
            models.UniqueConstraint(fields=["meeting", "order"], name="agenda_order_unique")]


class Delegation(models.Model):
    """The delegation of one member state to one meeting, with its head of delegation."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="delegations",
                                verbose_name=_("meeting"))
    economy = models.ForeignKey(Economy, on_delete=models.PROTECT, verbose_name=_("member state"),
                                limit_choices_to={"kind": "member"})
    head = models.ForeignKey("Registration", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("head of delegation"))

    class Meta:
        ordering: ClassVar[list] = ["meeting", "economy__name_en"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        constraints: ClassVar[list] = [
            models.UniqueConstraint(fields=["meeting", "economy"], name="one_delegation_per_state")]

    def __str__(self) -> str:
        return f"{self.economy.iso3} — {self.meeting}"

    def clean(self):
        """The head of delegation must be an active registration of this very delegation.

        Raises
        ------
        ValidationError
            On ``head``, naming the person and the member state, in the active language.
        """
        head = self.head
        if head is None:
            return
        if head.delegation_id != self.pk or head.status != Registration.Status.REGISTERED:
            raise ValidationError({"head": _(
                "%(person)s is not registered in the delegation of %(country)s, so cannot head it.") % {
                "person": head.person.get_full_name() or head.person.email, "country": self.economy.name}})


class Registration(models.Model):
    """One person registered for a meeting, in the delegation of a member state (or as observer/secretariat).

    Withdrawn registrations keep their row; at most one active registration per person and meeting.
    ``attended`` is recorded by the secretariat after the meeting (``None`` = not recorded).
    """

    class Status(models.TextChoices):
        REGISTERED = "registered", _("registered")
        WITHDRAWN = "withdrawn", _("withdrawn")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="registrations",
                                verbose_name=_("meeting"))
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="registrations",
                               verbose_name=_("person"))
    delegation = models.ForeignKey(Delegation, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="registrations", verbose_name=_("delegation"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REGISTERED)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("registered by"))
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)

    class Meta:
        ordering: ClassVar[list] = ["meeting", "delegation__economy__name_en", "person__last_name"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints: ClassVar[list] = [models.UniqueConstraint(fields=["meeting", "person"],
                                                               condition=models.Q(status="registered"),
                                                               name="one_active_registration_per_person")]

    def __str__(self) -> str:
        return f"{self.person.get_full_name() or self.person.email} — {self.meeting}"


class Document(Trilingual):
    """A meeting document; its file content lives in :class:`DocumentVersion` rows (every version kept).

    ``economy`` is set on a member state's contribution (uploaded by its focal point or the secretariat).
    """

    class Kind(models.TextChoices):
        AGENDA = "agenda", _("agenda")
        WORKING_PAPER = "paper", _("working paper")
        PRESENTATION = "presentation", _("presentation")
        REPORT = "report", _("report")
        MINUTES = "minutes", _("minutes")
        OTHER = "other", _("other")

    class Access(models.TextChoices):
        PUBLIC = "public", _("public")
        MEMBERS = "members", _("members only")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="documents",
                                verbose_name=_("meeting"))
    agenda_item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="documents", verbose_name=_("agenda item"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    access = models.CharField(_("access"), max_length=8, choices=Access.choices, default=Access.MEMBERS)
    economy = models.ForeignKey(Economy, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("from member state"), limit_choices_to={"kind": "member"},
                                help_text=_("The member state the document comes from; its focal point may add "
                                            "versions."))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering: ClassVar[list] = ["meeting", "kind", "title_en"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    @property
    def current(self):
        """The latest version, or ``None``."""
        return self.versions.order_by("-number").first()


def _document_path(instance, filename: str) -> str:
    return f"forum/documents/{instance.document.meeting_id}/{instance.document_id}/v{instance.number}-{filename}"


class DocumentVersion(models.Model):
    """One uploaded version of a document; the file type was checked from its content at upload."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions",
                                 verbose_name=_("document"))
    number = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=_document_path, max_length=300)
    file_type = models.CharField(_("file type"), max_length=5)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering: ClassVar[list] = ["document", "-number"]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        constraints: ClassVar[list] = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_unique")]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"


class Minutes(models.Model):
    """The minutes of a meeting in three languages, public from ``publish_at`` (``None`` = draft)."""

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="minutes",
                                   verbose_name=_("meeting"))
    text_en = models.TextField(_("text (English)"))
    text_fr = models.TextField(_("text (French)"), blank=True)
    text_ar = models.TextField(_("text (Arabic)"), blank=True)
    publish_at = models.DateTimeField(_("published from"), null=True, blank=True)
    notified_at = models.DateTimeField(_("participants notified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return str(self.meeting)

    @property
    def text(self) -> str:
        return localised(self, "text")

    @property
    def is_published(self) -> bool:
        return self.publish_at is not None and self.publish_at <= timezone.now()


class Decision(models.Model):
    """A decision adopted at a meeting, in three languages; public in the register once the meeting is."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions",
                                verbose_name=_("meeting"))
    reference = models.CharField(_("reference"), max_length=40, unique=True,
                                 help_text=_("e.g. DTF/1/2025/3"))
    text_en = models.TextField(_("text (English)"))
    text_fr = models.TextField(_("text (French)"))
    text_ar = models.TextField(_("text (Arabic)"))
    adopted_on = models.DateField(_("adopted on"))
    areas = models.ManyToManyField(ThematicArea, blank=True, verbose_name=_("thematic areas"))
    is_public = models.BooleanField(_("public"), default=True)

    class Meta:
        ordering: ClassVar[list] = ["-adopted_on", "reference"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return self.reference

    @property
    def text(self) -> str:
        return localised(self, "text")


class ActionItem(Trilingual):
    """Something a member state or the secretariat must do under a decision, followed until done.

    Exactly one owner: ``owner_economy`` or ``owner_secretariat`` (checked by the service and a constraint).
    """

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="action_items",
                                 verbose_name=_("decision"))
    owner_economy = models.ForeignKey(Economy, null=True, blank=True, on_delete=models.PROTECT,
                                      verbose_name=_("responsible member state"),
                                      limit_choices_to={"kind": "member"})
    owner_secretariat = models.BooleanField(_("secretariat responsible"), default=False)
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    area = models.ForeignKey(ThematicArea, null=True, blank=True, on_delete=models.PROTECT,
                             verbose_name=_("thematic area"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering: ClassVar[list] = ["due_date", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        constraints: ClassVar[list] = [models.CheckConstraint(
            condition=(models.Q(owner_economy__isnull=False, owner_secretariat=False)
                       | models.Q(owner_economy__isnull=True, owner_secretariat=True)),
            name="action_item_has_one_owner")]

    def clean(self):
        """Exactly one owner: a member state or the secretariat.

        Raises
        ------
        ValidationError
            On ``owner_economy``, in the active language.
        """
        if (self.owner_economy_id is None) == (not self.owner_secretariat):
            raise ValidationError({"owner_economy": _(
                "An action item needs one owner: either a responsible member state or the secretariat.")})

    @property
    def owner_label(self) -> str:
        return self.owner_economy.name if self.owner_economy_id else str(_("Secretariat"))

    @property
    def is_overdue(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.IN_PROGRESS) and self.due_date < timezone.localdate()


class FollowUpReport(models.Model):
    """A progress report on an action item by its owner or the secretariat; may move the item's status."""

    action_item = models.ForeignKey(ActionItem, on_delete=models.PROTECT, related_name="reports",
                                    verbose_name=_("action item"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("author"))
    text = models.TextField(_("report"))
    status = models.CharField(_("status after the report"), max_length=12, choices=ActionItem.Status.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering: ClassVar[list] = ["action_item", "created_at"]
        verbose_name = _("follow-up report")
        verbose_name_plural = _("follow-up reports")

    def __str__(self) -> str:
        return f"{self.action_item} — {self.created_at:%Y-%m-%d}"


class CalendarToken(models.Model):
    """The secret of a user's private iCalendar feed URL; replaced (not deleted) when reset."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="calendar_token",
                                verbose_name=_("user"))
    token = models.CharField(_("token"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("calendar token")
        verbose_name_plural = _("calendar tokens")
