"""Small builders for the booking tests: a published open day that takes bookings, with one
future session, and what a booker types."""

from __future__ import annotations

from datetime import date, timedelta

from sciweek.bookings.validation import BookingRequest
from sciweek.common.validators import id_check_char
from sciweek.organizations.enums import Role
from tests.factories import ActivityFactory, SessionFactory, member

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
TEST_ID = "11010519491231002X"  # GB 11643's own example
PHONE = "13812345678"


def open_day(**fields):
    """A published activity taking bookings (phone identifies the person unless IDs are
    required); its edition lies in the future, so its sessions are open for booking."""
    defaults = {"state": "published", "booking_required": True, "real_name_required": True}
    return ActivityFactory(**{**defaults, **fields})


def session_of(activity=None, *, capacity: int = 10, **fields):
    activity = activity or open_day()
    return SessionFactory(activity=activity, capacity=capacity, **fields)


def resident_id(birth: date = date(1985, 6, 1), seq: int = 123, region: str = "370303") -> str:
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_char(first17)


def phone(n: int) -> str:
    return f"139{n:08d}"


def req(**fields) -> BookingRequest:
    defaults = {"name": "张三丰", "phone": PHONE, "consent": True}
    return BookingRequest(**{**defaults, **fields})


def host_admin(activity):
    return member(Role.ADMIN, activity.host)


def a_child_id() -> str:
    """A resident ID of a child (8 years old today)."""
    born = date.today() - timedelta(days=8 * 366)
    return resident_id(born, 42)
