"""The main job is all or nothing: database and output folder are left as they were whatever fails."""
from __future__ import annotations

import copy

import pytest
import yaml

from dtforum.observatory.build import BuildError, build_edition
from dtforum.observatory.models import Edition, Observation, Score
from dtforum.observatory.services import EditionError

pytestmark = pytest.mark.django_db(transaction=True)

MOBILE = "IT.CEL.SETS.P2"


@pytest.fixture
def folders(settings, tmp_path):
    methodology = tmp_path / "methodology"
    methodology.mkdir()
    settings.DTFORUM_METHODOLOGY_DIR = methodology
    settings.DTFORUM_OUT_DIR = tmp_path / "out"
    return methodology


def _write(folder, edition: str, framework: dict) -> None:
    (folder / f"{edition}.yaml").write_text(yaml.safe_dump({**framework, "edition": edition}, allow_unicode=True),
                                            encoding="utf-8")


def _build(edition: str, **options):
    return build_edition(edition, sources=[f"wdi_api.{MOBILE}"], robustness=False, pdf_languages=(), **options)


def test_build_publishes_a_complete_folder_and_leaves_no_staging(folders, tmp_path, mobile_framework):
    _write(folders, "t1", mobile_framework)
    summary = _build("t1")
    out = tmp_path / "out" / "t1"
    assert summary["ranked"] == 57 and summary["out_dir"] == str(out)
    assert {"scores.csv", "indicators.csv", "report.en.html"} <= {p.name for p in out.iterdir()}
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["t1"]  # no staging or backup folder left
    # A second build replaces the folder whole: a stray file of the previous one is gone.
    (out / "stale.txt").write_text("old")
    _build("t1", ingest=False)
    assert not (out / "stale.txt").exists() and (out / "scores.csv").exists()


def test_missing_framework_stops_before_the_ingest(folders):
    with pytest.raises(EditionError, match=r"2099\.yaml: framework file not found"):
        _build("2099")
    assert Observation.objects.count() == 0


def test_compute_failure_rolls_back_the_fresh_ingest(folders, tmp_path, mobile_framework):
    _write(folders, "t1", mobile_framework)
    _build("t1")
    before = (Observation.objects.count(), list(Score.objects.order_by("id").values_list("score", flat=True)))
    # Valid file, but the indicator's source is not among the sources ingested: the ingest runs, the
    # computation then refuses, and the ingest must be undone with it.
    broken = copy.deepcopy(mobile_framework)
    broken["areas"][0]["indicators"][0]["source"] = "wdi_api.IT.NET.USER.ZS"
    _write(folders, "t2", broken)
    Observation.objects.filter(indicator__code=MOBILE, economy__iso3="JOR").update(value=-1.0)
    with pytest.raises(EditionError, match="wdi_api.IT.NET.USER.ZS"):
        _build("t2")
    assert Observation.objects.filter(indicator__code=MOBILE, economy__iso3="JOR", value=-1.0).exists()
    assert (Observation.objects.count(),
            list(Score.objects.order_by("id").values_list("score", flat=True))) == before
    assert not Edition.objects.filter(code="t2").exists()


def test_output_folder_that_is_a_file_is_refused_before_anything_is_stored(folders, tmp_path, mobile_framework):
    _write(folders, "t1", mobile_framework)
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the output folder should be")
    with pytest.raises(BuildError, match=r"blocked: expected an output folder"):
        _build("t1", out_dir=blocker)
    assert Observation.objects.count() == 0 and not Edition.objects.exists()


def test_output_folder_that_cannot_be_created_is_named(folders, mobile_framework):
    from pathlib import Path

    _write(folders, "t1", mobile_framework)
    with pytest.raises(BuildError, match=r"/proc/dtforum-nowhere/t1: the output folder cannot be created"):
        _build("t1", out_dir=Path("/proc/dtforum-nowhere/t1"))
    assert Observation.objects.count() == 0
