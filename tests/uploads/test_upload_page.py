"""The questionnaire upload page: roles, a good return imported through the task, bad uploads storing nothing."""
from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from dtforum.core.models import AuditEvent
from dtforum.observatory.models import Observation
from dtforum.observatory.uploads import questionnaire_template

URL = "/en/data/questionnaire/"


def filled(iso3="EGY", language="en", internet="72.7") -> bytes:
    wb = load_workbook(io.BytesIO(questionnaire_template(iso3, language)))
    wb.worksheets[0]["C5"] = internet    # IT.NET.USER.ZS 2023
    wb.worksheets[1]["C4"] = 0.49        # HCI 2022
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(user, content: bytes, *, economy="EGY", locale="en", name="return.xlsx", url=URL):
    return client_for(user).post(url, {"economy": economy, "locale": locale,
                                       "file": SimpleUploadedFile(name, content)})


def trail() -> list[str]:
    """Audit actions of uploads and imports, oldest first (the world's own membership events left out)."""
    return list(AuditEvent.objects.filter(action__regex=r"^(questionnaire|ingest)\.").order_by("pk")
                .values_list("action", flat=True))


def stored_files(settings) -> list:
    root = settings.MEDIA_ROOT / "questionnaires"
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_focal_point_uploads_own_return_and_it_is_imported(world, settings):
    response = post(world["focal_egy"], filled())
    assert response.status_code == 302
    values = sorted(Observation.objects.values_list("economy__iso3", "indicator__code", "year", "value"))
    assert values == [("EGY", "HCI", 2022, 0.49), ("EGY", "IT.NET.USER.ZS", 2023, 72.7)]
    assert trail() == [
        "questionnaire.upload", "ingest.questionnaire", "questionnaire.upload.imported"]
    received = AuditEvent.objects.get(action="questionnaire.upload")
    assert received.actor == world["focal_egy"] and received.after["values"] == 2
    assert received.after["file"] == "return.xlsx" and received.after["locale"] == "en"
    assert stored_files(settings) == [f"{received.object_id}.xlsx"]
    # the source is named after the latest data year in the return (2023)
    assert AuditEvent.objects.get(action="questionnaire.upload.imported").after == {
        "source": "questionnaire.EGY.2023", "observations": 2, "from_text": 1}
    page = client_for(world["staff"]).get(URL).content.decode()
    assert "return.xlsx" in page and "imported" in page and "questionnaire.EGY.2023: 2" in page


def test_focal_point_cannot_upload_for_another_state(world, settings):
    response = post(world["focal_egy"], filled("TUR"), economy="TUR")
    assert response.status_code == 403
    assert stored_files(settings) == [] and not trail() and not Observation.objects.exists()


def test_secretariat_uploads_for_any_state_and_sees_all(world):
    assert post(world["staff"], filled("TUR"), economy="TUR").status_code == 302
    assert post(world["focal_egy"], filled()).status_code == 302
    assert sorted(Observation.objects.values_list("economy__iso3", flat=True).distinct()) == ["EGY", "TUR"]
    egy_page = client_for(world["focal_egy"]).get(URL).content.decode()
    # a focal point's list shows its own state's uploads only: one row, EGY
    assert egy_page.count("<td>EGY</td>") == 1 and "<td>TUR</td>" not in egy_page


@pytest.mark.parametrize("role", ["delegate_egy", "observer", "norole"])
def test_other_roles_are_refused(world, role):
    assert client_for(world[role]).get(URL).status_code == 403
    assert post(world[role], filled()).status_code == 403
    assert not trail()


def test_anonymous_is_sent_to_sign_in(world):
    response = Client().get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def _package(content_type: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", f'<Types><Override PartName="/x" ContentType="{content_type}"/></Types>')
    return buffer.getvalue()


@pytest.mark.parametrize(("content", "message"), [
    (b"%PDF-1.4\n%%EOF\n", "return.xlsx is not an Excel workbook (.xlsx)"),
    (_package("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
     "return.xlsx is an Office Open XML package but not an Excel workbook (.xlsx)."),
    (b"", "return.xlsx is empty."),
])
def test_files_that_are_not_xlsx_are_refused(world, settings, content, message):
    response = post(world["focal_egy"], content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert stored_files(settings) == [] and not trail()


def test_too_large_file_is_refused(world, settings):
    settings.DTFORUM_UPLOAD_MAX_BYTES = 1000
    content = filled()
    response = post(world["focal_egy"], content)
    assert response.status_code == 400
    assert f"return.xlsx is {len(content)} bytes; the largest file accepted is 1000 bytes." in \
        response.content.decode()
    assert stored_files(settings) == []


def test_bad_value_names_sheet_row_and_column_and_stores_nothing(world, settings):
    response = post(world["focal_egy"], filled(internet="12a"))
    assert response.status_code == 400
    # "12a" in C5 of the first sheet, read under the English convention
    assert ("sheet “Improving digital connectivity”, row 5, column C: expected a number (decimal separator "
            "&#x27;.&#x27;, thousands separator among [&#x27;,&#x27;]) or a missing-data marker (&#x27;..&#x27;, "
            "&#x27;n/a&#x27;, empty), found “12a”" in response.content.decode())
    assert stored_files(settings) == [] and not Observation.objects.exists() and not trail()


def test_wrong_declared_locale_is_refused(world, settings):
    response = post(world["focal_egy"], filled(), locale="xx")
    assert response.status_code == 400
    assert "Unknown number convention xx" in response.content.decode()
    assert stored_files(settings) == []


def test_template_download(world):
    response = client_for(world["focal_egy"]).get("/ar/data/questionnaire/EGY/template.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="questionnaire-t1-EGY-ar.xlsx"'
    assert load_workbook(io.BytesIO(response.content)).worksheets[0].sheet_view.rightToLeft
    assert client_for(world["focal_egy"]).get("/en/data/questionnaire/TUR/template.xlsx").status_code == 403


def test_tasks_page_starts_a_build_and_shows_its_failure(world):
    client = client_for(world["staff"])
    # no observation in the store: the edition cannot be computed, the task fails and says why
    response = client.post("/en/data/tasks/", {"edition": "t1"})
    assert response.status_code == 302
    page = client.get("/en/data/tasks/").content.decode()
    failed = AuditEvent.objects.get(action="edition.build.failed")
    assert "Failed" in page and failed.object_id in page
    assert AuditEvent.objects.get(action="edition.build.requested").after == {
        "edition": "t1", "ingest": False, "pdf": False, "backend": "default"}
    assert client_for(world["focal_egy"]).get("/en/data/tasks/").status_code == 403


def test_messages_in_the_users_language(world, settings):
    french = "/fr/data/questionnaire/"
    response = post(world["focal_egy"], filled(language="fr", internet="12a"), locale="fr", url=french)
    assert response.status_code == 400
    page = response.content.decode()
    # location words translated; the reader's description of the number convention stays as written
    # sheet name: "Améliorer la connectivité numérique" (35 characters) cut at a word within 31
    assert "feuille « Améliorer la connectivité », ligne 5, colonne C: attendu : a number" in page
    assert "Le fichier n'a pas été accepté ; rien n'a été enregistré :" in page
    assert "return.xlsx est vide." in post(world["focal_egy"], b"", url=french).content.decode()
    arabic = post(world["focal_egy"], b"", url="/ar/data/questionnaire/").content.decode()
    assert "الملف return.xlsx فارغ." in arabic and 'dir="rtl"' in arabic
    assert not trail()
