"""Demo bookings for the open days: this year's sessions nearly full, full with a waiting list,
and open; 2023's held open days with most visitors checked in at the gate.

Written with bulk inserts (a few hundred rows), keeping ``Session.places_taken`` equal to the
confirmed party sizes exactly as the booking service would. Skipped when any booking exists.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.utils import timezone

from sciweek.activities.enums import ActivityState
from sciweek.activities.models import Activity, Session
from sciweek.bookings.enums import BookingStatus, IdType
from sciweek.bookings.models import Booking, ConsentText
from sciweek.bookings.validation import BookingRequest, person_identity
from sciweek.common.crypto import encrypt, keyed_hash
from sciweek.common.masking import mask_id_number
from sciweek.common.validators import id_check_char

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明",
         "超", "秀英", "晓东", "子涵", "雨桐", "浩然", "一诺", "梓萱", "宇轩", "欣怡", "俊杰"]  # fmt: skip
SCHOOLS = [
    "张店区实验小学",
    "淄博市第七中学",
    "临淄区稷下小学",
    "周村区新建路小学",
    "博山区白塔中学",
]


def _name(n: int) -> str:
    return SURNAMES[n % len(SURNAMES)] + GIVEN[(n * 7 + n // len(SURNAMES)) % len(GIVEN)]


def _group(n: int, name: str, party: int) -> str:
    if party >= 10:
        return f"{SCHOOLS[n % len(SCHOOLS)]}{n % 6 + 1}年级{n % 4 + 1}班"
    return f"{name[0]}家" if party > 1 else ""


def _phone(n: int) -> str:
    return f"139{5330_0000 + n:08d}"


def _resident_id(n: int) -> str:
    """A valid (check digit, birth date) but made-up resident ID number in 张店区."""
    body = f"370303{1970 + n % 40}{1 + n % 12:02d}{1 + n % 28:02d}{n % 1000:03d}"
    return body + id_check_char(body)


class _Writer:
    def __init__(self):
        self.n = 0
        self.rows: list[Booking] = []
        self.consent = (
            ConsentText.objects.filter(kind=ConsentText.Kind.PERSONAL_DATA)
            .order_by("-version")
            .values_list("version", flat=True)
            .first()
        )

    def add(self, session: Session, status: str, *, party: int = 1, checked_in=None, by=None,
            cancelled=False) -> None:  # fmt: skip
        activity = session.activity
        self.n += 1
        n = self.n
        data = BookingRequest(name=_name(n), phone=_phone(n), party_size=party)
        id_number = ""
        if activity.id_number_required:
            id_number = _resident_id(n)
            data.id_type, data.id_number = IdType.RESIDENT_ID, id_number
        now = timezone.now()
        self.rows.append(
            Booking(
                session=session,
                status=BookingStatus.CANCELLED if cancelled else status,
                name=data.name,
                phone=data.phone,
                id_type=IdType.RESIDENT_ID if id_number else "",
                id_number_encrypted=encrypt(id_number) if id_number else "",
                id_number_masked=mask_id_number(id_number) if id_number else "",
                person_key=keyed_hash(person_identity(activity, data)),
                party_size=party,
                group_name=_group(n, data.name, party),
                consent_version=self.consent,
                confirmed_at=now if status == BookingStatus.CONFIRMED else None,
                cancelled_at=now if cancelled else None,
                cancelled_by="booker" if cancelled else "",
                checked_in_at=checked_in,
                checked_in_by=by if checked_in else None,
            )
        )

    def fill(self, session: Session, places: int, *, group: int = 1, waiting: int = 0,
             checked_in_ratio: float = 0.0, by=None, cancelled: int = 0) -> None:  # fmt: skip
        """Confirmed bookings of ``group`` people up to ``places`` places, then ``waiting``
        entries; the first ``checked_in_ratio`` of the confirmed ones checked in."""
        parties = []
        left = places
        while left > 0:
            parties.append(min(group, left))
            left -= parties[-1]
        checked = int(len(parties) * checked_in_ratio)
        # Created in this order, so the waiting list's order is the order of insertion.
        for i, party in enumerate(parties):
            self.add(session, BookingStatus.CONFIRMED, party=party,
                     checked_in=session.starts_at + timedelta(minutes=i % 40) if i < checked else None,
                     by=by)  # fmt: skip
        for _ in range(cancelled):
            self.add(session, BookingStatus.CONFIRMED, cancelled=True)
        for _ in range(waiting):
            self.add(session, BookingStatus.WAITING)


def _open_days(edition_year: int | None = None, *, states):
    qs = Activity.objects.filter(booking_required=True, state__in=states)
    if edition_year is not None:
        qs = qs.filter(edition__year=edition_year)
    return list(qs.select_related("edition").prefetch_related("sessions").order_by("id"))


def load_bookings(loader) -> None:
    if Booking.objects.exists():
        return
    from .loader import next_may_year

    gate = get_user_model().objects.filter(username="gate-zhangdian").first()
    writer = _Writer()
    year = next_may_year(loader.today)

    # This year's open days: the first session of each nearly full, the second full with a
    # waiting list, the rest open with a few bookings.
    for activity in _open_days(year, states=[ActivityState.PUBLISHED]):
        group = min(activity.max_group_size, 40)
        for index, session in enumerate(activity.sessions.all()):
            session.activity = activity
            cap = session.capacity
            if index == 0:
                writer.fill(session, cap - max(2, cap // 20), group=group, cancelled=2)
            elif index == 1:
                writer.fill(session, cap, group=group, waiting=6 if group == 1 else 3)
            else:
                writer.fill(session, cap // 4, group=group)

    # 2023's held open days: booked out, most visitors checked in at the gate.
    for activity in _open_days(2023, states=[ActivityState.HELD]):
        for session in activity.sessions.all():
            session.activity = activity
            writer.fill(session, session.capacity, group=min(activity.max_group_size, 5),
                        checked_in_ratio=0.85, by=gate)  # fmt: skip

    Booking.objects.bulk_create(writer.rows, batch_size=500)
    # places_taken is what the booking service keeps: the confirmed party sizes.
    for session_id, taken in (
        Booking.objects.filter(status=BookingStatus.CONFIRMED)
        .values_list("session_id")
        .annotate(n=Sum("party_size"))
    ):
        Session.objects.filter(pk=session_id).update(places_taken=taken)
