from django.db import models
from django.utils.translation import gettext_lazy as _


class EditionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")
    ARCHIVED = "archived", _("Archived")


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


# Editions the public can see: published, and past ones kept online for ever.
PUBLIC_EDITION_STATUSES = (EditionStatus.PUBLISHED, EditionStatus.CLOSED, EditionStatus.ARCHIVED)


class EditionAction(models.TextChoices):
    """An edition's moves are named by the status they reach (the audit says ``edition.closed``)."""

    PUBLISHED = "published", _("Publish")
    CLOSED = "closed", _("Close")
    ARCHIVED = "archived", _("Archive")


class NoticeAction(models.TextChoices):
    PUBLISH = "publish", _("Publish")


# Allowed edition status moves, declared once (``workflow.EDITION``); anything else is refused.
EDITION_MOVES: dict[str, dict[str, str]] = {
    EditionAction.PUBLISHED: {
        EditionStatus.DRAFT: EditionStatus.PUBLISHED,
        EditionStatus.CLOSED: EditionStatus.PUBLISHED,
    },
    EditionAction.CLOSED: {EditionStatus.PUBLISHED: EditionStatus.CLOSED},
    EditionAction.ARCHIVED: {EditionStatus.CLOSED: EditionStatus.ARCHIVED},
}
# The same table read from the other side: from each status, the statuses it may reach.
EDITION_TRANSITIONS: dict[str, set[str]] = {
    status: {
        to for moves in EDITION_MOVES.values() for start, to in moves.items() if start == status
    }
    for status in EditionStatus.values
}

NOTICE_MOVES: dict[str, dict[str, str]] = {
    NoticeAction.PUBLISH: {NoticeStatus.DRAFT: NoticeStatus.PUBLISHED},
}


class OneSessionPerDay(models.TextChoices):
    """How far "one session per person per day" reaches (fair use, set per edition)."""

    OFF = "off", _("No limit")
    ACTIVITY = "activity", _("One session per day of each activity")
    EDITION = "edition", _("One session per day across the whole week")
