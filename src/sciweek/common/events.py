"""Domain events: one small, decoupled way for a service to say "this happened".

A service (or a workflow move, see ``common.workflow``) calls :func:`emit` inside its
transaction; listeners (the ``integrations`` app's webhooks) connect to :data:`happened` and
write what they need with the same transaction, so an event and what it causes commit or roll
back together. ``common`` knows no listener and no domain app.

Kinds are ``<subject>.<what>``: a workflow move emits ``<workflow>.<action>`` (``booking.promote``)
with the state it lands on; services emit the kinds no move covers (``booking.confirmed``,
``notice.acknowledged``, ``session.changed``).
"""

from __future__ import annotations

from django.dispatch import Signal

# Sent with sender=<kind>, kind=<kind>, obj=<the model instance>, state=<new state or "">, by=<user>
happened = Signal()


def emit(kind: str, obj, *, state: str = "", by=None) -> None:
    happened.send(sender=kind, kind=kind, obj=obj, state=state, by=by)
