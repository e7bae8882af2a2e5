"""Changing a recorded decision or action item: services, site forms and admin, audited before and after."""
from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dtforum.core.models import AuditEvent
from dtforum.forum import services
from dtforum.forum.models import ActionItem, Decision, ThematicArea

INLINE = {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": "1000"}


@pytest.fixture
def decision(world, w):
    meeting = services.create_meeting(world["admin"], **w.meeting_fields())
    return services.adopt_decision(world["admin"], meeting, reference="DTF/T/2025/1", text_en="Members agree.",
                                   text_fr="Les membres conviennent.", text_ar="يتفق الأعضاء.",
                                   adopted_on=date(2025, 3, 20))


@pytest.fixture
def item(world, decision):
    return services.create_action_item(world["admin"], decision, title_en="Share the strategy",
                                       due_date=date(2025, 6, 30), owner_economy=world["egy"])


def test_update_decision_writes_only_what_differs_with_before_and_after(world, decision):
    areas = list(ThematicArea.objects.order_by("order")[:2])
    services.update_decision(world["staff"], decision, text_en="Members agree.", adopted_on=date(2025, 3, 21),
                             areas=areas)
    event = AuditEvent.objects.get(action="decision.update")
    assert (event.actor, event.before["adopted_on"], event.after["adopted_on"]) == (
        world["staff"], "2025-03-20", "2025-03-21")
    assert event.before["text_en"] == event.after["text_en"] == "Members agree."
    assert AuditEvent.objects.get(action="decision.areas").after == {"areas": sorted(a.pk for a in areas)}
    # the same values again: nothing to write, nothing audited
    services.update_decision(world["staff"], decision, adopted_on=date(2025, 3, 21), areas=areas)
    assert AuditEvent.objects.filter(action__startswith="decision.").exclude(action="decision.adopt").count() == 2


def test_update_decision_refuses_bad_input_and_stores_nothing(world, decision, w):
    other = services.adopt_decision(world["admin"], decision.meeting, reference="DTF/T/2025/2", text_en="x",
                                    text_fr="x", text_ar="x", adopted_on=date(2025, 3, 20))
    with pytest.raises(ValidationError) as error:
        services.update_decision(world["staff"], other, reference="DTF/T/2025/1", text_ar="")
    assert set(error.value.message_dict) == {"reference", "text_ar"}
    with pytest.raises(PermissionDenied):
        services.update_decision(world["focal_egy"], decision, text_en="Changed by a focal point")
    with pytest.raises(TypeError, match="cannot change meeting"):
        services.update_decision(world["staff"], decision, meeting=decision.meeting)
    assert list(Decision.objects.order_by("pk").values_list("reference", "text_ar")) == [
        ("DTF/T/2025/1", "يتفق الأعضاء."), ("DTF/T/2025/2", "x")]
    assert not AuditEvent.objects.filter(action="decision.update").exists()


def test_update_action_item_moves_the_owner_but_never_the_status(world, item):
    services.update_action_item(world["staff"], item, owner_economy=None, owner_secretariat=True)
    event = AuditEvent.objects.get(action="action_item.update")
    assert (event.before["owner_economy"], event.before["owner_secretariat"]) == (world["egy"].pk, False)
    assert (event.after["owner_economy"], event.after["owner_secretariat"]) == (None, True)
    with pytest.raises(ValidationError) as error:   # both owners
        services.update_action_item(world["staff"], item, owner_economy=world["tur"])
    assert error.value.message_dict["owner_economy"] == [
        "An action item needs one owner: either a responsible member state or the secretariat."]
    with pytest.raises(TypeError, match="cannot change status"):
        services.update_action_item(world["staff"], item, status="done")
    item.refresh_from_db()
    assert (item.owner_economy, item.owner_secretariat, item.status) == (None, True, "open")


def test_decision_form_on_the_site_changes_the_decision(client, world, decision):
    client.force_login(world["staff"])
    page = client.get(f"/en/decisions/{decision.pk}/edit/")
    assert page.context["forms"][0].initial["reference"] == "DTF/T/2025/1"
    data = {"reference": "DTF/T/2025/1", "adopted_on": "2025-03-20", "text_en": "Members agree to share.",
            "text_fr": "Les membres conviennent.", "text_ar": "", "is_public": "on"}
    response = client.post(f"/ar/decisions/{decision.pk}/edit/", data)
    assert response.status_code == 400
    assert response.context["forms"][0].errors["text_ar"] == ["هذا الحقل مطلوب."]
    response = client.post(f"/en/decisions/{decision.pk}/edit/", data | {"text_ar": "يتفق الأعضاء."})
    assert response.status_code == 302 and response["Location"] == f"/en/decisions/{decision.pk}/"
    decision.refresh_from_db()
    assert decision.text_en == "Members agree to share."
    event = AuditEvent.objects.get(action="decision.update")
    assert (event.before["text_en"], event.after["text_en"]) == ("Members agree.", "Members agree to share.")


def test_action_item_form_on_the_site_shows_the_owner_and_changes_it(client, world, item):
    client.force_login(world["staff"])
    page = client.get(f"/en/action-items/{item.pk}/edit/")
    assert page.context["forms"][0].initial["owner"] == "EGY"
    data = {"title_en": "Share the strategy", "owner": "", "due_date": "2025-09-30"}
    response = client.post(f"/en/action-items/{item.pk}/edit/", data)
    assert response.status_code == 400 and "owner" in response.context["forms"][0].errors
    response = client.post(f"/en/action-items/{item.pk}/edit/", data | {"owner": "TUR"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.owner_economy.iso3, item.due_date) == ("TUR", date(2025, 9, 30))
    event = AuditEvent.objects.get(action="action_item.update")
    assert (event.before["due_date"], event.after["due_date"]) == ("2025-06-30", "2025-09-30")


def test_admin_changes_go_through_the_services(client, world, decision, item):
    client.force_login(world["staff"])
    inline = {f"action_items-{k}": v for k, v in INLINE.items()} | {
        "action_items-TOTAL_FORMS": "1", "action_items-INITIAL_FORMS": "1", "action_items-0-id": item.pk,
        "action_items-0-decision": decision.pk, "action_items-0-title_en": "Share the national strategy",
        "action_items-0-owner_economy": world["egy"].pk, "action_items-0-due_date": "2025-06-30"}
    data = {"reference": "DTF/T/2025/1", "text_en": "Members agree.", "text_fr": "Les membres conviennent.",
            "text_ar": "يتفق الأعضاء.", "adopted_on": "2025-03-22", "is_public": "on"} | inline
    response = client.post(f"/en/admin/forum/decision/{decision.pk}/change/", data)
    assert response.status_code == 302
    assert list(AuditEvent.objects.filter(actor=world["staff"]).order_by("pk").values_list("action", flat=True)) == [
        "decision.update", "action_item.update"]
    item.refresh_from_db()
    assert item.title_en == "Share the national strategy"
    data = {"title_en": "Share", "title_fr": "", "title_ar": "", "owner_economy": "", "owner_secretariat": "on",
            "due_date": "2025-06-30"} | {f"reports-{k}": v for k, v in INLINE.items()}
    assert client.post(f"/en/admin/forum/actionitem/{item.pk}/change/", data).status_code == 302
    item.refresh_from_db()
    assert (item.title_en, item.owner_economy, item.owner_secretariat) == ("Share", None, True)
    assert AuditEvent.objects.filter(action="action_item.update").count() == 2
    assert not AuditEvent.objects.filter(action__startswith="admin.").exists()
    assert ActionItem.objects.get().decision == decision
