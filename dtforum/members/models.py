"""Economies: the 57 OIC member states, comparison economies and statistical aggregates."""
from __future__ import annotations

from django.db import models
from django.utils.translation import get_language, gettext_lazy as _


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
        ordering = ["name_en"]
        verbose_name = _("economy")
        verbose_name_plural = _("economies")

    def __str__(self) -> str:
        return f"{self.name} ({self.iso3})"

    @property
    def name(self) -> str:
        """Display name in the active language (falls back to English)."""
        lang = (get_language() or "en")[:2]
        return getattr(self, f"name_{lang}", None) or self.name_en

    @property
    def is_member(self) -> bool:
        return self.kind == self.Kind.MEMBER
