"""An exhibit's photo or video deleted (alone, or with its exhibit or ceremony) takes its
stored files with it, once the deletion is committed."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import ExhibitMedia


@receiver(post_delete, sender=ExhibitMedia, dispatch_uid="exhibit-media-delete-files")
def _delete_files(sender, instance: ExhibitMedia, **kwargs):
    names = [(f.storage, f.name) for f in (instance.file, instance.thumbnail) if f]

    def remove():
        for storage, name in names:
            storage.delete(name)

    transaction.on_commit(remove)
