"""Sources, indicators, observations and computed index editions."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dtforum.core.i18n import localised
from dtforum.members.models import Economy


class Source(models.Model):
    """One file of a publisher's data as ingested (e.g. WDI bulk CSV of IT.NET.USER.ZS, vintage 2024-11).

    ``code`` is stable across runs (the reader's key); ``sha256`` of the file read is kept so that a
    re-ingest of the same bytes is recognised.
    """

    code = models.CharField(_("code"), max_length=80, unique=True)
    publisher = models.CharField(_("publisher"), max_length=200)
    title = models.CharField(_("title"), max_length=300)
    path = models.CharField(_("path under the data folder"), max_length=300)
    vintage = models.CharField(_("vintage"), max_length=40, blank=True)
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    url = models.URLField(_("URL"), blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    ingested_at = models.DateTimeField(_("ingested at"), null=True, blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    observations_stored = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Indicator(models.Model):
    """A measured quantity. World Bank/ITU/UN codes are kept as ``code`` (e.g. ``IT.NET.USER.ZS``)."""

    code = models.CharField(_("code"), max_length=80, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=300)
    name_fr = models.CharField(_("name (French)"), max_length=300, blank=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=300, blank=True)
    unit = models.CharField(_("unit"), max_length=80, blank=True)
    description = models.TextField(_("description"), blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="indicators", null=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    @property
    def name(self) -> str:
        return localised(self, "name")


class Observation(models.Model):
    """One value of one indicator for one economy and year, as published by one source.

    ``flags`` holds publisher markers kept verbatim (e.g. ``"estimate"``); values are never edited in
    place: a new vintage replaces the rows of its source inside one transaction.
    """

    economy = models.ForeignKey(Economy, on_delete=models.PROTECT, related_name="observations")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="observations")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="observations")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.FloatField(_("value"))
    vintage = models.CharField(_("vintage"), max_length=40, blank=True)
    flags = models.CharField(_("flags"), max_length=80, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["economy", "indicator", "source", "year"], name="uniq_observation")
        ]
        indexes = [models.Index(fields=["indicator", "year"])]

    def __str__(self) -> str:
        return f"{self.indicator_id}/{self.economy_id}/{self.year}={self.value}"


class Edition(models.Model):
    """One computed edition of the Digital Transformation Index, with the methodology that produced it."""

    code = models.CharField(_("edition"), max_length=20, unique=True)
    reference_year = models.PositiveSmallIntegerField(_("reference year"))
    methodology = models.JSONField(_("methodology"), help_text=_("the framework file as read"))
    recipe = models.JSONField(_("recipe"), default=dict, help_text=_("every stage's spec and log"))
    analysis = models.JSONField(
        _("analysis"), default=dict,
        help_text=_("edition-level results: connectivity divide, tier method and thresholds, medians"),
    )
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)

    class Meta:
        ordering = ["-reference_year"]

    def __str__(self) -> str:
        return self.code


class IndicatorResult(models.Model):
    """One member's value of one framework indicator in an edition, through every stage."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="indicator_results")
    economy = models.ForeignKey(Economy, on_delete=models.PROTECT)
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT)
    area = models.CharField(_("thematic area"), max_length=20)
    raw_value = models.FloatField(null=True)
    source_year = models.PositiveSmallIntegerField(null=True)
    imputed = models.BooleanField(default=False)
    treated = models.BooleanField(default=False)
    normalised_value = models.FloatField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["edition", "economy", "indicator"], name="uniq_indicator_result")
        ]


class Score(models.Model):
    """A member's score and competition rank for one thematic area, or ``area='index'`` for the index."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="scores")
    economy = models.ForeignKey(Economy, on_delete=models.PROTECT)
    area = models.CharField(_("thematic area"), max_length=20)
    score = models.FloatField(null=True)
    rank = models.PositiveSmallIntegerField(null=True)
    tier = models.CharField(_("development tier"), max_length=20, blank=True)
    gap_oic_median = models.FloatField(null=True)
    gap_oic_best = models.FloatField(null=True)
    gap_income_median = models.FloatField(null=True)
    gap_group_median = models.FloatField(null=True)
    gap_world_median = models.FloatField(null=True)
    # Uncertainty analysis (Monte Carlo over the method's choices): median rank and 5-95 % rank interval.
    median_rank = models.FloatField(null=True)
    rank_q05 = models.FloatField(null=True)
    rank_q95 = models.FloatField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["edition", "economy", "area"], name="uniq_score")]
        ordering = ["area", "rank"]
