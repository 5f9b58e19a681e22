"""The organiser chooses the photo each key activity shows in the city report (the compile
page's "Key activities' photos" list posts here)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from sciweek.common.errors import ServiceError
from sciweek.media.models import MediaItem
from sciweek.reports.photos import report_photo_choose

from ..mixins import OfficePermissionMixin
from .views import CompileMixin


class SummaryCompilePhotoView(CompileMixin, OfficePermissionMixin, View):
    http_method_names = ["post"]
    permission_required = "reports.compile"

    def post(self, request):
        task = self.get_task()
        back = f"{reverse('dashboard:summary-compile')}?edition={task.edition_id}#photos"
        value = request.POST.get("item", "")
        item = (
            MediaItem.objects.select_related("activity").filter(pk=value).first()
            if value.isdigit()
            else None
        )
        if item is None:
            messages.error(request, _("Choose one of the photos shown."))
            return redirect(back)
        try:
            report_photo_choose(task=task, item=item, by=request.user)
        except ServiceError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(back)
        messages.success(request, _("The report shows this photo with the activity."))
        return redirect(back)
