"""Photos, micro-videos and micro-animations of an activity.

Files live in private storage under random keys; the public reaches them only through
``showcase.views_media``, which checks that the activity is public and the item not hidden.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sciweek.activities.workflow import PUBLIC_STATES
from sciweek.campaigns.enums import PUBLIC_EDITION_STATUSES
from sciweek.common.storage import private_storage

from .enums import MOVING_KINDS, MediaKind


def _file_path(instance, filename: str) -> str:
    return f"media/{instance.activity_id}/{filename}"


class MediaItemQuerySet(models.QuerySet):
    def visible(self):
        """What the public may see: not hidden, of a public activity in a public edition."""
        return self.filter(
            is_hidden=False,
            activity__state__in=PUBLIC_STATES,
            activity__edition__status__in=PUBLIC_EDITION_STATUSES,
        )


class MediaItem(models.Model):
    # The public handle in URLs: random, so item URLs cannot be enumerated.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    activity = models.ForeignKey(
        "activities.Activity", on_delete=models.CASCADE, related_name="media_items"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=MediaKind.choices)
    title = models.CharField(_("title"), max_length=120, blank=True)
    alt_text = models.CharField(
        _("description for screen readers"),
        max_length=200,
        blank=True,
        help_text=_("What the picture shows, for people who cannot see it. Required for photos."),
    )
    file = models.FileField(storage=private_storage, upload_to=_file_path, max_length=255)
    thumbnail = models.FileField(
        storage=private_storage, upload_to=_file_path, max_length=255, blank=True
    )
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    duration_seconds = models.FloatField(_("duration (seconds)"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    is_hidden = models.BooleanField(_("hidden"), default=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=200, blank=True)

    is_featured = models.BooleanField(_("featured in the online hall"), default=False)
    featured_at = models.DateTimeField(null=True, blank=True)

    objects = MediaItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("media item")
        verbose_name_plural = _("media items")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["activity", "is_hidden"]),
            models.Index(fields=["is_featured", "is_hidden"]),
        ]

    def __str__(self) -> str:
        return self.title or self.original_name

    @property
    def is_moving(self) -> bool:
        return self.kind in MOVING_KINDS

    @property
    def label(self) -> str:
        """The text to show or read out for the item."""
        return self.alt_text or self.title or self.original_name
