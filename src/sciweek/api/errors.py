"""One error shape for the whole API: ``{"code", "detail"}``, where ``code`` is stable for
machines and ``detail`` is a message in the request's language for people; field errors add
``errors`` (``{field: [message]}``, with ``code`` = ``invalid`` and the first message as
``detail``).

Every refusal takes this shape: the services' (``ServiceError``), DRF's own (401, 403, 404, 405,
406, 415, 429, a body that does not parse, a serializer's field errors) and Django's outside DRF
(no route, a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``, an error in a view)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from sciweek.common.errors import ServiceError

from .exceptions import PayloadTooLarge

INVALID = "invalid"


def error_body(code: str, detail: str, errors: dict[str, list[str]] | None = None) -> dict:
    body = {"code": code, "detail": detail}
    if errors is not None:
        body["errors"] = errors
    return body


def field_errors(detail) -> dict[str, list[str]]:
    """DRF's nested error detail as ``{field: [message]}``: nested fields are joined with dots
    (``sessions.0.starts_at``), a bare list becomes ``non_field_errors``."""
    flat: dict[str, list[str]] = {}

    def walk(prefix: str, value) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), item)
        elif isinstance(value, list) and any(isinstance(item, dict | list) for item in value):
            for index, item in enumerate(value):
                if item:  # a list of objects: only the ones with errors
                    walk(f"{prefix}.{index}" if prefix else str(index), item)
        elif isinstance(value, list):
            flat.setdefault(prefix or "non_field_errors", []).extend(str(m) for m in value)
        else:
            flat.setdefault(prefix or "non_field_errors", []).append(str(value))

    walk("", detail)
    return flat


def _code_of(exc: exceptions.APIException) -> str:
    code = getattr(exc.detail, "code", None)
    return code if isinstance(code, str) and code else exc.default_code


def exception_handler(exc, context):
    if isinstance(exc, ServiceError):
        # Services raise with the message already in the active language (LocaleMiddleware set it
        # from Accept-Language), so it is passed through as is.
        if hasattr(exc, "error_dict"):
            # Field errors from a service: the first message for people, all of them by field.
            body = error_body(INVALID, exc.messages[0], exc.message_dict)
        else:
            body = error_body(exc.code, exc.messages[0])
        return Response(body, status=exc.status)
    if isinstance(exc, DjangoValidationError):
        # A model's full_clean() or a validator reached the view: the client can fix it, so it is
        # a 400 with field errors rather than a 500.
        exc = exceptions.ValidationError(serializers.as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # not the client's fault: Django's 500 (server_error below)
    if isinstance(exc.detail, dict | list):
        errors = field_errors(exc.detail)
        first = next(iter(errors.values()))[0] if errors else str(exc.default_detail)
        code = INVALID if isinstance(exc, exceptions.ValidationError) else exc.default_code
        response.data = error_body(code, first, errors)
    else:
        response.data = error_body(_code_of(exc), str(exc.detail))
    return response


# Django's error handlers, in JSON under /api/: a client of the API never gets an HTML page, not
# even for a URL that matches no route or an error outside DRF. Elsewhere, the branded pages.

API_PREFIX = "/api/"


def _json_error(code: str, detail: str, status: int) -> JsonResponse:
    return JsonResponse(error_body(code, detail), status=status)


def bad_request(request, exception):
    if isinstance(exception, RequestDataTooBig):
        # Django raises it (as a SuspiciousOperation, so a 400) when a body is larger than
        # DATA_UPLOAD_MAX_MEMORY_SIZE; it is a 413, and the client is told so.
        if request.path.startswith(API_PREFIX):
            return _json_error(
                PayloadTooLarge.default_code, _("The request body is too large."), 413
            )
        response = defaults.bad_request(request, exception, template_name="413.html")
        response.status_code = 413
        return response
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
