"""build_edition as a task: ingest (one real snapshot file) + compute + outputs, status and audit trail."""
from __future__ import annotations

import csv

import pytest
import yaml
from django.utils import translation
from django_tasks import TaskResultStatus

from dtforum.core.models import AuditEvent
from dtforum.members.countries import OIC_MEMBERS
from dtforum.observatory.models import Score
from dtforum.observatory.tasks import build_edition_task

from .conftest import run_worker

MOBILE = "IT.CEL.SETS.P2"


@pytest.fixture
def framework_dir(settings, tmp_path, mobile_framework):
    folder = tmp_path / "methodology"
    folder.mkdir()
    (folder / "t1.yaml").write_text(yaml.safe_dump(mobile_framework, allow_unicode=True), encoding="utf-8")
    settings.DTFORUM_METHODOLOGY_DIR = folder
    settings.DTFORUM_OUT_DIR = tmp_path / "out"
    return folder


def _latest_mobile(data_dir) -> dict[str, float]:
    """Latest non-empty value in 2019-2024 per OIC member, read from the publisher's CSV with csv alone."""
    with open(data_dir / "wdi_api" / "API_IT.CEL.SETS.P2_DS2_en_csv_v2_2987.csv", encoding="utf-8-sig") as f:
        rows = [r for r in csv.reader(f) if r]
    at = next(i for i, r in enumerate(rows) if r[:2] == ["Country Name", "Country Code"])
    header = rows[at]
    years = [i for i, h in enumerate(header) if h.isdigit() and 2019 <= int(h) <= 2024]
    out = {}
    for row in rows[at + 1:]:
        if row[1] in OIC_MEMBERS:
            found = [float(row[i]) for i in years if i < len(row) and row[i] != ""]
            if found:
                out[row[1]] = found[-1]
    return out


def test_build_edition_task_in_process(world, framework_dir, data_dir):
    result = build_edition_task.enqueue("t1", pdf=False, robustness=False, sources=[f"wdi_api.{MOBILE}"],
                                        requested_by=world["staff"].pk)
    assert result.status == TaskResultStatus.SUCCESSFUL, result.errors
    summary = result.return_value
    expected = _latest_mobile(data_dir)
    # min-max to 0-100 over the members: the highest latest value scores 100, the lowest 0 (winsorisation, if
    # any, clamps the extremes onto their neighbours but keeps them the extremes)
    top, bottom = max(expected, key=expected.get), min(expected, key=expected.get)
    index = dict(Score.objects.filter(edition__code="t1", area="index").values_list("economy__iso3", "score"))
    assert index[top] == pytest.approx(100) and index[bottom] == pytest.approx(0)
    assert summary["ranked"] == len(expected) == 57
    assert summary["ingested"] > 0 and summary["edition"] == "t1"
    assert {"results.xlsx", "report.en.html", "report.ar.html", "report.fr.html"} <= set(summary["files"])
    assert not any(f.endswith(".pdf") for f in summary["files"])
    event = AuditEvent.objects.get(action="edition.build")
    assert event.object_id == result.id and event.actor == world["staff"] and event.after == summary


def test_build_edition_task_failure_is_recorded(world, framework_dir):
    result = build_edition_task.enqueue("t9", ingest=False, pdf=False, requested_by=world["admin"].pk)
    assert result.status == TaskResultStatus.FAILED
    assert result.errors[0].exception_class_path == "dtforum.observatory.services.EditionError"
    event = AuditEvent.objects.get(action="edition.build.failed")
    assert event.object_id == result.id
    assert event.after["error"] == (f"{framework_dir / 't9.yaml'}: framework file not found "
                                    "(editions available: ['t1'])")


def test_build_edition_task_output_failure_is_recorded(world, framework_dir, data_dir, settings, tmp_path):
    # The output folder's parent is a file: the build is refused before anything is read or stored.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    settings.DTFORUM_OUT_DIR = blocker
    result = build_edition_task.enqueue("t1", pdf=False, robustness=False, sources=[f"wdi_api.{MOBILE}"])
    assert result.status == TaskResultStatus.FAILED
    assert result.errors[0].exception_class_path == "dtforum.observatory.build.BuildError"
    event = AuditEvent.objects.get(action="edition.build.failed")
    assert event.object_id == result.id
    assert event.after["error"].startswith(f"{blocker}: expected a folder (the output folder {blocker / 't1'}")
    assert not Score.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_build_edition_through_the_database_queue(world, framework_dir, data_dir, db_queue):
    result = build_edition_task.enqueue("t1", pdf=False, robustness=False, sources=[f"wdi_api.{MOBILE}"])
    assert result.status == TaskResultStatus.READY and not Score.objects.exists()
    with translation.override("en"):
        run_worker()
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value["ranked"] == 57
    assert Score.objects.filter(edition__code="t1", area="index", rank=1).exists()
    assert AuditEvent.objects.get(action="edition.build").actor_label == "build_edition_task"
