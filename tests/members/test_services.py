"""sync_economies and the selectors, on the database (SQLite and PostgreSQL)."""
from __future__ import annotations

import pandas as pd
import pytest

from dtforum.core.models import AuditEvent
from dtforum.members.countries import UnresolvedCountry
from dtforum.members.models import Economy
from dtforum.members.selectors import economy_groups, member_states
from dtforum.members.services import sync_economies

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def wdi_metadata(data_dir) -> pd.DataFrame:
    return pd.read_csv(
        data_dir / "wdi_api" / "Metadata_Country_API_IT.NET.USER.ZS_DS2_en_csv_v2_2160.csv",
        encoding="utf-8-sig", dtype=str, keep_default_na=False,
    )


def test_sync_without_metadata_stores_the_57_members_with_groups_and_names():
    result = sync_economies()
    assert len(result["created"]) == 57 and result["updated"] == []
    assert member_states().count() == 57
    tur = Economy.objects.get(iso3="TUR")
    assert (tur.kind, tur.oic_group, tur.iso2, tur.m49) == ("member", "asian", "TR", 792)
    assert (tur.name_en, tur.name_fr, tur.name_ar) == ("Türkiye", "Türkiye", "تركيا")
    assert Economy.objects.get(iso3="EGY").oic_group == "arab"
    assert AuditEvent.objects.filter(action="members.sync_economies").count() == 1


def test_sync_with_wdi_metadata_classifies_countries_and_aggregates(wdi_metadata):
    result = sync_economies(wdi_metadata)
    # 265 metadata rows (217 economies + 48 aggregates with an empty Region), all 57 members among them
    assert len(result["created"]) == len(wdi_metadata) == 265
    kinds = dict(Economy.objects.values_list("iso3", "kind"))
    assert sum(k == "aggregate" for k in kinds.values()) == (wdi_metadata["Region"] == "").sum() == 48
    assert (kinds["WLD"], kinds["ARB"], kinds["XKX"], kinds["FRA"], kinds["JOR"]) == (
        "aggregate", "aggregate", "comparison", "comparison", "member")
    jor = Economy.objects.get(iso3="JOR")
    # as in the metadata file (Nov 2024 vintage: World Bank FY2025 income classification)
    assert (jor.wb_region, jor.income_group) == ("Middle East & North Africa", "Lower middle income")
    assert Economy.objects.get(iso3="WLD").name_fr == "Monde"
    assert Economy.objects.get(iso3="XKX").name_ar == "كوسوفو"


def test_sync_is_idempotent(wdi_metadata):
    sync_economies(wdi_metadata, seen_codes=["ZZK.WORLD", "TWN"])
    before = list(Economy.objects.order_by("iso3").values())
    events = AuditEvent.objects.count()
    again = sync_economies(wdi_metadata, seen_codes=["ZZK.WORLD", "TWN"])
    assert again["created"] == [] and again["updated"] == []
    assert again["unchanged"] == 265 + 2
    assert list(Economy.objects.order_by("iso3").values()) == before
    assert AuditEvent.objects.count() == events  # nothing changed, nothing recorded


def test_sync_updates_a_changed_row_and_audits_it(wdi_metadata):
    sync_economies(wdi_metadata)
    Economy.objects.filter(iso3="SEN").update(name_fr="Senegal", income_group="")
    result = sync_economies(wdi_metadata)
    assert result["updated"] == ["SEN"] and result["created"] == []
    sen = Economy.objects.get(iso3="SEN")
    assert (sen.name_fr, sen.income_group) == ("Sénégal", "Lower middle income")
    assert AuditEvent.objects.filter(action="members.sync_economies").first().after == {
        "created": [], "updated": ["SEN"]}


def test_sync_rejects_unknown_codes_listing_them_all():
    with pytest.raises(UnresolvedCountry, match="QQQ.*ZZZ"):
        sync_economies(seen_codes=["JOR", "QQQ", "ZZZ"])
    assert Economy.objects.count() == 0


def test_sync_rejects_metadata_without_required_columns():
    with pytest.raises(KeyError, match="IncomeGroup"):
        sync_economies(pd.DataFrame({"Country Code": ["JOR"], "Region": ["Middle East & North Africa"]}))


def test_economy_groups_frame(wdi_metadata):
    sync_economies(wdi_metadata)
    groups = economy_groups()
    assert list(groups.columns) == ["oic_group", "income_group", "wb_region", "kind"]
    assert groups.index.name == "iso3" and groups.index.is_monotonic_increasing
    assert groups.loc["SEN"].tolist() == ["african", "Lower middle income", "Sub-Saharan Africa", "member"]
    # a non-member has no OIC group: NaN, so group-mean imputation leaves it out of every group
    assert pd.isna(groups.loc["FRA", "oic_group"]) and pd.isna(groups.loc["WLD", "wb_region"])
    assert groups["oic_group"].value_counts().to_dict() == {"arab": 22, "asian": 18, "african": 17}


def test_every_platform_code_fits_the_iso3_field():
    import csv

    from dtforum.members.countries import DATA_DIR

    with open(DATA_DIR / "aggregates.csv", encoding="utf-8") as handle:
        longest = max(len(row["code"]) for row in csv.DictReader(handle))
    assert longest == len("UNCTAD_1400")
    assert Economy._meta.get_field("iso3").max_length >= longest
