"""What a webhook says about each object: ids and states a receiver can act on, and a booker's
name and phone only for an endpoint allowed personal data."""

from __future__ import annotations

from django.utils import timezone

from sciweek.activities.models import Activity
from sciweek.bookings.models import Booking
from sciweek.campaigns.models import Notice, NoticeRecipient
from sciweek.reports.models import AreaSummary, CompiledReport


def _iso(value) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _org(org) -> dict | None:
    return {"id": org.pk, "name": org.name} if org is not None else None


def _activity(activity: Activity) -> dict:
    return {
        "id": activity.pk,
        "title": activity.title,
        "state": activity.state,
        "edition": activity.edition_id,
        "host": _org(activity.host),
    }


def describe(obj, *, personal: bool) -> tuple[dict, object | None]:
    """The event's ``data`` and the organisation it concerns (whose endpoints, and those of the
    organisations above it, hear of it)."""
    if isinstance(obj, Booking):
        session = obj.session
        data = {
            "id": obj.pk,
            "status": obj.status,
            "party_size": obj.party_size,
            "checked_in_at": _iso(obj.checked_in_at),
            "session": {
                "id": session.pk,
                "starts_at": _iso(session.starts_at),
                "ends_at": _iso(session.ends_at),
            },
            "activity": _activity(session.activity),
        }
        if personal:
            data |= {"name": obj.name, "phone": obj.phone}
        return data, session.activity.host
    if isinstance(obj, Activity):
        data = _activity(obj)
        data["sessions"] = [
            {"id": s.pk, "starts_at": _iso(s.starts_at), "ends_at": _iso(s.ends_at)}
            for s in obj.sessions.order_by("starts_at", "id")
        ]
        return data, obj.host
    if isinstance(obj, Notice):
        data = {"id": obj.pk, "title": obj.title, "edition": obj.edition_id,
                "published_at": _iso(obj.published_at)}  # fmt: skip
        return data, obj.edition.organizer
    if isinstance(obj, NoticeRecipient):
        data = {"notice": {"id": obj.notice_id, "title": obj.notice.title},
                "organization": _org(obj.organization),
                "acknowledged_at": _iso(obj.acknowledged_at)}  # fmt: skip
        return data, obj.organization
    if isinstance(obj, AreaSummary):
        return {"id": obj.pk, "state": obj.state, "area": _org(obj.area),
                "task": obj.task_id}, obj.area  # fmt: skip
    if isinstance(obj, CompiledReport):
        data = {"id": obj.pk, "kind": obj.kind, "task": obj.task_id, "area": _org(obj.area)}
        return data, obj.area or obj.task.edition.organizer
    return {"id": getattr(obj, "pk", None)}, None
