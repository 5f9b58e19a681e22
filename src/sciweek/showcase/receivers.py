"""A change to what the public site shows makes the pages showing it fresh, and only those.

The tags (``showcase/cache.py``, declared per page in ``showcase/urls.py``) an activity touches:
its own pages (``activity:<pk>``: page, poster, .ics), the lists it appears in before and after
the change (``area:<id>`` and ``category:<id>`` for filtered lists, ``area-slug:<slug>`` and
``unit:<pk>`` for the area's and host's pages, ``lists`` for unfiltered and searched lists and the
hall), the calendar, and the home page when the change can show there: the activity is (or was) a
key activity, it entered or left the public site or moved (the home page counts activities by
area and category), or it is on today. A session, audience tag or media coverage touches its
activity the same way. Changes of what every page shows (an edition, a focus area, a category,
an organisation) make every page fresh.

Each change is applied twice: at the save, and once committed, since a page rendered between the
save and the commit read the old rows and would otherwise stay cached under the new tokens.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone

from sciweek.activities.models import Activity, AudienceTag, Category, MediaCoverage, Session
from sciweek.campaigns.models import Edition, FocusArea
from sciweek.exhibition.models import Ceremony, Exhibit, ProgrammeItem
from sciweek.media.models import MediaItem
from sciweek.organizations.models import Organization

from .cache import invalidate, invalidate_tags

# The ceremony and its exhibits show on the ceremony's activity page, the hall and the exhibit
# pages; they change a few times a year, so they refresh every page.
SITE_WIDE = (Category, Edition, FocusArea, Organization, Ceremony, ProgrammeItem, Exhibit)
# What of an activity decides which lists and pages show it.
PLACEMENT = ("area_id", "category_id", "host_id", "is_key", "state", "edition_id")


def _apply(tags: set[str]) -> None:
    invalidate_tags(tags)
    transaction.on_commit(lambda: invalidate_tags(tags))


def _site_wide(sender, **kwargs):
    invalidate()
    transaction.on_commit(invalidate)


def _spans_today(starts_at, ends_at) -> bool:
    today = timezone.localdate()
    return timezone.localdate(starts_at) <= today <= timezone.localdate(ends_at)


def _on_today(activity_id: int) -> bool:
    today = timezone.localdate()
    return Session.objects.filter(
        activity_id=activity_id, starts_at__date__lte=today, ends_at__date__gte=today
    ).exists()


def activity_tags(activity_id: int, *placements: dict, home: bool = False) -> set[str]:
    """The tags of an activity placed as each of ``placements`` (its values before and after a
    change); with the home page when ``home``."""
    tags = {f"activity:{activity_id}", "lists", "calendar"}
    areas = set()
    for placed in placements:
        if placed.get("area_id"):
            areas.add(placed["area_id"])
            tags.add(f"area:{placed['area_id']}")
        if placed.get("category_id"):
            tags.add(f"category:{placed['category_id']}")
        if placed.get("host_id"):
            tags.add(f"unit:{placed['host_id']}")
    slugs = (
        Organization.objects.filter(pk__in=areas).exclude(slug="").values_list("slug", flat=True)
    )
    tags.update(f"area-slug:{s}" for s in slugs)
    if home:
        tags.add("home")
    return tags


def _placement(activity: Activity) -> dict:
    return {name: getattr(activity, name) for name in PLACEMENT}


def _activity_before(sender, instance, **kwargs):
    instance._showcase_before = (
        Activity.objects.filter(pk=instance.pk).values(*PLACEMENT).first() if instance.pk else None
    )


def _activity_changed(sender, instance, created=False, **kwargs):
    before = getattr(instance, "_showcase_before", None)
    after = _placement(instance)
    moved = before is None or created or kwargs.get("signal") is post_delete or before != after
    home = moved or instance.is_key or _on_today(instance.pk)
    placements = [after, before] if before else [after]
    _apply(activity_tags(instance.pk, *placements, home=home))


def _activity_of(activity_id: int, *, today: bool = False) -> None:
    placed = Activity.objects.filter(pk=activity_id).values(*PLACEMENT).first()
    if placed is None:
        return
    home = today or placed["is_key"] or _on_today(activity_id)
    _apply(activity_tags(activity_id, placed, home=home))


def _session_before(sender, instance, **kwargs):
    instance._showcase_before = (
        Session.objects.filter(pk=instance.pk).values_list("starts_at", "ends_at").first()
        if instance.pk
        else None
    )


def _session_changed(sender, instance, **kwargs):
    # A session's times order the lists (first start) and fill the home page's "on today",
    # which it may have just joined or left.
    spans = [(instance.starts_at, instance.ends_at)]
    if before := getattr(instance, "_showcase_before", None):
        spans.append(before)
    _activity_of(instance.activity_id, today=any(_spans_today(*span) for span in spans))


def _part_changed(sender, instance, **kwargs):
    _activity_of(instance.activity_id)


def _cohosts_changed(sender, instance, action, **kwargs):
    if action.startswith("post_") and isinstance(instance, Activity):
        _activity_of(instance.pk)
    elif action.startswith("post_"):
        _site_wide(sender)


def _media_changed(sender, instance, **kwargs):
    tags = {"media"}
    if instance.activity_id:
        tags.add(f"activity:{instance.activity_id}")
    _apply(tags)


pre_save.connect(_activity_before, sender=Activity, dispatch_uid="showcase-before-activity")
pre_save.connect(_session_before, sender=Session, dispatch_uid="showcase-before-session")
for signal in (post_save, post_delete):
    name = "save" if signal is post_save else "delete"
    signal.connect(_activity_changed, sender=Activity, dispatch_uid=f"showcase-{name}-activity")
    signal.connect(_session_changed, sender=Session, dispatch_uid=f"showcase-{name}-session")
    for part in (AudienceTag, MediaCoverage):
        signal.connect(_part_changed, sender=part, dispatch_uid=f"showcase-{name}-{part.__name__}")
    signal.connect(_media_changed, sender=MediaItem, dispatch_uid=f"showcase-{name}-media")
    for model in SITE_WIDE:
        signal.connect(_site_wide, sender=model, dispatch_uid=f"showcase-{name}-{model.__name__}")
m2m_changed.connect(
    _cohosts_changed, sender=Activity.co_hosts.through, dispatch_uid="showcase-cache-cohosts"
)
