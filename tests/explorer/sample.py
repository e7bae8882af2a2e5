"""A small edition whose run the what-if rebuilds from the store (loaded by path from conftest.py and the browser
tests).

Four members, two areas of one indicator each (reference year 2024, window 5, min-max 0-100, arithmetic means,
equal weights). Values of 2023 (the latest in the window):

=====  ==============  ==========  ====  ============  ======  ==================
iso3   internet users  normalised  HCI   normalised    index   rank
=====  ==============  ==========  ====  ============  ======  ==================
EGY    40              0           0.6   75            37.5    3
JOR    90              100         0.5   50            75.0    2
TUR    80              80          0.7   100           90.0    1
SEN    60              40          0.3   0             20.0    4
=====  ==============  ==========  ====  ============  ======  ==================

Min-max: internet (x - 40) / (90 - 40) * 100; HCI (x - 0.3) / (0.7 - 0.3) * 100. Index = (conn + skills) / 2.
No outlier treatment applies (|skewness| of four values is below 2). FRA (comparison) and WLD (aggregate) have
internet-user values for the explorer; EGY also has 2021 (35) and 2022 (38).
"""
from __future__ import annotations

import datetime as dt

from dtforum.members.models import Economy
from dtforum.observatory.models import Edition, Indicator, Observation, Score, Source

METHODOLOGY = {
    "edition": "2024", "reference_year": 2024, "window": 5,
    "name": {"en": "Digital Transformation Index 2024"},
    "coverage": {"indicator_min": 0.66, "unit_min": 0.66},
    "stages": {"imputation": {"method": "median"}, "treatment": {"skew": 2.0, "kurtosis": 3.5},
               "normalisation": {"method": "minmax", "low": 0, "high": 100},
               "aggregation": {"indicators": "arithmetic", "areas": "arithmetic"}},
    "areas": [
        {"code": "connectivity", "weight": 1,
         "name": {"en": "Improving digital connectivity", "fr": "Améliorer la connectivité numérique",
                  "ar": "تحسين الاتصال الرقمي"},
         "indicators": [{"code": "IT.NET.USER.ZS", "direction": 1, "weight": 1, "unit": "% of population",
                         "source": "wdi_api.IT.NET.USER.ZS",
                         "name": {"en": "Internet users", "fr": "Utilisateurs d'Internet", "ar": "مستخدمو الإنترنت"}}]},
        {"code": "skills", "weight": 1,
         "name": {"en": "Developing digital skills", "fr": "Développer les compétences numériques",
                  "ar": "تطوير المهارات الرقمية"},
         "indicators": [{"code": "HCI", "direction": 1, "weight": 1, "unit": "0-1", "source": "un_egov.2024",
                         "name": {"en": "Human Capital Index", "fr": "Indice du capital humain",
                                  "ar": "مؤشر رأس المال البشري"}}]},
    ],
}
ECONOMIES = {
    "EGY": ("Egypt", "Égypte", "مصر", Economy.Kind.MEMBER, "arab", "Lower middle income"),
    "JOR": ("Jordan", "Jordanie", "الأردن", Economy.Kind.MEMBER, "arab", "Upper middle income"),
    "TUR": ("Türkiye", "Turquie", "تركيا", Economy.Kind.MEMBER, "asian", "Upper middle income"),
    "SEN": ("Senegal", "Sénégal", "السنغال", Economy.Kind.MEMBER, "african", "Lower middle income"),
    "FRA": ("France", "France", "فرنسا", Economy.Kind.COMPARISON, "", "High income"),
    "WLD": ("World", "Monde", "العالم", Economy.Kind.AGGREGATE, "", ""),
}
INTERNET = {"EGY": 40.0, "JOR": 90.0, "TUR": 80.0, "SEN": 60.0, "FRA": 86.8, "WLD": 67.4}
HCI = {"EGY": 0.6, "JOR": 0.5, "TUR": 0.7, "SEN": 0.3}
# iso3: (index, rank, connectivity, rank, skills, rank) — the hand computation of the module docstring
SCORES = {"TUR": (90.0, 1, 80.0, 2, 100.0, 1), "JOR": (75.0, 2, 100.0, 1, 50.0, 3),
          "EGY": (37.5, 3, 0.0, 4, 75.0, 2), "SEN": (20.0, 4, 40.0, 3, 0.0, 4)}


def build() -> Edition:
    """Store the economies, sources, indicators, observations and edition 2024 with its hand-computed scores."""
    eco = {code: Economy.objects.update_or_create(iso3=code, defaults={
        "kind": kind, "name_en": en, "name_fr": fr, "name_ar": ar, "oic_group": group, "income_group": income})[0]
        for code, (en, fr, ar, kind, group, income) in ECONOMIES.items()}
    wdi = Source.objects.create(code="wdi_api.IT.NET.USER.ZS", publisher="World Bank",
                                title="World Development Indicators", path="wdi_api/x.csv", vintage="2024-11",
                                licence="CC BY 4.0", url="https://data.worldbank.org/")
    egov = Source.objects.create(code="un_egov.2024", publisher="UN DESA", title="UN E-Government Survey 2024",
                                 path="un_egov/x.csv", vintage="2024", licence="UN terms of use")
    net = Indicator.objects.create(code="IT.NET.USER.ZS", name_en="Individuals using the Internet",
                                   unit="% of population", source=wdi,
                                   description="Individuals who have used the Internet in the last 3 months.")
    hci = Indicator.objects.create(code="HCI", name_en="Human Capital Index", unit="0-1", source=egov,
                                   description="Adult literacy, enrolment and years of schooling (UN DESA).")
    for iso3, value in INTERNET.items():
        Observation.objects.create(economy=eco[iso3], indicator=net, source=wdi, year=2023, value=value)
    for year, value in ((2021, 35.0), (2022, 38.0)):
        Observation.objects.create(economy=eco["EGY"], indicator=net, source=wdi, year=year, value=value,
                                   flags="estimate" if year == 2021 else "")
    for iso3, value in HCI.items():
        Observation.objects.create(economy=eco[iso3], indicator=hci, source=egov, year=2023, value=value)
    edition = Edition.objects.create(code="2024", reference_year=2024, methodology=METHODOLOGY, recipe={},
                                     computed_at=dt.datetime(2025, 1, 15, tzinfo=dt.UTC))
    for iso3, (index, rank, conn, conn_rank, skills, skills_rank) in SCORES.items():
        for area, score, r in (("index", index, rank), ("connectivity", conn, conn_rank), ("skills", skills, skills_rank)):
            Score.objects.create(edition=edition, economy=eco[iso3], area=area, score=score, rank=r)
    return edition
