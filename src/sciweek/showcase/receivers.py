"""Any change to what the public site shows starts a new page-cache generation."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from sciweek.activities.models import Activity, AudienceTag, Category, MediaCoverage, Session
from sciweek.campaigns.models import Edition, FocusArea
from sciweek.exhibition.models import Ceremony, Exhibit, ProgrammeItem
from sciweek.media.models import MediaItem
from sciweek.organizations.models import Organization

from .cache import invalidate

WATCHED = (
    Activity,
    Session,
    AudienceTag,
    Category,
    MediaCoverage,
    MediaItem,
    Edition,
    FocusArea,
    Organization,
    Ceremony,
    ProgrammeItem,
    Exhibit,
)


def _changed(sender, **kwargs):
    invalidate()
    # Again once the change is committed: a page rendered between the save and the commit read
    # the old rows, and would otherwise stay cached under the new generation.
    transaction.on_commit(invalidate)


for model in WATCHED:
    post_save.connect(_changed, sender=model, dispatch_uid=f"showcase-cache-save-{model.__name__}")
    post_delete.connect(
        _changed, sender=model, dispatch_uid=f"showcase-cache-delete-{model.__name__}"
    )
m2m_changed.connect(
    _changed, sender=Activity.co_hosts.through, dispatch_uid="showcase-cache-cohosts"
)
