"""Country-code resolution: known cases C15, C17, C18, C19 and the whole real snapshot."""
from __future__ import annotations

import json
import random
import re
import unicodedata
import warnings

import pandas as pd
import pytest

from dtforum.members.countries import (
    OIC_MEMBERS,
    ConflictingCountry,
    CountryResolver,
    MojibakeWarning,
    UnresolvedCountry,
    normalise_name,
    split_aggregates,
)

ARABIC_LETTER = re.compile("[\u0621-\u064a]")


@pytest.fixture(scope="module")
def resolver() -> CountryResolver:
    return CountryResolver.default()


def _wdi_metadata(data_dir):
    return pd.read_csv(
        data_dir / "wdi_api" / "Metadata_Country_API_IT.NET.USER.ZS_DS2_en_csv_v2_2160.csv",
        encoding="utf-8-sig", dtype=str, keep_default_na=False,
    )


# --- known cases ---------------------------------------------------------------------------------

def test_c15_kosovo_resolves_from_wb_code_two_letter_code_and_starred_name(resolver):
    rows = [("XKX", "Kosovo"), ("XK", "Kosovo"), ("", "Kosovo*")]
    assert resolver.resolve_many(rows, where="c15") == ["XKX", "XKX", "XKX"]
    assert resolver.names("XKX")["en"] == "Kosovo"
    assert not resolver.is_aggregate("XKX")


def test_c15_unresolved_rows_are_all_listed_never_dropped(resolver):
    rows = [("XKX", "Kosovo"), ("QQQ", "Atlantis"), ("", "Kosova Republic of Nowhere"), ("JOR", "Jordan")]
    with pytest.raises(UnresolvedCountry) as raised:
        resolver.resolve_many(rows, where="pdf_table.csv")
    assert raised.value.rows == [
        ("QQQ", "Atlantis", "pdf_table.csv row 2"),
        (None, "Kosova Republic of Nowhere", "pdf_table.csv row 3"),
    ]
    assert "pdf_table.csv row 2" in str(raised.value) and "Atlantis" in str(raised.value)


def test_c17_aggregates_split_from_countries_by_wdi_metadata_even_when_shuffled(resolver, data_dir):
    frame = pd.DataFrame(
        {"iso3": ["ARB", "WLD", "MEA", "EGY", "JOR"],
         "name": ["Arab World", "World", "Middle East & North Africa", "Egypt Arab Rep.", "Jordan"],
         "value": [55.0, 63.1, 58.2, 72.7, 90.5]}
    )
    metadata = _wdi_metadata(data_dir)
    region = dict(zip(metadata["Country Code"], metadata["Region"]))
    for seed in range(5):
        shuffled = frame.sample(frac=1, random_state=seed)
        countries, aggregates = split_aggregates(shuffled, "iso3", region)
        assert sorted(countries["iso3"]) == ["EGY", "JOR"]
        assert sorted(aggregates["iso3"]) == ["ARB", "MEA", "WLD"]
        # min-max over the countries only: EGY (72.7-72.7)/(90.5-72.7)*100 = 0, JOR = 100
        low, high = countries["value"].min(), countries["value"].max()
        assert (low, high) == (72.7, 90.5)
    # the resolver agrees, from codes and from names alone (name-only files)
    assert [resolver.is_aggregate(resolver.resolve(c)) for c in frame["iso3"]] == [True, True, True, False, False]
    assert [resolver.resolve(name=n) for n in frame["name"]] == ["ARB", "WLD", "MEA", "EGY", "JOR"]


def test_c17_code_missing_from_metadata_is_an_error_not_a_guess(data_dir):
    metadata = _wdi_metadata(data_dir)
    region = dict(zip(metadata["Country Code"], metadata["Region"]))
    with pytest.raises(ValueError, match="ZZK.WORLD"):
        split_aggregates(pd.DataFrame({"iso3": ["JOR", "ZZK.WORLD"]}), "iso3", region)


def test_c18_turkiye_spellings_resolve_to_tur_with_platform_names(resolver):
    names = ["Turkey", "Türkiye", "Turkiye", "TURKIYE", "Republic of Türkiye"]
    assert [resolver.resolve(name=n) for n in names] == ["TUR"] * 5
    assert resolver.names("TUR") == {"en": "Türkiye", "fr": "Türkiye", "ar": "تركيا"}


def test_c19_cote_divoire_spellings_resolve_to_civ(resolver):
    names = ["Côte d'Ivoire", "Cote d'Ivoire", "Cote D'Ivoire", "Côte d\u2019Ivoire", "Ivory Coast"]
    with warnings.catch_warnings():
        warnings.simplefilter("error", MojibakeWarning)  # none of these is mojibake
        assert [resolver.resolve(name=n) for n in names] == ["CIV"] * 5
    assert resolver.names("CIV")["en"] == "Côte d'Ivoire"


def test_c19_mojibake_is_repaired_and_warned_with_the_source_location(resolver):
    with pytest.warns(MojibakeWarning, match=r"CÃ´te d'Ivoire"):
        assert normalise_name("CÃ´te d'Ivoire") == normalise_name("Côte d'Ivoire")
    with pytest.warns(MojibakeWarning, match=r"ookla\.csv row 2"):
        assert resolver.resolve_many([("", "Jordan"), ("", "CÃ´te d'Ivoire")], where="ookla.csv") == ["JOR", "CIV"]
    # cp1252 bytes read as GBK, as in the UNDP HDR 2023/24 file
    with pytest.warns(MojibakeWarning):
        assert resolver.resolve(name="C\u9b4ce d'Ivoire") == "CIV"


def test_genuine_accents_are_not_taken_for_mojibake():
    with warnings.catch_warnings():
        warnings.simplefilter("error", MojibakeWarning)
        assert normalise_name("São Tomé and Príncipe") == "sao tome and principe"
        assert normalise_name("Curaçao") == "curacao"
        assert normalise_name("Réunion") == "reunion"


def test_normalise_name_rules():
    assert normalise_name("  Gambia, The ") == "gambia"
    assert normalise_name("The Gambia") == "gambia"
    assert normalise_name("Kosovo*") == "kosovo"
    assert normalise_name("Lao People\u02bcs Dem. Rep.") == normalise_name("Lao People's Dem. Rep.")
    assert normalise_name("Bosnia & Herzegovina") == "bosnia and herzegovina"


def test_m49_numbers_resolve_including_unctad_variants(resolver):
    # ISO numeric from django-countries; 0000/251/736 from m49.csv; 4-digit UNCTADstat groups are aggregates
    assert [resolver.resolve(m49=n) for n in (8, 792, 275, 0, 251, 736)] == ["ALB", "TUR", "PSE", "WLD", "FRA", "SDN"]
    assert resolver.resolve(m49=3909) == "UNCTAD_3909" and resolver.is_aggregate("UNCTAD_3909")


# --- the 57 members ---------------------------------------------------------------------------------

def test_exactly_57_members_in_three_groups():
    assert len(OIC_MEMBERS) == 57
    counts = pd.Series(OIC_MEMBERS).value_counts().to_dict()
    # 22 Arab League members, 17 other African members, 18 others (see oic_members.csv notes)
    assert counts == {"arab": 22, "asian": 18, "african": 17}
    assert OIC_MEMBERS["EGY"] == OIC_MEMBERS["MRT"] == OIC_MEMBERS["COM"] == "arab"
    assert OIC_MEMBERS["ALB"] == OIC_MEMBERS["GUY"] == OIC_MEMBERS["SUR"] == "asian"


def test_every_member_has_names_in_three_languages(resolver):
    for iso3 in OIC_MEMBERS:
        names = resolver.names(iso3)
        assert set(names) == {"en", "fr", "ar"}
        assert all(names.values()), iso3
        assert ARABIC_LETTER.search(names["ar"]), (iso3, names["ar"])
        assert not ARABIC_LETTER.search(names["en"] + names["fr"]), iso3
    assert resolver.names("PSE")["en"] == "Palestine"


def test_every_member_resolves_from_wdi_and_un_egov_names(resolver, data_dir):
    wdi = pd.read_csv(data_dir / "wdi_api" / "API_IT.NET.USER.ZS_DS2_en_csv_v2_2160.csv",
                      encoding="utf-8-sig", dtype=str, keep_default_na=False)
    by_wdi_name = {resolver.resolve(name=n): n for n in wdi["Country Name"]}
    assert set(OIC_MEMBERS) <= set(by_wdi_name)
    for wdi_code, wdi_name in zip(wdi["Country Code"], wdi["Country Name"]):
        if wdi_code in OIC_MEMBERS:
            assert resolver.resolve(name=wdi_name) == wdi_code
    for path, column in [("un_egov/EGOV_DATA_2022__pluralitybook.csv", "Country Name"),
                         ("un_egov/EGOV_DATA_2024__MaryliaCruzS.csv", "Country")]:
        egov = pd.read_csv(data_dir / path, dtype=str, keep_default_na=False)
        resolved = resolver.resolve_many(((None, n) for n in egov[column]), where=path)
        assert len(resolved) == 193 and len(set(resolved)) == 193  # one row per UN member, none merged
        # PSE is not a UN member, hence absent from the E-Government Survey (PROVENANCE.md)
        assert set(OIC_MEMBERS) - set(resolved) == {"PSE"}


# --- every country column of every snapshot file ------------------------------------------------------

def _read(path, **kwargs):
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", **kwargs)


def _wdi_api(path):
    skip = 4 if path.read_text(encoding="utf-8-sig").startswith('"Data Source"') else 0
    return _read(path, skiprows=skip)


def _snapshot_columns(data_dir):
    """(file, frame, code column, name column, M49 column) for every country column of the snapshot."""
    specs = []
    for path in sorted((data_dir / "wdi_api").glob("API_*.csv")):
        specs.append((path, _wdi_api(path), "Country Code", "Country Name", None))
    specs.append((data_dir / "wdi_api/Metadata_Country_API_IT.NET.USER.ZS_DS2_en_csv_v2_2160.csv", None,
                  "Country Code", "TableName", None))
    for name in ("IT.NET.BBND.P2.csv", "IT.NET.USER.ZS.csv", "SP.POP.TOTL.csv"):
        frame = _read(data_dir / "wdi_wdipkg" / name, sep="|")
        specs += [(data_dir / "wdi_wdipkg" / name, frame, "iso3c", "country", None),
                  (data_dir / "wdi_wdipkg" / name, frame, "iso2c", "country", None)]
    for name in ("data_out__gtmi_2022.csv", "data_raw__GCI_2020__gci_2020.csv",
                 "data_raw__GTMI_2022__gtmi_2022_metadata.csv", "data_out__odin_2022.csv"):
        specs.append((data_dir / "bipa2024" / name, None, "cc_iso3c", None, None))
    wb = data_dir / "bipa2024/data_raw__WB_WDI_2024__wb_wdi_2024.csv"
    specs += [(wb, None, "cty_iso", "cty_nm", None), (wb, None, "cty_id", "cty_nm", None)]
    for year in (2010, 2012, 2014, 2016, 2018):
        specs.append((data_dir / f"un_egov/egdi-{year}__UNU-EGOV.csv", None, "country-code", "country-name", None))
    specs += [
        (data_dir / "un_egov/EGOV_DATA_2022__pluralitybook.csv", None, None, "Country Name", None),
        (data_dir / "un_egov/EGOV_DATA_2024__MaryliaCruzS.csv", None, None, "Country", None),
        (data_dir / "undp_hdr/HDR23-24_Composite_indices_complete_time_series.csv", None, "iso3", "country", None),
        (data_dir / "owid_2020/secure-internet-servers-per-1-million-people.csv", None, "Code", "Entity", None),
        (data_dir / "owid_2020/gross-enrollment-ratio-in-tertiary-education.csv", None, "Code", "Entity", None),
        (data_dir / "undp_ddc/processed__countries_mobile_connectivity.csv", None, "ISO Code", "Country", None),
        (data_dir / "undp_ddc/processed__global_innovation_dataset.csv", None, "ISO2", "Economy", None),
        (data_dir / "undp_ddc/processed__network_readiness_index.csv", None, None, "Country", None),
        (data_dir / "undp_ddc/processed__b2c_ecommerse_idx.csv", None, None, "Economy", None),
        (data_dir / "undp_ddc/data__mobile_broadband_pricing.csv", None, "ISO3", "CountryName", None),
        (data_dir / "undp_ddc/processed__mobile_speed.csv", None, None, "Country", None),
        (data_dir / "undp_ddc/processed__fixed_speed.csv", None, None, "Country", None),
        (data_dir / "undp_ddc/processed__SDG_digital_literacy_data.csv", None, "LOCATION", "Country", None),
        (data_dir / "mbelinsky_pdd/3i-index-data-2022.csv", None, None, "Country", None),
        (data_dir / "mbelinsky_pdd/ict_services_2022.csv", None, None, "Economy Label", "Economy"),
    ]
    out = []
    for path, frame, code, name, m49 in specs:
        frame = _read(path) if frame is None else frame
        out.append((path.name, frame, code, name, m49))
    findex = pd.read_excel(data_dir / "mbelinsky_pdd/findex_database_2021.xlsx", sheet_name="Data", dtype=str)
    out.append(("findex_database_2021.xlsx", findex.fillna(""), "ISO", "Country Name", None))
    return out


def test_every_row_of_every_snapshot_country_column_resolves(resolver, data_dir):
    checked = 0
    for file_name, frame, code, name, m49 in _snapshot_columns(data_dir):
        # blank rows (a trailing empty line in the A4AI file) carry no country and no value
        frame = frame[[c for c in (code, name, m49) if c]].drop_duplicates()
        frame = frame[(frame != "").any(axis=1)]
        codes = frame[code] if code else [None] * len(frame)
        names = frame[name] if name else [None] * len(frame)
        numbers = frame[m49].astype(int) if m49 else [None] * len(frame)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MojibakeWarning)  # asserted in test_c19_*
            resolved = resolver.resolve_many(zip(codes, names, numbers), where=file_name)
        checked += len(resolved)
        # the code and the name of one row, resolved independently, give the same economy
        if code and name:
            for row_code, row_name, got in zip(codes, names, resolved):
                if row_code and row_name and not resolver.is_aggregate(got):
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore", MojibakeWarning)
                        assert resolver.resolve(name=row_name) == got, (file_name, row_code, row_name)
    metrics = json.loads((data_dir / "futuregrid_ai/data__global-ai-metrics.json").read_text())["metrics"]
    for key in ("diffusion", "diffusionTrend", "readiness", "readinessSubIndices", "governmentReadiness"):
        checked += len(resolver.resolve_many(((c, None) for c in metrics[key]), where=f"global-ai-metrics {key}"))
    assert checked > 5000


def test_name_only_files_flag_their_aggregate_rows(resolver, data_dir):
    hdr = _read(data_dir / "undp_hdr/HDR23-24_Composite_indices_complete_time_series.csv")
    aggregates = sorted(c for c in hdr["iso3"] if resolver.is_aggregate(resolver.resolve(c)))
    assert len(aggregates) == 11 and "ZZE.AS" in aggregates  # "Arab States"
    assert resolver.resolve(name="Arab States") == "ZZE.AS"
    assert resolver.is_aggregate(resolver.resolve(name="World"))
    assert resolver.is_aggregate(resolver.resolve("OWID_WRL"))
    egov = _read(data_dir / "un_egov/EGOV_DATA_2024__MaryliaCruzS.csv")
    assert not any(resolver.is_aggregate(resolver.resolve(name=n)) for n in egov["Country"])


def test_names_of_a_comparison_country_come_from_django_countries_in_three_languages(resolver):
    names = resolver.names("FRA")
    assert names["en"] == "France" and names["ar"] == "فرنسا"
    assert unicodedata.normalize("NFC", names["fr"]) == "France"
    with pytest.raises(KeyError, match="QQQ"):
        resolver.names("QQQ")


def test_default_is_cached():
    assert CountryResolver.default() is CountryResolver.default()


def test_resolution_is_independent_of_row_order(resolver):
    rows = [("EGY", "Egypt, Arab Rep."), ("", "Gambia, The"), ("PS", "West Bank and Gaza"), ("ARB", "Arab World")]
    expected = dict(zip(rows, resolver.resolve_many(rows, where="t")))
    shuffled = rows[:]
    random.Random(3).shuffle(shuffled)
    assert resolver.resolve_many(shuffled, where="t") == [expected[r] for r in shuffled]
    assert [expected[r] for r in rows] == ["EGY", "GMB", "PSE", "ARB"]


# --- a code and a name that name two different economies ----------------------------------------

def test_code_and_name_of_two_economies_is_a_conflict_naming_both(resolver):
    with pytest.raises(ConflictingCountry) as raised:
        resolver.resolve("SEN", "Jordan")
    assert isinstance(raised.value, UnresolvedCountry)   # callers catching UnresolvedCountry still stop
    assert raised.value.conflicts == [("SEN", "Jordan", "", "SEN", "JOR")]
    assert "code 'SEN' is SEN (Senegal) but name 'Jordan' is JOR (Jordan)" in str(raised.value)


def test_conflicts_are_listed_with_their_rows_and_the_unresolved_ones(resolver):
    rows = [("JOR", "Jordan"), ("SN", "Jordan"), ("QQQ", "Atlantis"), ("TUR", "Turkey")]
    with pytest.raises(ConflictingCountry) as raised:
        resolver.resolve_many(rows, where="t.csv")
    assert raised.value.conflicts == [("SN", "Jordan", "t.csv row 2", "SEN", "JOR")]
    assert raised.value.rows == [("SN", "Jordan", "t.csv row 2"), ("QQQ", "Atlantis", "t.csv row 3")]
    assert "t.csv row 2: code 'SN' is SEN (Senegal) but name 'Jordan' is JOR (Jordan)" in str(raised.value)
    assert "t.csv row 3: code='QQQ' name='Atlantis'" in str(raised.value)


@pytest.mark.parametrize("code, name, expected", [
    ("OWID_WRL", "World", "OWID_WRL"),        # the publisher's own aggregate, whose name the World Bank's WLD keeps
    ("ZZK.WORLD", "World", "ZZK.WORLD"),      # UNDP HDR
    ("ZZE.AS", "Arab States", "ZZE.AS"),
    ("SEN", "Sénégal", "SEN"),                # same economy, another spelling
    ("SEN", "Senegal (Republic of)", "SEN"),  # a name nobody knows is no conflict: the code decides
])
def test_aggregates_and_agreeing_or_unknown_names_resolve_by_code(resolver, code, name, expected):
    assert resolver.resolve(code, name) == expected
