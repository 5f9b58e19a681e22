"""iCalendar (RFC 5545) feeds of public sessions: one activity, one area, one edition."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vText

from sciweek.activities.models import Session


def build_calendar(name: str, sessions: Iterable[Session]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//SciWeek//科技活动周//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now()
    for session in sessions:
        activity = session.activity
        event = Event()
        event.add("uid", f"session-{session.pk}@sciweek")
        event.add("dtstamp", stamp)
        # Local times with their zone, as a visitor in Zibo reads them.
        event.add("dtstart", timezone.localtime(session.starts_at))
        event.add("dtend", timezone.localtime(session.ends_at))
        event.add("summary", activity.title)
        location = " ".join(part for part in (activity.venue_name, activity.address) if part)
        if location:
            event.add("location", vText(location))
        url = settings.SITE_URL + reverse("showcase:activity-detail", args=[activity.pk])
        event.add("url", url)
        event.add(
            "description", "\n".join(p for p in (activity.summary, activity.host.name, url) if p)
        )
        if activity.state == "cancelled":
            event.add("status", "CANCELLED")
        calendar.add_component(event)
    # RFC 5545 wants a VTIMEZONE for every TZID used (Asia/Shanghai).
    calendar.add_missing_timezones()
    return calendar.to_ical()
