"""Validators for Chinese phone numbers and resident ID numbers (GB 11643-1999)."""

from __future__ import annotations

import re
from datetime import date

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
# The first two digits of a resident ID: the province-level divisions of GB/T 2260 (mainland
# provinces, autonomous regions and municipalities; 71 Taiwan, 81 Hong Kong, 82 Macao) and 83, which
# the residence permits of Taiwan residents carry.
ID_PROVINCE_CODES = frozenset(str(code) for code in (
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
    50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
))  # fmt: skip


def normalize_mobile(value: str) -> str:
    """Digits only, without a leading +86 / 86 country code."""
    digits = re.sub(r"[\s\-()]", "", value or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def is_mobile(value: str) -> bool:
    return bool(MOBILE_RE.match(normalize_mobile(value)))


def validate_phone(value: str) -> None:
    """A mobile number or a landline with its area code (0533-1234567)."""
    if is_mobile(value):
        return
    try:
        parsed = phonenumbers.parse(value, "CN")
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        raise ValidationError(
            _("Enter a mobile number or a landline with its area code, e.g. 0533-2186000."),
            code="invalid_phone",
        )


def id_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def id_birth_date(number: str) -> date | None:
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def is_resident_id(value: str) -> bool:
    number = (value or "").strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", number) or number[:2] not in ID_PROVINCE_CODES:
        return False
    birth = id_birth_date(number)
    if birth is None or birth > date.today() or birth.year < 1900:
        return False
    return id_check_char(number[:17]) == number[17]
