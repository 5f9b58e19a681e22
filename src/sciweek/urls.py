from django.contrib import admin
from django.contrib.sitemaps.views import index, sitemap
from django.urls import include, path

from sciweek.common.metrics import MetricsView
from sciweek.common.views import HealthView, LanguageView, ReadinessView
from sciweek.showcase.sitemaps import SITEMAPS
from sciweek.showcase.views import RobotsView

urlpatterns = [
    path("healthz", HealthView.as_view(), name="healthz"),
    path("metrics", MetricsView.as_view(), name="metrics"),
    path("readyz", ReadinessView.as_view(), name="readyz"),
    path("robots.txt", RobotsView.as_view(), name="robots"),
    # A sitemap index of bounded pages (each section ≤ its ``limit`` URLs a page, ``?p=N``).
    path(
        "sitemap.xml",
        index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap-section"),
    path("i18n/<str:code>/", LanguageView.as_view(), name="language"),
    path("admin/", admin.site.urls),
    path("accounts/", include("sciweek.accounts.urls")),
    path("office/", include("sciweek.dashboard.urls")),
    path("api/v1/", include("sciweek.api.urls")),
    path("sms/receipts/", include("sciweek.notifications.urls")),
    path("", include("sciweek.bookings.urls")),
    path("", include("sciweek.exhibition.urls")),
    path("", include("sciweek.showcase.urls")),
]

# JSON under /api/, the branded pages (templates/400.html …) everywhere else.
handler400 = "sciweek.api.errors.bad_request"
handler403 = "sciweek.api.errors.permission_denied"
handler404 = "sciweek.api.errors.page_not_found"
handler500 = "sciweek.api.errors.server_error"

admin.site.site_header = "SciWeek"
admin.site.site_title = "SciWeek"
