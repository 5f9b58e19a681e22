"""System checks of our own, run by ``sciweek check`` (``--deploy`` for the production ones)."""

import base64
import binascii
import os

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def data_key_is_set(app_configs, **kwargs):
    """ID numbers are encrypted with SCIWEEK_DATA_KEY; production must not rely on a key file
    created on first use next to the data."""
    if not settings.PRODUCTION:
        return []
    value = os.environ.get("SCIWEEK_DATA_KEY", "")
    try:
        valid = len(base64.b64decode(value, validate=True)) == 32
    except (binascii.Error, ValueError):
        valid = False
    if valid:
        return []
    return [
        Error(
            "SCIWEEK_DATA_KEY is not set to 32 random bytes in base64.",
            hint='Generate one with: python -c "import base64,os;print(base64.b64encode(os.urandom(32)).decode())"',
            id="sciweek.E001",
        )
    ]
