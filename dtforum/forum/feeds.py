"""iCalendar (RFC 5545) feeds of meetings, built with the ``icalendar`` package."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from dtforum.forum.models import Meeting


def meeting_calendar(meetings: Iterable[Meeting], *, name: str = "COMCEC DT Forum", method: str | None = None,
                     language: str = "en") -> bytes:
    """One VCALENDAR with a VEVENT per meeting.

    Times are written in UTC (``DTSTART:...Z``), which every client converts to its own zone, so no VTIMEZONE
    component is needed (RFC 5545 §3.3.5, form #2); the venue's zone is named in the description.
    Cancelled meetings stay in the feed with ``STATUS:CANCELLED`` so that subscribed calendars drop them.

    Parameters
    ----------
    meetings : iterable of Meeting
    name : str
        ``X-WR-CALNAME`` shown by calendar clients.
    method : str, optional
        ``METHOD`` property (``"PUBLISH"`` for e-mailed files).
    language : str
        Language of titles and descriptions.

    Returns
    -------
    bytes
        The ``text/calendar`` body.
    """
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//COMCEC Digital Transformation Forum//dtforum//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    if method:
        calendar.add("method", method)
    stamp = timezone.now()
    with translation.override(language):
        for meeting in meetings:
            event = icalendar.Event()
            event.add("uid", meeting.uid)
            event.add("dtstamp", stamp)
            event.add("dtstart", meeting.start.astimezone(UTC))
            event.add("dtend", meeting.end.astimezone(UTC))
            event.add("summary", f"{meeting.get_kind_display()}: {meeting.title}")
            event.add("status", "CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED")
            location = ", ".join(x for x in (meeting.venue, meeting.online_url) if x)
            if location:
                event.add("location", location)
            path = reverse("forum:meeting", kwargs={"pk": meeting.pk})
            event.add("url", f"{settings.DTFORUM_SITE_URL}{path}")
            event.add("description", f"{meeting.time_zone}: {meeting.local_start:%Y-%m-%d %H:%M} – "
                                     f"{meeting.local_end:%Y-%m-%d %H:%M}")
            calendar.add_component(event)
    return calendar.to_ical()
