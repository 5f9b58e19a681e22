from django.core.exceptions import ValidationError
from rest_framework.exceptions import NotFound

from sciweek.api.errors import exception_handler
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


def test_django_validation_error_becomes_400_in_drf_shape():
    response = exception_handler(ValidationError("Bad."), {})
    assert (response.status_code, response.data) == (400, {"non_field_errors": ["Bad."]})
    response = exception_handler(ValidationError({"end_date": ["Too early."]}), {})
    assert (response.status_code, response.data) == (400, {"end_date": ["Too early."]})


def test_other_exceptions_keep_drfs_default():
    response = exception_handler(NotFound("Gone."), {})
    assert (response.status_code, response.data) == (404, {"detail": "Gone."})
    assert exception_handler(RuntimeError("boom"), {}) is None
