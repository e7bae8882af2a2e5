"""Robustness step of the build (dtforum.observatory.robustness.analyse_robustness).

A small edition built by hand in the test database (six members, two comparison economies, two areas of two
indicators), then one slow test on the real snapshot.

Small edition, raw values of 2024 (direction +1 everywhere; a1 and b1 are annual series 2019-2024, a2 and b2
exist in 2024 only, like the one-off surveys of the real framework):

    unit  a1   a2    b1   b2     income group          OIC group  language   log GDP pc  log population
    JOR   90   0.90  12   95     Upper middle income   arab       Arabic     9.0         16.0
    TUR   70   0.60   9   60     Upper middle income   asian      Turkish    10.5        18.0
    MYS   75   0.50  10   65     Upper middle income   asian      Malay      10.5        17.5
    EGY   50   0.55   7   62     Lower middle income   arab       Arabic     9.5         18.5
    SEN   40   0.30   6   45     Lower middle income   african    French     8.0         16.5
    NER   10   0.10   2   20     Low income            african    French     7.0         17.0

a1 in year y is a1(2024) - 4 (2024 - y); b1(y) = b1(2024) - 0.5 (2024 - y). No value is missing and no
indicator has |skewness| > 2, so imputation and treatment change nothing; JOR is strictly the highest and NER
strictly the lowest on every indicator.
"""
from __future__ import annotations

import math

import pandas as pd
import pytest

from compindex import Framework, run_index
from dtforum.members.models import Economy
from dtforum.observatory import robustness
from dtforum.observatory.models import Edition, Indicator, Observation, Score, Source
from dtforum.observatory.robustness import RobustnessError, analyse_robustness, peer_context
from dtforum.observatory.services import EditionResult

FRAMEWORK = {
    "edition": "2024", "reference_year": 2024, "window": 5,
    "stages": {"imputation": {"method": "group_mean", "group": "income_group", "fallback": "median"},
               "normalisation": {"method": "minmax", "low": 0, "high": 100},
               "aggregation": {"indicators": "arithmetic", "areas": "arithmetic"}},
    "areas": [{"code": "a", "indicators": [{"code": "a1", "direction": 1}, {"code": "a2", "direction": 1}]},
              {"code": "b", "indicators": [{"code": "b1", "direction": 1}, {"code": "b2", "direction": 1}]}],
}
MEMBERS = {  # iso3: (income group, OIC group, a1, a2, b1, b2, log GDP pc, log population)
    "JOR": ("Upper middle income", "arab", 90, 0.90, 12, 95, 9.0, 16.0),
    "TUR": ("Upper middle income", "asian", 70, 0.60, 9, 60, 10.5, 18.0),
    "MYS": ("Upper middle income", "asian", 75, 0.50, 10, 65, 10.5, 17.5),
    "EGY": ("Lower middle income", "arab", 50, 0.55, 7, 62, 9.5, 18.5),
    "SEN": ("Lower middle income", "african", 40, 0.30, 6, 45, 8.0, 16.5),
    "NER": ("Low income", "african", 10, 0.10, 2, 20, 7.0, 17.0),
}
COMPARISON = {"FRA": (95, 14), "BRA": (60, 8)}  # a1, b1 in 2024, same yearly steps
YEARS = range(2019, 2025)


def build_small_edition() -> EditionResult:
    """Store the economies, observations and computed edition described in the module docstring."""
    source = Source.objects.create(code="bipa.wb_wdi_2024", publisher="World Bank", title="WDI", path="x")
    ind = {c: Indicator.objects.create(code=c, name_en=c, source=source)
           for c in ("a1", "a2", "b1", "b2", "NY.GDP.PCAP.PP.CD", "SP.POP.TOTL")}
    obs = []

    def add(eco, code, year, value):
        obs.append(Observation(economy=eco, indicator=ind[code], source=source, year=year, value=float(value)))

    for iso3, (income, group, a1, a2, b1, b2, gdp, pop) in MEMBERS.items():
        eco = Economy.objects.create(iso3=iso3, kind=Economy.Kind.MEMBER, name_en=iso3, name_fr=iso3,
                                     name_ar=iso3, income_group=income, oic_group=group)
        for y in YEARS:
            add(eco, "a1", y, a1 - 4 * (2024 - y))
            add(eco, "b1", y, b1 - 0.5 * (2024 - y))
        add(eco, "a2", 2024, a2)
        add(eco, "b2", 2024, b2)
        add(eco, "NY.GDP.PCAP.PP.CD", 2022, math.exp(gdp))
        add(eco, "SP.POP.TOTL", 2023, math.exp(pop))
    for iso3, (a1, b1) in COMPARISON.items():
        eco = Economy.objects.create(iso3=iso3, kind=Economy.Kind.COMPARISON, name_en=iso3, name_fr=iso3,
                                     name_ar=iso3, income_group="High income")
        for y in YEARS:
            add(eco, "a1", y, a1 - 4 * (2024 - y))
            add(eco, "b1", y, b1 - 0.5 * (2024 - y))
    Observation.objects.bulk_create(obs)

    fw = Framework.from_dict(FRAMEWORK)
    panel = pd.DataFrame([(o.economy.iso3, o.indicator.code, o.year, o.value) for o in obs
                          if o.economy.kind == Economy.Kind.MEMBER], columns=["unit", "indicator", "year", "value"])
    groups = pd.DataFrame({"income_group": [v[0] for v in MEMBERS.values()],
                           "oic_group": [v[1] for v in MEMBERS.values()]}, index=list(MEMBERS))
    run = run_index(panel, fw, groups=groups)
    edition = Edition.objects.create(code="2024", reference_year=2024, methodology=FRAMEWORK,
                                     recipe={"recipe": "kept"}, analysis={"tiers": "kept"})
    economies = {e.iso3: e for e in Economy.objects.filter(kind=Economy.Kind.MEMBER)}
    Score.objects.bulk_create(
        Score(edition=edition, economy=economies[u], area=area, score=run.tables["scores"].at[u, area],
              rank=int(run.tables["ranks"].at[u, area]))
        for u in MEMBERS for area in ("a", "b", "index"))
    return EditionResult(edition=edition, framework=fw, run=run, comparison={}, gaps=pd.DataFrame())


@pytest.fixture
def small(db, tmp_path):
    result = build_small_edition()
    paths = analyse_robustness(result, tmp_path / "out", n_rep=2000, seed=7)
    return result, paths, tmp_path / "out"


def test_files_have_the_documented_columns(small):
    _, paths, out = small
    assert [p.name for p in paths] == ["uncertainty.csv", "sensitivity.csv", "audit.xlsx", "trends.csv",
                                       "convergence.csv", "peers.csv"]
    for name, columns in [("uncertainty.csv", robustness.UNCERTAINTY_COLUMNS),
                          ("sensitivity.csv", robustness.SENSITIVITY_COLUMNS),
                          ("trends.csv", robustness.TRENDS_COLUMNS),
                          ("convergence.csv", robustness.CONVERGENCE_COLUMNS),
                          ("peers.csv", robustness.PEERS_COLUMNS)]:
        assert list(pd.read_csv(out / name, nrows=0).columns) == columns, name
    assert robustness.UNCERTAINTY_COLUMNS == ["iso3", "area", "nominal_rank", "median_rank", "rank_q05",
                                              "rank_q95"]
    assert robustness.SENSITIVITY_COLUMNS == ["input", "first_order", "total", "first_order_ci", "total_ci"]
    sheets = pd.read_excel(out / "audit.xlsx", sheet_name=None)
    assert list(sheets) == ["about", *robustness.AUDIT_SHEETS]
    # PCA sheet: one row per area and the index; two indicators per area.
    pca = sheets["pca_alpha"].set_index(sheets["pca_alpha"].columns[0])
    assert list(pca.index) == ["a", "b", "index"] and pca.loc["a", "n_components"] == 2


def test_dominant_and_dominated_members_never_move(small):
    # JOR is strictly highest on every indicator: every normalisation alternative (min-max, rank) is increasing
    # and every aggregation a mean with positive weights, so JOR is first in every replication, NER last (6th).
    _, _, out = small
    u = pd.read_csv(out / "uncertainty.csv")
    assert len(u) == 6 * 3 and list(u["area"].unique()) == ["index", "a", "b"]
    for area in ("index", "a", "b"):
        rows = u[u["area"] == area].set_index("iso3")
        assert rows.loc["JOR", ["nominal_rank", "median_rank", "rank_q05", "rank_q95"]].tolist() == [1, 1, 1, 1]
        assert rows.loc["NER", ["nominal_rank", "median_rank", "rank_q05", "rank_q95"]].tolist() == [6, 6, 6, 6]
        assert (rows["rank_q05"] <= rows["median_rank"]).all() and (rows["median_rank"] <= rows["rank_q95"]).all()
    # Area a, TUR (2nd) against MYS (3rd): min-max a1 75 vs 81.25, a2 62.5 vs 50, so TUR - MYS = -6.25 w1 + 12.5 w2
    # > 0 whenever w2/w1 > 0.5, and weight factors in [0.75, 1.25] keep w2/w1 >= 0.6; rank normalisation:
    # (4 + 5)/2 = 4.5 vs (5 + 3)/2 = 4; geometric on [1, 100]: sqrt(75.25 * 62.875) = 68.8 vs sqrt(81.44 * 50.5)
    # = 64.1. EGY (53.1) is far below. So TUR is 2nd in area a in every replication.
    a = u[u["area"] == "a"].set_index("iso3")
    assert a.loc["TUR", ["nominal_rank", "rank_q05", "rank_q95"]].tolist() == [2, 2, 2]


def test_rank_intervals_stored_in_score_rows_and_recipe(small):
    result, _, out = small
    u = pd.read_csv(out / "uncertainty.csv").set_index(["iso3", "area"])
    rows = Score.objects.filter(edition=result.edition).select_related("economy")
    assert rows.count() == 18
    for s in rows:
        r = u.loc[(s.economy.iso3, s.area)]
        assert s.rank == r["nominal_rank"]
        assert (s.median_rank, s.rank_q05, s.rank_q95) == (r["median_rank"], r["rank_q05"], r["rank_q95"])
    edition = Edition.objects.get(code="2024")
    spec = edition.recipe["uncertainty"]
    assert edition.recipe["recipe"] == "kept" and edition.analysis["tiers"] == "kept"
    assert spec["n_rep"] == 2000 and spec["seed"] == 7 and spec["spec"]["weights"] == 0.25
    assert spec["labels"]["imputation"] == ["group_mean", "median", "knn", "none"]
    assert spec["sensitivity"]["n_runs"] == robustness.SOBOL_N_BASE * 7  # N (k + 2), k = 5 inputs
    assert [r["input"] for r in edition.analysis["sensitivity"]] == ["weights", "normalisation", "aggregation",
                                                                     "imputation", "treatment"]


def test_sensitivity_of_inputs_that_change_nothing_is_zero(small):
    # No missing value: the four imputation alternatives give identical tables; no indicator is flagged for
    # outliers: treatment on/off identical. The model output does not depend on them, so SALib's estimators
    # (differences f(A_B^i) - f(A)) are exactly 0.
    _, _, out = small
    s = pd.read_csv(out / "sensitivity.csv").set_index("input")
    assert s.loc["imputation", "first_order"] == 0 and s.loc["imputation", "total"] == 0
    assert s.loc["treatment", "first_order"] == 0 and s.loc["treatment", "total"] == 0
    assert s.loc[["weights", "normalisation", "aggregation"], "total"].gt(0).all()


def test_trends_on_the_common_indicators_hand_computed(small):
    # Common indicators over 2019-2024: a1 and b1 (a2, b2 exist in 2024 only). Fixed goalposts = the 2024
    # members' min and max: a1 in [10, 90], b1 in [2, 12]. TUR area a: 2019 a1 = 70 - 20 = 50 -> (50-10)/80*100
    # = 50; 2024: (70-10)/80*100 = 75. CAGR = (75/50)^(1/5) - 1 = 0.0844717712.
    result, _, out = small
    t = pd.read_csv(out / "trends.csv")
    tur = t[(t["iso3"] == "TUR") & (t["area"] == "a")].set_index("year")
    assert tur.loc[2019, "score"] == pytest.approx(50.0) and tur.loc[2024, "score"] == pytest.approx(75.0)
    assert tur["cagr"].iloc[0] == pytest.approx(1.5 ** 0.2 - 1, rel=1e-5)
    assert set(t["group"]) == {"member", "comparison"} and sorted(t["year"].unique()) == list(YEARS)
    # sigma-convergence, members, area a, 2024: scores 100, 75, 81.25, 50, 37.5, 0 (JOR..NER);
    # mean 343.75/6 = 57.291667, sum of squared deviations 6438.802083, sd = sqrt(6438.802083/5) = 35.885379.
    conv = result.edition.analysis["convergence"]
    assert Edition.objects.get(code="2024").analysis["convergence"] == conv
    sigma = conv["sigma"]["members"]["a"]
    assert sigma["year"] == list(YEARS)
    assert sigma["sd"][-1] == pytest.approx(35.885379, abs=1e-5)
    assert conv["indicators"] == ["a1", "b1"] and conv["years"] == list(YEARS) and conv["static_indicators"] == {}
    # beta: NER's 2019 index is 0 (a1 = -10 and b1 = -0.5 are below the 2024 goalposts), log 0 undefined: 8 - 1.
    assert set(conv["beta"]) == {"members", "world"} and conv["beta"]["world"]["index"]["n"] == 7
    c = pd.read_csv(out / "convergence.csv")
    row = c[(c["measure"] == "sigma") & (c["population"] == "members") & (c["area"] == "a") & (c["year"] == 2024)]
    assert row["sd"].item() == pytest.approx(35.885379, abs=1e-4)


def test_peers_hand_computed_gower_distance_and_reasons(small):
    # Gower over income, OIC group, language (categorical) and log GDP pc (range 10.5 - 7 = 3.5), log population
    # (range 18.5 - 16 = 2.5). NER-SEN: (1 + 0 + 0 + 1/3.5 + 0.5/2.5) / 5 = 0.2971429.
    # NER-JOR: (1 + 1 + 1 + 2/3.5 + 1/2.5) / 5 = 0.7942857; NER-MYS: (1 + 1 + 1 + 3.5/3.5 + 0.5/2.5) / 5 = 0.84;
    # NER-EGY: (1 + 1 + 1 + 2.5/3.5 + 1.5/2.5) / 5 = 0.8628571; NER-TUR: (3 + 1 + 1/2.5) / 5 = 0.88.
    # NER is last everywhere, every other member scores >= 10 points more: the 3 nearest are SEN, JOR, MYS.
    result, _, out = small
    p = pd.read_csv(out / "peers.csv")
    ner = p[(p["iso3"] == "NER") & (p["area"] == "index")]
    assert ner["peer_iso3"].tolist() == ["SEN", "JOR", "MYS"]
    assert ner["distance"].tolist() == pytest.approx([0.2971429, 0.7942857, 0.84], abs=1e-6)
    assert ner["reasons"].iloc[0] == "same oic_group (african); same language (French)"
    scores = result.run.tables["scores"]["index"]
    assert ner["score_gap"].iloc[0] == pytest.approx(scores["SEN"] - scores["NER"], abs=1e-4)
    assert p[(p["iso3"] == "JOR")].empty  # nobody scores 10 points above the best


@pytest.mark.usefixtures("small")
def test_members_trends_stored_with_the_edition():
    # Members only (FRA, BRA left out), every member and level, one score per year, rounded to 4 decimals.
    # Fixed goalposts a1 in [10, 90], b1 in [2, 12] (see the trends test). TUR: a1(y) = 70 - 4 (2024 - y) ->
    # a = (a1 - 10) / 80 * 100 = 50, 55, ..., 75; b1(y) = 9 - 0.5 (2024 - y) -> b = (b1 - 2) / 10 * 100 = 45, 50,
    # ..., 70; index = (a + b) / 2 = 47.5, ..., 72.5. CAGR over 5 years: a (75/50)^(1/5) - 1 = 0.084472 -> 0.0845;
    # b (70/45)^(1/5) - 1 = 0.092388 -> 0.0924; index (72.5/47.5)^(1/5) - 1 = 0.088250 -> 0.0883.
    # NER is below the 2024 goalposts before 2024 and at the minimum in 2024: 0 every year, CAGR undefined.
    trends = Edition.objects.get(code="2024").analysis["trends"]
    assert set(trends) == {"years", "areas", "members", "cagr", "indicators", "static_indicators"}
    assert trends["years"] == list(YEARS) and trends["areas"] == ["a", "b", "index"]
    assert trends["indicators"] == ["a1", "b1"] and trends["static_indicators"] == {}
    assert set(trends["members"]) == set(trends["cagr"]) == set(MEMBERS)
    assert trends["members"]["TUR"] == {"a": [50.0, 55.0, 60.0, 65.0, 70.0, 75.0],
                                        "b": [45.0, 50.0, 55.0, 60.0, 65.0, 70.0],
                                        "index": [47.5, 52.5, 57.5, 62.5, 67.5, 72.5]}
    assert trends["cagr"]["TUR"] == {"a": 0.0845, "b": 0.0924, "index": 0.0883}
    # MYS: a1 75 -> 81.25 in 2024, 55 -> 56.25 in 2019; b1 10 -> 80, 7.5 -> 55; index (55.625 ... 80.625).
    assert trends["members"]["MYS"]["index"] == [55.625, 60.625, 65.625, 70.625, 75.625, 80.625]
    assert trends["members"]["NER"]["index"] == [0.0] * 6 and trends["cagr"]["NER"]["index"] is None


def test_members_peers_stored_with_the_edition_and_translated(small):
    # The rows of peers.csv, best first, floats to 4 decimals. NER, index (distances in the peers test; 2024 index
    # scores, min-max over the members: NER 0, SEN (31.25 + 36.6667) / 2 = 33.9583, JOR 100,
    # MYS (65.625 + 70) / 2 = 67.8125): gaps 33.9583, 100, 67.8125.
    _, _, out = small
    peers = Edition.objects.get(code="2024").analysis["peers"]
    assert set(peers) == set(MEMBERS) and all(set(v) == {"index", "a", "b"} for v in peers.values())
    assert peers["JOR"] == {"index": [], "a": [], "b": []}
    ner = peers["NER"]["index"]
    assert [(r["peer"], r["distance"], r["score_gap"]) for r in ner] == [
        ("SEN", 0.2971, 33.9583), ("JOR", 0.7943, 100.0), ("MYS", 0.84, 67.8125)]
    assert ner[0]["reasons"] == ["same oic_group (african)", "same language (French)"]
    assert ner[0]["reasons_text"] == {
        "en": ["same OIC group (African group)", "same official language (French)"],
        "fr": ["même groupe de l'OCI (groupe africain)", "même langue officielle (français)"],
        "ar": ["نفس مجموعة منظمة التعاون الإسلامي (المجموعة الأفريقية)", "نفس اللغة الرسمية (الفرنسية)"]}
    assert ner[1]["reasons"] == [] and ner[1]["reasons_text"] == {"en": [], "fr": [], "ar": []}
    # MYS and JOR share only the income group (log GDP pc 10.5 vs 9, 1.5 / 3.5 = 43 % of the range: not similar).
    assert peers["MYS"]["b"] == [{
        "peer": "JOR", "distance": 0.6057, "score_gap": 30.0, "reasons": ["same income_group (Upper middle income)"],
        "reasons_text": {"en": ["same income group (upper middle income)"],
                         "fr": ["même groupe de revenu (revenu intermédiaire, tranche supérieure)"],
                         "ar": ["نفس فئة الدخل (دخل متوسط أعلى)"]}}]
    csv = pd.read_csv(out / "peers.csv")
    assert sum(len(rows) for v in peers.values() for rows in v.values()) == len(csv) == 32


def test_reason_text_covers_the_context_and_names_what_is_missing():
    assert robustness.reason_text("similar log_gdp_pc")["fr"] == "PIB par habitant (PPA) proche"
    assert robustness.reason_text("similar log_population")["en"] == "similar population size"
    assert robustness.reason_text("same language (Arabic)")["ar"] == "نفس اللغة الرسمية (العربية)"
    # Every first official language of the members and every World Bank income group has its words.
    languages = set(robustness.read_languages()["language"])
    assert languages <= set(robustness.REASON_VALUES["language"])
    assert set(robustness.REASON_VALUES["income_group"]) == {"Low income", "Lower middle income",
                                                             "Upper middle income", "High income"}
    with pytest.raises(RobustnessError, match=r"language value 'Klingon' has no translation in "
                                              r"robustness.REASON_VALUES"):
        robustness.reason_text("same language (Klingon)")
    with pytest.raises(RobustnessError, match=r"'similar gdp': no template in robustness.REASON_TEMPLATES"):
        robustness.reason_text("similar gdp")


def test_context_reads_the_store_and_the_languages_file(db):
    build_small_edition()
    ctx = peer_context(list(MEMBERS), 2024, 5)
    assert list(ctx.columns) == ["income_group", "oic_group", "language", "log_gdp_pc", "log_population"]
    assert ctx.loc["TUR", "language"] == "Turkish" and ctx.loc["SEN", "language"] == "French"
    assert ctx.loc["EGY", "log_gdp_pc"] == pytest.approx(9.5) and ctx.loc["NER", "log_population"] == pytest.approx(17)
    langs = robustness.read_languages()
    assert len(langs) == 57 and langs.loc["CMR", "official_languages"] == "English;French"


def test_context_takes_the_latest_year_and_the_preferred_source_on_a_tie(db):
    # Stored GDP per capita: every member in 2022 from bipa.wb_wdi_2024 (the preferred source). Added from another
    # source: EGY 2022 (same year: the preferred value, log 9.5, stays), TUR 2023 (later: wins, log 11),
    # SEN 2025 (after the reference year: ignored, log 8 stays).
    build_small_edition()
    other = Source.objects.create(code="imf.weo", publisher="IMF", title="WEO", path="y")
    gdp = Indicator.objects.get(code="NY.GDP.PCAP.PP.CD")
    economies = {e.iso3: e for e in Economy.objects.filter(iso3__in=["EGY", "TUR", "SEN"])}
    Observation.objects.bulk_create([
        Observation(economy=economies["EGY"], indicator=gdp, source=other, year=2022, value=math.exp(12)),
        Observation(economy=economies["TUR"], indicator=gdp, source=other, year=2023, value=math.exp(11)),
        Observation(economy=economies["SEN"], indicator=gdp, source=other, year=2025, value=math.exp(13)),
    ])
    ctx = peer_context(list(MEMBERS), 2024, 5)
    assert ctx["log_gdp_pc"].round(6).to_dict() == {"JOR": 9.0, "TUR": 11.0, "MYS": 10.5, "EGY": 9.5, "SEN": 8.0,
                                                    "NER": 7.0}


def test_bad_input_raises_before_anything_is_written(db, tmp_path):
    result = build_small_edition()
    with pytest.raises(RobustnessError, match="n_rep: expected a positive number of replications, got 0"):
        analyse_robustness(result, tmp_path / "out", n_rep=0)
    assert not (tmp_path / "out").exists()
    bad = tmp_path / "languages.csv"
    bad.write_text("iso3,language,official_languages\nJOR,Arabic,Arabic\n", encoding="utf-8")
    with pytest.raises(RobustnessError, match=r"languages.csv: no row for member\(s\) \['TUR', 'MYS'"):
        peer_context(list(MEMBERS), 2024, 5, languages=bad)
    Observation.objects.filter(indicator__code="NY.GDP.PCAP.PP.CD").delete()
    with pytest.raises(RobustnessError, match="indicator NY.GDP.PCAP.PP.CD: no observation for the members"):
        peer_context(list(MEMBERS), 2024, 5)
    assert Score.objects.exclude(median_rank=None).count() == 0


@pytest.mark.slow
@pytest.mark.django_db
def test_real_edition(ingested_snapshot, django_db_blocker, tmp_path):
    from dtforum.observatory.services import compute_edition

    with django_db_blocker.unblock():
        result = compute_edition("2024")
        try:
            paths = analyse_robustness(result, tmp_path)
            rows = list(Score.objects.filter(edition=result.edition).values(
                "economy__iso3", "area", "rank", "median_rank", "rank_q05", "rank_q95"))
            edition = Edition.objects.get(code="2024")
        finally:
            Edition.objects.all().delete()
    assert len(rows) == 57 * 8
    assert all(r["rank_q05"] <= r["median_rank"] <= r["rank_q95"] for r in rows)
    index = [r for r in rows if r["area"] == "index"]
    inside = sum(r["rank_q05"] <= r["rank"] <= r["rank_q95"] for r in index)
    assert inside >= 0.9 * 57
    u = pd.read_csv(tmp_path / "uncertainty.csv")
    assert list(u.columns) == robustness.UNCERTAINTY_COLUMNS and len(u) == 57 * 8
    s = pd.read_csv(tmp_path / "sensitivity.csv")
    assert list(s.columns) == robustness.SENSITIVITY_COLUMNS
    assert s["input"].tolist() == ["weights", "normalisation", "aggregation", "imputation", "treatment"]
    # Indices are shares of variance: in [0, 1] up to the estimators' bootstrap noise; total >= first order.
    assert (s["first_order"] >= -s["first_order_ci"] - 0.02).all() and (s["total"] <= 1 + s["total_ci"]).all()
    assert (s["total"] + s["total_ci"] >= s["first_order"] - s["first_order_ci"]).all()
    assert sum(s["total"]) >= 0.9  # with interactions, total indices sum to at least 1 (up to noise)
    t = pd.read_csv(tmp_path / "trends.csv")
    assert sorted(t["year"].unique()) == list(range(2019, 2025))
    assert t[t["group"] == "member"]["iso3"].nunique() == 57
    conv = edition.analysis["convergence"]
    assert conv["years"] == list(range(2019, 2025)) and "connectivity" in conv["sigma"]["members"]
    assert len(conv["sigma"]["world"]["index"]["sd"]) == 6 and conv["beta"]["members"]["index"]["n"] == 57
    # Secure Internet servers (OWID copy, last year 2017, window 7): the same value in every panel year.
    assert conv["static_indicators"] == {"IT.NET.SECR.P6": 2017}
    # Member pages: trends and peers stored with the edition, members only.
    trends = edition.analysis["trends"]
    assert trends["years"] == list(range(2019, 2025)) and trends["areas"][-1] == "index"
    assert len(trends["areas"]) == 8 and len(trends["members"]) == len(trends["cagr"]) == 57
    assert all(len(v[a]) == 6 for v in trends["members"].values() for a in trends["areas"])
    assert trends["indicators"] == conv["indicators"] and trends["static_indicators"] == {"IT.NET.SECR.P6": 2017}
    row = t[(t["iso3"] == "TUR") & (t["area"] == "index") & (t["year"] == 2024)]
    assert trends["members"]["TUR"]["index"][-1] == pytest.approx(row["score"].item(), abs=1e-4)
    stored = edition.analysis["peers"]
    p = pd.read_csv(tmp_path / "peers.csv")
    assert len(stored) == 57 and sum(len(r) for v in stored.values() for r in v.values()) == len(p)
    assert all(len(r["reasons_text"][lang]) == len(r["reasons"]) for v in stored.values() for rows in v.values()
               for r in rows for lang in ("en", "fr", "ar"))
    assert list(p.columns) == robustness.PEERS_COLUMNS
    assert (p["score_gap"] >= robustness.PEER_MARGIN).all() and p["distance"].between(0, 1).all()
    assert p["iso3"].nunique() >= 50
    sheets = pd.read_excel(tmp_path / "audit.xlsx", sheet_name=None)
    assert len(sheets["indicator_statistics"]) == len(result.run.tables["normalised"].columns)
    assert [x.name for x in paths][-1] == "peers.csv"
