"""Pages and feeds: public iCalendar, private feed by token, contact details for members only, agenda filters."""
from __future__ import annotations

from datetime import date, timedelta

import icalendar
import pytest
from django.utils import timezone

from dtforum.forum import services
from dtforum.members.models import CompetentAuthority


@pytest.fixture
def meetings(world, w):
    now = timezone.now().replace(microsecond=0)   # iCalendar times have whole seconds
    published = services.create_meeting(world["admin"], **w.meeting_fields(
        start=now + timedelta(days=10), end=now + timedelta(days=10, hours=6),
        registration_deadline=now + timedelta(days=5), publish_at=now - timedelta(days=1)))
    hidden = services.create_meeting(world["admin"], **w.meeting_fields(
        title_en="Not yet announced", start=now + timedelta(days=40), end=now + timedelta(days=40, hours=2),
        registration_deadline=now + timedelta(days=30), publish_at=now + timedelta(days=7)))
    return published, hidden


def test_public_feed_lists_published_meetings_in_utc(client, meetings):
    published, _hidden = meetings
    calendar = icalendar.Calendar.from_ical(client.get("/meetings.ics").content)
    events = calendar.walk("VEVENT")
    assert [str(e["uid"]) for e in events] == [published.uid]
    assert events[0].decoded("dtstart") == published.start
    assert events[0].decoded("dtstart").utcoffset() == timedelta(0)
    assert str(events[0]["summary"]) == "technical meeting: Technical meeting on data governance"


def test_private_feed_by_secret_token(client, world, w, meetings):
    published, _hidden = meetings
    services.register(world["delegate_egy"], published, world["delegate_egy"])
    token = services.calendar_token_for(world["delegate_egy"])
    events = icalendar.Calendar.from_ical(client.get(f"/meetings/private/{token}.ics").content).walk("VEVENT")
    assert [str(e["uid"]) for e in events] == [published.uid]
    assert client.get("/meetings/private/not-a-token.ics").status_code == 404
    new = services.calendar_token_for(world["delegate_egy"], reset=True)
    assert new != token and client.get(f"/meetings/private/{token}.ics").status_code == 404


def test_contact_details_for_members_only(client, world):
    CompetentAuthority.objects.create(economy=world["egy"], name_en="Ministry of ICT", name_fr="Ministère",
                                      name_ar="وزارة", type="ministry", email="contact@mcit.example")
    page = client.get("/en/directory/").content.decode()
    assert "Ministry of ICT" in page and "contact@mcit.example" not in page and "focal@egy.example" not in page
    client.force_login(world["observer"])
    page = client.get("/en/directory/").content.decode()
    assert "contact@mcit.example" in page and "focal@egy.example" in page


def test_agenda_filters_and_unpublished_meeting(client, world, meetings):
    assert "Not yet announced" not in client.get("/en/meetings/?when=all").content.decode()
    assert client.get(f"/en/meetings/{meetings[1].pk}/").status_code == 404
    client.force_login(world["staff"])
    assert "Not yet announced" in client.get("/en/meetings/?when=all").content.decode()
    assert "Not yet announced" not in client.get("/en/meetings/?when=all&kind=session").content.decode()


def test_board_counts(client, world, meetings):
    decision = services.adopt_decision(world["admin"], meetings[0], reference="R/1", text_en="t", text_fr="t",
                                       text_ar="t", adopted_on=date(2025, 1, 1))
    yesterday = timezone.localdate() - timedelta(days=1)
    services.create_action_item(world["admin"], decision, title_en="late", due_date=yesterday,
                                owner_economy=world["egy"])
    services.create_action_item(world["admin"], decision, title_en="sec", due_date=yesterday + timedelta(days=9),
                                owner_secretariat=True)
    client.force_login(world["staff"])
    page = client.get("/en/follow-up/").content.decode()
    # two open items, one of them (EGY, due yesterday) overdue, none done
    assert "Open: 2 · overdue: 1 · done: 0" in page
