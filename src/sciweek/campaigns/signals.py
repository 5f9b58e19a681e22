"""Signals for apps built on editions (they must not be imported by campaigns itself)."""

from django.dispatch import Signal

# sender=Edition, edition=the new edition, source=the edition it was copied from or None.
# Sent inside the creating transaction.
edition_created = Signal()
