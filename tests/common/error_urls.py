"""The site's URLs plus views that fail on purpose, for the error page tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from sciweek.urls import handler400, handler403, handler404, handler500  # noqa: F401
from sciweek.urls import urlpatterns as site_urlpatterns


def bad_request(request):
    raise SuspiciousOperation("hostile input")


def forbidden(request):
    raise PermissionDenied


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("api/v1/test-errors/400/", bad_request),
    path("api/v1/test-errors/403/", forbidden),
    path("api/v1/test-errors/500/", broken),
    path("test-errors/400/", bad_request),
    path("test-errors/403/", forbidden),
    path("test-errors/500/", broken),
    *site_urlpatterns,
]
