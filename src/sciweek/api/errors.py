"""One error shape for the API: services' refusals carry a stable ``code`` for machines and a
message in the request's language for people."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from sciweek.common.errors import ServiceError


def exception_handler(exc, context):
    if isinstance(exc, ServiceError):
        # Services raise with the message already in the active language (LocaleMiddleware set it
        # from Accept-Language), so it is passed through as is.
        if hasattr(exc, "error_dict"):
            # Field errors from a service: the first message for people, all of them by field.
            return Response(
                {"code": "invalid", "detail": exc.messages[0], "errors": exc.message_dict},
                status=exc.status,
            )
        return Response({"code": exc.code, "detail": exc.messages[0]}, status=exc.status)
    if isinstance(exc, DjangoValidationError):
        # A model's full_clean() or a validator reached the view: the client can fix it, so it is
        # a 400 in DRF's field-error shape rather than a 500.
        return Response(serializers.as_serializer_error(exc), status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)


# Django's error handlers, in JSON under /api/: a client of the API never gets an HTML page, not
# even for a URL that matches no route or an error outside DRF. Elsewhere, the branded pages.

API_PREFIX = "/api/"


def _json_error(code: str, detail: str, status: int) -> JsonResponse:
    return JsonResponse({"code": code, "detail": detail}, status=status)


def bad_request(request, exception):
    if request.path.startswith(API_PREFIX):
        return _json_error("bad_request", _("Bad request"), 400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if request.path.startswith(API_PREFIX):
        return _json_error(
            "permission_denied", _("You do not have permission to perform this action."), 403
        )
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if request.path.startswith(API_PREFIX):
        return _json_error("not_found", _("Not found."), 404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith(API_PREFIX):
        return _json_error("server_error", _("A server error occurred."), 500)
    return defaults.server_error(request)
