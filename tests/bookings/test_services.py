"""The booking service, one request at a time (the concurrent tests live elsewhere): capacity,
one booking per person, the waiting list, cancellation, lapsing, encryption, purging, emails."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from sciweek.activities.models import Session
from sciweek.activities.services import activity_transition
from sciweek.audit.models import AuditEntry
from sciweek.bookings import services
from sciweek.bookings.enums import BookingStatus, CancelledBy
from sciweek.bookings.models import Booking, ConsentText
from sciweek.common.crypto import decrypt, keyed_hash
from sciweek.common.errors import Conflict, ServiceError
from sciweek.notifications.models import OutboxMessage

from .builders import TEST_ID, host_admin, open_day, phone, req, resident_id, session_of

pytestmark = pytest.mark.django_db


def conflict_code(session, data) -> str:
    with pytest.raises(Conflict) as caught:
        services.book(session=session, data=data)
    return caught.value.code


def taken(session) -> int:
    return Session.objects.get(pk=session.pk).places_taken


def test_book_confirms_and_counts_places():
    session = session_of(capacity=10)
    booking = services.book(session=session, data=req(party_size=1))
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.confirmed_at is not None
    assert taken(session) == 1
    assert len(booking.code) == 10 and len(booking.manage_token) >= 32
    assert booking.consent_version == 1  # the data migration's text
    assert booking.person_key == keyed_hash("phone:13812345678")


def test_consent_texts_v1_exist_for_every_kind():
    kinds = set(ConsentText.objects.filter(version=1).values_list("kind", flat=True))
    assert kinds == {"personal_data", "id_number", "guardian"}
    id_text = ConsentText.objects.get(kind="id_number", version=1).text
    assert "30 日" in id_text and "加密" in id_text and "第二十八条" in id_text


def test_field_errors_are_a_dict_and_nothing_is_saved():
    session = session_of()
    with pytest.raises(ServiceError) as caught:
        services.book(session=session, data=req(phone="123", consent=False))
    assert set(caught.value.message_dict) == {"phone", "consent"}
    assert Booking.objects.count() == 0 and taken(session) == 0


def test_group_counts_party_size_against_capacity():
    session = session_of(open_day(max_group_size=40), capacity=45)
    services.book(session=session, data=req(party_size=40, group_name="三年级二班"))
    assert taken(session) == 40
    # 5 left: a party of 6 goes to the waiting list, a party of 5 fits.
    waiting = services.book(session=session, data=req(phone=phone(1), party_size=6, group_name="x"))
    assert waiting.status == BookingStatus.WAITING and taken(session) == 40
    fits = services.book(session=session, data=req(phone=phone(2), party_size=5, group_name="y"))
    assert fits.status == BookingStatus.CONFIRMED and taken(session) == 45


def test_full_without_waiting_list_refused():
    session = session_of(open_day(waitlist_enabled=False), capacity=1)
    services.book(session=session, data=req())
    assert conflict_code(session, req(phone=phone(1))) == "full"
    assert Booking.objects.count() == 1


def test_full_with_waiting_list_waits():
    session = session_of(capacity=1)
    services.book(session=session, data=req())
    booking = services.book(session=session, data=req(phone=phone(1)))
    assert booking.status == BookingStatus.WAITING
    assert services.waiting_position(booking) == 1
    assert taken(session) == 1


def test_closed_session_refused():
    session = session_of(booking_closed=True)
    assert conflict_code(session, req()) == "booking_closed"


def test_not_yet_open_refused():
    session = session_of(booking_opens_at=timezone.now() + timedelta(days=1))
    assert conflict_code(session, req()) == "booking_closed"


def test_past_closing_time_refused():
    session = session_of(booking_closes_at=timezone.now() - timedelta(minutes=1))
    assert conflict_code(session, req()) == "booking_closed"


@pytest.mark.parametrize(
    "fields", [{"booking_required": False}, {"state": "draft"}, {"state": "cancelled"}]
)
def test_activity_not_taking_bookings_refused(fields):
    session = session_of(open_day(**fields))
    assert conflict_code(session, req()) == "booking_not_offered"


def test_same_phone_twice_refused_where_ids_not_required():
    session = session_of()
    services.book(session=session, data=req(name="张三"))
    assert conflict_code(session, req(name="李四", phone="+86 138 1234 5678")) == "already_booked"
    # Another session of the same activity is another matter.
    other = session_of(session.activity, starts_at=session.starts_at + timedelta(days=1))
    other.ends_at = other.starts_at + timedelta(hours=2)
    assert services.book(session=other, data=req()).status == BookingStatus.CONFIRMED


def test_same_id_twice_refused_whatever_the_phone():
    session = session_of(open_day(id_number_required=True))
    services.book(session=session, data=req(id_number=TEST_ID, id_consent=True))
    again = req(phone=phone(9), name="别人", id_number=TEST_ID.lower(), id_consent=True)
    assert conflict_code(session, again) == "already_booked"
    # Same phone, another person's ID: a parent books for two people.
    other = req(id_number=resident_id(), id_consent=True)
    assert services.book(session=session, data=other).status == BookingStatus.CONFIRMED


def test_waiting_entry_also_counts_as_the_persons_booking():
    session = session_of(capacity=1)
    services.book(session=session, data=req(phone=phone(1)))
    services.book(session=session, data=req())
    assert conflict_code(session, req()) == "already_booked"


def test_cancelled_booking_frees_the_person_to_book_again():
    session = session_of()
    first = services.book(session=session, data=req())
    services.booking_cancel(booking=first, by=CancelledBy.BOOKER)
    again = services.book(session=session, data=req())
    assert again.status == BookingStatus.CONFIRMED and again.pk != first.pk
    assert taken(session) == 1


def test_id_number_stored_encrypted_and_masked():
    session = session_of(open_day(id_number_required=True))
    booking = services.book(session=session, data=req(id_number=TEST_ID, id_consent=True))
    raw = Booking.objects.filter(pk=booking.pk).values()[0]
    assert TEST_ID not in str(raw) and "19491231" not in str(raw)
    assert raw["id_number_masked"] == "110105********002X"
    assert decrypt(raw["id_number_encrypted"]) == TEST_ID
    assert raw["id_consent_version"] == 1
    assert raw["person_key"] == keyed_hash(f"id:resident_id:{TEST_ID}")


def test_no_personal_data_in_logs(caplog):
    caplog.set_level("DEBUG")
    session = session_of(open_day(id_number_required=True), capacity=1)
    first = services.book(
        session=session, data=req(id_number=TEST_ID, id_consent=True, email="a@example.test")
    )
    services.book(
        session=session,
        data=req(phone=phone(5), id_number=resident_id(), id_consent=True, email="b@x.test"),
    )
    services.booking_cancel(booking=first, by=CancelledBy.BOOKER)
    text = caplog.text
    assert TEST_ID not in text and resident_id() not in text
    assert "13812345678" not in text and phone(5) not in text


def test_waiting_list_promoted_in_order_on_cancel():
    session = session_of(capacity=2)
    holders = [services.book(session=session, data=req(phone=phone(i))) for i in range(2)]
    waiting = [services.book(session=session, data=req(phone=phone(10 + i))) for i in range(3)]
    assert [services.waiting_position(b) for b in waiting] == [1, 2, 3]
    promoted = services.booking_cancel(booking=holders[0], by=CancelledBy.BOOKER)
    assert [b.pk for b in promoted] == [waiting[0].pk]
    statuses = {b.pk: Booking.objects.get(pk=b.pk).status for b in waiting}
    assert statuses == {
        waiting[0].pk: BookingStatus.CONFIRMED,
        waiting[1].pk: BookingStatus.WAITING,
        waiting[2].pk: BookingStatus.WAITING,
    }
    assert services.waiting_position(Booking.objects.get(pk=waiting[2].pk)) == 2
    assert taken(session) == 2


def test_big_party_skipped_for_a_small_one_that_fits():
    # The big party fits the session (5 of 5) but not the 3 places the cancellation frees.
    session = session_of(open_day(max_group_size=10), capacity=5)
    holder = services.book(session=session, data=req(party_size=3, group_name="一家"))
    services.book(session=session, data=req(phone=phone(1)))
    services.book(session=session, data=req(phone=phone(4)))  # 5 of 5 taken
    big = services.book(session=session, data=req(phone=phone(2), party_size=5, group_name="班"))
    small = services.book(session=session, data=req(phone=phone(3), party_size=2, group_name="俩"))
    promoted = services.booking_cancel(booking=holder, by=CancelledBy.BOOKER)
    assert [b.pk for b in promoted] == [small.pk]
    assert Booking.objects.get(pk=big.pk).status == BookingStatus.WAITING
    assert taken(session) == 4


def test_capacity_raise_promotes():
    session = session_of(capacity=1)
    services.book(session=session, data=req())
    waiting = [services.book(session=session, data=req(phone=phone(i))) for i in range(3)]
    promoted = services.session_set_capacity(
        session=session, capacity=3, by=host_admin(session.activity)
    )
    assert [b.pk for b in promoted] == [waiting[0].pk, waiting[1].pk]
    assert taken(session) == 3
    assert Booking.objects.get(pk=waiting[2].pk).status == BookingStatus.WAITING
    entry = AuditEntry.objects.get(action="session.capacity")
    assert entry.changes == {"capacity": [1, 3]}


def test_capacity_cannot_drop_below_places_taken():
    session = session_of(capacity=3)
    services.book(session=session, data=req())
    services.book(session=session, data=req(phone=phone(1)))
    with pytest.raises(ServiceError) as caught:
        services.session_set_capacity(session=session, capacity=1, by=host_admin(session.activity))
    assert caught.value.code == "below_taken"


def test_waiting_entries_lapse_when_booking_closes():
    session = session_of(capacity=1)
    services.book(session=session, data=req())
    waiting = services.book(session=session, data=req(phone=phone(1), email="w@example.test"))
    assert services.lapse_waiting() == 0  # still open
    Session.objects.filter(pk=session.pk).update(
        booking_closes_at=timezone.now() - timedelta(minutes=1)
    )
    out = StringIO()
    call_command("lapse_waiting", stdout=out)
    assert out.getvalue().strip() == "lapsed 1 waiting-list entries"
    assert Booking.objects.get(pk=waiting.pk).status == BookingStatus.LAPSED
    assert (
        OutboxMessage.objects.filter(kind="booking.lapsed", recipient="w@example.test").count() == 1
    )
    assert services.lapse_waiting() == 0  # each told once


def test_cancel_twice_refused():
    booking = services.book(session=session_of(), data=req())
    services.booking_cancel(booking=booking, by=CancelledBy.BOOKER)
    with pytest.raises(ServiceError) as caught:
        services.booking_cancel(booking=booking, by=CancelledBy.BOOKER)
    assert caught.value.code == "not_active"


def test_checked_in_booking_cannot_be_cancelled():
    session = session_of()
    booking = services.book(session=session, data=req())
    Booking.objects.filter(pk=booking.pk).update(checked_in_at=timezone.now())
    with pytest.raises(ServiceError) as caught:
        services.booking_cancel(booking=booking, by=CancelledBy.BOOKER)
    assert caught.value.code == "checked_in"


def test_outbox_rows_for_confirmation_waiting_promotion_cancellation():
    session = session_of(capacity=1)
    first = services.book(session=session, data=req(email="first@example.test"))
    second = services.book(session=session, data=req(phone=phone(1), email="second@example.test"))
    services.book(session=session, data=req(phone=phone(2)))  # no email: nothing queued
    services.booking_cancel(booking=first, by=CancelledBy.BOOKER)
    rows = list(OutboxMessage.objects.order_by("id").values_list("kind", "recipient"))
    assert rows == [
        ("booking.confirmed", "first@example.test"),
        ("booking.waiting", "second@example.test"),
        ("booking.cancelled", "first@example.test"),
        ("booking.promoted", "second@example.test"),
    ]
    body = OutboxMessage.objects.get(kind="booking.confirmed").body
    assert first.code in body and f"/tickets/{first.manage_token}/" in body
    assert Booking.objects.get(pk=second.pk).status == BookingStatus.CONFIRMED


def test_activity_cancel_cancels_every_booking_and_tells_everyone():
    activity = open_day()
    s1 = session_of(activity, capacity=1)
    s2 = session_of(activity, capacity=5, starts_at=s1.starts_at + timedelta(days=1))
    b1 = services.book(session=s1, data=req(email="one@example.test"))
    w1 = services.book(session=s1, data=req(phone=phone(1), email="two@example.test"))
    b2 = services.book(session=s2, data=req(phone=phone(2), email="three@example.test"))
    activity_transition(activity=activity, action="cancel", by=host_admin(activity), reason="暴雨")
    for booking in (b1, w1, b2):
        booking.refresh_from_db()
        assert booking.status == BookingStatus.CANCELLED
        assert booking.cancelled_by == CancelledBy.ACTIVITY and booking.cancel_reason == "暴雨"
    assert taken(s1) == 0 and taken(s2) == 0
    told = set(
        OutboxMessage.objects.filter(kind="booking.cancelled").values_list("recipient", flat=True)
    )
    assert told == {"one@example.test", "two@example.test", "three@example.test",
                    b1.phone, w1.phone, b2.phone}  # fmt: skip
    assert Session.objects.filter(activity=activity, booking_closed=True).count() == 2
    # Nobody was promoted from the waiting list into a cancelled activity.
    assert not OutboxMessage.objects.filter(kind="booking.promoted").exists()


def test_purge_personal_data_after_retention():
    recent = session_of(capacity=5)
    old = session_of(capacity=5)
    idx = open_day(id_number_required=True)
    old_id = session_of(idx, capacity=5)
    keep = services.book(session=recent, data=req(email="k@example.test"))
    gone = services.book(session=old, data=req(email="g@example.test"))
    gone_id = services.book(session=old_id, data=req(id_number=TEST_ID, id_consent=True))
    past = timezone.now() - timedelta(days=31)
    Session.objects.filter(pk__in=[old.pk, old_id.pk]).update(
        starts_at=past - timedelta(hours=2), ends_at=past
    )
    out = StringIO()
    call_command("purge_personal_data", "--days", "30", stdout=out)
    assert out.getvalue().strip() == "purged personal data from 2 bookings"
    for booking in (gone, gone_id):
        row = Booking.objects.filter(pk=booking.pk).values()[0]
        assert (
            row["phone"],
            row["email"],
            row["id_number_encrypted"],
            row["id_number_masked"],
        ) == ("", "", "", "")
        assert row["personal_data_purged_at"] is not None
        assert row["name"] == "张*丰"  # only the masked name is kept, for the statistics
    kept = Booking.objects.get(pk=keep.pk)
    assert (kept.phone, kept.email) == ("13812345678", "k@example.test")
    call_command("purge_personal_data", stdout=out)  # default 30 days; nothing left to purge
    assert out.getvalue().strip().endswith("purged personal data from 0 bookings")


def test_purge_respects_a_longer_retention():
    session = session_of()
    services.book(session=session, data=req())
    past = timezone.now() - timedelta(days=10)
    Session.objects.filter(pk=session.pk).update(starts_at=past - timedelta(hours=2), ends_at=past)
    assert services.purge_personal_data(days=30) == 0
    assert services.purge_personal_data(days=7) == 1
