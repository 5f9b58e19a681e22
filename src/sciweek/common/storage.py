from django.core.files.storage import Storage, storages
from django.core.signals import setting_changed
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
