"""Questionnaire returns: merged cells (C13), numbers stored as text and declared locales (C14), import."""
from __future__ import annotations

import math

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from dtforum.observatory.ingest.parsing import IngestError
from dtforum.observatory.ingest.questionnaire import (
    column_keys,
    expand_merged,
    import_questionnaire,
    read_questionnaire,
    read_sheet,
)

NNBSP = "\u202f"


def _save(wb, path):
    wb.save(path)
    return path


def test_c13_merged_header_and_label_cells(tmp_path):
    # The case's sheet, cell for cell.
    wb = Workbook()
    ws = wb.active
    ws.title = "C13"
    ws["A1"] = "Connectivity"
    ws.merge_cells("A1:C1")
    ws["A2"], ws["B2"], ws["C2"] = "Fixed broadband", "Mobile", "Internet users"
    ws["A3"] = "Jordan"
    ws.merge_cells("A3:A4")
    ws["B3"], ws["B4"] = 2022, 2023
    ws = load_workbook(_save(wb, tmp_path / "c13.xlsx"))["C13"]

    grid = expand_merged(ws)
    assert column_keys(grid, header_rows=2) == [
        ("Connectivity", "Fixed broadband"), ("Connectivity", "Mobile"), ("Connectivity", "Internet users")]
    assert [grid.cell(r, 1) for r in (3, 4)] == ["Jordan", "Jordan"]   # both data rows carry the country
    assert [grid.cell(r, 2) for r in (3, 4)] == [2022, 2023]
    # C3/C4 are blank outside any merge: forward-filling down would give "Internet users", right 2022/2023.
    assert grid.cell(3, 3) is None and grid.cell(4, 3) is None
    assert grid.origin == {(1, 2): (1, 1), (1, 3): (1, 1), (4, 1): (3, 1)}


def _return(path, values, *, header="Internet users (IT.NET.USER.ZS)", country="Jordan", years=None,
            mobile=None):
    """A return laid out as the questionnaire: Country | Year | Connectivity (merged over its indicators)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws["A1"], ws["B1"], ws["C1"] = "Country", "Year", "Connectivity"
    ws.merge_cells("A1:A2")
    ws.merge_cells("B1:B2")
    ws["C2"], ws["D2"] = header, "Mobile subscriptions (IT.CEL.SETS.P2)"
    ws.merge_cells("C1:D1")
    years = years or list(range(2024 - len(values) + 1, 2025))
    for i, (year, value) in enumerate(zip(years, values)):
        ws.cell(3 + i, 2, year)
        ws.cell(3 + i, 3, value)
        if mobile is not None:
            ws.cell(3 + i, 4, mobile[i])
    ws["A3"] = country
    ws.merge_cells(f"A3:A{2 + len(values)}")
    return _save(wb, path)


def test_c13_questionnaire_layout_keys_and_labels(tmp_path):
    path = _return(tmp_path / "jor.xlsx", [61.5, 64.0], mobile=[120.0, None], years=[2022, 2023])
    read = read_questionnaire(path, locale="en")
    assert read.label_keys == [("Country",), ("Year",)]   # vertical merges give one-part keys
    assert read.columns == [("Connectivity", "Internet users (IT.NET.USER.ZS)"),
                            ("Connectivity", "Mobile subscriptions (IT.CEL.SETS.P2)")]
    cells = read.cells
    assert cells["labels"].tolist() == [("Jordan", 2022)] * 2 + [("Jordan", 2023)] * 2
    assert cells["column"].tolist() == ["C", "D", "C", "D"]
    assert cells["value"].tolist()[:3] == [61.5, 120.0, 64.0]
    assert math.isnan(cells["value"].iloc[3])            # D4 blank stays blank, not 120.0
    assert read.log == []


def test_c14_french_return_numbers_stored_as_text(tmp_path):
    wb_path = _return(tmp_path / "fr.xlsx", [45, "45", " 45 ", "288,140982", f"1{NNBSP}234,5"])
    read = read_questionnaire(wb_path, locale="fr")
    column_c = read.cells[read.cells["column"] == "C"]
    assert column_c["value"].tolist() == [45.0, 45.0, 45.0, 288.140982, 1234.5]
    assert column_c["from_text"].tolist() == [False, True, True, True, True]
    assert len(read.log) == 4 and all("numeric stored as text" in line for line in read.log)
    assert read.log[2] == "sheet 'Data', row 6, column 'C': numeric stored as text '288,140982' read as 288.140982"


def test_c14_without_declared_locale_the_decimal_comma_is_rejected(tmp_path):
    wb_path = _return(tmp_path / "fr.xlsx", [45, "45", " 45 ", "288,140982", f"1{NNBSP}234,5"])
    with pytest.raises(IngestError) as err:
        read_questionnaire(wb_path, locale=None)
    assert str(err.value).startswith("fr.xlsx, sheet 'Data', row 6, column 'C': expected a number with '.'")
    assert "ambiguous" in str(err.value)


def test_apostrophe_prefixed_and_arabic_indic_cells(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws["A1"], ws["B1"] = "Year", "Internet users (IT.NET.USER.ZS)"
    ws["A2"], ws["B2"] = "٢٠٢٣", "45"
    ws["B2"].quotePrefix = True                     # Excel's '45
    ws["A3"], ws["B3"] = 2024, "٤٥٫٦"
    ws = load_workbook(_save(wb, tmp_path / "ar.xlsx")).active
    read = read_sheet(ws, locale="ar", header_rows=1, label_columns=1)
    assert read.cells["value"].tolist() == [45.0, 45.6]
    assert read.cells["labels"].tolist() == [("٢٠٢٣",), (2024,)]


# --- import into the store ----------------------------------------------------------------------------------

@pytest.fixture
def store(db):
    from dtforum.members.models import Economy
    from dtforum.observatory.models import Indicator

    jor = Economy.objects.create(iso3="JOR", kind="member", name_en="Jordan", name_fr="Jordanie", name_ar="الأردن")
    Indicator.objects.create(code="IT.NET.USER.ZS", name_en="Individuals using the Internet (% of population)")
    Indicator.objects.create(code="IT.CEL.SETS.P2", name_en="Mobile cellular subscriptions (per 100 people)")
    return jor


def _observations():
    from dtforum.observatory.models import Observation

    return sorted(Observation.objects.values_list("source__code", "economy__iso3", "indicator__code", "year",
                                                  "value", "flags"))


def test_import_questionnaire_stores_observations_with_flag_and_audit(store, tmp_path):
    from dtforum.core.models import AuditEvent
    from dtforum.observatory.models import Source

    path = _return(tmp_path / "jor.xlsx", ["61,5", 64], mobile=[120, "1 300,25"], years=[2022, 2023])
    result = import_questionnaire(path, iso3="jor", locale="fr")
    assert (result.source, result.observations, result.from_text) == ("questionnaire.JOR.2023", 4, 2)
    src = "questionnaire.JOR.2023"
    assert _observations() == [
        (src, "JOR", "IT.CEL.SETS.P2", 2022, 120.0, "questionnaire"),
        (src, "JOR", "IT.CEL.SETS.P2", 2023, 1300.25, "questionnaire"),
        (src, "JOR", "IT.NET.USER.ZS", 2022, 61.5, "questionnaire"),
        (src, "JOR", "IT.NET.USER.ZS", 2023, 64.0, "questionnaire"),
    ]
    source = Source.objects.get(code=src)
    assert (source.observations_stored, source.path) == (4, "jor.xlsx")
    event = AuditEvent.objects.get(action="ingest.questionnaire")
    assert (event.object_id, event.after["observations"], event.after["numeric_stored_as_text"]) == (src, 4, 2)

    # Re-importing a corrected return replaces the source's rows.
    path = _return(tmp_path / "jor2.xlsx", ["62,5", 64], years=[2022, 2023])
    import_questionnaire(path, iso3="JOR", locale="fr")
    assert [row[2:5] for row in _observations()] == [("IT.NET.USER.ZS", 2022, 62.5), ("IT.NET.USER.ZS", 2023, 64.0)]


@pytest.mark.parametrize("kwargs, where, message", [
    ({"values": [61.5, "6l,2"]}, "sheet 'Data', row 4, column 'C'", "got '6l,2'"),
    ({"values": [61.5, 62.0], "country": "Egypt"}, "sheet 'Data', row 3, column 'A'", "JOR (Jordan)"),
    ({"values": [61.5, 62.0], "header": "Broadband speed"}, "sheet 'Data', row 2, column 'C'",
     "'Connectivity / Broadband speed'"),
    ({"values": [61.5, 62.0], "years": [2023, 2023]}, "sheet 'Data', row 4, column 'C'", "already given in row 3"),
    ({"values": [61.5, 62.0], "years": [2023, "last year"]}, "sheet 'Data', row 4, column 'B'", "a year"),
])
def test_import_questionnaire_is_all_or_nothing(store, tmp_path, kwargs, where, message):
    from dtforum.core.models import AuditEvent
    from dtforum.observatory.models import Source

    good = _return(tmp_path / "good.xlsx", [50.0, 55.0], years=[2022, 2023])
    import_questionnaire(good, iso3="JOR", locale="fr")
    before = (_observations(), list(Source.objects.values_list("code", "sha256")), AuditEvent.objects.count())

    bad = _return(tmp_path / "bad.xlsx", kwargs.pop("values"), **kwargs)
    with pytest.raises(IngestError) as err:
        import_questionnaire(bad, iso3="JOR", locale="fr")
    assert str(err.value).startswith(f"bad.xlsx, {where}:") and message in str(err.value)
    # Nothing of the bad return is stored; the earlier return is untouched.
    assert (_observations(), list(Source.objects.values_list("code", "sha256")),
            AuditEvent.objects.count()) == before


def test_import_questionnaire_unknown_economy_and_command(store, tmp_path):
    from dtforum.observatory.models import Observation

    path = _return(tmp_path / "jor.xlsx", ["288,140982"], years=[2024])
    with pytest.raises(IngestError, match="expected the ISO3 code of an economy of the store, got 'XYZ'"):
        import_questionnaire(path, iso3="XYZ", locale="fr")
    with pytest.raises(CommandError, match="ambiguous"):
        call_command("import_questionnaire", str(path), "--iso3", "JOR")
    assert Observation.objects.count() == 0
    call_command("import_questionnaire", str(path), "--iso3", "JOR", "--locale", "fr")
    assert _observations() == [("questionnaire.JOR.2024", "JOR", "IT.NET.USER.ZS", 2024, 288.140982,
                                "questionnaire")]
