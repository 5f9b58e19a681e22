"""Errors a user can fix. Services raise them; views show the message beside the form, the API
answers 400 (or 403/409) with the stable ``code``."""

from django.core.exceptions import ValidationError


class ServiceError(ValidationError):
    """A refused request. ``code`` is stable for machines; the message is in the user's language."""

    status = 400

    def __init__(self, message, code: str = "invalid", params=None):
        super().__init__(message, code=code, params=params)


class PermissionRefused(ServiceError):
    status = 403

    def __init__(self, message, code: str = "permission_denied", params=None):
        super().__init__(message, code=code, params=params)


class Conflict(ServiceError):
    status = 409

    def __init__(self, message, code: str = "conflict", params=None):
        super().__init__(message, code=code, params=params)
