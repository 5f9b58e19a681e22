"""The gate as an installable web app: its web manifest and its service worker, both served
under ``/office/gate/`` so that the worker's scope covers every gate page. The worker's code is
a static file (sciweek/js/gate-sw.js), served here rather than from /static/ for its scope."""

from __future__ import annotations

import json

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from ..mixins import OfficePermissionMixin


class _GateAppMixin(OfficePermissionMixin):
    permission_required = "bookings.use_gate"
    nav = "gate"

    def get_permission_object(self):
        return None


class GateWebManifestView(_GateAppMixin, View):
    def get(self, request, *args, **kwargs):
        start = reverse("dashboard:gate")
        body = {
            "name": _("SciWeek gate"),
            "short_name": _("Gate"),
            "start_url": start,
            "scope": start,
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#0d6efd",
            "icons": [
                {"src": static("sciweek/img/favicon.svg"), "sizes": "any", "type": "image/svg+xml"}
            ],
        }
        return HttpResponse(
            json.dumps(body, ensure_ascii=False), content_type="application/manifest+json"
        )


class GateServiceWorkerView(_GateAppMixin, View):
    def get(self, request, *args, **kwargs):
        with open(finders.find("sciweek/js/gate-sw.js"), encoding="utf-8") as script:
            code = script.read()
        response = HttpResponse(code, content_type="application/javascript; charset=utf-8")
        response["Cache-Control"] = "no-cache"
        response["Service-Worker-Allowed"] = reverse("dashboard:gate")
        return response
