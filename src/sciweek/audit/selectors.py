"""Reads of the audit log."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import AuditEntry


def _start_of(day: date) -> datetime:
    # Days are the reader's days (Asia/Shanghai), not UTC ones; a range on the indexed column
    # also stays fast where ``__date`` would compute a date for every row.
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_entries(filters: Mapping[str, Any] | None = None) -> QuerySet[AuditEntry]:
    """Audit entries, newest first, narrowed by any of these keys (empty values are ignored):

    - ``action``: a prefix, so ``notice.`` gives every notice action;
    - ``actor``: the actor's user name (exact, any case) or part of their recorded name;
    - ``q``: part of the object's description;
    - ``date_from`` / ``date_to``: dates, both inclusive, in the current time zone;
    - ``organization_ids``: ids of organisations, e.g. one organisation and everything below it
      (``organizations.selectors.subtree``); ``None`` or absent means every organisation.
    """
    filters = filters or {}
    qs = AuditEntry.objects.select_related("actor", "content_type").order_by("-created_at", "-id")
    if action := (filters.get("action") or "").strip():
        qs = qs.filter(action__startswith=action)
    if actor := (filters.get("actor") or "").strip():
        qs = qs.filter(Q(actor__username__iexact=actor) | Q(actor_name__icontains=actor))
    if text := (filters.get("q") or "").strip():
        qs = qs.filter(object_repr__icontains=text)
    if day := filters.get("date_from"):
        qs = qs.filter(created_at__gte=_start_of(day))
    if day := filters.get("date_to"):
        qs = qs.filter(created_at__lt=_start_of(day + timedelta(days=1)))
    # Narrowing by organisation takes the ids (a list or a subquery) rather than an organisation:
    # the audit app sits below every app that writes to it, organisations included, so the
    # caller says which ids form the subtree. An empty collection matches nothing.
    if (ids := filters.get("organization_ids")) is not None:
        qs = qs.filter(organization_id__in=ids)
    return qs
