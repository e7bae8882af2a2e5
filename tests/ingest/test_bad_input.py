"""Bad snapshot files (issue 2, "Bad input"): each stops the ingest with the file, row/column/field and what was
expected, and stores nothing. Each damaged file is a copy of a real snapshot file with one fault put in by hand."""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from dtforum.core.models import AuditEvent
from dtforum.members.countries import MojibakeWarning, UnresolvedCountry
from dtforum.observatory.ingest import readers as r
from dtforum.observatory.ingest.catalog import WDI_COUNTRY_METADATA
from dtforum.observatory.ingest.parsing import IngestError
from dtforum.observatory.ingest.store import UnresolvedCountryError, ingest_snapshot, resolve_countries
from dtforum.observatory.models import Observation

GCI = "bipa2024/data_raw__GCI_2020__gci_2020.csv"
PIPE = "wdi_wdipkg/IT.NET.BBND.P2.csv"
EGOV_2024 = "un_egov/EGOV_DATA_2024__MaryliaCruzS.csv"
JSON = "futuregrid_ai/data__global-ai-metrics.json"
FINDEX = "mbelinsky_pdd/findex_database_2021.xlsx"


def _lines(data_dir: Path, rel: str) -> list[str]:
    return (data_dir / rel).read_text(encoding="utf-8-sig").splitlines()


def _write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- CSV records --------------------------------------------------------------------------------------------

def test_row_cut_short_by_a_truncated_file_names_row_and_field_count(data_dir, tmp_path):
    # Line 5 of the GCI file is '"AFG",2020,"gci_...",<value>'; cut after the variable's first letters, as a
    # download interrupted mid-row leaves it: 3 fields where the header has 4. pandas would pad it with NaN.
    lines = _lines(data_dir, GCI)[:5]
    lines[4] = lines[4][:lines[4].index('"gci_') + 6]
    bad = _write(tmp_path, "gci.csv", lines)
    with pytest.raises(IngestError) as info:
        r.read_bipa_long(bad, data_dir=tmp_path)
    assert (info.value.file, info.value.row) == ("gci.csv", 5)
    assert str(info.value).startswith("gci.csv, row 5: expected 4 fields separated by ','; 3 field(s) where the "
                                      "header has 4")


def test_surplus_field_in_one_row_is_refused(data_dir, tmp_path):
    # Line 50 gets a 7th field; pandas drops it without a word in this file (checked by hand: 9045 rows read).
    lines = _lines(data_dir, PIPE)
    lines[49] += "|surplus"
    bad = _write(tmp_path, "bbnd.csv", lines)
    with pytest.raises(IngestError) as info:
        r.read_wdi_pipe(bad, data_dir=tmp_path)
    assert (info.value.row, info.value.expected) == (50, "6 fields separated by '|'")


def test_line_break_inside_a_field_is_refused(data_dir, tmp_path):
    # The pipe file has CRLF line ends; a field appended after the CR leaves a bare CR inside a record (line 50).
    lines = (data_dir / PIPE).read_bytes().decode("utf-8").split("\n")
    lines[49] += "|surplus"
    bad = tmp_path / "bbnd.csv"
    bad.write_text("\n".join(lines), encoding="utf-8", newline="")
    with pytest.raises(IngestError, match=r"^bbnd.csv, row 50: not a readable CSV record \(new-line character"):
        r.read_wdi_pipe(bad, data_dir=tmp_path)


def test_duplicated_header_is_named(data_dir, tmp_path):
    # Header 'country|iso2c|iso3c|year|IT.NET.BBND.P2|Topic' with 'year' renamed 'iso3c': pandas would rename
    # the second one 'iso3c.1' and the reader would only say 'year' is missing.
    lines = _lines(data_dir, PIPE)
    lines[0] = lines[0].replace("|year|", "|iso3c|")
    bad = _write(tmp_path, "bbnd.csv", lines)
    with pytest.raises(IngestError) as info:
        r.read_wdi_pipe(bad, data_dir=tmp_path)
    assert str(info.value) == ("bbnd.csv, row 1: expected unique column names; column name(s) ['iso3c'] appear "
                               "more than once in the header")


# --- encodings, empty and unreadable files ------------------------------------------------------------------

def test_latin1_file_names_the_line_of_the_first_non_utf8_byte(data_dir, tmp_path):
    # The 2024 E-Government file is ASCII up to "Côte d'Ivoire " on line 113; in latin-1 'ô' is the byte 0xf4.
    text = (data_dir / EGOV_2024).read_text(encoding="utf-8-sig")
    assert text.splitlines()[112].startswith("2024,Côte d'Ivoire ,")
    bad = tmp_path / "egov.csv"
    bad.write_bytes(text.encode("latin-1"))
    with pytest.raises(IngestError) as info:
        r.read_un_egov(bad, data_dir=tmp_path)
    assert str(info.value) == ("egov.csv, row 113: expected UTF-8 text; byte 0xf4 is not UTF-8 (latin-1 or "
                               "Windows-1252 text?); save the file as UTF-8")


def test_utf16_file_is_named_as_such(data_dir, tmp_path):
    bad = tmp_path / "api.csv"
    bad.write_bytes((data_dir / "wdi_api/API_IT.NET.USER.ZS_DS2_en_csv_v2_2160.csv").read_text("utf-8-sig")
                    .encode("utf-16"))
    with pytest.raises(IngestError, match=r"^api.csv: expected UTF-8 text; the file is UTF-16 text"):
        r.read_wb_api_wide(bad, data_dir=tmp_path)


def test_empty_file_and_a_folder_in_place_of_a_file(tmp_path):
    empty = tmp_path / "gci.csv"
    empty.write_bytes(b"\xef\xbb\xbf\n")   # a BOM and a blank line: nothing to read
    with pytest.raises(IngestError, match=r"^gci.csv: expected a header line and data rows; the file is empty$"):
        r.read_bipa_long(empty, data_dir=tmp_path)
    (tmp_path / "folder.csv").mkdir()
    with pytest.raises(IngestError, match=r"^folder.csv: the file cannot be read \(Is a directory\)$"):
        r.read_bipa_long(tmp_path / "folder.csv", data_dir=tmp_path)


# --- XLSX and JSON ------------------------------------------------------------------------------------------

def test_csv_renamed_xlsx_and_truncated_xlsx(data_dir, tmp_path):
    renamed = tmp_path / "findex.xlsx"
    renamed.write_bytes((data_dir / GCI).read_bytes())
    with pytest.raises(IngestError) as info:
        r.read_findex_xlsx(renamed, data_dir=tmp_path, variables=["Account (% age 15+)"])
    assert str(info.value) == ("findex.xlsx: expected an XLSX workbook (Office Open XML); the file is not a "
                               "workbook (a CSV or XLS file renamed .xlsx?)")
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes((data_dir / FINDEX).read_bytes()[:100_000])
    with pytest.raises(IngestError, match=r"^cut.xlsx: expected an XLSX workbook .*; the workbook is damaged"):
        r.read_findex_xlsx(cut, data_dir=tmp_path, variables=["Account (% age 15+)"])


def test_truncated_json_names_the_line(data_dir, tmp_path):
    text = (data_dir / JSON).read_text(encoding="utf-8")
    cut = text[:text.index("\n", 4000)]        # cut at a line end inside the "sources" list
    line = cut.count("\n") + 1                  # json reports the line where the text ends
    bad = tmp_path / "ai.json"
    bad.write_text(cut, encoding="utf-8")
    with pytest.raises(IngestError) as info:
        r.read_futuregrid_json(bad, data_dir=tmp_path, years={"governmentReadiness": 2023})
    assert info.value.row == line and "not valid JSON" in str(info.value)


def test_json_metric_that_is_not_an_object_names_the_field(tmp_path):
    bad = tmp_path / "ai.json"
    bad.write_text('{"metrics": {"governmentReadiness": [84.8, 70.1]}}', encoding="utf-8")
    with pytest.raises(IngestError) as info:
        r.read_futuregrid_json(bad, data_dir=tmp_path, years={"governmentReadiness": 2023})
    assert str(info.value) == ("ai.json, field 'metrics.governmentReadiness': expected an object keyed by ISO3 "
                               "code, got 'list'")


def test_json_text_value_names_the_field(tmp_path):
    bad = tmp_path / "ai.json"
    bad.write_text('{"metrics": {"governmentReadiness": {"USA": 84.8, "JOR": "high"}}}', encoding="utf-8")
    with pytest.raises(IngestError, match=r"^ai.json, field 'metrics.governmentReadiness.JOR': expected a number"):
        r.read_futuregrid_json(bad, data_dir=tmp_path, years={"governmentReadiness": 2023})


# --- countries ----------------------------------------------------------------------------------------------

def _frame(rows):
    return pd.DataFrame(rows, columns=["country_code", "country_name", "row"]).assign(
        m49=pd.array([pd.NA] * len(rows), dtype="Int64"), aggregate=False)


def test_unknown_codes_and_names_of_several_files_are_listed_together():
    frames = {
        # 'JRX' beside the name Jordan is a damaged code: it must not resolve through the name.
        "wdi.csv": _frame([("JOR", "Jordan", 2), ("JRX", "Jordan", 3), ("SNX", "Senegal", 4)]),
        "egov.csv": _frame([("", "Jordania", 8), ("", "Türkiye", 168)]),
        "ai.json": _frame([("XXQ", "", 0)]),
    }
    with pytest.raises(IngestError) as info:
        resolve_countries(frames)
    assert isinstance(info.value, UnresolvedCountry) and isinstance(info.value, UnresolvedCountryError)
    assert info.value.rows == [("JRX", "Jordan", "wdi.csv row 3"), ("SNX", "Senegal", "wdi.csv row 4"),
                               (None, "Jordania", "egov.csv row 8"), ("XXQ", None, "ai.json")]


def test_damaged_name_warning_names_file_and_row():
    frames = {"speed.csv": _frame([("", "C\ufffdte d'Ivoire", 85)])}
    with pytest.warns(MojibakeWarning, match=r"^speed.csv row 85: country name"):
        out = resolve_countries(frames)
    assert out["speed.csv"]["unit"].tolist() == ["CIV"]   # aliases.csv records this damaged spelling


# --- the store is left as it was ----------------------------------------------------------------------------

def _mirror(data_dir: Path, tmp_path: Path, rel: str) -> tuple[Path, Path]:
    """Symlink mirror of the snapshot with ``rel`` as a writable copy; returns (root, copy)."""
    root = tmp_path / "raw"
    for folder, _, files in os.walk(data_dir):
        target = root / Path(folder).relative_to(data_dir)
        target.mkdir(parents=True, exist_ok=True)
        for name in files:
            src = Path(folder) / name
            if src.relative_to(data_dir).as_posix() != rel:
                (target / name).symlink_to(src)
    (root / rel).write_bytes((data_dir / rel).read_bytes())
    return root, root / rel


def _state():
    return (list(Observation.objects.order_by("id").values_list("id", "economy_id", "indicator_id", "year", "value")),
            AuditEvent.objects.count())


@pytest.mark.slow
@pytest.mark.django_db
def test_bad_country_metadata_stores_nothing(ingested_snapshot, data_dir, tmp_path):
    root, copy = _mirror(data_dir, tmp_path, WDI_COUNTRY_METADATA)
    before = _state()
    copy.write_text(copy.read_text("utf-8-sig").replace(",Region,", ",Area,", 1), encoding="utf-8")
    with pytest.raises(IngestError) as info:
        ingest_snapshot(root, sources=["bipa.gci_2020"])
    assert str(info.value).startswith(f"{WDI_COUNTRY_METADATA}: missing column(s) ['Region']")
    copy.write_bytes(b"")
    with pytest.raises(IngestError, match="the file is empty"):
        ingest_snapshot(root, sources=["bipa.gci_2020"])
    assert _state() == before


@pytest.mark.slow
@pytest.mark.django_db
def test_unknown_code_in_a_source_stores_nothing(ingested_snapshot, data_dir, tmp_path):
    root, copy = _mirror(data_dir, tmp_path, GCI)
    before = _state()
    lines = copy.read_text("utf-8-sig").splitlines()
    lines[1:3] = [line.replace('"AFG"', '"AFX"') for line in lines[1:3]]   # lines 2 and 3: the first key counts
    copy.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(IngestError, match=rf"1 unresolved .*{GCI} row 2: code='AFX' name=None"):
        ingest_snapshot(root, sources=["bipa.gci_2020"])
    assert _state() == before
