"""A small computed edition built in the test database, with values chosen so results can be checked by hand.

Members (index score, rank): Jordan 80.0 (1), Türkiye 65.5 (2), Egypt 40.25 (3), Niger no score (unranked);
France is a comparison economy and WLD an aggregate (neither may get a profile).
Index gaps to the OIC median (median of 80.0, 65.5, 40.25 = 65.5): JOR +14.5, TUR 0.0, EGY −25.25;
to the OIC best (80.0): JOR 0.0, TUR −14.5, EGY −39.75.
"""
from __future__ import annotations

import copy
import datetime as dt

import pytest

from dtforum.members.models import Economy
from dtforum.observatory.models import Edition, Indicator, IndicatorResult, Score, Source

METHODOLOGY = {
    "edition": "2024",
    "reference_year": 2024,
    "window": 5,
    "stages": {"normalisation": {"method": "minmax", "low": 0, "high": 100},
               "aggregation": {"indicators": "arithmetic", "areas": "arithmetic"}},
    "areas": [
        {"code": "connectivity", "weight": 1,
         "name": {"en": "Improving digital connectivity", "fr": "Améliorer la connectivité numérique",
                  "ar": "تحسين الاتصال الرقمي"},
         "indicators": [
             {"code": "IT.NET.USER.ZS", "direction": 1, "weight": 1, "unit": "% of population",
              "source": "wdi", "name": {"en": "Internet users", "fr": "Utilisateurs d'Internet",
                                        "ar": "مستخدمو الإنترنت"}},
             {"code": "IT.NET.BBND.P2", "direction": 1, "weight": 1, "unit": "per 100 people",
              "source": "wdi", "name": {"en": "Fixed broadband subscriptions",
                                        "fr": "Abonnements au haut débit fixe",
                                        "ar": "اشتراكات النطاق العريض الثابت"}},
         ]},
        {"code": "skills", "weight": 1,
         "name": {"en": "Developing digital skills and competencies",
                  "fr": "Développer les compétences numériques", "ar": "تطوير المهارات والكفاءات الرقمية"},
         "indicators": [
             {"code": "HCI", "direction": 1, "weight": 1, "unit": "0-1", "source": "unegov",
              "name": {"en": "Human Capital Index", "fr": "Indice du capital humain", "ar": "مؤشر رأس المال البشري"}},
         ]},
    ],
}

ANALYSIS = {
    "divide": {
        "indicators": [{
            "code": "IT.NET.USER.ZS",
            "name": {"en": "Internet users", "fr": "Utilisateurs d'Internet", "ar": "مستخدمو الإنترنت"},
            "world_median": 70.0, "oic_median": 72.7, "oic_min": 20.0, "oic_max": 90.5,
            "oic_p10": 30.0, "oic_p90": 88.0, "members_below_world_median": 1,
            "members": [{"iso3": "EGY", "value": 72.7, "source_year": 2023, "gap_to_world_median": 2.7}],
        }],
        "note": {"en": "Raw values, latest year in the window.", "fr": "Valeurs brutes.", "ar": "قيم خام."},
    },
    "tiers": {"method": "fixed thresholds", "thresholds": [50.0, 70.0],
              "labels": ["emerging", "advancing", "leading"], "counts": {"leading": 1, "advancing": 0,
                                                                          "emerging": 2}},
    "world_medians": {"index": 55.0, "connectivity": 60.0, "skills": 50.0},
}

# iso3: (index, rank, tier, connectivity, skills)
SCORES = {
    "JOR": (80.0, 1, "leading", 90.0, 70.0),
    "TUR": (65.5, 2, "emerging", 60.0, 71.0),
    "EGY": (40.25, 3, "emerging", 30.0, 50.5),
}
# Egypt's indicator results: (indicator, area, raw, year, normalised)
EGY_RESULTS = [
    ("IT.NET.USER.ZS", "connectivity", 72.7, 2023, 75.0),
    ("IT.NET.BBND.P2", "connectivity", 10.5, 2022, 12.5),
    ("HCI", "skills", 0.49, 2022, 50.5),
]


def build_edition() -> Edition:
    """Create the economies, three sources (World Bank WDI; UN E-Government Surveys 2010 and 2024, the framework
    reading HCI from 2024 while its Indicator row points at 2010), three indicators and the computed edition
    described above."""
    economies = {
        "EGY": ("Egypt", "Égypte", "مصر", Economy.Kind.MEMBER, "arab", "Lower middle income"),
        "JOR": ("Jordan", "Jordanie", "الأردن", Economy.Kind.MEMBER, "arab", "Upper middle income"),
        "TUR": ("Türkiye", "Türkiye", "تركيا", Economy.Kind.MEMBER, "asian", "Upper middle income"),
        "NER": ("Niger", "Niger", "النيجر", Economy.Kind.MEMBER, "african", "Low income"),
        "FRA": ("France", "France", "فرنسا", Economy.Kind.COMPARISON, "", "High income"),
        "WLD": ("World", "Monde", "العالم", Economy.Kind.AGGREGATE, "", ""),
    }
    eco = {code: Economy.objects.create(iso3=code, kind=kind, name_en=en, name_fr=fr, name_ar=ar,
                                        oic_group=group, income_group=income)
           for code, (en, fr, ar, kind, group, income) in economies.items()}
    source = Source.objects.create(code="wdi", publisher="World Bank", title="World Development Indicators",
                                   path="wdi", vintage="2024-12", licence="CC BY 4.0")
    # HCI was first delivered by an older survey (Indicator.source), the framework reads it from "unegov"
    old_survey = Source.objects.create(code="unegov2010", publisher="UN DESA", title="UN E-Government Survey 2010",
                                       path="unegov/2010", vintage="2010")
    Source.objects.create(code="unegov", publisher="UN DESA", title="UN E-Government Survey 2024",
                          path="unegov/2024", vintage="2024")
    indicators = {code: Indicator.objects.create(code=code, name_en=code, unit="",
                                                 source=old_survey if code == "HCI" else source)
                  for code in ("IT.NET.USER.ZS", "IT.NET.BBND.P2", "HCI")}
    edition = Edition.objects.create(code="2024", reference_year=2024, methodology=METHODOLOGY,
                                     recipe={}, analysis=ANALYSIS,
                                     computed_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    median, best = 65.5, 80.0
    for code, (index, rank, tier, conn, skills) in SCORES.items():
        Score.objects.create(edition=edition, economy=eco[code], area="index", score=index, rank=rank, tier=tier,
                             gap_oic_median=index - median, gap_oic_best=index - best, gap_world_median=index - 55.0)
        # area medians: connectivity median(90, 60, 30) = 60; skills median(70, 71, 50.5) = 70;
        # area best: connectivity 90, skills 71
        Score.objects.create(edition=edition, economy=eco[code], area="connectivity", score=conn,
                             rank=[90.0, 60.0, 30.0].index(conn) + 1, gap_oic_median=conn - 60.0,
                             gap_oic_best=conn - 90.0)
        Score.objects.create(edition=edition, economy=eco[code], area="skills", score=skills,
                             rank=sorted([70.0, 71.0, 50.5], reverse=True).index(skills) + 1,
                             gap_oic_median=skills - 70.0, gap_oic_best=skills - 71.0)
    Score.objects.create(edition=edition, economy=eco["NER"], area="index", score=None, rank=None)
    for ind, area, raw, year, norm in EGY_RESULTS:
        IndicatorResult.objects.create(edition=edition, economy=eco["EGY"], indicator=indicators[ind], area=area,
                                       raw_value=raw, source_year=year, normalised_value=norm)
    return edition


@pytest.fixture
def edition(db) -> Edition:
    """The small computed edition (see the module docstring)."""
    return build_edition()


def ensure_compiled_messages() -> None:
    """Compile dtforum/locale/*/LC_MESSAGES/django.po with GNU msgfmt when the .mo is missing or older.

    The .mo files are not in git (the Makefile compiles them); compiling here keeps the translated-page
    tests independent of the order of make targets. A file lock serialises pytest-xdist workers.
    """
    import fcntl
    import subprocess
    import tempfile
    from pathlib import Path

    from django.conf import settings

    locale = Path(settings.LOCALE_PATHS[0])
    with open(Path(tempfile.gettempdir()) / "dtforum-compilemessages.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for po in locale.glob("*/LC_MESSAGES/django.po"):
            mo = po.with_suffix(".mo")
            if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
                subprocess.run(["msgfmt", "--check-format", "-o", str(mo), str(po)], check=True)


@pytest.fixture(scope="session", autouse=True)
def compiled_messages():
    """The ar/fr catalogs compiled before any test renders a translated page."""
    ensure_compiled_messages()


#: Rank quantiles of the uncertainty analysis per member (q05, median, q95), index level.
#: What the robustness step stores as ``analysis["trends"]`` (hand values). Shared vertical scale of Egypt's trend
#: lines: lowest 20.0, highest 50.0 -> 20 to 50. CAGR of Egypt's index (41/35)^(1/5) - 1 = 0.032151 (3.2 % a year);
#: connectivity (30/20)^(1/5) - 1 = 0.084472; skills flat (0.0).
TRENDS = {
    "years": [2019, 2020, 2021, 2022, 2023, 2024],
    "areas": ["connectivity", "skills", "index"],
    "members": {"EGY": {"index": [35.0, None, 38.0, 39.0, 40.0, 41.0],
                        "connectivity": [20.0, 25.0, None, 30.0, 30.0, 30.0],
                        "skills": [50.0, 50.0, 50.0, 50.0, 50.0, 50.0]},
                "JOR": {"index": [50.0, 51.0, 52.0, 53.0, 54.0, 55.0]}},
    "cagr": {"EGY": {"index": 0.032151, "connectivity": 0.084472, "skills": 0.0}, "JOR": {"index": 0.019245}},
    "indicators": ["IT.NET.USER.ZS", "HCI"],
    "static_indicators": {"HCI": 2022},
}
#: What the robustness step stores as ``analysis["peers"]``: peers score higher (score_gap = peer − member);
#: Egypt's connectivity 30: Jordan 90 (+60.0), Türkiye 60 (+30.0); index 40.25: Jordan 80 (+39.75).
PEERS = {
    "EGY": {
        "index": [{"peer": "JOR", "distance": 0.2, "score_gap": 39.75, "reasons": ["same oic_group (arab)"],
                   "reasons_text": {"en": ["same OIC group"], "fr": ["même groupe de l'OCI"],
                                    "ar": ["نفس مجموعة المنظمة"]}}],
        "connectivity": [
            {"peer": "JOR", "distance": 0.2, "score_gap": 60.0, "reasons": ["same oic_group (arab)"],
             "reasons_text": {"en": ["same OIC group"], "fr": ["même groupe de l'OCI"], "ar": ["نفس مجموعة المنظمة"]}},
            {"peer": "TUR", "distance": 0.45, "score_gap": 30.0, "reasons": ["similar log_population"],
             "reasons_text": {"en": ["similar population", "similar income per person"],
                              "fr": ["population semblable", "revenu par habitant semblable"],
                              "ar": ["عدد سكان مماثل", "دخل فردي مماثل"]}}],
    },
}
RANK_QUANTILES = {"JOR": (1.0, 1.0, 2.4), "TUR": (1.2, 2.0, 3.0), "EGY": (2.6, 3.0, 3.0)}
CONVERGENCE = {
    "available": True, "years": [2022, 2023, 2024], "start_year": 2022, "end_year": 2024,
    "areas": ["connectivity", "skills", "index"], "indicators": ["IT.NET.USER.ZS", "HCI"],
    "static_indicators": {"HCI": 2020},
    "sigma": {
        "members": {"index": {"year": [2022, 2023, 2024], "n": [3, 3, 3], "mean": [50.0, 55.0, 60.0],
                              "sd": [20.0, 19.25, 18.0], "cv": [0.4, 0.35, 0.3]},
                    "connectivity": {"year": [2022, 2023, 2024], "n": [3, 3, 3], "mean": [50.0, 55.0, 60.0],
                                     "sd": [25.0, 24.75, 24.0], "cv": [0.5, 0.45, 0.4]}},
        "world": {"index": {"year": [2022, 2023, 2024], "n": [4, 4, 4], "mean": [50.0, 50.0, 50.0],
                            "sd": [25.0, 25.0, 25.0], "cv": [0.5, 0.5, 0.5]}},
    },
    "beta": {"members": {"index": {"n": 3, "slope": -0.0421, "p_value": 0.012, "speed": 0.043,
                                   "converging": True}}},
}
SENSITIVITY = [
    {"input": "weights", "first_order": 0.031, "total": 0.087, "first_order_ci": 0.026, "total_ci": 0.009},
    {"input": "aggregation", "first_order": 0.741, "total": 0.869, "first_order_ci": 0.069, "total_ci": 0.072},
    {"input": "treatment", "first_order": -0.005, "total": 0.012, "first_order_ci": 0.010, "total_ci": 0.002},
]
TIER_NAMES = {"leading": {"en": "Leading", "fr": "En tête", "ar": "رائدة"},
              "advancing": {"en": "Advancing", "fr": "En progression", "ar": "متقدمة"},
              "emerging": {"en": "Emerging", "fr": "Émergent", "ar": "ناشئة"}}


def add_robustness(edition: Edition) -> Edition:
    """Give the small edition what the robustness step stores: rank quantiles (:data:`RANK_QUANTILES`) on the
    index Score rows, convergence and sensitivity in ``analysis``, tier names and method in three languages, the
    divide note as ``note_text``, trends and peers (:data:`TRENDS`, :data:`PEERS`), the uncertainty recipe, and a coverage screening that drops a fourth framework
    indicator (ICT patents, 1 member of 4 with data: 25 % < 66 %)."""
    for iso3, (q05, med, q95) in RANK_QUANTILES.items():
        Score.objects.filter(edition=edition, economy__iso3=iso3, area="index").update(
            rank_q05=q05, median_rank=med, rank_q95=q95)
    methodology = dict(edition.methodology)
    methodology["coverage"] = {"indicator_min": 0.66, "unit_min": 0.66}
    areas = [dict(a) for a in methodology["areas"]]
    areas[1]["indicators"] = [*areas[1]["indicators"], {
        "code": "IP.PAT.RESD", "direction": 1, "weight": 1, "unit": "per million people", "source": "wdi",
        "name": {"en": "Patent applications", "fr": "Demandes de brevet", "ar": "طلبات البراءات"}}]
    methodology["areas"] = areas
    edition.methodology = methodology
    edition.recipe = {
        "coverage": [{"indicator": "IT.NET.USER.ZS", "kept": True, "share": 1.0, "reason": ""},
                     {"indicator": "IT.NET.BBND.P2", "kept": True, "share": 0.75, "reason": ""},
                     {"indicator": "HCI", "kept": True, "share": 1.0, "reason": ""},
                     {"indicator": "IP.PAT.RESD", "kept": False, "share": 0.25, "reason": "coverage 25.0% < 66%"}],
        "uncertainty": {"n_rep": 10000, "seed": 2024, "rank_interval": [0.05, 0.95]},
    }
    analysis = dict(edition.analysis)
    analysis["tiers"] = dict(analysis["tiers"], names=TIER_NAMES, method_text={
        "en": "fixed thresholds", "fr": "seuils fixes", "ar": "عتبات ثابتة"})
    analysis["divide"] = dict(analysis["divide"], note_text={
        "en": "Raw values, latest year in the window.", "fr": "Valeurs brutes, dernière année de la fenêtre.",
        "ar": "قيم خام، آخر سنة في النافذة."})
    analysis["convergence"] = CONVERGENCE
    analysis["sensitivity"] = SENSITIVITY
    # copies: a test may alter the edition's analysis in place
    analysis["trends"] = copy.deepcopy(TRENDS)
    analysis["peers"] = copy.deepcopy(PEERS)
    edition.analysis = analysis
    edition.save()
    return edition
