"""The uncertainty endpoint, download and data-package resource, read from where the robustness step stores them:
rank intervals on the Score rows, the method in ``Edition.recipe["uncertainty"]``, Sobol indices in
``Edition.analysis["sensitivity"]`` (dtforum/observatory/robustness.py ``_store``)."""
from __future__ import annotations

import importlib.util
import io
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from dtforum.observatory.models import Score

pytestmark = pytest.mark.django_db

_spec = importlib.util.spec_from_file_location("api_opendata_tests", Path(__file__).parent / "test_opendata.py")
_opendata_tests = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_opendata_tests)

# (iso3, area): (median_rank, rank_q05, rank_q95), filled by hand; nominal ranks are those of tests/api/sample.py
INTERVALS = {
    ("JOR", "index"): (1.0, 1.0, 2.0), ("TUR", "index"): (2.0, 1.0, 3.0), ("EGY", "index"): (3.0, 2.5, 3.0),
    ("JOR", "connectivity"): (1.0, 1.0, 1.0), ("TUR", "connectivity"): (2.0, 2.0, 3.0),
    ("EGY", "connectivity"): (3.0, 2.0, 3.0),
    ("JOR", "skills"): (1.5, 1.0, 2.0), ("TUR", "skills"): (1.5, 1.0, 2.0), ("EGY", "skills"): (3.0, 3.0, 3.0),
}
RECIPE = {"method": "Monte Carlo over the uncertain inputs (OECD/JRC Handbook 2008 Step 7; compindex.uncertainty)",
          "spec": {"weights": 0.25, "treatment": [True, False]}, "n_rep": 100, "seed": 7,
          "rank_interval": [0.05, 0.95], "quantiles": "numpy linear (R type 7)"}
SENSITIVITY = [
    {"input": "weights", "first_order": 0.12, "total": 0.2, "first_order_ci": 0.03, "total_ci": 0.04},
    {"input": "treatment", "first_order": 0.6, "total": 0.75, "first_order_ci": 0.05, "total_ci": 0.06},
]


@pytest.fixture
def analysed(edition):
    """Edition 2024 as the robustness step leaves it (NER's unscored index row keeps no interval)."""
    for score in Score.objects.filter(edition=edition).select_related("economy"):
        median, q05, q95 = INTERVALS.get((score.economy.iso3, score.area), (None, None, None))
        score.median_rank, score.rank_q05, score.rank_q95 = median, q05, q95
        score.save()
    edition.recipe = {"imputation": {"method": "median"}, "uncertainty": RECIPE}
    edition.analysis = {**edition.analysis, "sensitivity": SENSITIVITY}
    edition.save()
    return edition


def test_without_intervals_the_endpoint_is_404(api, edition):
    # a method spec alone (a build that stopped before storing the intervals) is not an analysis
    edition.recipe = {"uncertainty": RECIPE}
    edition.save()
    status, body = api("/api/v1/editions/2024/uncertainty/")
    assert status == 404
    assert body["detail"] == "edition 2024 has no uncertainty analysis stored yet"
    assert api("/api/v1/editions/2024/")[1]["has_uncertainty"] is False


def test_intervals_spec_and_sensitivity_are_served(api, analysed):
    status, body = api("/api/v1/editions/2024/uncertainty/")
    assert status == 200
    assert body["edition"] == "2024"
    assert body["method"] == RECIPE
    assert body["sensitivity"] == SENSITIVITY
    # framework order (connectivity, skills, index), then nominal rank; NER (no score) last with no interval
    got = [(r["iso3"], r["area"], r["nominal_rank"], r["median_rank"], r["rank_q05"], r["rank_q95"])
           for r in body["results"]]
    assert got == [
        ("JOR", "connectivity", 1, 1.0, 1.0, 1.0), ("TUR", "connectivity", 2, 2.0, 2.0, 3.0),
        ("EGY", "connectivity", 3, 3.0, 2.0, 3.0),
        ("TUR", "skills", 1, 1.5, 1.0, 2.0), ("JOR", "skills", 2, 1.5, 1.0, 2.0), ("EGY", "skills", 3, 3.0, 3.0, 3.0),
        ("JOR", "index", 1, 1.0, 1.0, 2.0), ("TUR", "index", 2, 2.0, 1.0, 3.0), ("EGY", "index", 3, 3.0, 2.5, 3.0),
        ("NER", "index", None, None, None, None)]
    assert api("/api/v1/editions/2024/")[1]["has_uncertainty"] is True


def test_filters_and_names_in_the_language_asked(api, analysed):
    _, body = api("/api/v1/editions/2024/uncertainty/?area=index&country=egy,tur&lang=fr")
    assert [(r["iso3"], r["name"], r["rank_q05"], r["rank_q95"]) for r in body["results"]] == [
        ("TUR", "Turquie", 1.0, 3.0), ("EGY", "Égypte", 2.5, 3.0)]
    status, body = api("/api/v1/editions/2024/uncertainty/?area=sports")
    assert status == 400
    assert body["errors"]["area"] == ["unknown area(s) sports in edition 2024; expected: connectivity, skills, index"]


def test_schema_describes_the_uncertainty_response(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    op = schema["paths"]["/api/v1/editions/{code}/uncertainty/"]["get"]
    assert {p["name"] for p in op["parameters"]} >= {"area", "country", "lang"}
    ref = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    body = schema["components"]["schemas"][ref]
    assert set(body["properties"]) == {"edition", "method", "sensitivity", "results"}
    row = schema["components"]["schemas"][body["properties"]["results"]["items"]["$ref"].rsplit("/", 1)[1]]
    assert set(row["properties"]) == {"iso3", "name", "area", "nominal_rank", "median_rank", "rank_q05", "rank_q95"}
    assert "404" in op["responses"]


def test_uncertainty_csv_download(client, analysed):
    response = client.get("/api/v1/data/editions/2024/uncertainty.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="uncertainty_2024.csv"'
    frame = pd.read_csv(io.StringIO(response.content.decode()), comment="#", keep_default_na=False, na_values=[""])
    egy = frame[(frame.iso3 == "EGY") & (frame.area == "index")].iloc[0]
    assert (egy.nominal_rank, egy.median_rank, egy.rank_q05, egy.rank_q95) == (3, 3.0, 2.5, 3.0)
    assert len(frame) == 10


def test_data_package_carries_the_uncertainty_table_when_there_is_one(client, edition):
    archive = zipfile.ZipFile(io.BytesIO(client.get("/api/v1/data/editions/2024/datapackage.zip").content))
    assert "data/uncertainty.csv" not in archive.namelist()   # nothing analysed: no empty resource


def test_data_package_uncertainty_resource_is_valid(client, analysed):
    archive = zipfile.ZipFile(io.BytesIO(client.get("/api/v1/data/editions/2024/datapackage.zip").content))
    assert "data/uncertainty.csv" in archive.namelist()
    tables = _opendata_tests.check_package(archive)   # fields, primary and foreign keys against the specs
    tur = next(r for r in tables["uncertainty"] if r["iso3"] == "TUR" and r["area"] == "index")
    assert (tur["nominal_rank"], tur["median_rank"], tur["rank_q05"], tur["rank_q95"]) == (2, 2.0, 1.0, 3.0)
    descriptor = json.loads(archive.read("datapackage.json"))
    resource = next(r for r in descriptor["resources"] if r["name"] == "uncertainty")
    assert resource["schema"]["primaryKey"] == ["iso3", "area"]
    assert "Monte Carlo" in resource["description"] and "n_rep 100" in resource["description"]
