"""An outbox message's life, declared once (see ``common.workflow``): pending until it is sent
or the sender gives up. Only the sender moves it, holding the row's lock."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sciweek.common.workflow import Workflow

from .models import OutboxStatus as S


class OutboxAction(models.TextChoices):
    SEND = "send", _("Send")
    GIVE_UP = "give_up", _("Give up")


OUTBOX = Workflow(
    name="outbox",
    model="notifications.OutboxMessage",
    field="status",
    states=S,
    actions=OutboxAction,
    transitions={
        OutboxAction.SEND: {S.PENDING: S.SENT},
        OutboxAction.GIVE_UP: {S.PENDING: S.FAILED},
    },
    permissions={OutboxAction.SEND: None, OutboxAction.GIVE_UP: None},
    system_actions=frozenset(OutboxAction.values),
    timestamps={OutboxAction.SEND: ["sent_at"]},
    audit_prefix="",  # a message is its own record
    tones={S.PENDING: "warning", S.SENT: "success", S.FAILED: "danger"},
)
