"""Checks on what a booker typed, shared by the booking page and the API (through the service).

Returns field errors as ``{field: [ValidationError]}`` so both can show them beside the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from sciweek.common.validators import id_birth_date, is_mobile, is_resident_id, normalize_mobile

from .enums import IdType

MAX_NAME = 50


@dataclass
class BookingRequest:
    name: str
    phone: str
    email: str = ""
    id_type: str = ""
    id_number: str = ""
    party_size: int = 1
    group_name: str = ""
    is_minor: bool = False
    guardian_name: str = ""
    consent: bool = False
    id_consent: bool = False
    guardian_consent: bool = False


def normalize_id_number(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def field_errors(activity, data: BookingRequest) -> dict[str, list[ValidationError]]:
    errors: dict[str, list[ValidationError]] = {}

    def add(field: str, message: str, code: str) -> None:
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    name = (data.name or "").strip()
    if not name:
        add("name", _("Enter the name of the person coming."), "required")
    elif len(name) > MAX_NAME:
        add("name", _("A name has at most %(n)d characters.") % {"n": MAX_NAME}, "too_long")
    if not data.phone:
        add("phone", _("Enter a mobile number so we can reach you."), "required")
    elif not is_mobile(data.phone):
        add("phone", _("Enter an 11-digit mobile number, e.g. 13812345678."), "invalid_mobile")
    if not data.consent:
        add("consent", _("Please agree to how your information is used."), "consent_required")

    if not isinstance(data.party_size, int) or data.party_size < 1:
        add("party_size", _("At least one person."), "invalid_party_size")
    elif data.party_size > activity.max_group_size:
        add(
            "party_size",
            _("One booking may cover at most %(n)d people.") % {"n": activity.max_group_size},
            "party_too_large",
        )
    if (
        isinstance(data.party_size, int)
        and data.party_size > 1
        and not (data.group_name or "").strip()
    ):
        add("group_name", _("Name the group (e.g. school and class)."), "group_name_required")

    if activity.id_number_required:
        id_type = data.id_type or IdType.RESIDENT_ID
        number = normalize_id_number(data.id_number)
        if id_type not in IdType.values:
            add("id_type", _("Choose a document type."), "invalid_id_type")
        elif not number:
            add("id_number", _("This venue requires an ID number at the gate."), "required")
        elif id_type == IdType.RESIDENT_ID and not is_resident_id(number):
            add(
                "id_number",
                _("This resident ID number is not valid: check its 18 characters."),
                "invalid_resident_id",
            )
        elif id_type != IdType.RESIDENT_ID and not re.fullmatch(r"[A-Z0-9]{5,20}", number):
            add(
                "id_number",
                _("Enter the document number (5–20 letters or digits)."),
                "invalid_document",
            )
        if not data.id_consent:
            add(
                "id_consent",
                _(
                    "Please agree separately to giving your ID number (sensitive personal information)."
                ),
                "id_consent_required",
            )
        if id_type == IdType.RESIDENT_ID and is_resident_id(number):
            birth = id_birth_date(number)
            if birth and age_on(birth, timezone.localdate()) < 14 and not data.is_minor:
                data.is_minor = True
    if data.is_minor:
        if not (data.guardian_name or "").strip():
            add(
                "guardian_name", _("A child under 14 needs a guardian's name."), "guardian_required"
            )
        if not data.guardian_consent:
            add(
                "guardian_consent",
                _("A guardian must agree for a child under 14 (PIPL art. 31)."),
                "guardian_consent_required",
            )
    return errors


def person_identity(activity, data: BookingRequest) -> str:
    """The string whose keyed hash identifies the person for "one booking per session"."""
    if activity.id_number_required:
        return f"id:{data.id_type or IdType.RESIDENT_ID}:{normalize_id_number(data.id_number)}"
    return f"phone:{normalize_mobile(data.phone)}"
