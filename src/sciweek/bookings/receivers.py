from django.dispatch import receiver

from sciweek.activities.signals import activity_cancelled, activity_rescheduled

from .enums import ACTIVE_STATUSES, CancelledBy
from .models import Booking
from .services import cancel_session_bookings
from .workflow import tell


@receiver(activity_cancelled)
def tell_everyone_booked(sender, activity, reason, by, **kwargs):
    """An activity cancelled after publication cancels every booking; everyone is told why."""
    for session in activity.sessions.all():
        cancel_session_bookings(
            session=session, reason=reason, by=None, cancelled_by=CancelledBy.ACTIVITY
        )


@receiver(activity_rescheduled)
def tell_bookers_of_the_change(sender, activity, sessions, **kwargs):
    """A new time or venue reaches every active booking of the sessions it concerns (an email
    and an SMS each, in the approving transaction)."""
    for session in sessions:
        session.activity = activity
        bookings = Booking.objects.filter(session=session, status__in=ACTIVE_STATUSES)
        for booking in bookings.order_by("id"):
            booking.session = session
            tell(booking, "changed")
