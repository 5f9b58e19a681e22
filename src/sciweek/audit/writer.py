"""The audit log's single writer. Services call :func:`record` inside their transaction."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from .context import current_ip
from .models import AuditEntry


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """A JSON-safe copy of some fields, to pass as ``before`` or ``after``.

    Times are written in local time and decimals without trailing zeros, so a value read back
    from the database compares equal to the same value from a form (no phantom changes).
    """
    data = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, models.Model):
            value = value.pk
        elif isinstance(value, datetime):
            value = (
                timezone.localtime(value).isoformat()
                if timezone.is_aware(value)
                else value.isoformat()
            )
        elif isinstance(value, Decimal):
            value = format(value.normalize(), "f")
        elif value is not None and not isinstance(value, (str, int, float, bool, list, dict)):
            value = str(value)
        data[name] = value
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Only what changed, as ``{field: [old, new]}``."""
    keys = list(dict.fromkeys([*before, *after]))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    organization_id: int | None = None,
    reason: str = "",
    object_repr: str = "",
) -> AuditEntry:
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    changes = diff(before or {}, after or {}) if (before or after) else {}
    return AuditEntry.objects.create(
        actor=actor if authenticated else None,
        actor_name=str(actor) if authenticated else "",
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=(object_repr or str(obj or ""))[:255],
        organization_id=organization_id,
        changes=changes,
        reason=reason,
        ip_address=current_ip(),
    )
