"""The edition computed from the real snapshot: values recomputed independently from the publisher's file."""
from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
import yaml

from dtforum.members.countries import OIC_MEMBERS
from dtforum.observatory.exports import write_tables
from dtforum.observatory.models import Edition, Score
from dtforum.observatory.services import EditionError, compute_edition

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

AREAS = ["connectivity", "skills", "government", "data", "resilience", "emerging_tech", "economy"]


@pytest.fixture(scope="module")
def edition(ingested_snapshot, django_db_blocker):
    with django_db_blocker.unblock():
        result = compute_edition("2024")
        yield result
        Edition.objects.all().delete()


def _internet_users_from_file(data_dir: Path) -> dict[str, tuple[float, int]]:
    """Latest non-empty IT.NET.USER.ZS value in 2019-2024 per member, read with the csv module alone."""
    with open(data_dir / "wdi_api" / "API_IT.NET.USER.ZS_DS2_en_csv_v2_2160.csv", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    years = {i: int(h) for i, h in enumerate(header) if h.isdigit() and 2019 <= int(h) <= 2024}
    out = {}
    for row in rows[1:]:
        if row[1] in OIC_MEMBERS:
            found = [(years[i], float(row[i])) for i in sorted(years) if i < len(row) and row[i] != ""]
            if found:
                year, value = found[-1]
                out[row[1]] = (value, year)
    return out


def test_every_member_ranked_in_every_area(edition):
    scores = Score.objects.filter(edition=edition.edition)
    assert scores.count() == 57 * (len(AREAS) + 1)
    index = scores.filter(area="index")
    assert index.exclude(rank=None).count() == 57
    assert min(index.values_list("rank", flat=True)) == 1
    assert all(0 <= s <= 100 for s in scores.values_list("score", flat=True))


def test_internet_users_selected_and_normalised_as_recomputed_from_file(edition, data_dir):
    expected = _internet_users_from_file(data_dir)
    t = edition.run.tables
    # JOR: 2023 empty, 2022 = 90.5 in the file -> the value of 2022 is used.
    assert expected["JOR"] == (90.5, 2022)
    assert t["raw"].at["JOR", "IT.NET.USER.ZS"] == pytest.approx(90.5)
    assert t["source_year"].at["JOR", "IT.NET.USER.ZS"] == 2022
    for iso3, (value, year) in expected.items():
        assert t["raw"].at[iso3, "IT.NET.USER.ZS"] == pytest.approx(value), iso3
        assert t["source_year"].at[iso3, "IT.NET.USER.ZS"] == year, iso3
    # Not skewed enough to be treated, so min-max over the members' observed values (imputed ones lie
    # between group values and cannot move the bounds).
    assert not t["treated_flag"]["IT.NET.USER.ZS"].any()
    values = pd.Series({k: v for k, (v, _) in expected.items()})
    lo, hi = values.min(), values.max()
    assert t["normalised"].at["JOR", "IT.NET.USER.ZS"] == pytest.approx((90.5 - lo) / (hi - lo) * 100)
    missing = sorted(set(OIC_MEMBERS) - set(expected))
    assert missing and all(t["imputed"].at[m, "IT.NET.USER.ZS"] for m in missing)


def test_low_coverage_indicators_screened_out(edition):
    coverage = edition.run.coverage
    # R&D expenditure: 28 of 57 members in 2019-2024 = 49 % < 66 % (JRC threshold)
    assert not coverage.at["GB.XPD.RSDV.GD.ZS", "kept"]
    assert coverage.at["GB.XPD.RSDV.GD.ZS", "n_units"] == 28
    assert coverage.at["IT.NET.USER.ZS", "kept"]


def test_gaps_are_score_minus_reference(edition):
    scores = pd.DataFrame(list(Score.objects.filter(edition=edition.edition, area="connectivity").values(
        "economy__iso3", "score", "gap_oic_median", "gap_oic_best", "gap_world_median")))
    median, best = scores["score"].median(), scores["score"].max()
    row = scores.set_index("economy__iso3").loc["JOR"]
    assert row["gap_oic_median"] == pytest.approx(row["score"] - median, abs=1e-3)
    assert row["gap_oic_best"] == pytest.approx(row["score"] - best, abs=1e-3)
    world = edition.edition.analysis["world_medians"]["connectivity"]
    assert row["gap_world_median"] == pytest.approx(row["score"] - world, abs=1e-3)


def test_connectivity_divide_from_file(edition, data_dir):
    divide = {d["code"]: d for d in edition.edition.analysis["divide"]["indicators"]}
    internet = divide["IT.NET.USER.ZS"]
    expected = _internet_users_from_file(data_dir)
    assert internet["n_members"] == len(expected)
    assert internet["oic_median"] == pytest.approx(pd.Series([v for v, _ in expected.values()]).median())
    assert internet["oic_max"] == pytest.approx(max(v for v, _ in expected.values()))


def test_tables_written(edition, tmp_path):
    files = write_tables(edition.edition, tmp_path)
    assert {f.name for f in files} == {"scores.csv", "indicators.csv", "framework.csv", "results.xlsx"}
    scores = pd.read_csv(tmp_path / "scores.csv")
    assert list(scores.columns) == ["iso3", "area", "score", "rank"]
    assert len(scores) == 57 * 8 and set(scores["area"]) == set(AREAS) | {"index"}
    indicators = pd.read_csv(tmp_path / "indicators.csv", keep_default_na=False, na_values=[""])
    assert list(indicators.columns) == ["iso3", "indicator", "raw_value", "source_year", "imputed", "treated",
                                        "normalised_value"]
    jor = indicators[(indicators.iso3 == "JOR") & (indicators.indicator == "IT.NET.USER.ZS")].iloc[0]
    assert (jor.raw_value, jor.source_year, bool(jor.imputed)) == (90.5, 2022, False)
    framework = pd.read_csv(tmp_path / "framework.csv")
    # C03: the direction used per indicator is shown in the export.
    assert set(framework["direction"]) <= {1, -1} and "direction" in framework.columns
    rd = framework.set_index("indicator").loc["GB.XPD.RSDV.GD.ZS"]
    assert (rd["members_with_data"], bool(rd["kept"])) == (28, False) and "66%" in rd["reason"]
    sheets = pd.read_excel(tmp_path / "results.xlsx", sheet_name=None)
    assert {"ranking", "scores_and_gaps", "indicators", "framework", "الترتيب"} <= set(sheets)
    assert sheets["ranking"]["index_rank"].iloc[0] == 1


def _write_framework(folder: Path, mutate) -> None:
    raw = yaml.safe_load((Path(__file__).resolve().parents[2] / "methodology" / "2024.yaml").read_text())
    mutate(raw)
    (folder / "2024.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda fw: fw["areas"][0]["indicators"][0].update(code="NOT.A.CODE"), "NOT.A.CODE"),
        (lambda fw: fw["areas"][1]["indicators"][0].update(weight="abc"), "expected a positive number, got 'abc'"),
        (lambda fw: fw["areas"][2]["indicators"][1].update(direction="neg"), "direction"),
    ],
    ids=["unknown-indicator", "weight-not-a-number", "bad-direction"],
)
def test_bad_framework_stops_and_stores_nothing(ingested_snapshot, settings, tmp_path, mutate, message):
    _write_framework(tmp_path, mutate)
    settings.DTFORUM_METHODOLOGY_DIR = tmp_path
    before = (Edition.objects.count(), Score.objects.count())
    with pytest.raises(EditionError) as err:
        compute_edition("2024")
    assert message in str(err.value) and "2024.yaml" in str(err.value)
    assert (Edition.objects.count(), Score.objects.count()) == before


def test_missing_framework_file_names_it(settings, tmp_path):
    settings.DTFORUM_METHODOLOGY_DIR = tmp_path
    with pytest.raises(EditionError, match=r"2031\.yaml: framework file not found"):
        compute_edition("2031")
