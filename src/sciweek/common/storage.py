from django.core.files.storage import Storage, storages


def private_storage() -> Storage:
    """Storage for uploads that are served only through views that check permission.

    A callable, so migrations reference it by name and the backend stays a setting.
    """
    return storages["private"]
