"""Admin registration of the members app."""
from __future__ import annotations

from django.contrib import admin

from dtforum.members.models import Economy


@admin.register(Economy)
class EconomyAdmin(admin.ModelAdmin):
    """Economies, filterable by kind, OIC group, World Bank region and income group."""

    list_display = ("iso3", "name_en", "name_ar", "kind", "oic_group", "wb_region", "income_group")
    list_filter = ("kind", "oic_group", "wb_region", "income_group")
    search_fields = ("iso3", "iso2", "name_en", "name_fr", "name_ar")
    ordering = ("name_en",)
