"""Public media: files of visible items of public activities, and the online exhibition hall.

A hidden item, an item of an activity that is not (or no longer) public, or an unknown key all
answer 404, the same as for pages.
"""

from __future__ import annotations

from django.http import Http404
from django.views import View
from django.views.generic import TemplateView

from sciweek.common.serving import file_response
from sciweek.exhibition import selectors as ceremony_selectors
from sciweek.media import selectors as media_selectors
from sciweek.organizations.models import Organization

from .views import EditionMixin

# Files live under random keys and never change, so browsers keep them for a year. Shared
# caches (a CDN) re-check every ten minutes so that hiding an item takes effect there too.
PUBLIC_MEDIA_CACHE = "public, max-age=31536000, s-maxage=600, immutable"


class PublicMediaFileView(View):
    def get(self, request, key, name):
        item = media_selectors.public_item(key)
        if item is None or name != item.original_name:
            raise Http404
        return file_response(
            request,
            item.file,
            content_type=item.content_type,
            filename=item.original_name,
            etag=f'"{item.key.hex}"',
            cache_control=PUBLIC_MEDIA_CACHE,
        )


class PublicMediaThumbnailView(View):
    def get(self, request, key):
        item = media_selectors.public_item(key)
        if item is None:
            raise Http404
        return file_response(
            request,
            item.thumbnail,
            content_type="image/jpeg",
            filename=f"{item.key.hex}-thumb.jpg",
            etag=f'"{item.key.hex}-t"',
            cache_control=PUBLIC_MEDIA_CACHE,
        )


class PublicExhibitMediaView(View):
    """A photo or the video of a selected exhibit (or its thumbnail); before the selection, and
    for a returned or declined exhibit, 404: the files stay private."""

    thumbnail = False

    def get(self, request, key, name=""):
        item = ceremony_selectors.public_exhibit_media(key)
        if item is None or (not self.thumbnail and name != item.original_name):
            raise Http404
        field = item.thumbnail if self.thumbnail else item.file
        return file_response(
            request,
            field,
            content_type="image/jpeg" if self.thumbnail else item.content_type,
            filename=f"{item.key.hex}-thumb.jpg" if self.thumbnail else item.original_name,
            etag=f'"{item.key.hex}{"-t" if self.thumbnail else ""}"',
            cache_control=PUBLIC_MEDIA_CACHE,
        )


class HallView(EditionMixin, TemplateView):
    """The online exhibition hall (云展厅): featured media, filtered by area and field."""

    template_name = "showcase/hall.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        edition = context["edition"]
        areas, fields = media_selectors.hall_filter_choices(edition)
        area = Organization.objects.areas().filter(slug=self.request.GET.get("area") or "").first()
        field_raw = self.request.GET.get("field", "")
        field = (
            edition.focus_areas.filter(pk=int(field_raw)).first() if field_raw.isdigit() else None
        )
        context.update(
            items=media_selectors.hall_items(
                edition,
                area=area.pk if area else None,
                field=field.pk if field else None,
            ),
            areas=areas,
            fields=fields,
            # The launch ceremony's selected exhibits: a section of the hall, kept with the edition.
            exhibits=ceremony_selectors.with_media(
                ceremony_selectors.public_exhibits().filter(ceremony__edition=edition)
            ),
            area=area,
            field=field,
        )
        return context
