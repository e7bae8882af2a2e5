"""Each publisher-format reader on its real snapshot file, with values checked by hand in the file."""
from __future__ import annotations

import pytest

from dtforum.observatory.ingest import readers as r
from dtforum.observatory.ingest.parsing import IngestError


def _value(frame, indicator, year, code=None, name=None):
    sel = (frame["indicator"] == indicator) & (frame["year"] == year)
    sel &= (frame["country_code"] == code) if code else (frame["country_name"] == name)
    assert sel.sum() == 1, f"{indicator} {year} {code or name}: {sel.sum()} rows"
    return frame.loc[sel, "value"].iloc[0]


def test_wb_api_wide_without_preamble(data_dir):
    # Figure-Friday copy has no preamble: header on line 1. Jordan is line 120; its 2021 cell reads "86".
    frame = r.read_wb_api_wide(data_dir / "wdi_api/API_IT.NET.USER.ZS_DS2_en_csv_v2_2160.csv", data_dir=data_dir)
    assert frame.attrs["header_line"] == 0 and frame.attrs["last_updated"] == ""
    assert _value(frame, "IT.NET.USER.ZS", 2021, "JOR") == 86.0
    assert frame.loc[(frame.country_code == "JOR") & (frame.year == 2021), "row"].iloc[0] == 120
    assert frame["value"].notna().all()


def test_wb_api_wide_with_preamble(data_dir):
    # Original download: 4 preamble lines, "Last Updated Date","2026-01-28"; Jordan 2021 patents "25".
    frame = r.read_wb_api_wide(data_dir / "wdi_api/API_IP.PAT.RESD_DS2_en_csv_v2_226.csv", data_dir=data_dir)
    assert frame.attrs["header_line"] == 4 and frame.attrs["last_updated"] == "2026-01-28"
    # Read with a CSV parser: the indicator name "Patent applications, residents" holds a comma.
    assert _value(frame, "IP.PAT.RESD", 2021, "JOR") == 25.0
    assert _value(frame, "IP.PAT.RESD", 2014, "JOR") == 40.0


def test_wdi_pipe_file(data_dir):
    # IT.NET.BBND.P2.csv line 5036: Jordan|JO|JOR|2021|6.41130406|JOR; 2023 is empty (dropped).
    frame = r.read_wdi_pipe(data_dir / "wdi_wdipkg/IT.NET.BBND.P2.csv", data_dir=data_dir)
    assert _value(frame, "IT.NET.BBND.P2", 2021, "JOR") == 6.41130406
    assert not ((frame.country_code == "JOR") & (frame.year == 2023)).any()
    # Quoted variant with R's NA marker: "Jordan"|..|2022|11285869
    pop = r.read_wdi_pipe(data_dir / "wdi_wdipkg/SP.POP.TOTL.csv", data_dir=data_dir)
    assert _value(pop, "SP.POP.TOTL", 2022, "JOR") == 11285869.0
    assert "AFE" in set(pop["country_code"])  # aggregates are read, told apart later from WDI metadata


def test_bipa_long_files(data_dir):
    gci = r.read_bipa_long(data_dir / "bipa2024/data_raw__GCI_2020__gci_2020.csv", data_dir=data_dir)
    assert _value(gci, "gci_overall", 2020, "JOR") == 70.96
    assert _value(gci, "gci_legal_measures", 2020, "JOR") == 18.53
    assert len(gci) == 1142
    gtmi = r.read_bipa_long(data_dir / "bipa2024/data_raw__GTMI_2022__gtmi_2022_metadata.csv", data_dir=data_dir,
                            variables=["gtmi_dataprivacy"])
    assert set(gtmi["indicator"]) == {"gtmi_dataprivacy"} and _value(gtmi, "gtmi_dataprivacy", 2022, "JOR") == 2.0


def test_wb_api_long_file(data_dir):
    # "NY.GDP.MKTP.CD",...,"AFE","2022",1185137703650.99
    frame = r.read_wb_api_long(data_dir / "bipa2024/data_raw__WB_WDI_2024__wb_wdi_2024.csv", data_dir=data_dir)
    assert _value(frame, "NY.GDP.MKTP.CD", 2022, "AFE") == 1185137703650.99


@pytest.mark.parametrize("file, year, name, egdi, countries", [
    ("egdi-2010__UNU-EGOV.csv", 2010, "Iraq", 0.29957, 192),          # 2010 survey: 192 UN members
    ("EGOV_DATA_2022__pluralitybook.csv", 2022, "Iraq", 0.43830, 193),   # "Iraq " with trailing blank
    ("EGOV_DATA_2024__MaryliaCruzS.csv", 2024, "Iraq", 0.45721, 193),
])
def test_un_egov_layouts(data_dir, file, year, name, egdi, countries):
    frame = r.read_un_egov(data_dir / "un_egov" / file, data_dir=data_dir, year=year if year <= 2018 else None)
    assert _value(frame, "EGDI", year, name=name) == egdi
    assert set(frame["indicator"]) == {"EGDI", "EPART", "OSI", "HCI", "TII", "RANK"}
    assert frame["country_name"].nunique() == countries and not frame["country_name"].str.endswith(" ").any()


def test_un_egov_2024_turkiye_row(data_dir):
    # line 168: 2024,Türkiye,27,0.89131,0.86300,0.92253,0.91923,0.83221,Asia
    frame = r.read_un_egov(data_dir / "un_egov/EGOV_DATA_2024__MaryliaCruzS.csv", data_dir=data_dir)
    assert _value(frame, "OSI", 2024, name="Türkiye") == 0.92253


def test_hdr_wide(data_dir):
    frame = r.read_hdr_wide(data_dir / "undp_hdr/HDR23-24_Composite_indices_complete_time_series.csv",
                            data_dir=data_dir, variables={"eys", "mys"})
    assert set(frame["indicator"]) == {"eys", "mys"}
    assert round(_value(frame, "eys", 2022, "JOR"), 6) == 12.626594
    assert frame.loc[frame.country_code == "ZZK.WORLD", "aggregate"].all()
    assert not frame.loc[frame.country_code == "JOR", "aggregate"].any()


def test_findex_xlsx(data_dir):
    frame = r.read_findex_xlsx(data_dir / "mbelinsky_pdd/findex_database_2021.xlsx", data_dir=data_dir,
                               variables=["Account (% age 15+)"])
    # Sheet Data, Jordan 2021 "Account (% age 15+)" = 0.471197... (fraction; the catalogue scales to %)
    assert round(_value(frame, "Account (% age 15+)", 2021, "JOR"), 6) == 0.471197
    assert sorted(frame["year"].unique()) == [2011, 2014, 2017, 2021]


def test_findex_missing_sheet_names_file_and_sheet(data_dir):
    with pytest.raises(IngestError, match="findex_database_2021.xlsx, sheet 'Nope'"):
        r.read_findex_xlsx(data_dir / "mbelinsky_pdd/findex_database_2021.xlsx", data_dir=data_dir,
                           variables=["Account (% age 15+)"], sheet="Nope")


def test_unctad_m49(data_dir):
    # line 8020: 2021,504,"Morocco",...,02,"Exports",...,1952.679,...,12.62974
    frame = r.read_unctad_m49(data_dir / "mbelinsky_pdd/ict_services_2022.csv", data_dir=data_dir)
    row = frame[(frame.m49 == 504) & (frame.year == 2021)].set_index("indicator")["value"]
    assert row["exports_share"] == 12.62974 and row["exports_usd"] == 1952.679
    assert frame.loc[frame.country_name == "Developing economies", "aggregate"].all()
    assert not frame.loc[frame.m49 == 504, "aggregate"].any()


def test_futuregrid_json(data_dir):
    frame = r.read_futuregrid_json(data_dir / "futuregrid_ai/data__global-ai-metrics.json", data_dir=data_dir,
                                   years={"governmentReadiness": 2023, "readinessSubIndices.humanCapital": 2023})
    assert _value(frame, "governmentReadiness", 2023, "USA") == 84.8
    # "AUS": {"humanCapital": 0.17124161124229, ...}
    assert _value(frame, "readinessSubIndices.humanCapital", 2023, "AUS") == 0.17124161124229


def test_owid_grapher(data_dir):
    frame = r.read_owid_grapher(data_dir / "owid_2020/secure-internet-servers-per-1-million-people.csv",
                                data_dir=data_dir)
    assert _value(frame, frame["indicator"].iloc[0], 2017, "JOR") == 108.942645150099
    regions = frame[frame.country_name == "Arab World"]
    assert len(regions) and regions["aggregate"].all() and (regions["country_code"] == "").all()


@pytest.mark.parametrize("reader, file, kwargs, indicator, name, value", [
    (r.read_ookla, "processed__fixed_speed.csv", {}, "Mbps", "Jordan", 108.98),
    (r.read_name_table, "processed__network_readiness_index.csv", {"variables": ["Score"], "year": 2020},
     "Score", "Jordan", 47.5),
    (r.read_name_table, "processed__b2c_ecommerse_idx.csv",
     {"name": "Economy", "variables": ["2020 Index value"], "year": 2020}, "2020 Index value", "Jordan", 54.7),
    (r.read_a4ai_pricing, "data__mobile_broadband_pricing.csv", {"variables": ["Cost_1_GB_Share_GNICM"]},
     "Cost_1_GB_Share_GNICM", "Jordan", 3.54),
])
def test_compass_name_tables(data_dir, reader, file, kwargs, indicator, name, value):
    frame = reader(data_dir / "undp_ddc" / file, data_dir=data_dir, **kwargs)
    assert _value(frame, indicator, int(frame["year"].iloc[0]), name=name) == value


def test_gii_keeps_data_year_flag(data_dir):
    # line 6612: JOR,Jordan,Index,0,Global Innovation Index,81,28.31790741,...
    frame = r.read_gii(data_dir / "undp_ddc/processed__global_innovation_dataset.csv", data_dir=data_dir,
                       variables=["Index"])
    assert _value(frame, "Index", 2021, "JOR") == 28.31790741


def test_text_in_numeric_column_names_row_and_column(data_dir, tmp_path):
    # Copy the GCI file and put text in the value of line 5 (4th data record).
    lines = (data_dir / "bipa2024/data_raw__GCI_2020__gci_2020.csv").read_text(encoding="utf-8-sig").splitlines()
    cells = lines[4].split(",")
    cells[-1] = "n.a."
    lines[4] = ",".join(cells)
    bad = tmp_path / "gci.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(IngestError) as info:
        r.read_bipa_long(bad, data_dir=tmp_path)
    assert (info.value.file, info.value.row, info.value.column) == ("gci.csv", 5, "value")
    assert "got 'n.a.'" in str(info.value)


def test_unknown_egov_layout_is_rejected(tmp_path):
    bad = tmp_path / "egov.csv"
    bad.write_text("Nation,Score\nIraq,0.4\n", encoding="utf-8")
    with pytest.raises(IngestError, match="unknown E-Government layout"):
        r.read_un_egov(bad, data_dir=tmp_path)
