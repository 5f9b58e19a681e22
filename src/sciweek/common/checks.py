"""System checks of our own, run by ``sciweek check`` (``--deploy`` for the production ones)."""

import base64
import binascii
import os
from urllib.parse import urlsplit

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


# Secrets published in the repository (deploy/sciweek.env.example, settings.py); a server using any
# of them is as open as the repository. tests/test_settings_profile.py keeps this list in step with
# the example file.
KNOWN_EXAMPLE_SECRETS = frozenset(
    {
        "change-me-to-50-random-characters",
        "change-me",
        "secret",
        "sciweek-development-secret-key-do-not-use-in-production",
    }
)
SECRET_KEY_MIN_LENGTH = 50


@register(Tags.security, deploy=True)
def secrets_are_not_examples(app_configs, **kwargs):
    """Django only warns about a short SECRET_KEY; a known or short one is an error here."""
    if not settings.PRODUCTION:
        return []
    errors = []
    key = settings.SECRET_KEY
    if (
        key in KNOWN_EXAMPLE_SECRETS
        or "change-me" in key.lower()
        or len(key) < SECRET_KEY_MIN_LENGTH
        or len(set(key)) < 5
    ):
        errors.append(
            Error(
                f"SECRET_KEY is an example value or shorter than {SECRET_KEY_MIN_LENGTH}"
                " characters.",
                hint='Generate one with: python -c "import secrets;print(secrets.token_urlsafe(50))"',
                id="sciweek.E002",
            )
        )
    database_password = urlsplit(os.environ.get("DATABASE_URL", "")).password
    if database_password is not None and database_password in KNOWN_EXAMPLE_SECRETS:
        errors.append(
            Error(
                "The database password in DATABASE_URL is the example one.",
                id="sciweek.E003",
            )
        )
    return errors
