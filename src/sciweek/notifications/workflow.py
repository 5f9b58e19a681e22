"""An outbox message's life, declared once (see ``common.workflow``): pending until it is sent
or the sender gives up. The sender moves it, holding the row's lock; an operator may put a
message that gave up back in the queue (``retry``, audited)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sciweek.common.workflow import Workflow

from .models import OutboxStatus as S


class OutboxAction(models.TextChoices):
    SEND = "send", _("Send")
    GIVE_UP = "give_up", _("Give up")
    RETRY = "retry", _("Send again")


OUTBOX = Workflow(
    name="outbox",
    model="notifications.OutboxMessage",
    field="status",
    states=S,
    actions=OutboxAction,
    transitions={
        OutboxAction.SEND: {S.PENDING: S.SENT},
        OutboxAction.GIVE_UP: {S.PENDING: S.FAILED},
        OutboxAction.RETRY: {S.FAILED: S.PENDING},
    },
    permissions={
        OutboxAction.SEND: None,
        OutboxAction.GIVE_UP: None,
        OutboxAction.RETRY: "notifications.retry_outboxmessage",
    },
    system_actions=frozenset(OutboxAction.values),  # the sender, and `sciweek outbox --retry`
    timestamps={OutboxAction.SEND: ["sent_at"]},
    audit_prefix="outbox",
    audit_actions=frozenset({OutboxAction.RETRY}),  # sending is the message's own record
    audit_repr=lambda message: f"#{message.pk} {message.kind}",  # no recipient in the log
    tones={S.PENDING: "warning", S.SENT: "success", S.FAILED: "danger"},
)
