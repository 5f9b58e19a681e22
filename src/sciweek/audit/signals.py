"""Every Django admin action also lands in our audit log, so the log covers admin work too."""

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db.models.signals import post_save
from django.dispatch import receiver

from . import writer

_ACTIONS = {ADDITION: "admin.add", CHANGE: "admin.change", DELETION: "admin.delete"}


@receiver(post_save, sender=LogEntry)
def record_admin_action(sender, instance: LogEntry, created: bool, **kwargs):
    if not created:
        return
    writer.record(
        actor=instance.user,
        action=_ACTIONS.get(instance.action_flag, "admin.other"),
        object_repr=f"{instance.content_type.model if instance.content_type else ''}: {instance.object_repr}",
        after={"message": instance.get_change_message()} if instance.change_message else None,
    )
