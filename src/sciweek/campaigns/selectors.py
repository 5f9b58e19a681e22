"""Reads for editions and notices, each owning its visibility and its joins."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from sciweek.organizations.rules import is_organizer_staff, is_platform_admin
from sciweek.organizations.selectors import organizations_acted_for

from .enums import EditionStatus, NoticeStatus
from .models import Edition, Notice, NoticeRecipient


def current_edition() -> Edition | None:
    """The edition the public site leads with: the next or running published edition, else the
    latest public one (so the site never goes blank between weeks)."""
    today = timezone.localdate()
    upcoming = (
        Edition.objects.filter(status=EditionStatus.PUBLISHED, end_date__gte=today)
        .order_by("start_date")
        .first()
    )
    return upcoming or Edition.objects.public().order_by("-start_date").first()


def editions_for_office(user) -> QuerySet[Edition]:
    """Editions shown in the back office: all to the organiser, public ones to everyone else."""
    qs = Edition.objects.select_related("organizer")
    return qs if (is_platform_admin(user) or is_organizer_staff(user)) else qs.public()


def notices_visible_to(user) -> QuerySet[Notice]:
    """The organiser sees every notice; other users see published notices addressed to an
    organisation they act for."""
    qs = Notice.objects.select_related("edition").annotate(
        recipient_count=Count("deliveries", distinct=True),
        acknowledged_count=Count(
            "deliveries", filter=Q(deliveries__acknowledged_at__isnull=False), distinct=True
        ),
    )
    if is_platform_admin(user) or is_organizer_staff(user):
        return qs
    return qs.filter(
        status=NoticeStatus.PUBLISHED,
        pk__in=NoticeRecipient.objects.filter(
            organization__in=organizations_acted_for(user)
        ).values("notice_id"),
    )


def deliveries_to_acknowledge(user) -> QuerySet[NoticeRecipient]:
    """Published notices that an organisation the user acts for has not yet acknowledged."""
    return (
        NoticeRecipient.objects.filter(
            notice__status=NoticeStatus.PUBLISHED,
            acknowledged_at__isnull=True,
            organization__in=organizations_acted_for(user),
        )
        .select_related("notice", "notice__edition", "organization")
        .order_by("notice__published_at", "organization__path")
    )


def deliveries_of(notice: Notice, *, acting_user=None) -> QuerySet[NoticeRecipient]:
    """The notice's recipients with their acknowledgement; limited to those ``acting_user`` acts
    for when given."""
    qs = notice.deliveries.select_related("organization", "organization__parent", "acknowledged_by")
    if acting_user is not None:
        qs = qs.filter(organization__in=organizations_acted_for(acting_user))
    return qs.order_by("organization__path")


def acknowledgement_summary(notice: Notice) -> dict[str, int]:
    counts = notice.deliveries.aggregate(
        total=Count("id"), acknowledged=Count("id", filter=Q(acknowledged_at__isnull=False))
    )
    counts["pending"] = counts["total"] - counts["acknowledged"]
    return counts
