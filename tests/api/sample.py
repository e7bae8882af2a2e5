"""A small computed edition with observations, for the API and open-data tests (and the permission matrix).

Loaded by path (like tests/forum/world.py) from tests/api/conftest.py and tests/security/test_api_methods.py.
Economies are created with ``update_or_create`` so that the edition can be laid over the Forum test world
(which already has EGY and TUR).

Edition "2024" (reference year 2024), areas connectivity (IT.NET.USER.ZS) and skills (HCI), equal weights:

=====  =========  ====  ============  ====  =======  ====
iso3   index      rank  connectivity  rank  skills   rank
=====  =========  ====  ============  ====  =======  ====
JOR    80.0       1     90.0          1     70.0     2
TUR    65.5       2     60.0          2     71.0     1
EGY    40.25      3     30.0          3     50.5     3
NER    (none)     -     -             -     -        -
=====  =========  ====  ============  ====  =======  ====

Index = mean of the two areas: JOR (90 + 70) / 2 = 80; TUR (60 + 71) / 2 = 65.5; EGY (30 + 50.5) / 2 = 40.25.
Gap to the OIC median: median(80, 65.5, 40.25) = 65.5, so JOR +14.5, TUR 0.0, EGY -25.25;
to the OIC best (80): JOR 0.0, TUR -14.5, EGY -39.75. Connectivity median(90, 60, 30) = 60, so EGY -30.0;
skills median(70, 71, 50.5) = 70, so EGY -19.5.

Indicator results: EGY internet users 72.7 (2023, observed, normalised 75.0), EGY HCI 0.49 (2022, flagged
"estimate" by the publisher in the observation store, normalised 50.5); JOR internet users imputed (no raw value,
normalised 50.0); NER internet users missing.
"""
from __future__ import annotations

import datetime as dt

from dtforum.members.models import Economy
from dtforum.observatory.models import Edition, Indicator, IndicatorResult, Observation, Score, Source

METHODOLOGY = {
    "edition": "2024", "reference_year": 2024, "window": 5,
    "areas": [
        {"code": "connectivity", "weight": 1,
         "name": {"en": "Improving digital connectivity", "fr": "Améliorer la connectivité numérique",
                  "ar": "تحسين الاتصال الرقمي"},
         "indicators": [{"code": "IT.NET.USER.ZS", "direction": 1, "weight": 1, "unit": "% of population",
                         "source": "wdi_api.IT.NET.USER.ZS",
                         "name": {"en": "Internet users", "fr": "Utilisateurs d'Internet",
                                  "ar": "مستخدمو الإنترنت"}}]},
        {"code": "skills", "weight": 1,
         "name": {"en": "Developing digital skills and competencies", "fr": "Développer les compétences numériques",
                  "ar": "تطوير المهارات والكفاءات الرقمية"},
         "indicators": [{"code": "HCI", "direction": 1, "weight": 1, "unit": "0-1", "source": "un_egov.2024",
                         "name": {"en": "Human Capital Index", "fr": "Indice du capital humain",
                                  "ar": "مؤشر رأس المال البشري"}}]},
    ],
}
ECONOMIES = {
    "EGY": ("Egypt", "Égypte", "مصر", Economy.Kind.MEMBER, "arab", "Lower middle income"),
    "JOR": ("Jordan", "Jordanie", "الأردن", Economy.Kind.MEMBER, "arab", "Upper middle income"),
    "TUR": ("Türkiye", "Turquie", "تركيا", Economy.Kind.MEMBER, "asian", "Upper middle income"),
    "NER": ("Niger", "Niger", "النيجر", Economy.Kind.MEMBER, "african", "Low income"),
    "FRA": ("France", "France", "فرنسا", Economy.Kind.COMPARISON, "", "High income"),
    "WLD": ("World", "Monde", "العالم", Economy.Kind.AGGREGATE, "", ""),
}
# iso3: (index, rank, connectivity, rank, skills, rank)
SCORES = {"JOR": (80.0, 1, 90.0, 1, 70.0, 2), "TUR": (65.5, 2, 60.0, 2, 71.0, 1), "EGY": (40.25, 3, 30.0, 3, 50.5, 3)}
# (iso3, indicator, year, value, flags)
OBSERVATIONS = [
    ("EGY", "IT.NET.USER.ZS", 2020, 57.3, ""), ("EGY", "IT.NET.USER.ZS", 2021, 65.5, ""),
    ("EGY", "IT.NET.USER.ZS", 2022, 72.1, ""), ("EGY", "IT.NET.USER.ZS", 2023, 72.7, ""),
    ("TUR", "IT.NET.USER.ZS", 2021, 81.4, ""), ("TUR", "IT.NET.USER.ZS", 2022, 83.4, ""),
    ("TUR", "IT.NET.USER.ZS", 2023, 86.5, ""), ("FRA", "IT.NET.USER.ZS", 2023, 86.8, ""),
    ("WLD", "IT.NET.USER.ZS", 2023, 67.4, ""), ("EGY", "HCI", 2022, 0.49, "estimate"),
    ("TUR", "HCI", 2022, 0.65, ""),
]


def build() -> Edition:
    """Create (or reuse) the economies, two sources, two indicators, the observations and edition 2024."""
    eco = {}
    for code, (en, fr, ar, kind, group, income) in ECONOMIES.items():
        eco[code] = Economy.objects.update_or_create(iso3=code, defaults={
            "kind": kind, "name_en": en, "name_fr": fr, "name_ar": ar, "oic_group": group,
            "income_group": income})[0]
    wdi = Source.objects.create(code="wdi_api.IT.NET.USER.ZS", publisher="World Bank",
                                title="World Development Indicators, Individuals using the Internet",
                                path="wdi_api/x.csv", vintage="2024-11", licence="CC BY 4.0",
                                url="https://data.worldbank.org/")
    egov = Source.objects.create(code="un_egov.2024", publisher="UN DESA", title="UN E-Government Survey 2024",
                                 path="un_egov/x.csv", vintage="2024", licence="UN terms of use (free with attribution)",
                                 url="https://publicadministration.un.org/egovkb/")
    ind = {
        "IT.NET.USER.ZS": Indicator.objects.create(
            code="IT.NET.USER.ZS", name_en="Individuals using the Internet (% of population)",
            name_fr="Personnes utilisant Internet (% de la population)", name_ar="الأفراد الذين يستخدمون الإنترنت",
            unit="% of population", source=wdi),
        "HCI": Indicator.objects.create(code="HCI", name_en="Human Capital Index", name_fr="Indice du capital humain",
                                        name_ar="مؤشر رأس المال البشري", unit="0-1", source=egov),
    }
    for iso3, code, year, value, flags in OBSERVATIONS:
        Observation.objects.create(economy=eco[iso3], indicator=ind[code], source=ind[code].source, year=year,
                                   value=value, flags=flags, vintage=ind[code].source.vintage)
    edition = Edition.objects.create(
        code="2024", reference_year=2024, methodology=METHODOLOGY, recipe={},
        analysis={"tiers": {"method": "fixed thresholds", "thresholds": [50.0, 70.0]},
                  "world_medians": {"index": 55.0}},
        computed_at=dt.datetime(2025, 1, 15, tzinfo=dt.UTC))
    for code, (index, rank, conn, conn_rank, skills, skills_rank) in SCORES.items():
        Score.objects.create(edition=edition, economy=eco[code], area="index", score=index, rank=rank,
                             tier="leading" if index >= 70 else ("advancing" if index >= 50 else "emerging"),
                             gap_oic_median=index - 65.5, gap_oic_best=index - 80.0, gap_world_median=index - 55.0)
        Score.objects.create(edition=edition, economy=eco[code], area="connectivity", score=conn, rank=conn_rank,
                             gap_oic_median=conn - 60.0)
        Score.objects.create(edition=edition, economy=eco[code], area="skills", score=skills, rank=skills_rank,
                             gap_oic_median=skills - 70.0)
    Score.objects.create(edition=edition, economy=eco["NER"], area="index", score=None, rank=None)
    for iso3, code, area, raw, year, imputed, norm in [
        ("EGY", "IT.NET.USER.ZS", "connectivity", 72.7, 2023, False, 75.0),
        ("EGY", "HCI", "skills", 0.49, 2022, False, 50.5),
        ("JOR", "IT.NET.USER.ZS", "connectivity", None, None, True, 50.0),
        ("NER", "IT.NET.USER.ZS", "connectivity", None, None, False, None),
    ]:
        IndicatorResult.objects.create(edition=edition, economy=eco[iso3], indicator=ind[code], area=area,
                                       raw_value=raw, source_year=year, imputed=imputed, normalised_value=norm)
    return edition
