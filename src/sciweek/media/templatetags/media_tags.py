"""Template inclusions for media, so the activity pages (public and back office) show a gallery
and an upload card with one line each and no change to their views."""

from django import template

from ..forms import HideForm, MediaUploadForm
from ..selectors import file_url, office_media_of, public_media_of, thumbnail_url

register = template.Library()


@register.inclusion_tag("media/_gallery.html")
def media_gallery(activity):
    items = [
        {"item": i, "file_url": file_url(i), "thumbnail_url": thumbnail_url(i)}
        for i in public_media_of(activity)
    ]
    return {
        "videos": [e for e in items if e["item"].is_moving],
        "photos": [e for e in items if not e["item"].is_moving],
    }


@register.inclusion_tag("media/_office_card.html", takes_context=True)
def media_card(context, activity):
    user = context["user"]
    return {
        "activity": activity,
        "items": office_media_of(activity),
        "media_form": context.get("media_form") or MediaUploadForm(),
        "hide_form": HideForm(),
        "can_add": user.has_perm("media.add_media", activity),
        "can_curate": user.has_perm("media.curate_hall"),
        "user": user,
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }


@register.filter
def seconds(value) -> str:
    """A duration as m:ss."""
    if value is None:
        return ""
    total = round(float(value))
    return f"{total // 60}:{total % 60:02d}"
