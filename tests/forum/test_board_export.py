"""The follow-up board's export: CSV and XLSX of the action items with the board's filters, secretariat only."""
from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from dtforum.forum import services
from dtforum.forum.models import ThematicArea


@pytest.fixture
def items(world, w):
    """Three action items: EGY overdue (area 1), TUR done (area 1), secretariat in progress (no area)."""
    meeting = services.create_meeting(world["admin"], **w.meeting_fields())
    decision = services.adopt_decision(world["admin"], meeting, reference="DTF/T/2025/1", text_en="Agreed.",
                                       text_fr="Convenu.", text_ar="تم الاتفاق.", adopted_on=date(2025, 3, 20))
    area = ThematicArea.objects.order_by("order").first()
    egy = services.create_action_item(world["admin"], decision, title_en="Share", title_fr="Partager",
                                      due_date=date(2020, 1, 1), owner_economy=world["egy"], area=area)
    tur = services.create_action_item(world["admin"], decision, title_en="Publish", title_fr="Publier",
                                      due_date=date(2030, 1, 1), owner_economy=world["tur"], area=area)
    sec = services.create_action_item(world["admin"], decision, title_en="Compile", title_fr="Compiler",
                                      due_date=date(2999, 12, 31), owner_secretariat=True)
    services.report_follow_up(world["focal_tur"], tur, text="Published.", status="done")
    services.report_follow_up(world["staff"], sec, text="Started.", status="in_progress")
    return {"area": area, "egy": egy, "tur": tur, "sec": sec}


def test_csv_has_one_row_per_item_in_due_order_with_codes(client, world, items):
    client.force_login(world["staff"])
    response = client.get("/fr/follow-up/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="follow-up-{today}.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    code = items["area"].code
    assert rows == [
        ["decision", "action_item", "owner_code", "owner", "area_code", "area", "due_date", "status_code",
         "status", "overdue", "closed_on", "last_report_on"],
        # due 2020-01-01, open: overdue; names in French (the page's language)
        ["DTF/T/2025/1", "Partager", "EGY", "Égypte", code, items["area"].name_fr, "2020-01-01", "open",
         "ouvert", "1", "", ""],
        ["DTF/T/2025/1", "Publier", "TUR", "Turquie", code, items["area"].name_fr, "2030-01-01", "done",
         "réalisé", "0", today, today],
        ["DTF/T/2025/1", "Compiler", "SEC", "Secrétariat", "", "", "2999-12-31", "in_progress", "en cours", "0",
         "", today],
    ]


def test_filters_of_the_board_apply_to_the_export(client, world, items):
    client.force_login(world["staff"])
    overdue = list(csv.reader(io.StringIO(client.get("/en/follow-up/export.csv?status=overdue")
                                          .content.decode()[1:])))
    assert [row[2] for row in overdue[1:]] == ["EGY"]
    secretariat = list(csv.reader(io.StringIO(client.get("/en/follow-up/export.csv?country=SEC")
                                              .content.decode()[1:])))
    assert [row[2] for row in secretariat[1:]] == ["SEC"]
    # an unknown status is ignored rather than emptying the board
    assert len(client.get("/en/follow-up/export.csv?status=nonsense").content.decode().splitlines()) == 4


def test_xlsx_has_the_items_and_the_counts_by_status_area_and_owner(client, world, items):
    client.force_login(world["staff"])
    response = client.get("/ar/follow-up/export.xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["items", "by_status", "by_area", "by_owner"]
    assert all(sheet.sheet_view.rightToLeft for sheet in book.worksheets)   # Arabic request
    values = {name: [list(r) for r in book[name].iter_rows(values_only=True)] for name in book.sheetnames}
    # headers of the counts in Arabic (the items sheet keeps the column codes of the CSV)
    assert values["by_status"][0] == ["الحالة", "الإجراءات المطلوبة"]
    assert values["by_owner"][0] == ["المسؤول", "مفتوح", "متأخرة", "منجز"]
    assert [(r[2], r[6].date(), r[9]) for r in values["items"][1:]] == [
        ("EGY", date(2020, 1, 1), True), ("TUR", date(2030, 1, 1), False), ("SEC", date(2999, 12, 31), False)]
    # statuses in the model's order: open 1 (EGY), in progress 1 (SEC), done 1 (TUR), cancelled 0
    assert [r[1] for r in values["by_status"][1:]] == [1, 1, 1, 0]
    # area 1 (its Arabic name sorts before "—"): EGY open and overdue, TUR done; "—": the secretariat's item
    assert values["by_area"][1:] == [[items["area"].name_ar, 1, 1, 1], ["—", 1, 0, 0]]
    by_owner = {r[0]: r[1:] for r in values["by_owner"][1:]}
    assert by_owner == {"مصر": [1, 1, 0], "تركيا": [0, 0, 1], "الأمانة": [1, 0, 0]}


def test_only_the_secretariat_exports(client, world, items):
    for who in ("focal_egy", "delegate_egy", "observer"):
        client.force_login(world[who])
        assert client.get("/en/follow-up/export.csv").status_code == 403
    client.force_login(world["staff"])
    assert client.get("/en/follow-up/export.pdf").status_code == 404
