"""TOTP two-factor sign-in (django-otp).

Anyone may turn it on for their account (the organiser's and areas' administrators are the ones
asked to); once a confirmed TOTP device exists, every way in (office and admin sign-in, the API
token endpoint) wants its six-digit code as well as the password, and a wrong or missing code
counts as a failed sign-in for the lock-out. ``TWO_FACTOR_REQUIRED_FOR_ADMINS`` (the production
profile's default) sends such administrators, and site staff, to set it up before the back office
or the admin opens for them.
"""

from __future__ import annotations

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from sciweek.organizations.enums import OrganizationKind, Role

DEVICE_NAME = "SciWeek"
ADMIN_KINDS = (OrganizationKind.CITY_BUREAU, OrganizationKind.AREA)


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device being set up (its key shown as a QR code until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def verified_device(user, token: str) -> TOTPDevice | None:
    """The user's confirmed device when ``token`` is its current code."""
    device = confirmed_device(user)
    token = (token or "").strip().replace(" ", "")
    if device is None or not token.isdigit() or not device.verify_token(token):
        return None
    return device


def is_admin(user) -> bool:
    if user.is_superuser or user.is_staff:
        return True
    return user.memberships.filter(role=Role.ADMIN, organization__kind__in=ADMIN_KINDS).exists()


def must_set_up(user) -> bool:
    return settings.TWO_FACTOR_REQUIRED_FOR_ADMINS and is_admin(user) and not user.is_verified()
