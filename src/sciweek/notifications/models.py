from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Gave up")


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    # A signed POST to an organisation's endpoint (the ``integrations`` app sends it).
    WEBHOOK = "webhook", _("Webhook")


class Receipt(models.TextChoices):
    NONE = "", _("No report")
    DELIVERED = "delivered", _("Delivered")
    UNDELIVERED = "undelivered", _("Not delivered")


class OutboxMessage(models.Model):
    """A message to send, written in the same transaction as the event it tells of.

    Because the row commits with the event, a mail server or broker that is down loses nothing:
    the sender (a Celery task, or ``sciweek send_outbox``) retries until it goes or gives up.
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    kind = models.CharField(_("kind"), max_length=64, db_index=True)
    recipient = models.CharField(_("recipient"), max_length=254)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    status = models.CharField(
        max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # SMS: the approved template's placeholders, the gateway's id of the message, and its
    # delivery report when the gateway sends one (a receipt callback).
    # [[name, value], …]: a list, because jsonb does not keep the order of an object's keys and
    # Tencent takes the values in the template's order.
    params = models.JSONField(default=list, blank=True)
    gateway_id = models.CharField(max_length=64, blank=True, db_index=True)
    receipt = models.CharField(
        _("delivery report"), max_length=12, choices=Receipt.choices, default="", blank=True
    )
    receipt_at = models.DateTimeField(null=True, blank=True)
    receipt_error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outbox")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "sent_at"], name="outbox_recipient_sent")]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient}"

    @property
    def is_failed(self) -> bool:
        return self.status == OutboxStatus.FAILED
