"""Signals other apps listen to, so activities need not know about bookings.

Sent inside the service's transaction: receivers write their own rows (e.g. outbox messages to
everyone booked) atomically with the change.
"""

from django.dispatch import Signal

# sender=Activity, activity=..., reason=str, by=User
activity_cancelled = Signal()

# sender=Activity, activity=..., sessions=[Session, ...] whose bookers are told, change=ActivityChange
activity_rescheduled = Signal()
