"""Back office for activity media: upload on the activity page, hide, delete, feature, the
files themselves (hidden or not, for those who may see the activity), and the hall curation
page for the organiser."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from sciweek.activities.selectors import activities_visible_to
from sciweek.campaigns.selectors import current_edition
from sciweek.common.errors import ServiceError
from sciweek.common.serving import file_response
from sciweek.media import selectors, services
from sciweek.media.forms import HideForm, MediaUploadForm
from sciweek.media.models import MediaItem

from ..activities.views import ActivityObjectMixin, DetailPageRefusalMixin, form_errors
from ..mixins import OfficePermissionMixin

# Private copies may change hands (hidden, deleted): never stored by shared caches.
OFFICE_MEDIA_CACHE = "private, max-age=3600"


class MediaItemMixin:
    """The item from the URL; an item of an activity the user may not see answers 404."""

    def get_item(self) -> MediaItem:
        if not hasattr(self, "_item"):
            self._item = get_object_or_404(
                MediaItem.objects.select_related("activity", "activity__host"),
                pk=self.kwargs["item_pk"],
                activity__in=activities_visible_to(self.request.user),
            )
        return self._item

    def get_permission_object(self):
        return self.get_item()

    def back(self):
        return redirect(self.get_refusal_url())

    def get_refusal_url(self) -> str:
        if self.request.POST.get("next") == "hall":
            return reverse("dashboard:hall-curation")
        return reverse("dashboard:activity-detail", kwargs={"pk": self.get_item().activity_id})


class MediaUploadView(DetailPageRefusalMixin, ActivityObjectMixin, OfficePermissionMixin, View):
    permission_required = "media.add_media"

    def post(self, request, pk):
        form = MediaUploadForm(request.POST, request.FILES)
        self.refusing(media_form=form)
        if not form.is_valid():
            return self.refused(ServiceError(form_errors(form)))
        services.media_upload(
            activity=self.get_activity(),
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            title=form.cleaned_data["title"],
            alt_text=form.cleaned_data["alt_text"],
            by=request.user,
        )
        messages.success(request, _("Uploaded."))
        return redirect("dashboard:activity-detail", pk=pk)


class MediaHideView(MediaItemMixin, OfficePermissionMixin, View):
    permission_required = "media.hide_media"

    def post(self, request, item_pk):
        form = HideForm(request.POST)
        if not form.is_valid():
            return self.refused(ServiceError(_("Give the reason for hiding this item.")))
        services.media_hide(item=self.get_item(), by=request.user, **form.cleaned_data)
        messages.success(request, _("Hidden from the public."))
        return self.back()


class MediaUnhideView(MediaItemMixin, OfficePermissionMixin, View):
    permission_required = "media.hide_media"

    def post(self, request, item_pk):
        services.media_unhide(item=self.get_item(), by=request.user)
        return self.back()


class MediaFeatureView(MediaItemMixin, OfficePermissionMixin, View):
    """POST featured=1 puts the item in the hall, featured=0 takes it out."""

    permission_required = "media.feature_media"

    def post(self, request, item_pk):
        services.media_feature(
            item=self.get_item(), featured=request.POST.get("featured") == "1", by=request.user
        )
        return self.back()


class MediaDeleteView(MediaItemMixin, OfficePermissionMixin, View):
    permission_required = "media.delete_media"

    def post(self, request, item_pk):
        item = self.get_item()
        activity_id = item.activity_id
        services.media_delete(item=item, by=request.user)
        messages.success(request, _("Deleted."))
        if request.POST.get("next") == "hall":
            return redirect("dashboard:hall-curation")
        return redirect("dashboard:activity-detail", pk=activity_id)


class MediaOfficeFileView(MediaItemMixin, OfficePermissionMixin, View):
    """The stored file or its thumbnail, for the back office (hidden items included)."""

    permission_required = "media.view_media"
    thumbnail = False

    def get(self, request, item_pk):
        item = self.get_item()
        field = item.thumbnail if self.thumbnail else item.file
        return file_response(
            request,
            field,
            content_type="image/jpeg" if self.thumbnail else item.content_type,
            filename=f"{item.key.hex}-thumb.jpg" if self.thumbnail else item.original_name,
            etag=f'"{item.key.hex}{"-t" if self.thumbnail else ""}"',
            cache_control=OFFICE_MEDIA_CACHE,
        )


class HallCurationView(OfficePermissionMixin, TemplateView):
    """The organiser's page for the online hall: every visible item of the current edition's
    public activities, featured first, with feature / take out / hide buttons."""

    template_name = "media/hall_curation.html"
    permission_required = "media.curate_hall"
    nav = "hall"

    def get_context_data(self, **kwargs):
        edition = current_edition()
        show = self.request.GET.get("show", "")
        qs = selectors.curation_candidates(edition)
        if show == "featured":
            qs = qs.filter(is_featured=True)
        page = Paginator(qs, 24).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            edition=edition, page_obj=page, items=page.object_list, show=show, **kwargs
        )
