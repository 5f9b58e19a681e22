"""The API's own exception beside DRF's (it imports nothing that reads DRF's settings, so the
parsers named in those settings can raise it)."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import APIException


class PayloadTooLarge(APIException):
    """413: a body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE``."""

    status_code = 413
    default_code = "too_large"

    def __init__(self, detail=None, code=None):
        # Translated when raised, in the request's language.
        super().__init__(detail or _("The request body is too large."), code)
