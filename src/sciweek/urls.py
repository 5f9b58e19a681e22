from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from sciweek.common.views import HealthView

urlpatterns = [
    path("healthz", HealthView.as_view(), name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("accounts/", include("sciweek.accounts.urls")),
    path("office/", include("sciweek.dashboard.urls")),
    path("api/v1/", include("sciweek.api.urls")),
    path("", include("sciweek.showcase.urls")),
]

admin.site.site_header = "SciWeek"
admin.site.site_title = "SciWeek"
