"""Meeting documents on the site: upload, new versions, versions listed; the focal points' rule.

The rule (``services.check_country_contribution``): a focal point uploads its own member state's documents, and
new versions of them, to a meeting that is published, not cancelled and not yet ended, where its delegation has
an active registration; kinds other than agenda and minutes; members-only access. The secretariat is not bound.
"""
from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dtforum.core.models import AuditEvent
from dtforum.forum import services
from dtforum.forum.models import Document, DocumentVersion

PDF = b"%PDF-1.4\n%%EOF\n"   # 9 + 6 = 15 bytes


def ooxml(main_part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", f'<Types><Override PartName="/x.xml" ContentType="{main_part}"/></Types>')
    return buffer.getvalue()


DOCX = ooxml("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")


@pytest.fixture
def running(world, w):
    """A meeting from in 10 days, published, where Egypt's delegate is registered (Türkiye has no delegation)."""
    now = timezone.now()
    meeting = services.create_meeting(world["admin"], **w.meeting_fields(
        start=now + timedelta(days=10), end=now + timedelta(days=10, hours=6),
        registration_deadline=now + timedelta(days=5), publish_at=now - timedelta(days=1)),
        agenda=[{"title_en": "Opening"}])
    services.register(world["delegate_egy"], meeting, world["delegate_egy"])
    return meeting


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_secretariat_uploads_a_public_document_on_the_site(client, world, running):
    client.force_login(world["staff"])
    response = client.post(f"/en/meetings/{running.pk}/documents/new/", {
        "kind": "agenda", "title_en": "Annotated agenda", "access": "public", "file": upload("agenda.pdf", PDF)})
    assert response.status_code == 302 and response["Location"] == f"/en/meetings/{running.pk}/"
    document = Document.objects.get()
    version = document.versions.get()
    assert (document.kind, document.access, document.economy, version.number, version.file_type, version.size) == (
        "agenda", "public", None, 1, "pdf", 15)
    assert version.sha256 == hashlib.sha256(PDF).hexdigest()
    assert [e.action for e in AuditEvent.objects.filter(actor=world["staff"]).order_by("pk")] == [
        "document.create", "document.version"]
    # the public downloads it from the meeting page
    client.logout()
    assert b"".join(client.get(f"/en/documents/{document.pk}/").streaming_content) == PDF


def test_content_not_of_the_claimed_type_is_refused_at_the_file_field_in_french(client, world, running):
    client.force_login(world["staff"])
    response = client.post(f"/fr/meetings/{running.pk}/documents/new/", {
        "kind": "paper", "title_en": "Paper", "access": "members", "file": upload("paper.docx", PDF)})
    assert response.status_code == 400
    assert response.context["forms"][0].errors["file"] == [
        "paper.docx se présente comme DOCX mais son contenu est PDF."]
    assert not Document.objects.exists() and not DocumentVersion.objects.exists()


def test_too_large_is_refused_before_anything_is_stored(client, world, running, settings):
    settings.DTFORUM_DOCUMENT_MAX_BYTES = 10   # the 15-byte PDF is 5 bytes too many
    client.force_login(world["staff"])
    response = client.post(f"/en/meetings/{running.pk}/documents/new/", {
        "kind": "paper", "title_en": "Paper", "access": "members", "file": upload("paper.pdf", PDF)})
    assert response.status_code == 400
    assert response.context["forms"][0].errors["file"] == ["paper.pdf is 15\xa0bytes; the limit is 10\xa0bytes."]
    assert not Document.objects.exists()


def test_focal_point_uploads_its_states_paper_members_only(client, world, running):
    client.force_login(world["focal_egy"])
    page = client.get(f"/en/meetings/{running.pk}/documents/new/")
    form = page.context["forms"][0]
    # neither access nor member state: the rule sets them; agenda and minutes are the secretariat's
    assert "access" not in form.fields and "economy" not in form.fields
    assert [value for value, _label in form.fields["kind"].choices if value] == [
        "paper", "presentation", "report", "other"]
    response = client.post(f"/en/meetings/{running.pk}/documents/new/", {
        "kind": "presentation", "title_en": "Egypt's data strategy", "file": upload("strategy.docx", DOCX)})
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.economy, document.access, document.current.file_type) == (world["egy"], "members", "docx")
    # and a second version; the versions page lists both, newest first
    response = client.post(f"/en/documents/{document.pk}/versions/new/", {"file": upload("strategy-v2.pdf", PDF)})
    assert response.status_code == 302 and response["Location"] == f"/en/documents/{document.pk}/versions/"
    page = client.get(response["Location"])
    assert [(v.number, v.file_type) for v in page.context["versions"]] == [(2, "pdf"), (1, "docx")]
    assert page.context["may_add"] is True
    assert AuditEvent.objects.filter(action="document.version", actor=world["focal_egy"]).count() == 2


def test_focal_point_of_a_state_without_delegation_is_told_why_and_nothing_is_stored(client, world, running):
    client.force_login(world["focal_tur"])
    page = client.get(f"/en/meetings/{running.pk}/documents/new/")
    message = ("Türkiye has no delegation registered for Technical meeting on data governance; register the "
               "delegation first.")
    assert [str(m) for m in page.context["messages"]] == [message]
    response = client.post(f"/en/meetings/{running.pk}/documents/new/", {
        "kind": "paper", "title_en": "Paper", "file": upload("paper.pdf", PDF)})
    assert response.status_code == 400 and response.context["forms"][0].non_field_errors() == [message]
    assert not Document.objects.exists()


def test_focal_point_may_not_version_another_states_or_the_secretariats_document(client, world, running):
    egy = services.add_document(world["focal_egy"], running, upload("a.pdf", PDF), kind="paper", title_en="EGY")
    secretariat = services.add_document(world["staff"], running, upload("b.pdf", PDF), kind="agenda",
                                        title_en="Agenda")
    client.force_login(world["focal_tur"])
    assert client.get(f"/en/documents/{egy.pk}/versions/new/").status_code == 403
    client.force_login(world["focal_egy"])
    assert client.get(f"/en/documents/{secretariat.pk}/versions/new/").status_code == 403
    assert client.get(f"/en/documents/{secretariat.pk}/versions/").context["may_add"] is False
    # the delegate sees the versions but uploads nothing
    client.force_login(world["delegate_egy"])
    assert client.get(f"/en/documents/{egy.pk}/versions/").status_code == 200
    assert client.get(f"/en/meetings/{running.pk}/documents/new/").status_code == 403
    assert DocumentVersion.objects.count() == 2


def test_the_rule_in_the_service(world, running):
    focal = world["focal_egy"]
    before_end = running.end - timedelta(minutes=1)
    with pytest.raises(ValidationError) as error:
        services.add_document(focal, running, upload("m.pdf", PDF), kind="minutes", title_en="M", now=before_end)
    assert error.value.message_dict["kind"] == [
        ("A member state may upload working papers, presentations, reports and other documents; the agenda and "
        "the minutes are the secretariat's.")]
    with pytest.raises(ValidationError) as error:
        services.add_document(focal, running, upload("p.pdf", PDF), kind="paper", title_en="P", access="public")
    assert list(error.value.message_dict) == ["access"]
    with pytest.raises(PermissionDenied, match="You act for Egypt only; Türkiye is another member state."):
        services.add_document(focal, running, upload("p.pdf", PDF), kind="paper", title_en="P",
                              economy=world["tur"])
    document = services.add_document(focal, running, upload("p.pdf", PDF), kind="paper", title_en="P",
                                     now=before_end)
    # one minute after the end the meeting takes no more versions from the focal point...
    after_end = running.end + timedelta(minutes=1)
    local_end = running.local_end.strftime("%Y-%m-%d %H:%M")
    with pytest.raises(ValidationError, match=f"accepted until the meeting ends \\({local_end} Europe/Istanbul\\)"):
        services.add_document_version(focal, document, upload("p2.pdf", PDF), now=after_end)
    # ...but the secretariat still versions it
    assert services.add_document_version(world["staff"], document, upload("p2.pdf", PDF), now=after_end).number == 2
    services.cancel_meeting(world["admin"], running)
    with pytest.raises(ValidationError, match="has been cancelled"):
        services.add_document_version(focal, document, upload("p3.pdf", PDF), now=before_end)
    assert document.versions.count() == 2
