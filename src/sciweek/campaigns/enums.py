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

# Allowed edition status moves, declared once; the service refuses anything else.
EDITION_TRANSITIONS: dict[str, set[str]] = {
    EditionStatus.DRAFT: {EditionStatus.PUBLISHED},
    EditionStatus.PUBLISHED: {EditionStatus.CLOSED},
    EditionStatus.CLOSED: {EditionStatus.ARCHIVED, EditionStatus.PUBLISHED},
    EditionStatus.ARCHIVED: set(),
}
