"""The secretariat's forms on the site: meetings with agenda, decisions, action items, minutes.

Every form writes through the services (audited, validated); errors come back next to their field, in the
language of the page, with nothing stored.
"""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from dtforum.core.models import AuditEvent
from dtforum.forum import services
from dtforum.forum.models import ActionItem, Decision, Meeting, Minutes, ThematicArea

MEETING = {"meeting-kind": "technical", "meeting-title_en": "Technical meeting on data governance",
           "meeting-title_fr": "Réunion technique", "meeting-title_ar": "اجتماع فني",
           # typed as the clock in Istanbul shows it (UTC+3): 10:00 there is 07:00 UTC
           "meeting-start": "2025-03-20T10:00", "meeting-end": "2025-03-20T16:00",
           "meeting-time_zone": "Europe/Istanbul", "meeting-venue": "Ankara", "meeting-online_url": "",
           "meeting-registration_deadline": "2025-03-13T23:59", "meeting-publish_at": "2025-02-01T09:00",
           "agenda-TOTAL_FORMS": "3", "agenda-INITIAL_FORMS": "0", "agenda-MIN_NUM_FORMS": "0",
           "agenda-MAX_NUM_FORMS": "1000",
           "agenda-0-title_en": "Opening", "agenda-1-title_en": "National data strategies",
           "agenda-1-title_ar": "الاستراتيجيات الوطنية للبيانات"}


@pytest.fixture
def staff(client, world):
    client.force_login(world["staff"])
    return client


def test_secretariat_convenes_a_meeting_with_its_agenda(staff, world):
    area = ThematicArea.objects.order_by("order").first()
    response = staff.post("/en/meetings/new/", MEETING | {"meeting-areas": [area.pk]})
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/en/meetings/{meeting.pk}/"
    assert meeting.start == datetime(2025, 3, 20, 7, 0, tzinfo=UTC)          # 10:00 - 3 h
    assert meeting.registration_deadline == datetime(2025, 3, 13, 20, 59, tzinfo=UTC)
    assert [(i.order, i.title_en, i.title_ar) for i in meeting.agenda_items.all()] == [
        (1, "Opening", ""), (2, "National data strategies", "الاستراتيجيات الوطنية للبيانات")]
    assert list(meeting.areas.all()) == [area]
    assert sorted(AuditEvent.objects.filter(actor=world["staff"]).values_list("action", flat=True)) == [
        "agenda_item.create", "agenda_item.create", "meeting.create"]


def test_meeting_form_shows_the_error_at_its_field_in_french_and_stores_nothing(staff):
    response = staff.post("/fr/meetings/new/", MEETING | {"meeting-end": "2025-03-20T09:00"})
    assert response.status_code == 400
    form = response.context["forms"][0]
    # the times as typed, in the meeting's time zone
    assert form.errors["end"] == ["La réunion se termine (2025-03-20 09:00) avant de commencer (2025-03-20 10:00)."]
    assert Meeting.objects.count() == 0 and not AuditEvent.objects.filter(action="meeting.create").exists()


def test_changing_a_meeting_keeps_its_agenda_items_and_audits_each_change(staff, world, w):
    meeting = services.create_meeting(world["admin"], **w.meeting_fields(), agenda=[{"title_en": "Opening"}])
    first = meeting.agenda_items.get()
    page = staff.get(f"/en/meetings/{meeting.pk}/edit/")
    # stored 07:00 UTC is shown as 10:00 in Istanbul
    assert 'value="2025-03-20T10:00"' in page.content.decode()
    data = MEETING | {"meeting-venue": "Istanbul", "agenda-TOTAL_FORMS": "2", "agenda-INITIAL_FORMS": "1",
                      "agenda-0-id": first.pk, "agenda-0-meeting": meeting.pk, "agenda-0-title_en": "Opening session",
                      "agenda-1-title_en": "Closing", "agenda-1-title_ar": ""}
    response = staff.post(f"/en/meetings/{meeting.pk}/edit/", data)
    assert response.status_code == 302, response.context["forms"][0].errors
    meeting.refresh_from_db()
    assert meeting.venue == "Istanbul"
    assert [(i.pk == first.pk, i.order, i.title_en) for i in meeting.agenda_items.all()] == [
        (True, 1, "Opening session"), (False, 2, "Closing")]
    assert sorted(AuditEvent.objects.filter(actor=world["staff"]).values_list("action", flat=True)) == [
        "agenda_item.create", "agenda_item.update", "meeting.update"]


def test_decision_needs_its_three_texts_and_is_adopted_with_its_areas(staff, world, w):
    meeting = services.create_meeting(world["admin"], **w.meeting_fields())
    areas = list(ThematicArea.objects.order_by("order")[:2])
    data = {"reference": "DTF/T/2025/1", "adopted_on": "2025-03-20", "text_en": "Members agree.",
            "text_fr": "Les membres conviennent.", "text_ar": "", "areas": [a.pk for a in areas], "is_public": "on"}
    response = staff.post(f"/ar/meetings/{meeting.pk}/decisions/new/", data)
    assert response.status_code == 400
    assert response.context["forms"][0].errors["text_ar"] == ["هذا الحقل مطلوب."]   # Django's "required", Arabic
    assert Decision.objects.count() == 0
    response = staff.post(f"/en/meetings/{meeting.pk}/decisions/new/", data | {"text_ar": "يتفق الأعضاء."})
    decision = Decision.objects.get()
    assert response["Location"] == f"/en/decisions/{decision.pk}/"
    assert (decision.text_ar, sorted(a.pk for a in decision.areas.all())) == ("يتفق الأعضاء.", sorted(a.pk for a in areas))
    assert AuditEvent.objects.get(action="decision.adopt").actor == world["staff"]
    # the reference is unique: a second decision with it is refused at the field
    response = staff.post(f"/en/meetings/{meeting.pk}/decisions/new/", data | {"text_ar": "x"})
    assert response.status_code == 400 and "reference" in response.context["forms"][0].errors


def test_action_item_needs_one_owner(staff, world, w):
    meeting = services.create_meeting(world["admin"], **w.meeting_fields())
    decision = services.adopt_decision(world["admin"], meeting, reference="R/1", text_en="t", text_fr="t",
                                       text_ar="t", adopted_on=date(2025, 3, 20))
    data = {"title_en": "Share the national strategy", "owner": "", "due_date": "2025-06-30"}
    response = staff.post(f"/en/decisions/{decision.pk}/action-items/new/", data)
    assert response.status_code == 400
    assert response.context["forms"][0].errors["owner"] == [
        "An action item needs one owner: either a responsible member state or the secretariat."]
    response = staff.post(f"/en/decisions/{decision.pk}/action-items/new/", data | {"owner": "EGY"})
    assert response.status_code == 302
    response = staff.post(f"/en/decisions/{decision.pk}/action-items/new/", data | {"owner": "SEC"})
    assert [(i.owner_economy_id and i.owner_economy.iso3, i.owner_secretariat, i.due_date)
            for i in ActionItem.objects.order_by("pk")] == [
        ("EGY", False, date(2025, 6, 30)), (None, True, date(2025, 6, 30))]
    assert AuditEvent.objects.filter(action="action_item.create", actor=world["staff"]).count() == 2


def test_minutes_are_written_then_published(staff, world, w):
    meeting = services.create_meeting(world["admin"], **w.meeting_fields())
    data = {"text_en": "The meeting opened.", "text_fr": "La réunion s'est ouverte.", "text_ar": "افتُتح الاجتماع."}
    assert staff.post(f"/en/meetings/{meeting.pk}/minutes/", data | {"publish_at": ""}).status_code == 302
    assert Minutes.objects.get().publish_at is None
    assert staff.post(f"/en/meetings/{meeting.pk}/minutes/",
                      data | {"publish_at": "2025-03-21T09:00"}).status_code == 302
    assert Minutes.objects.get().publish_at == datetime(2025, 3, 21, 9, 0, tzinfo=UTC)
    assert list(AuditEvent.objects.filter(object_type="forum.Minutes").values_list("action", flat=True)
                .order_by("pk")) == ["minutes.create", "minutes.update"]


@pytest.mark.parametrize("who", ["focal_egy", "delegate_egy", "observer"])
def test_only_the_secretariat_reaches_the_forms(client, world, w, who):
    meeting = services.create_meeting(world["admin"], **w.meeting_fields())
    client.force_login(world[who])
    assert client.get("/en/meetings/new/").status_code == 403
    assert client.post(f"/en/meetings/{meeting.pk}/minutes/", {"text_en": "x"}).status_code == 403
    assert not Minutes.objects.exists()
