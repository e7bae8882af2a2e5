"""The catalogue of snapshot files: where each is, how to read it, and what its variables mean.

Each :class:`SourceSpec` is one file (one ``Source`` row). Its ``indicators`` map the publisher's variable
names to our indicator codes: World Bank codes are kept (``IT.NET.USER.ZS``); other series use the
publisher's own name prefixed by the publisher (``EGOV.OSI``, ``ITU.GCI.LEGAL``, ``GTMI.DATAPRIVACY``...).
Variables of a file that are not mapped are not stored.

Where two files carry the same WDI series, both are stored under their own source; the framework
(``methodology/<edition>.yaml``) names the source it uses:

* ``IT.NET.USER.ZS``: ``wdi_api.IT.NET.USER.ZS`` (Nov 2024 vintage) is used; ``wdi_wdipkg.IT.NET.USER.ZS``
  (older vintage, 2022 coverage 11/57) is a cross-check only.
* ``SP.POP.TOTL``: ``wdi_wdipkg.SP.POP.TOTL`` (to 2023) and ``bipa.wb_wdi_2024`` (2018-2023, June 2024);
  the denominator of patents per million people takes whichever the edition service selects.

Paths are relative to ``settings.DTFORUM_DATA_DIR`` (PROVENANCE.md of the snapshot describes every file).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from dtforum.observatory.ingest import readers as r

CC_BY = "CC BY 4.0"


@dataclass(frozen=True)
class IndicatorSpec:
    """What one publisher variable becomes in the store.

    Parameters
    ----------
    code : str
        Our indicator code (World Bank code where one exists).
    name : str
        English name.
    unit : str
        Unit of the stored value (after ``scale``).
    scale : float
        Factor applied to the published value (Findex publishes fractions 0-1; stored as percent: 100).
    """

    code: str
    name: str
    unit: str
    scale: float = 1.0


@dataclass(frozen=True)
class SourceSpec:
    """One file of the snapshot.

    Parameters
    ----------
    code : str
        Stable ``Source.code`` (referenced by ``source:`` in the framework file).
    path : str
        Path relative to the data folder.
    reader : callable
        ``reader(path, data_dir=..., variables=..., **options) -> tidy DataFrame`` (see ``readers``).
    publisher, title, licence, vintage, url : str
        Provenance, copied to the ``Source`` row.
    indicators : mapping of str to IndicatorSpec
        Publisher variable -> indicator.
    options : mapping
        Extra keyword arguments of the reader (e.g. the edition year of a file without a year column).
    """

    code: str
    path: str
    reader: Callable
    publisher: str
    title: str
    licence: str
    vintage: str
    indicators: Mapping[str, IndicatorSpec]
    url: str = ""
    options: Mapping = field(default_factory=dict)


#: File with the World Bank country metadata (Region empty for aggregates); feeds ``sync_economies``.
WDI_COUNTRY_METADATA = "wdi_api/Metadata_Country_API_IT.NET.USER.ZS_DS2_en_csv_v2_2160.csv"

_WDI = {
    "IT.NET.USER.ZS": ("Individuals using the Internet", "% of population"),
    "IT.CEL.SETS.P2": ("Mobile cellular subscriptions", "per 100 people"),
    "EG.ELC.ACCS.ZS": ("Access to electricity", "% of population"),
    "SP.URB.TOTL.IN.ZS": ("Urban population", "% of total population"),
    "GB.XPD.RSDV.GD.ZS": ("Research and development expenditure", "% of GDP"),
    "IP.PAT.RESD": ("Patent applications, residents", "number"),
    "TX.VAL.TECH.MF.ZS": ("High-technology exports", "% of manufactured exports"),
    "IT.NET.BBND.P2": ("Fixed broadband subscriptions", "per 100 people"),
    "SP.POP.TOTL": ("Population, total", "people"),
    "NY.GDP.PCAP.PP.CD": ("GDP per capita, PPP", "current international $"),
    "NY.GDP.PCAP.CD": ("GDP per capita", "current US$"),
    "NY.GDP.MKTP.CD": ("GDP", "current US$"),
    "NY.GDP.MKTP.PP.CD": ("GDP, PPP", "current international $"),
    "NE.CON.GOVT.ZS": ("General government final consumption expenditure", "% of GDP"),
    "IT.NET.SECR.P6": ("Secure Internet servers", "per 1 million people"),
    "SE.TER.ENRR": ("School enrollment, tertiary", "% gross"),
}


def _wdi(*codes: str) -> dict[str, IndicatorSpec]:
    return {c: IndicatorSpec(c, *_WDI[c]) for c in codes}


def _wdi_api(code: str, file: str, vintage: str) -> SourceSpec:
    return SourceSpec(
        code=f"wdi_api.{code}", path=f"wdi_api/{file}", reader=r.read_wb_api_wide, publisher="World Bank",
        title=f"World Development Indicators, {_WDI[code][0]} (bulk API CSV)", licence=CC_BY, vintage=vintage,
        url=f"https://data.worldbank.org/indicator/{code}", indicators=_wdi(code))


def _wdipkg(code: str) -> SourceSpec:
    return SourceSpec(
        code=f"wdi_wdipkg.{code}", path=f"wdi_wdipkg/{code}.csv", reader=r.read_wdi_pipe, publisher="World Bank",
        title=f"World Development Indicators, {_WDI[code][0]} (R WDI package pull)", licence=CC_BY,
        vintage="2024-09", url=f"https://data.worldbank.org/indicator/{code}", indicators=_wdi(code))


def _egov(year: int, file: str) -> SourceSpec:
    score = "index 0-1"
    return SourceSpec(
        code=f"un_egov.{year}", path=f"un_egov/{file}", reader=r.read_un_egov, publisher="UN DESA",
        title=f"UN E-Government Survey {year}", licence="UN terms of use (free with attribution)",
        vintage=str(year), url="https://publicadministration.un.org/egovkb/en-us/Data-Center",
        options={"year": year} if year <= 2018 else {},
        indicators={
            "EGDI": IndicatorSpec("EGOV.EGDI", "E-Government Development Index", score),
            "EPART": IndicatorSpec("EGOV.EPI", "E-Participation Index", score),
            "OSI": IndicatorSpec("EGOV.OSI", "Online Service Index", score),
            "HCI": IndicatorSpec("EGOV.HCI", "Human Capital Index (UN E-Government Survey)", score),
            "TII": IndicatorSpec("EGOV.TII", "Telecommunication Infrastructure Index", score),
        })


_GTMI_NAMES = {
    "govtech": ("GTMI.GTMI", "GovTech Maturity Index"),
    "backend": ("GTMI.BACKEND", "GTMI back-end (core government systems) indicator"),
    "fiscal": ("GTMI.FISCAL", "Financial management information system"),
    "taxmi": ("GTMI.TAXMI", "Tax management information system"),
    "customsmi": ("GTMI.CUSTOMSMI", "Customs management information system"),
    "hrmis": ("GTMI.HRMIS", "Human resources management information system"),
    "pims": ("GTMI.PIMS", "Public investment management system"),
    "opensource": ("GTMI.OPENSOURCE", "Government open-source software policy"),
    "portal": ("GTMI.PORTAL", "Government online portal"),
    "opengov": ("GTMI.OPENGOV", "Open government portal"),
    "opendata": ("GTMI.OPENDATA", "Open data portal"),
    "participation": ("GTMI.PARTICIPATION", "Online public participation"),
    "feedback": ("GTMI.FEEDBACK", "Citizen feedback"),
    "engagement": ("GTMI.ENGAGEMENT", "Citizen engagement"),
    "datagovernance": ("GTMI.DATAGOVERNANCE", "Data governance institutions"),
    "right2info": ("GTMI.RIGHT2INFO", "Right to information"),
    "dataprivacy": ("GTMI.DATAPRIVACY", "Data protection and privacy"),
    "digitalskills": ("GTMI.DIGITALSKILLS", "Digital skills in the public sector"),
    "pubsecinv": ("GTMI.PUBSECINV", "Public sector innovation"),
    "data_exchange": ("GTMI.DATA_EXCHANGE", "Government data exchange"),
    "system_governance": ("GTMI.SYSTEM_GOVERNANCE", "Government systems governance"),
    "socsecmi": ("GTMI.SOCSECMI", "Social security management information system"),
    "eprocurement": ("GTMI.EPROCUREMENT", "E-procurement"),
    "user_centric": ("GTMI.USER_CENTRIC", "User-centric service design"),
    "taxportal": ("GTMI.TAXPORTAL", "Online tax portal"),
    "epayments": ("GTMI.EPAYMENTS", "Government e-payments"),
    "customsportal": ("GTMI.CUSTOMSPORTAL", "Online customs portal"),
    "socsecportal": ("GTMI.SOCSECPORTAL", "Online social security portal"),
    "jobportal": ("GTMI.JOBPORTAL", "Online job portal"),
}

_GCI = {
    "gci_overall": ("ITU.GCI", "Global Cybersecurity Index", "score 0-100"),
    "gci_legal_measures": ("ITU.GCI.LEGAL", "GCI legal measures", "score 0-20"),
    "gci_technical_measures": ("ITU.GCI.TECHNICAL", "GCI technical measures", "score 0-20"),
    "gci_organisational_measures": ("ITU.GCI.ORGANISATIONAL", "GCI organisational measures", "score 0-20"),
    "gci_capacity_development": ("ITU.GCI.CAPACITY", "GCI capacity development", "score 0-20"),
    "gci_cooperative_measures": ("ITU.GCI.COOPERATION", "GCI cooperative measures", "score 0-20"),
}

_ODIN = {f"odin_{area}_{aspect}": IndicatorSpec(f"ODIN.{area.upper()}_{aspect.upper()}",
                                                f"ODIN {area} statistics {aspect}", "ODIN sub-score points")
         for area in ("social", "economic", "environmental") for aspect in ("coverage", "openness")}

SDG441 = {
    "ICTSKILLATTACH": "sent e-mails with attached files",
    "ICTSKILLCONNEC": "connected and installed new devices",
    "ICTSKILLCOPI": "used copy and paste tools within a document",
    "ICTSKILLCREAT": "created electronic presentations with presentation software",
    "ICTSKILLDUPLIC": "copied or moved a file or folder",
    "ICTSKILLFORMULA": "used basic arithmetic formulae in a spreadsheet",
    "ICTSKILLPROGLANG": "wrote a computer program using a specialised programming language",
    "ICTSKILLSOFTWARE": "found, downloaded, installed and configured software",
    "ICTSKILLTRANSFERFILE": "transferred files between a computer and other devices",
}

SOURCES: tuple[SourceSpec, ...] = (
    _wdi_api("IT.NET.USER.ZS", "API_IT.NET.USER.ZS_DS2_en_csv_v2_2160.csv", "2024-11"),
    _wdi_api("IT.CEL.SETS.P2", "API_IT.CEL.SETS.P2_DS2_en_csv_v2_2987.csv", "2024-02-21"),
    _wdi_api("EG.ELC.ACCS.ZS", "API_EG.ELC.ACCS.ZS_DS2_en_csv_v2_452.csv", "2024-02-21"),
    _wdi_api("SP.URB.TOTL.IN.ZS", "API_SP.URB.TOTL.IN.ZS_DS2_en_csv_v2_702.csv", "2024-02-21"),
    _wdi_api("GB.XPD.RSDV.GD.ZS", "API_GB.XPD.RSDV.GD.ZS_DS2_en_csv_v2_232.csv", "2026-07-13"),
    _wdi_api("IP.PAT.RESD", "API_IP.PAT.RESD_DS2_en_csv_v2_226.csv", "2026-01-28"),
    _wdi_api("TX.VAL.TECH.MF.ZS", "API_TX.VAL.TECH.MF.ZS_DS2_en_csv_v2_4771883.csv", "2022-12-22"),
    _wdipkg("IT.NET.BBND.P2"),
    _wdipkg("IT.NET.USER.ZS"),
    _wdipkg("SP.POP.TOTL"),
    SourceSpec(
        code="bipa.wb_wdi_2024", path="bipa2024/data_raw__WB_WDI_2024__wb_wdi_2024.csv", reader=r.read_wb_api_long,
        publisher="World Bank", title="World Development Indicators API pull (BIPA 2024 source data)",
        licence=CC_BY, vintage="2024-06-06", url="https://data.worldbank.org/",
        indicators=_wdi("NY.GDP.PCAP.PP.CD", "NY.GDP.PCAP.CD", "NY.GDP.MKTP.CD", "NY.GDP.MKTP.PP.CD",
                        "NE.CON.GOVT.ZS", "SP.POP.TOTL")),
    SourceSpec(
        code="bipa.gci_2020", path="bipa2024/data_raw__GCI_2020__gci_2020.csv", reader=r.read_bipa_long,
        publisher="ITU", title="Global Cybersecurity Index 2020 (extracted by BIPA from the ITU report)",
        licence="ITU terms: educational and non-commercial re-use", vintage="2020",
        url="https://www.itu.int/epublications/publication/D-STR-GCI.01-2021-HTM-E",
        indicators={k: IndicatorSpec(*v) for k, v in _GCI.items()}),
    SourceSpec(
        code="bipa.gtmi_2022_metadata", path="bipa2024/data_raw__GTMI_2022__gtmi_2022_metadata.csv",
        reader=r.read_bipa_long, publisher="World Bank",
        title="GovTech Maturity Index 2022, dataset extract (overall GTMI and 28 sub-variables)",
        licence=CC_BY, vintage="2023-03", url="https://www.worldbank.org/en/programs/govtech/gtmi",
        indicators={f"gtmi_{k}": IndicatorSpec(c, n, "GTMI dataset score") for k, (c, n) in _GTMI_NAMES.items()}),
    SourceSpec(
        code="bipa.gtmi_2022", path="bipa2024/data_out__gtmi_2022.csv", reader=r.read_bipa_long,
        publisher="World Bank (processed by the Blavatnik School of Government)",
        title="GovTech Maturity Index 2022, BIPA-processed groups", licence=CC_BY, vintage="2024",
        url="https://github.com/blavatnik-index/bipa2024_sourcedata",
        indicators={f"gtmi_{k}": IndicatorSpec(f"BIPA.GTMI_{k.upper()}", f"GTMI {k} (BIPA grouping)", "score")
                    for k in ("backend", "admin", "policy", "portals", "engagement", "openness", "innovation")}),
    SourceSpec(
        code="bipa.odin_2022", path="bipa2024/data_out__odin_2022.csv", reader=r.read_bipa_long,
        publisher="Open Data Watch", title="Open Data Inventory (ODIN) 2022/23, scores by data area",
        licence=CC_BY, vintage="2022", url="https://odin.opendatawatch.com/", indicators=_ODIN),
    _egov(2010, "egdi-2010__UNU-EGOV.csv"),
    _egov(2012, "egdi-2012__UNU-EGOV.csv"),
    _egov(2014, "egdi-2014__UNU-EGOV.csv"),
    _egov(2016, "egdi-2016__UNU-EGOV.csv"),
    _egov(2018, "egdi-2018__UNU-EGOV.csv"),
    _egov(2022, "EGOV_DATA_2022__pluralitybook.csv"),
    _egov(2024, "EGOV_DATA_2024__MaryliaCruzS.csv"),
    SourceSpec(
        code="owid.IT.NET.SECR.P6", path="owid_2020/secure-internet-servers-per-1-million-people.csv",
        reader=r.read_owid_grapher, publisher="World Bank (Netcraft) via Our World in Data",
        title="Secure Internet servers per 1 million people (pre-2019 Netcraft method)", licence=CC_BY,
        vintage="2020-08", url="https://ourworldindata.org/",
        indicators={"Secure Internet servers (per 1 million people) (per 1 million people)":
                    IndicatorSpec("IT.NET.SECR.P6", *_WDI["IT.NET.SECR.P6"])}),
    SourceSpec(
        code="owid.SE.TER.ENRR", path="owid_2020/gross-enrollment-ratio-in-tertiary-education.csv",
        reader=r.read_owid_grapher, publisher="UNESCO UIS via World Bank and Our World in Data",
        title="Gross enrolment ratio, tertiary", licence=CC_BY, vintage="2020-08", url="https://ourworldindata.org/",
        indicators={"Gross enrolment ratio, tertiary, both sexes (%) (%)":
                    IndicatorSpec("SE.TER.ENRR", *_WDI["SE.TER.ENRR"])}),
    SourceSpec(
        code="undp_hdr.2023_24", path="undp_hdr/HDR23-24_Composite_indices_complete_time_series.csv",
        reader=r.read_hdr_wide, publisher="UNDP HDRO",
        title="Human Development Report 2023/24, composite indices time series",
        licence="UNDP terms (free with attribution)", vintage="2024-03", url="https://hdr.undp.org/data-center",
        indicators={"eys": IndicatorSpec("HDR.EYS", "Expected years of schooling", "years"),
                    "mys": IndicatorSpec("HDR.MYS", "Mean years of schooling", "years"),
                    "hdi": IndicatorSpec("HDR.HDI", "Human Development Index", "index 0-1"),
                    "gnipc": IndicatorSpec("HDR.GNIPC", "GNI per capita", "2017 PPP $")}),
    SourceSpec(
        code="findex.2021", path="mbelinsky_pdd/findex_database_2021.xlsx", reader=r.read_findex_xlsx,
        publisher="World Bank", title="Global Findex Database 2021", licence=CC_BY, vintage="2022-06",
        url="https://www.worldbank.org/en/publication/globalfindex",
        indicators={
            "Account (% age 15+)": IndicatorSpec("FINDEX.ACCOUNT", "Account ownership", "% age 15+", 100.0),
            "Made or received a digital payment (% age 15+)":
                IndicatorSpec("FINDEX.DIGITAL_PAYMENT", "Made or received a digital payment", "% age 15+", 100.0),
        }),
    SourceSpec(
        code="unctad.ict_services_2022", path="mbelinsky_pdd/ict_services_2022.csv", reader=r.read_unctad_m49,
        publisher="UNCTAD", title="UNCTADstat, International trade in ICT services, 2005-2021",
        licence="UNCTADstat terms", vintage="2023-05", url="https://unctadstat.unctad.org/",
        indicators={
            "exports_share": IndicatorSpec("UNCTAD.ICT_SERV_EXP_SHARE", "ICT services exports",
                                           "% of total services exports"),
            "exports_usd": IndicatorSpec("UNCTAD.ICT_SERV_EXP_USD", "ICT services exports", "million current US$"),
        }),
    SourceSpec(
        code="futuregrid.ai_metrics", path="futuregrid_ai/data__global-ai-metrics.json",
        reader=r.read_futuregrid_json, publisher="Oxford Insights; IMF (mirrored by FutureGrid)",
        title="Government AI Readiness Index 2023 and IMF AI Preparedness Index 2023",
        licence="Oxford Insights CC BY; IMF terms", vintage="2026-06-30",
        url="https://github.com/huangyingting/FutureGrid",
        options={"years": {"governmentReadiness": 2023, "readiness": 2023,
                           "readinessSubIndices.digitalInfrastructure": 2023,
                           "readinessSubIndices.humanCapital": 2023, "readinessSubIndices.innovation": 2023,
                           "readinessSubIndices.regulationEthics": 2023}},
        indicators={
            "governmentReadiness": IndicatorSpec("OXINS.GAIRI", "Government AI Readiness Index", "score 0-100"),
            "readiness": IndicatorSpec("IMF.AIPI", "AI Preparedness Index", "index 0-1"),
            "readinessSubIndices.digitalInfrastructure":
                IndicatorSpec("IMF.AIPI.DIGITAL_INFRASTRUCTURE", "AIPI digital infrastructure", "index 0-0.25"),
            "readinessSubIndices.humanCapital":
                IndicatorSpec("IMF.AIPI.HUMAN_CAPITAL", "AIPI human capital and labour market policies",
                              "index 0-0.25"),
            "readinessSubIndices.innovation":
                IndicatorSpec("IMF.AIPI.INNOVATION", "AIPI innovation and economic integration", "index 0-0.25"),
            "readinessSubIndices.regulationEthics":
                IndicatorSpec("IMF.AIPI.REGULATION", "AIPI regulation and ethics", "index 0-0.25"),
        }),
    SourceSpec(
        code="ddc.ookla_mobile", path="undp_ddc/processed__mobile_speed.csv", reader=r.read_ookla,
        publisher="Ookla (mirrored by UNDP Digital Development Compass)",
        title="Speedtest Global Index, median mobile download speed", licence="Ookla terms", vintage="2022-09",
        url="https://www.speedtest.net/global-index",
        indicators={"Mbps": IndicatorSpec("OOKLA.MOBILE_MBPS", "Median mobile download speed", "Mbps")}),
    SourceSpec(
        code="ddc.ookla_fixed", path="undp_ddc/processed__fixed_speed.csv", reader=r.read_ookla,
        publisher="Ookla (mirrored by UNDP Digital Development Compass)",
        title="Speedtest Global Index, median fixed broadband download speed", licence="Ookla terms",
        vintage="2022-09", url="https://www.speedtest.net/global-index",
        indicators={"Mbps": IndicatorSpec("OOKLA.FIXED_MBPS", "Median fixed broadband download speed", "Mbps")}),
    SourceSpec(
        code="ddc.a4ai_pricing_2020", path="undp_ddc/data__mobile_broadband_pricing.csv", reader=r.read_a4ai_pricing,
        publisher="A4AI / ITU (mirrored by UNDP Digital Development Compass)",
        title="Mobile broadband pricing 2020", licence="A4AI terms", vintage="2020",
        url="https://a4ai.org/extra/mobile_broadband_pricing_gni",
        indicators={"Cost_1_GB_Share_GNICM": IndicatorSpec("A4AI.COST_1GB_GNI", "Price of 1 GB mobile data",
                                                           "% of monthly GNI per capita")}),
    SourceSpec(
        code="ddc.nri_2020", path="undp_ddc/processed__network_readiness_index.csv", reader=r.read_name_table,
        publisher="Portulans Institute (mirrored by UNDP Digital Development Compass)",
        title="Network Readiness Index 2020", licence="Portulans terms", vintage="2020",
        url="https://networkreadinessindex.org/", options={"year": 2020, "name": "Country"},
        indicators={"Score": IndicatorSpec("NRI.NRI", "Network Readiness Index", "score 0-100")}),
    SourceSpec(
        code="ddc.unctad_b2c_2020", path="undp_ddc/processed__b2c_ecommerse_idx.csv", reader=r.read_name_table,
        publisher="UNCTAD (mirrored by UNDP Digital Development Compass)",
        title="UNCTAD B2C E-commerce Index 2020", licence="UNCTAD terms", vintage="2020",
        url="https://unctad.org/", options={"year": 2020, "name": "Economy"},
        indicators={"2020 Index value": IndicatorSpec("UNCTAD.B2C", "B2C E-commerce Index", "score 0-100")}),
    SourceSpec(
        code="ddc.gsma_mci_2022", path="undp_ddc/processed__countries_mobile_connectivity.csv",
        reader=r.read_gsma_mci, publisher="GSMA (mirrored by UNDP Digital Development Compass)",
        title="GSMA Mobile Connectivity Index 2022 data", licence="GSMA terms", vintage="2022-08",
        url="https://www.mobileconnectivityindex.com/",
        indicators={"Index": IndicatorSpec("GSMA.MCI", "Mobile Connectivity Index", "score 0-100"),
                    "4G Coverage": IndicatorSpec("GSMA.4G_COVERAGE", "4G network coverage (MCI score)",
                                                 "MCI indicator score 0-100"),
                    "Affordability": IndicatorSpec("GSMA.AFFORDABILITY", "MCI affordability enabler",
                                                   "score 0-100")}),
    SourceSpec(
        code="ddc.sdg_4_4_1", path="undp_ddc/processed__SDG_digital_literacy_data.csv", reader=r.read_uis_sdg,
        publisher="ITU / UNESCO UIS (mirrored by UNDP Digital Development Compass)",
        title="SDG 4.4.1 Proportion of youth and adults with ICT skills, by type of skill",
        licence="UIS terms (CC BY-SA 3.0 IGO)", vintage="2021", url="http://data.uis.unesco.org/",
        indicators={k: IndicatorSpec(f"SDG441.{k[8:]}", f"Youth and adults who {v}", "% of population")
                    for k, v in SDG441.items()}),
    SourceSpec(
        code="ddc.gii_2021", path="undp_ddc/processed__global_innovation_dataset.csv", reader=r.read_gii,
        publisher="WIPO (mirrored by UNDP Digital Development Compass)", title="Global Innovation Index 2021",
        licence="CC BY 3.0 IGO", vintage="2021", url="https://www.globalinnovationindex.org/",
        options={"year": 2021},
        indicators={"Index": IndicatorSpec("WIPO.GII", "Global Innovation Index", "score 0-100")}),
)

SOURCES_BY_CODE: dict[str, SourceSpec] = {s.code: s for s in SOURCES}
assert len(SOURCES_BY_CODE) == len(SOURCES), "duplicate source code in the catalogue"
