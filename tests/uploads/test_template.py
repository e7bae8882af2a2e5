"""The blank questionnaire: layout read back with openpyxl, and read by our own importer once filled."""
from __future__ import annotations

import io

from openpyxl import load_workbook

from dtforum.observatory.ingest.questionnaire import check_questionnaire
from dtforum.observatory.uploads import questionnaire_template


def test_template_layout_in_english(world):
    wb = load_workbook(io.BytesIO(questionnaire_template("EGY", "en")))
    # "Developing digital skills and competencies" has 42 characters: cut at the last word within 31
    assert wb.sheetnames == ["Improving digital connectivity", "Developing digital skills and"]
    ws = wb.worksheets[0]
    assert [ws["A1"].value, ws["B1"].value, ws["C1"].value] == ["Country", "Year", "Improving digital connectivity"]
    assert [ws["C2"].value, ws["D2"].value] == ["Internet users (IT.NET.USER.ZS)", "Fixed broadband (IT.NET.BBND.P2)"]
    # window 3 before reference year 2024 -> rows 3..6 are 2021..2024, the country merged over them
    assert [ws.cell(row=r, column=2).value for r in range(3, 7)] == [2021, 2022, 2023, 2024]
    assert sorted(str(m) for m in ws.merged_cells.ranges) == ["A1:A2", "A3:A6", "B1:B2", "C1:D1"]
    assert ws["A3"].value == "EGY" and not ws.sheet_view.rightToLeft
    assert str(sorted(str(m) for m in wb.worksheets[1].merged_cells.ranges)) == "['A1:A2', 'A3:A6', 'B1:B2']"


def test_template_in_arabic_is_right_to_left(world):
    wb = load_workbook(io.BytesIO(questionnaire_template("EGY", "ar")))
    assert wb.sheetnames == ["تحسين الاتصال الرقمي", "تطوير المهارات والكفاءات"]   # 32 characters -> cut
    ws = wb.worksheets[0]
    assert ws.sheet_view.rightToLeft
    assert [ws["A1"].value, ws["B1"].value] == ["الدولة", "السنة"]   # both among the reader's label headers
    assert ws["C2"].value == "مستخدمو الإنترنت (IT.NET.USER.ZS)"


def test_filled_template_is_read_by_the_importer(world, tmp_path):
    wb = load_workbook(io.BytesIO(questionnaire_template("EGY", "fr")))
    wb.worksheets[0]["C5"] = "72,7"      # 2023 internet users, typed as text in the French convention
    wb.worksheets[0]["D6"] = 11.5        # 2024 fixed broadband
    wb.worksheets[1]["C4"] = 0.49        # 2022 HCI
    path = tmp_path / "retour.xlsx"
    wb.save(path)
    checked = check_questionnaire(path, iso3="EGY", locale="fr", all_sheets=True)
    assert sorted((i.code, y, v) for i, y, v in checked.rows) == [
        ("HCI", 2022, 0.49), ("IT.NET.BBND.P2", 2024, 11.5), ("IT.NET.USER.ZS", 2023, 72.7)]
    assert checked.from_text == 1 and checked.cells_read == 3
