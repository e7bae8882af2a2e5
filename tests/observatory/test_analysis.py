"""Gap analysis, tiers and divide against hand-computed values."""
import numpy as np
import pandas as pd
import pytest

from dtforum.observatory.analysis import area_gaps, development_tiers, divide_summary


def test_area_gaps_hand_computed():
    scores = pd.DataFrame(
        {"connectivity": [80.0, 40.0, 60.0, np.nan], "index": [70.0, 30.0, 50.0, 10.0]},
        index=["JOR", "NER", "IDN", "SOM"],
    )
    groups = pd.DataFrame(
        {"income_group": ["Upper middle income", "Low income", "Upper middle income", "Low income"],
         "oic_group": ["arab", "african", "asian", "arab"]},
        index=scores.index,
    )
    gaps = area_gaps(scores, groups, {"connectivity": 55.0}).set_index(["iso3", "area"])
    # connectivity: OIC median of 80,40,60 = 60; best = 80.
    assert gaps.loc[("JOR", "connectivity"), "gap_oic_median"] == pytest.approx(20.0)
    assert gaps.loc[("NER", "connectivity"), "gap_oic_best"] == pytest.approx(-40.0)
    # JOR's income peers among members: JOR 80, IDN 60 -> median 70; gap 10.
    assert gaps.loc[("JOR", "connectivity"), "gap_income_median"] == pytest.approx(10.0)
    # JOR's OIC group (arab): JOR 80 and SOM NaN -> median 80; gap 0.
    assert gaps.loc[("JOR", "connectivity"), "gap_group_median"] == pytest.approx(0.0)
    assert gaps.loc[("IDN", "connectivity"), "gap_world_median"] == pytest.approx(5.0)
    # no score -> no gap; no world median for "index" -> NaN
    assert np.isnan(gaps.loc[("SOM", "connectivity"), "gap_oic_median"])
    assert np.isnan(gaps.loc[("JOR", "index"), "gap_world_median"])
    # index: median of 70,30,50,10 = 40
    assert gaps.loc[("SOM", "index"), "gap_oic_median"] == pytest.approx(-30.0)


def test_tiers_quartiles_and_unscored():
    s = pd.Series({"A": 10.0, "B": 20.0, "C": 30.0, "D": 40.0, "E": 50.0, "F": np.nan})
    tiers, spec = development_tiers(s)
    # quantiles (type 7) of 10..50: Q1=20, Q2=30, Q3=40
    assert spec["thresholds"] == [20.0, 30.0, 40.0]
    assert tiers.to_dict() == {"A": "emerging", "B": "developing", "C": "advancing", "D": "leading",
                               "E": "leading", "F": ""}
    assert spec["counts"] == {"leading": 2, "advancing": 1, "developing": 1, "emerging": 1}


def test_divide_summary_hand_computed():
    values = pd.Series({"JOR": 90.0, "NER": 20.0, "FRA": 85.0, "DEU": 92.0, "IND": 46.0})
    years = pd.Series({"JOR": 2022, "NER": 2021, "FRA": 2022, "DEU": 2022, "IND": 2021})
    d = divide_summary(values, years, ["JOR", "NER", "SOM"])
    assert d["world_median"] == 85.0  # median of 20,46,85,90,92
    assert d["oic_median"] == 55.0 and d["oic_min"] == 20.0 and d["oic_max"] == 90.0
    assert d["oic_p10"] == pytest.approx(27.0)  # 20 + 0.1 * 70
    assert d["members_below_world_median"] == 1
    assert [m["iso3"] for m in d["members"]] == ["JOR", "NER"]
    assert d["members"][1] == {"iso3": "NER", "value": 20.0, "source_year": 2021, "gap_to_world_median": -65.0}


def test_methodology_doc_lists_every_framework_indicator():
    from pathlib import Path

    import yaml

    root = Path(__file__).resolve().parents[2]
    doc = (root / "docs" / "methodology.md").read_text(encoding="utf-8")
    for path in (root / "methodology").glob("*.yaml"):
        fw = yaml.safe_load(path.read_text(encoding="utf-8"))
        for area in fw["areas"]:
            for ind in area["indicators"]:
                assert f"`{ind['code']}`" in doc, f"{ind['code']} of {path.name} is not documented"
                assert f"`{ind['source']}`" in doc, f"source {ind['source']} of {path.name} is not documented"
