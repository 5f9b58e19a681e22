"""An activity deleted with its media (cascade) takes the stored files with it."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import MediaItem


@receiver(post_delete, sender=MediaItem, dispatch_uid="media-delete-files")
def _delete_files(sender, instance: MediaItem, **kwargs):
    names = [(f.storage, f.name) for f in (instance.file, instance.thumbnail) if f]

    def remove():
        for storage, name in names:
            storage.delete(name)

    transaction.on_commit(remove)
