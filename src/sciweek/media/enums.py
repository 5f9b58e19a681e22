from django.db import models
from django.utils.translation import gettext_lazy as _

from sciweek.activities.enums import ActivityState


class MediaKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    VIDEO = "video", _("Micro-video")
    ANIMATION = "animation", _("Micro-animation")


MOVING_KINDS = frozenset({MediaKind.VIDEO, MediaKind.ANIMATION})

# A host adds media while it prepares the activity and after it is published or held (photos
# of the day come afterwards); not while it is under review, nor once withdrawn or cancelled.
MEDIA_OPEN_STATES = frozenset(
    {ActivityState.DRAFT, ActivityState.RETURNED, ActivityState.PUBLISHED, ActivityState.HELD}
)
