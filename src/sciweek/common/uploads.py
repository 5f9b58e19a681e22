"""Upload checks shared by every app: size and type decided by the file's content, never by its
name, and a display name that is safe to show and to put in a Content-Disposition header."""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .errors import ServiceError

DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg",
    "png": "image/png",
}


@dataclass(frozen=True)
class CheckedFile:
    extension: str
    mime: str
    safe_name: str


def safe_filename(name: str, extension: str) -> str:
    """The last path component, control characters and separators removed, with the extension
    the content proved; e.g. ``../../etc/passwd.pdf`` → ``passwd.pdf``."""
    base = os.path.basename(name.replace("\\", "/"))
    stem = os.path.splitext(base)[0]
    # Control characters go; any other kind of space (no-break, line separator) becomes a plain one.
    stem = "".join(
        " " if unicodedata.category(ch)[0] == "Z" else ch
        for ch in stem
        if unicodedata.category(ch)[0] != "C"
    )
    stem = re.sub(r'[/\\:*?"<>|]+', "_", stem).strip(" ._") or "file"
    return f"{stem[:100]}.{extension}"


def sniff(upload: UploadedFile) -> str | None:
    """The extension the file's first bytes prove, or None."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    return kind.extension if kind else None


def check_document(
    upload: UploadedFile,
    *,
    allowed: tuple[str, ...] = tuple(DOCUMENT_TYPES),
    max_bytes: int | None = None,
) -> CheckedFile:
    max_bytes = max_bytes or settings.NOTICE_ATTACHMENT_MAX_BYTES
    if upload.size > max_bytes:
        raise ServiceError(
            _("%(name)s is %(size)s; the limit is %(limit)s.")
            % {
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(max_bytes),
            },
            code="file_too_large",
        )
    extension = sniff(upload)
    if extension not in allowed:
        raise ServiceError(
            _("%(name)s is not an accepted file. Accepted: %(types)s.")
            % {"name": upload.name, "types": ", ".join(allowed)},
            code="file_type_refused",
        )
    return CheckedFile(
        extension=extension,
        mime=DOCUMENT_TYPES[extension],
        safe_name=safe_filename(upload.name, extension),
    )
