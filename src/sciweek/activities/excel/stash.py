"""Uploaded workbooks kept between the dry run and the confirmation, so nobody uploads twice.

Each lives in the private storage under a random key; the key is remembered in the uploader's
session, so nobody else can use it. A stash is deleted after its import, and any stash older
than ``MAX_AGE`` is deleted the next time anyone uploads.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.utils import timezone

from sciweek.common.storage import private_storage

FOLDER = "activity-imports"
MAX_AGE = timedelta(days=1)


def _path(key: str) -> str:
    return f"{FOLDER}/{key}.xlsx"


def is_key(value: str) -> bool:
    return bool(value) and len(value) == 32 and all(c in "0123456789abcdef" for c in value)


def stash(upload) -> str:
    key = secrets.token_hex(16)
    upload.seek(0)
    private_storage().save(_path(key), upload)
    return key


def open_stash(key: str):
    """The stored workbook, opened for reading; FileNotFoundError when it is gone."""
    if not is_key(key):
        raise FileNotFoundError(key)
    return private_storage().open(_path(key), "rb")


def discard(key: str) -> None:
    if is_key(key):
        private_storage().delete(_path(key))


def purge_stale(now=None) -> int:
    """Delete stashes older than MAX_AGE (abandoned dry runs); returns how many went."""
    storage = private_storage()
    limit = (now or timezone.now()) - MAX_AGE
    try:
        _dirs, files = storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    removed = 0
    for name in files:
        path = f"{FOLDER}/{name}"
        try:
            if storage.get_modified_time(path) < limit:
                storage.delete(path)
                removed += 1
        except FileNotFoundError:
            continue
    return removed
