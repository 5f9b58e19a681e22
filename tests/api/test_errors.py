from django.core.exceptions import ValidationError
from rest_framework.exceptions import AuthenticationFailed, NotFound
from rest_framework.exceptions import ValidationError as DRFValidationError

from sciweek.api.errors import exception_handler, field_errors
from sciweek.common.errors import Conflict, PermissionRefused, ServiceError


def test_service_error_becomes_code_and_detail_with_its_status():
    response = exception_handler(ServiceError("Nope.", code="year_taken"), {})
    assert (response.status_code, response.data) == (400, {"code": "year_taken", "detail": "Nope."})


def test_service_error_subclasses_keep_their_status():
    assert exception_handler(PermissionRefused("No."), {}).status_code == 403
    response = exception_handler(Conflict("Taken.", code="seat_taken"), {})
    assert (response.status_code, response.data) == (
        409,
        {"code": "seat_taken", "detail": "Taken."},
    )


def test_service_error_message_params_are_applied():
    exc = ServiceError("%(org)s is closed.", code="closed", params={"org": "张店区"})
    assert exception_handler(exc, {}).data == {"code": "closed", "detail": "张店区 is closed."}


def test_django_validation_error_becomes_400_with_field_errors():
    response = exception_handler(ValidationError("Bad."), {})
    assert (response.status_code, response.data) == (
        400,
        {"code": "invalid", "detail": "Bad.", "errors": {"non_field_errors": ["Bad."]}},
    )
    response = exception_handler(ValidationError({"end_date": ["Too early."]}), {})
    assert (response.status_code, response.data) == (
        400,
        {"code": "invalid", "detail": "Too early.", "errors": {"end_date": ["Too early."]}},
    )


def test_drf_exceptions_take_the_one_shape_with_their_code():
    response = exception_handler(NotFound("Gone."), {})
    assert (response.status_code, response.data) == (404, {"code": "not_found", "detail": "Gone."})
    response = exception_handler(AuthenticationFailed("Old.", code="token_expired"), {})
    assert (response.status_code, response.data) == (
        401,
        {"code": "token_expired", "detail": "Old."},
    )
    assert exception_handler(RuntimeError("boom"), {}) is None


def test_nested_field_errors_are_flattened_with_dotted_paths():
    detail = {"sessions": [{}, {"starts_at": ["Bad date."]}], "tags": {"0": ["Too long."]}}
    assert field_errors(detail) == {"sessions.1.starts_at": ["Bad date."], "tags.0": ["Too long."]}
    assert field_errors(["One.", "Two."]) == {"non_field_errors": ["One.", "Two."]}
    response = exception_handler(DRFValidationError(detail), {})
    assert (response.data["code"], response.data["detail"]) == ("invalid", "Bad date.")
