"""Open-data downloads: CSV, XLSX and JSON with licence and attribution inside; the edition as a Frictionless
data package whose descriptor is checked against the Data Package / Table Schema v1 specifications
(https://specs.frictionlessdata.io/) field by field, since the ``frictionless`` library is not installed."""
from __future__ import annotations

import csv
import io
import json
import re
import zipfile

import pandas as pd
import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db

ATTRIBUTION_START = "Source: UN DESA, UN E-Government Survey 2024 (UN terms of use (free with attribution)); " \
                    "World Bank, World Development Indicators, Individuals using the Internet (CC BY 4.0)."


def test_scores_csv_has_licence_comments_and_real_rows(client, edition):
    response = client.get("/api/v1/data/editions/2024/scores.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="scores_2024.csv"'
    text = response.content.decode("utf-8")
    comments = [line for line in text.splitlines() if line.startswith("#")]
    assert comments[0] == "# Title: Scores, edition 2024"
    assert any(line.startswith("# Licence: CC-BY-4.0 (https://creativecommons.org/licenses/by/4.0/)")
               for line in comments)
    assert any(line.startswith("# Attribution: " + ATTRIBUTION_START) for line in comments)
    frame = pd.read_csv(io.StringIO(text), comment="#", keep_default_na=False, na_values=[""])
    # 3 members x (2 areas + index) + Niger's unscored index row = 10
    assert len(frame) == 10
    egy = frame[(frame.iso3 == "EGY") & (frame.area == "index")].iloc[0]
    assert (egy.score, egy["rank"], egy.gap_oic_median, egy.name_ar) == (40.25, 3, -25.25, "مصر")
    # framework order (connectivity first), rank within area
    assert list(frame.iso3[:3]) == ["JOR", "TUR", "EGY"] and frame.area[0] == "connectivity"
    assert frame[frame.iso3 == "NER"].score.isna().all()


def test_scores_xlsx_has_about_sheet(client, edition):
    response = client.get("/api/v1/data/editions/2024/scores.xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["data", "about"]
    data = list(wb["data"].values)
    header = data[0]
    row = dict(zip(header, next(r for r in data[1:] if r[0] == "TUR" and r[header.index("area")] == "skills")))
    assert (row["score"], row["rank"]) == (71.0, 1)
    about = {r[0]: r[1] for r in wb["about"].values if r and r[0]}
    assert about["Licence"].startswith("CC-BY-4.0")
    assert about["Attribution"].startswith(ATTRIBUTION_START)
    assert about["wdi_api.IT.NET.USER.ZS"] == "World Bank"   # sources table: code, publisher...
    assert about["gap_oic_median"] == "number"                # fields table: name, type, description


def test_indicator_values_json_has_licence_field(client, edition):
    response = client.get("/api/v1/data/editions/2024/indicators.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["licence"]["name"] == "CC-BY-4.0"
    assert doc["attribution"].startswith(ATTRIBUTION_START)
    assert {s["code"]: s["licence"] for s in doc["sources"]} == {
        "un_egov.2024": "UN terms of use (free with attribution)", "wdi_api.IT.NET.USER.ZS": "CC BY 4.0"}
    assert [(r["iso3"], r["indicator"], r["raw_value"], r["flag"]) for r in doc["data"]] == [
        ("EGY", "IT.NET.USER.ZS", 72.7, "observed"), ("EGY", "HCI", 0.49, "estimated"),
        ("JOR", "IT.NET.USER.ZS", None, "imputed"), ("NER", "IT.NET.USER.ZS", None, "missing")]
    assert doc["schema"]["primaryKey"] == ["iso3", "indicator"]


def test_observations_of_an_indicator_in_three_formats(client, edition):
    csv_text = client.get("/api/v1/data/indicators/IT.NET.USER.ZS/observations.csv").content.decode()
    frame = pd.read_csv(io.StringIO(csv_text), comment="#")
    # 9 observations of internet users: EGY 4, TUR 3, FRA 1, WLD 1
    assert len(frame) == 9
    assert frame[(frame.iso3 == "EGY") & (frame.year == 2022)].value.item() == 72.1
    assert "# Attribution: Source: World Bank, World Development Indicators, Individuals using the Internet " \
           "(CC BY 4.0)." in csv_text
    doc = client.get("/api/v1/data/indicators/IT.NET.USER.ZS/observations.json").json()
    assert [s["code"] for s in doc["sources"]] == ["wdi_api.IT.NET.USER.ZS"]
    assert doc["data"][-1] == {"iso3": "WLD", "name_en": "World", "kind": "aggregate", "year": 2023, "value": 67.4,
                               "source": "wdi_api.IT.NET.USER.ZS", "vintage": "2024-11", "flags": None}
    wb = load_workbook(io.BytesIO(client.get("/api/v1/data/indicators/IT.NET.USER.ZS/observations.xlsx").content))
    assert wb["data"].max_row == 10   # header + 9


def test_country_profile_download(client, edition):
    response = client.get("/api/v1/data/countries/egy/profile.csv?edition=2024")
    assert response["Content-Disposition"] == 'attachment; filename="profile_EGY_2024.csv"'
    rows = list(csv.DictReader(line for line in response.content.decode().splitlines()
                               if not line.startswith("#")))
    assert [(r["level"], r["code"]) for r in rows] == [
        ("area", "connectivity"), ("area", "skills"), ("index", "index"),
        ("indicator", "IT.NET.USER.ZS"), ("indicator", "HCI")]
    assert (rows[2]["score"], rows[2]["rank"], rows[2]["gap_oic_best"]) == ("40.25", "3", "-39.75")
    assert (rows[4]["value"], rows[4]["year"], rows[4]["flag"], rows[4]["source"], rows[4]["name_fr"]) == (
        "0.49", "2022", "estimated", "un_egov.2024", "Indice du capital humain")
    doc = client.get("/api/v1/data/countries/EGY/profile.json").json()
    assert doc["licence"]["path"] == "https://creativecommons.org/licenses/by/4.0/"


# --- the data package, checked against the specifications ---------------------------------------------------

TABLE_SCHEMA_TYPES = {"string", "number", "integer", "boolean", "object", "array", "date", "time", "datetime",
                      "year", "yearmonth", "duration", "geopoint", "geojson", "any"}
NAME = re.compile(r"^[a-z0-9._-]+$")   # Data Package and Data Resource "name"


def cast(value: str, field: dict):
    """Table Schema v1 default lexical forms for the types used; ``""`` is the declared missing value."""
    if value == "":
        return None
    kind = field["type"]
    if kind == "integer":
        return int(value)
    if kind == "number":
        return float(value)
    if kind == "boolean":
        assert value in {"true", "false"}, f"{field['name']}: {value!r} is not a default boolean"
        return value == "true"
    assert kind == "string", kind
    return value


def as_list(keys) -> list[str]:
    return [keys] if isinstance(keys, str) else list(keys)


def check_package(archive: zipfile.ZipFile) -> dict[str, list[dict]]:
    """Validate datapackage.json and every resource against the specs; return typed rows per resource."""
    descriptor = json.loads(archive.read("datapackage.json"))
    assert descriptor["profile"] == "tabular-data-package"
    assert NAME.match(descriptor["name"])
    assert descriptor["licenses"] and all("name" in x or "path" in x for x in descriptor["licenses"])
    assert all("title" in s for s in descriptor["sources"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", descriptor["created"])
    names = [r["name"] for r in descriptor["resources"]]
    assert len(set(names)) == len(names)
    tables = {}
    for res in descriptor["resources"]:
        assert NAME.match(res["name"]) and res["profile"] == "tabular-data-resource"
        assert not res["path"].startswith("/") and ".." not in res["path"]   # relative, inside the package
        schema = res["schema"]
        fields = schema["fields"]
        assert all(f["name"] and f["type"] in TABLE_SCHEMA_TYPES and f.get("description") for f in fields)
        field_names = [f["name"] for f in fields]
        assert len(set(field_names)) == len(field_names)
        assert set(as_list(schema["primaryKey"])) <= set(field_names)
        reader = csv.reader(io.StringIO(archive.read(res["path"]).decode(res["encoding"])))
        header = next(reader)
        assert header == field_names, res["name"]
        rows = [{f["name"]: cast(v, f) for f, v in zip(fields, line, strict=True)} for line in reader]
        for f in fields:
            c = f.get("constraints", {})
            for row in rows:
                v = row[f["name"]]
                assert not (c.get("required") and v is None), (res["name"], f["name"])
                assert v is None or "enum" not in c or v in c["enum"], (res["name"], f["name"], v)
                assert v is None or "minimum" not in c or v >= c["minimum"]
        keys = [tuple(row[k] for k in as_list(schema["primaryKey"])) for row in rows]
        assert len(set(keys)) == len(keys), f"{res['name']}: primary key not unique"
        tables[res["name"]] = (schema, rows)
    for name, (schema, rows) in tables.items():
        for fk in schema.get("foreignKeys", []):
            ref = fk["reference"]
            assert ref["resource"] in tables, f"{name}: foreign key to missing resource {ref['resource']}"
            ref_schema, ref_rows = tables[ref["resource"]]
            assert set(as_list(ref["fields"])) <= {f["name"] for f in ref_schema["fields"]}
            present = {tuple(r[k] for k in as_list(ref["fields"])) for r in ref_rows}
            for row in rows:
                value = tuple(row[k] for k in as_list(fk["fields"]))
                assert None in value or value in present, f"{name}: {value} not in {ref['resource']}"
    return {name: rows for name, (_schema, rows) in tables.items()}


def test_edition_data_package(client, edition):
    response = client.get("/api/v1/data/editions/2024/datapackage.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert set(archive.namelist()) == {"datapackage.json", "README.txt", "data/economies.csv", "data/areas.csv",
                                       "data/sources.csv", "data/indicators.csv", "data/scores.csv",
                                       "data/indicator_results.csv"}
    tables = check_package(archive)
    descriptor = json.loads(archive.read("datapackage.json"))
    assert descriptor["name"] == "dtforum-dti-2024"
    assert descriptor["created"] == "2025-01-15T00:00:00Z"
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert {s["code"]: s["licence"] for s in descriptor["sources"]} == {
        "un_egov.2024": "UN terms of use (free with attribution)", "wdi_api.IT.NET.USER.ZS": "CC BY 4.0"}
    scores = next(r for r in descriptor["resources"] if r["name"] == "scores")["schema"]
    assert scores["primaryKey"] == ["iso3", "area"]
    assert {"fields": "iso3", "reference": {"resource": "economies", "fields": "iso3"}} in scores["foreignKeys"]
    # round trip: EGY's index row read back from the CSV equals what is stored
    egy = next(r for r in tables["scores"] if r["iso3"] == "EGY" and r["area"] == "index")
    assert (egy["score"], egy["rank"], egy["tier"], egy["gap_oic_median"], egy["name_fr"]) == (
        40.25, 3, "emerging", -25.25, "Égypte")
    jor = next(r for r in tables["indicator_results"] if r["iso3"] == "JOR")
    assert (jor["raw_value"], jor["imputed"], jor["normalised_value"], jor["flag"]) == (None, True, 50.0, "imputed")
    assert [r["area"] for r in tables["areas"]] == ["connectivity", "skills", "index"]
    assert "Licence: Creative Commons Attribution 4.0 International" in archive.read("README.txt").decode()


def test_package_check_catches_a_broken_foreign_key(client, edition):
    # the checker itself must be able to fail: drop Egypt from economies.csv and expect a complaint
    original = zipfile.ZipFile(io.BytesIO(client.get("/api/v1/data/editions/2024/datapackage.zip").content))
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as z:
        for name in original.namelist():
            data = original.read(name)
            if name == "data/economies.csv":
                data = b"\n".join(line for line in data.split(b"\n") if not line.startswith(b"EGY,"))
            z.writestr(name, data)
    with pytest.raises(AssertionError, match=r"scores: \('EGY',\) not in economies"):
        check_package(zipfile.ZipFile(broken))
