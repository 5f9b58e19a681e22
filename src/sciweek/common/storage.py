from collections.abc import Iterator

from django.core.files.storage import Storage, storages
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class _PrivateStorage(LazyObject):
    # A FileField evaluates its storage callable once, when the model class is built; resolving
    # the backend lazily keeps the STORAGES setting in charge (and overridable in tests).
    def _setup(self):
        self._wrapped = storages["private"]


_private = _PrivateStorage()


def private_storage() -> Storage:
    """Storage for uploads that are served only through views that check permission.

    A callable, so migrations reference it by name and the backend stays a setting.
    """
    return _private


@receiver(setting_changed)
def _reset_private_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        _private._wrapped = empty


def read_chunks(field, size: int = 1024 * 1024) -> Iterator[bytes]:
    """A stored file's bytes in chunks, whatever the storage, without holding it whole: object
    storage is read as one streamed request instead of being spooled to a temporary file."""
    storage = field.storage
    if hasattr(storage, "stream"):
        yield from storage.stream(field.name)
        return
    with storage.open(field.name, "rb") as handle:
        while chunk := handle.read(size):
            yield chunk


def delete_files_with_records(model, *field_names: str) -> None:
    """When a row of ``model`` is deleted (directly or by a cascade), delete its stored files once
    the transaction commits; a storage that fails then is logged, the row stays deleted."""

    def remove(sender, instance, **kwargs):
        fields = [getattr(instance, name) for name in field_names]
        stored = [(field.storage, field.name) for field in fields if field]
        if stored:
            transaction.on_commit(lambda: [s.delete(name) for s, name in stored], robust=True)

    post_delete.connect(
        remove, sender=model, weak=False, dispatch_uid=f"delete-files-{model._meta.label}"
    )
