"""Forum services: the bad inputs of issue 5 (clear error, nothing stored) and the audit trail."""
from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from dtforum.core.models import AuditEvent
from dtforum.forum import services
from dtforum.forum.models import ActionItem, Decision, Document, DocumentVersion, Meeting, Registration

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def ooxml(main_part: str) -> bytes:
    """A minimal Office Open XML package declaring ``main_part`` in [Content_Types].xml."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", f'<Types><Override PartName="/x.xml" ContentType="{main_part}"/></Types>')
        package.writestr("x.xml", "<x/>")
    return buffer.getvalue()


DOCX = ooxml("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")
XLSX = ooxml("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")


@pytest.fixture
def meeting(world, w):
    return services.create_meeting(world["admin"], **w.meeting_fields(), agenda=[{"title_en": "Opening"}])


# --- meetings ------------------------------------------------------------------------------------------

def test_end_before_start_is_refused_and_nothing_stored(world, w):
    fields = w.meeting_fields(end=datetime(2025, 3, 20, 6, 0, tzinfo=UTC))
    with pytest.raises(ValidationError) as error:
        services.create_meeting(world["admin"], **fields, agenda=[{"title_en": "Opening"}])
    assert error.value.message_dict["end"] == ["The meeting ends (2025-03-20 06:00) before it starts (2025-03-20 07:00)."]
    assert Meeting.objects.count() == 0
    assert not AuditEvent.objects.filter(action="meeting.create").exists()


def test_meeting_errors_in_the_users_language(world, w):
    fields = w.meeting_fields(end=datetime(2025, 3, 20, 6, 0, tzinfo=UTC))
    with translation.override("fr"), pytest.raises(ValidationError) as error:
        services.create_meeting(world["admin"], **fields)
    assert error.value.message_dict["end"] == [
        "La réunion se termine (2025-03-20 06:00) avant de commencer (2025-03-20 07:00)."]


def test_only_the_secretariat_convenes(world, w):
    with pytest.raises(PermissionDenied, match="Only the Forum secretariat"):
        services.create_meeting(world["focal_egy"], **w.meeting_fields())
    assert Meeting.objects.count() == 0


def test_create_meeting_is_audited_with_after_state(world, meeting):
    event = AuditEvent.objects.get(action="meeting.create")
    assert event.actor == world["admin"]
    assert event.after["title_en"] == "Technical meeting on data governance"
    assert event.after["start"] == "2025-03-20T07:00:00Z"
    assert AuditEvent.objects.filter(action="agenda_item.create").count() == 1


# --- registrations ---------------------------------------------------------------------------------------

def test_registration_after_deadline_is_refused(world, w, meeting):
    late = datetime(2025, 3, 14, 0, 0, tzinfo=UTC)   # one minute after 2025-03-13 23:59 UTC
    with pytest.raises(ValidationError) as error:
        services.register(world["delegate_egy"], meeting, world["delegate_egy"], now=late)
    # 23:59 UTC is 02:59 the next day in Istanbul (UTC+3): the message speaks the venue's time.
    assert error.value.messages == [
        "Registration for Technical meeting on data governance closed on 2025-03-14 02:59."]
    assert Registration.objects.count() == 0
    assert len(mail.outbox) == 0


def test_registration_twice_for_the_same_person_is_refused(world, w, meeting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.register(world["delegate_egy"], meeting, world["delegate_egy"], now=w.NOW)
    assert first.delegation.economy == world["egy"]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["delegate@egy.example"]
    assert "Registration confirmed" in mail.outbox[0].subject
    assert mail.outbox[0].attachments[0][0] == "meeting.ics"
    with pytest.raises(ValidationError) as error:
        services.register(world["focal_egy"], meeting, world["delegate_egy"], now=w.NOW)
    assert error.value.message_dict["person"] == [
        "Delegate Test is already registered for Technical meeting on data governance."]
    assert Registration.objects.count() == 1


def test_focal_point_cannot_register_another_countrys_delegate(world, w, meeting):
    with pytest.raises(PermissionDenied) as error:
        services.register(world["focal_egy"], meeting, world["delegate_tur"], now=w.NOW, head=True)
    assert str(error.value) == "You act for Egypt only; Türkiye is another member state."
    assert Registration.objects.count() == 0
    assert meeting.delegations.count() == 0


def test_focal_point_registers_own_head_of_delegation(world, w, meeting):
    registration = services.register(world["focal_egy"], meeting, world["delegate_egy"], head=True, now=w.NOW)
    assert registration.delegation.head == registration
    assert registration.registered_by == world["focal_egy"]
    services.withdraw_registration(world["focal_egy"], registration)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.WITHDRAWN
    assert registration.delegation.head is None
    # withdrawn is kept, and the person may register again
    services.register(world["delegate_egy"], meeting, world["delegate_egy"], now=w.NOW)
    assert Registration.objects.filter(person=world["delegate_egy"]).count() == 2


# --- documents -------------------------------------------------------------------------------------------

def test_oversized_document_is_refused(world, meeting, settings):
    settings.DTFORUM_DOCUMENT_MAX_BYTES = 50
    upload = SimpleUploadedFile("paper.pdf", PDF)   # lines of 9+31+23+6 = 69 bytes > 50
    assert len(PDF) == 69
    with pytest.raises(ValidationError) as error:
        services.add_document(world["admin"], meeting, upload, kind="paper", title_en="Paper")
    assert error.value.message_dict["file"] == ["paper.pdf is 69\xa0bytes; the limit is 50\xa0bytes."]
    assert Document.objects.count() == 0 and DocumentVersion.objects.count() == 0


@pytest.mark.parametrize(("name", "content", "found"), [
    ("paper.pdf", b"plain text pretending", "not a PDF, DOCX, XLSX or PPTX file"),
    ("notes.docx", XLSX, "XLSX"),
    ("table.xlsx", PDF, "PDF"),
])
def test_document_content_not_of_the_claimed_type_is_refused(world, meeting, name, content, found):
    with pytest.raises(ValidationError) as error:
        services.add_document(world["admin"], meeting, SimpleUploadedFile(name, content), kind="paper",
                              title_en="Paper")
    claimed = name.rsplit(".", 1)[1].upper()
    assert error.value.message_dict["file"] == [f"{name} claims to be {claimed} but its content is {found}."]
    assert Document.objects.count() == 0 and DocumentVersion.objects.count() == 0


def test_document_versions_are_kept(world, meeting):
    document = services.add_document(world["admin"], meeting, SimpleUploadedFile("paper.pdf", PDF),
                                     kind="paper", title_en="Paper")
    services.add_document_version(world["staff"], document, SimpleUploadedFile("paper.docx", DOCX))
    versions = list(document.versions.order_by("number").values_list("number", "file_type", "size"))
    assert versions == [(1, "pdf", 69), (2, "docx", len(DOCX))]
    assert document.current.file_type == "docx"


# --- decisions, action items, follow-up ----------------------------------------------------------------

@pytest.fixture
def decision(world, meeting):
    return services.adopt_decision(world["admin"], meeting, reference="DTF/T/2025/1", text_en="Members agree.",
                                   text_fr="Les membres conviennent.", text_ar="يتفق الأعضاء.",
                                   adopted_on=date(2025, 3, 20))


def test_action_item_without_owner_is_refused(world, decision):
    with pytest.raises(ValidationError) as error:
        services.create_action_item(world["admin"], decision, title_en="Share the national strategy",
                                    due_date=date(2025, 6, 30))
    assert error.value.message_dict["owner_economy"] == [
        "An action item needs one owner: either a responsible member state or the secretariat."]
    assert ActionItem.objects.count() == 0


def test_action_item_with_two_owners_is_refused(world, decision):
    with pytest.raises(ValidationError):
        services.create_action_item(world["admin"], decision, title_en="x", due_date=date(2025, 6, 30),
                                    owner_economy=world["egy"], owner_secretariat=True)
    assert ActionItem.objects.count() == 0


def test_follow_up_by_own_focal_point_and_refused_for_another(world, decision):
    item = services.create_action_item(world["admin"], decision, title_en="Share the strategy",
                                       due_date=date(2025, 6, 30), owner_economy=world["egy"])
    with pytest.raises(PermissionDenied, match="You act for Türkiye only; Egypt is another member state."):
        services.report_follow_up(world["focal_tur"], item, text="Done", status="done")
    with pytest.raises(PermissionDenied):
        services.report_follow_up(world["delegate_egy"], item, text="Done", status="done")
    services.report_follow_up(world["focal_egy"], item, text="Strategy shared on the platform.", status="done")
    item.refresh_from_db()
    assert item.status == "done" and item.closed_at is not None
    event = AuditEvent.objects.get(action="action_item.status")
    assert (event.before["status"], event.after["status"]) == ("open", "done")
    with pytest.raises(ValidationError, match="closed"):
        services.report_follow_up(world["admin"], item, text="again", status="open")
    assert item.reports.count() == 1


def test_decision_count_and_audit(world, decision):
    assert Decision.objects.count() == 1
    assert AuditEvent.objects.get(action="decision.adopt").after["reference"] == "DTF/T/2025/1"


def test_reminders_and_minutes_notifications_are_sent_once(world, w, meeting):
    services.register(world["delegate_egy"], meeting, world["delegate_egy"], now=w.NOW)
    services.register(world["observer"], meeting, world["observer"], now=w.NOW)
    mail.outbox.clear()
    # meeting starts 2025-03-20 07:00 UTC; 2025-03-14 is within 7 days, 2025-03-01 is not
    assert services.send_reminders(days=7, now=w.NOW) == 0
    assert services.send_reminders(days=7, now=datetime(2025, 3, 14, tzinfo=UTC)) == 2
    assert services.send_reminders(days=7, now=datetime(2025, 3, 15, tzinfo=UTC)) == 0
    services.save_minutes(world["admin"], meeting, text_en="Minutes.", publish_at=w.NOW + timedelta(days=30))
    assert services.notify_minutes_published(now=w.NOW) == 0
    assert services.notify_minutes_published(now=w.NOW + timedelta(days=31)) == 2
    assert services.notify_minutes_published(now=w.NOW + timedelta(days=32)) == 0
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects[0] == "Minutes published: Technical meeting on data governance"
    assert len(mail.outbox) == 4


def test_head_of_delegation_is_one_of_its_registrations(world, w, meeting):
    egy = services.register(world["delegate_egy"], meeting, world["delegate_egy"], now=w.NOW)
    tur = services.register(world["delegate_tur"], meeting, world["delegate_tur"], now=w.NOW)
    with pytest.raises(ValidationError) as error:
        services.set_head_of_delegation(world["staff"], egy.delegation, tur)
    assert error.value.message_dict["head"] == [
        "Delegate Test is not registered in the delegation of Egypt, so cannot head it."]
    with pytest.raises(PermissionDenied, match="You act for Türkiye only; Egypt is another member state."):
        services.set_head_of_delegation(world["focal_tur"], egy.delegation, egy)
    services.withdraw_registration(world["delegate_egy"], egy)
    egy.refresh_from_db()
    with pytest.raises(ValidationError):   # a withdrawn registration heads nothing
        services.set_head_of_delegation(world["staff"], egy.delegation, egy)
    egy.delegation.refresh_from_db()
    assert egy.delegation.head is None
    assert not AuditEvent.objects.filter(action="delegation.head").exists()
    fresh = services.register(world["delegate_egy"], meeting, world["delegate_egy"], now=w.NOW)
    assert services.set_head_of_delegation(world["focal_egy"], fresh.delegation, fresh).head == fresh
    assert AuditEvent.objects.get(action="delegation.head").actor == world["focal_egy"]
