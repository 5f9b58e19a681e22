from django.dispatch import receiver

from sciweek.activities.signals import activity_cancelled

from .enums import CancelledBy
from .services import cancel_session_bookings


@receiver(activity_cancelled)
def tell_everyone_booked(sender, activity, reason, by, **kwargs):
    """An activity cancelled after publication cancels every booking; everyone is told why."""
    for session in activity.sessions.all():
        cancel_session_bookings(
            session=session, reason=reason, by=None, cancelled_by=CancelledBy.ACTIVITY
        )
