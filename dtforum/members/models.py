"""Economies: the 57 OIC member states, comparison economies and statistical aggregates."""
from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from dtforum.core.i18n import localised


class Economy(models.Model):
    """A unit of the observatory, keyed by ISO 3166-1 alpha-3 (World Bank code where ISO has none, e.g. XKX).

    ``kind`` separates OIC member states, comparison economies (every other country in the snapshot) and
    aggregates (World, Arab World, income groups...), which are stored for reference but never enter
    min/max, imputation or ranks.
    """

    class Kind(models.TextChoices):
        MEMBER = "member", _("OIC member state")
        COMPARISON = "comparison", _("comparison economy")
        AGGREGATE = "aggregate", _("aggregate")

    class OicGroup(models.TextChoices):
        ARAB = "arab", _("Arab group")
        AFRICAN = "african", _("African group")
        ASIAN = "asian", _("Asian group")

    # 16, not 3: aggregate codes such as "ZZK.WORLD" (UNDP) and "UNCTAD_1400" are stored too.
    iso3 = models.CharField(_("ISO3 code"), max_length=16, unique=True)
    iso2 = models.CharField(_("ISO2 code"), max_length=2, blank=True)
    m49 = models.PositiveSmallIntegerField(_("UN M49 code"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, db_index=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120)
    oic_group = models.CharField(_("OIC group"), max_length=10, choices=OicGroup.choices, blank=True)
    wb_region = models.CharField(_("World Bank region"), max_length=60, blank=True)
    income_group = models.CharField(_("World Bank income group"), max_length=40, blank=True)

    class Meta:
        ordering: ClassVar[list] = ["name_en"]
        verbose_name = _("economy")
        verbose_name_plural = _("economies")

    def __str__(self) -> str:
        return f"{self.name} ({self.iso3})"

    @property
    def name(self) -> str:
        """Display name in the active language (falls back to English)."""
        return localised(self, "name")

    @property
    def is_member(self) -> bool:
        return self.kind == self.Kind.MEMBER


class CompetentAuthority(models.Model):
    """A national authority of a member state responsible for (part of) digital transformation.

    The declaration of 27 November 2022 sets up the Forum to strengthen cooperation among these authorities.
    Never deleted: ``is_active`` is cleared instead, so that past delegations keep their authority.
    """

    class Type(models.TextChoices):
        MINISTRY = "ministry", _("ministry")
        AGENCY = "agency", _("government agency")
        REGULATOR = "regulator", _("regulatory authority")
        PRESIDENCY = "presidency", _("office of the head of state or government")
        OTHER = "other", _("other")

    economy = models.ForeignKey(Economy, on_delete=models.PROTECT, related_name="authorities",
                                verbose_name=_("member state"), limit_choices_to={"kind": "member"})
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    type = models.CharField(_("type"), max_length=12, choices=Type.choices)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("contact telephone"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering: ClassVar[list] = ["economy__name_en", "name_en"]
        verbose_name = _("competent authority")
        verbose_name_plural = _("competent authorities")

    def __str__(self) -> str:
        return f"{self.name} ({self.economy.iso3})"

    @property
    def name(self) -> str:
        """Name in the active language (falls back to English)."""
        return localised(self, "name")


class ObserverInstitution(models.Model):
    """An institution following the Forum as an observer (SESRIC, ITU, World Bank...)."""

    acronym = models.CharField(_("acronym"), max_length=20, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering: ClassVar[list] = ["acronym"]
        verbose_name = _("observer institution")
        verbose_name_plural = _("observer institutions")

    def __str__(self) -> str:
        return self.acronym

    @property
    def name(self) -> str:
        """Name in the active language (falls back to English)."""
        return localised(self, "name")


class Role(models.TextChoices):
    """Roles of the Forum workspace (design brief §2). "Public" is the absence of any membership."""

    SECRETARIAT_ADMIN = "secretariat_admin", _("secretariat administrator")
    SECRETARIAT_STAFF = "secretariat_staff", _("secretariat staff")
    FOCAL_POINT = "focal_point", _("focal point")
    DELEGATE = "delegate", _("delegate or expert")
    OBSERVER = "observer", _("observer institution")


#: Roles tied to one member state (``Membership.economy`` required) and to one observer institution.
COUNTRY_ROLES = frozenset({Role.FOCAL_POINT, Role.DELEGATE})
SECRETARIAT_ROLES = frozenset({Role.SECRETARIAT_ADMIN, Role.SECRETARIAT_STAFF})


class Membership(models.Model):
    """The role of one user: at most one active membership per user.

    Country roles carry the member state (and optionally the competent authority); the observer role carries the
    institution. Ended memberships keep their row (``ended_at``) for the record.
    """

    user = models.ForeignKey("auth.User", on_delete=models.PROTECT, related_name="memberships",
                             verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    economy = models.ForeignKey(Economy, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="memberships", verbose_name=_("member state"),
                                limit_choices_to={"kind": "member"})
    authority = models.ForeignKey(CompetentAuthority, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="memberships", verbose_name=_("competent authority"))
    observer = models.ForeignKey(ObserverInstitution, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="memberships", verbose_name=_("observer institution"))
    title = models.CharField(_("position"), max_length=200, blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=2, default="en",
                                choices=[("en", "English"), ("fr", "Français"), ("ar", "العربية")])
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        ordering: ClassVar[list] = ["role", "economy__name_en", "user__last_name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints: ClassVar[list] = [
            models.UniqueConstraint(fields=["user"], condition=models.Q(ended_at__isnull=True),
                                    name="one_active_membership_per_user"),
        ]

    def __str__(self) -> str:
        where = self.economy.iso3 if self.economy_id else (self.observer.acronym if self.observer_id else "")
        return f"{self.user} — {self.get_role_display()} {where}".strip()


class Invitation(models.Model):
    """An invitation to sign up with one role; the only way to open an account.

    The e-mailed link carries a token signed with ``SECRET_KEY`` (:mod:`django.core.signing`) whose payload is
    this row's ``key``; the row makes it single-use (``accepted_at``) and revocable (``revoked_at``).
    """

    key = models.CharField(_("key"), max_length=64, unique=True, editable=False)
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    economy = models.ForeignKey(Economy, null=True, blank=True, on_delete=models.PROTECT,
                                verbose_name=_("member state"), limit_choices_to={"kind": "member"})
    observer = models.ForeignKey(ObserverInstitution, null=True, blank=True, on_delete=models.PROTECT,
                                 verbose_name=_("observer institution"))
    language = models.CharField(_("language"), max_length=2, default="en")
    invited_by = models.ForeignKey("auth.User", on_delete=models.PROTECT, related_name="invitations_sent",
                                   verbose_name=_("invited by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="invitation_accepted", verbose_name=_("accepted by"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering: ClassVar[list] = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} ({self.get_role_display()})"
