"""The admin enforces the site's rules and writes through the same services (one example per model).

Each bad input is refused on the admin form with its message and nothing stored; each good one is audited under
the service's action (``meeting.create``...), not a generic admin event.
"""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from dtforum.core.models import AuditEvent
from dtforum.forum import services
from dtforum.forum.models import ActionItem, Decision, Meeting, Minutes, Registration

INLINE = {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": "1000"}


def inline(prefix: str, **extra) -> dict:
    return {f"{prefix}-{k}": v for k, v in INLINE.items()} | {f"{prefix}-{k}": v for k, v in extra.items()}


MEETING = {"kind": "technical", "status": "planned", "title_en": "Admin meeting", "title_fr": "", "title_ar": "",
           "start_0": "2025-03-20", "start_1": "07:00", "end_0": "2025-03-20", "end_1": "13:00",
           "time_zone": "Europe/Istanbul", "venue": "Ankara", "online_url": "",
           "registration_deadline_0": "2025-03-13", "registration_deadline_1": "23:59",
           "publish_at_0": "2025-02-01", "publish_at_1": "09:00"} | inline("agenda_items")


@pytest.fixture
def staff(client, world):
    client.force_login(world["staff"])
    return client


@pytest.fixture
def meeting(world, w):
    return services.create_meeting(world["admin"], **w.meeting_fields())


def errors_of(response) -> dict:
    assert response.status_code == 200, response.status_code    # the admin shows the form again
    return dict(response.context["adminform"].form.errors)


def test_meeting_admin_refuses_end_before_start_and_creates_through_the_service(staff, world):
    errors = errors_of(staff.post("/en/admin/forum/meeting/add/", MEETING | {"end_1": "06:00"}))
    assert errors["end"] == ["The meeting ends (2025-03-20 06:00) before it starts (2025-03-20 07:00)."]
    assert not Meeting.objects.exists()
    response = staff.post("/en/admin/forum/meeting/add/", MEETING | inline(
        "agenda_items", TOTAL_FORMS="1", **{"0-order": "1", "0-title_en": "Opening"}))
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.start == datetime(2025, 3, 20, 7, 0, tzinfo=UTC) and meeting.uid.endswith("@dtforum")
    assert list(meeting.agenda_items.values_list("title_en", flat=True)) == ["Opening"]
    assert list(AuditEvent.objects.filter(actor=world["staff"]).values_list("action", flat=True).order_by("pk")) == [
        "meeting.create", "admin.add"]   # the meeting by its service, the inline agenda item by the admin
    response = staff.post(f"/en/admin/forum/meeting/{meeting.pk}/change/", MEETING | {"venue": "Istanbul"} | inline(
        "agenda_items", TOTAL_FORMS="1", INITIAL_FORMS="1", **{"0-id": meeting.agenda_items.get().pk,
                                                                "0-meeting": meeting.pk, "0-order": "1",
                                                                "0-title_en": "Opening"}))
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action="meeting.update").get()
    assert (event.before["venue"], event.after["venue"]) == ("Ankara", "Istanbul")


def test_decision_admin_requires_the_three_texts_and_adopts_through_the_service(staff, world, meeting):
    data = {"meeting": meeting.pk, "reference": "DTF/T/2025/1", "text_en": "Members agree.", "text_fr": "Convenu.",
            "text_ar": "", "adopted_on": "2025-03-20", "is_public": "on"} | inline("action_items")
    assert errors_of(staff.post("/en/admin/forum/decision/add/", data))["text_ar"] == ["This field is required."]
    assert not Decision.objects.exists()
    data |= {"text_ar": "تم الاتفاق."} | inline("action_items", TOTAL_FORMS="1", **{
        "0-title_en": "Share", "0-owner_economy": world["egy"].pk, "0-due_date": "2025-06-30"})
    assert staff.post("/en/admin/forum/decision/add/", data).status_code == 302
    item = ActionItem.objects.get()
    assert (item.decision.reference, item.owner_economy, item.status) == ("DTF/T/2025/1", world["egy"], "open")
    assert list(AuditEvent.objects.filter(actor=world["staff"]).values_list("action", flat=True).order_by("pk")) == [
        "decision.adopt", "action_item.create"]


def test_action_item_admin_needs_exactly_one_owner(staff, world, meeting):
    decision = services.adopt_decision(world["admin"], meeting, reference="R/1", text_en="t", text_fr="t",
                                       text_ar="t", adopted_on=date(2025, 3, 20))
    data = {"decision": decision.pk, "title_en": "Share", "title_fr": "", "title_ar": "",
            "owner_economy": world["egy"].pk, "owner_secretariat": "on", "due_date": "2025-06-30"} | inline("reports")
    errors = errors_of(staff.post("/en/admin/forum/actionitem/add/", data))
    assert errors["owner_economy"] == [
        "An action item needs one owner: either a responsible member state or the secretariat."]
    assert not ActionItem.objects.exists()
    del data["owner_secretariat"]
    assert staff.post("/en/admin/forum/actionitem/add/", data).status_code == 302
    assert AuditEvent.objects.get(actor=world["staff"]).action == "action_item.create"


def test_minutes_admin_saves_through_the_service(staff, world, meeting):
    data = {"meeting": meeting.pk, "text_en": "", "text_fr": "", "text_ar": "", "publish_at_0": "", "publish_at_1": ""}
    assert errors_of(staff.post("/en/admin/forum/minutes/add/", data))["text_en"] == ["This field is required."]
    assert staff.post("/en/admin/forum/minutes/add/", data | {"text_en": "Opened."}).status_code == 302
    assert Minutes.objects.get().text_en == "Opened."
    assert AuditEvent.objects.get(actor=world["staff"]).action == "minutes.create"


def test_delegation_admin_head_must_be_one_of_its_registrations(staff, world, w, meeting):
    egy = services.register(world["delegate_egy"], meeting, world["delegate_egy"], now=w.NOW)
    tur = services.register(world["delegate_tur"], meeting, world["delegate_tur"], now=w.NOW)
    url = f"/en/admin/forum/delegation/{egy.delegation_id}/change/"
    # Türkiye's delegate is not even offered for Egypt's delegation
    assert errors_of(staff.post(url, {"head": tur.pk}))["head"] == [
        "Select a valid choice. That choice is not one of the available choices."]
    assert staff.post(url, {"head": egy.pk}).status_code == 302
    egy.delegation.refresh_from_db()
    assert egy.delegation.head == egy
    assert AuditEvent.objects.get(actor=world["staff"]).action == "delegation.head"


def test_registration_admin_records_attendance_and_keeps_the_status(staff, world, w, meeting):
    registration = services.register(world["delegate_egy"], meeting, world["delegate_egy"], now=w.NOW)
    url = f"/en/admin/forum/registration/{registration.pk}/change/"
    assert staff.post(url, {"attended": "true", "status": "withdrawn"}).status_code == 302
    registration.refresh_from_db()
    # status is read-only in the admin (withdrawal has its own action and rules)
    assert (registration.attended, registration.status) == (True, Registration.Status.REGISTERED)
    assert AuditEvent.objects.get(actor=world["staff"]).action == "registration.attendance"
