"""Serving stored private files through views that checked permission, with HTTP byte ranges.

Browsers fetch <video> in ranges (Safari and WeChat's iOS web view refuse to play a video whose
server ignores Range), and Django's FileResponse answers 200 only. One ``bytes=a-b`` range is
served as 206; several ranges are answered with the whole file (allowed by RFC 9110), a range
beyond the end with 416.

With MEDIA_STORAGE=s3 the bytes come from object storage (``common.objectstorage``): streamed
through here, a range fetched as that range only, or (MEDIA_S3_SERVE=redirect) a redirect to a
short-lived signed URL once the caller has checked permission.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from django.db.models.fields.files import FieldFile
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.utils.cache import get_conditional_response

CHUNK = 64 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def parse_range(header: str, size: int) -> tuple[int, int] | str | None:
    """(first, last) inclusive; None to serve the whole file; "unsatisfiable" for 416."""
    match = _RANGE.match(header.strip())
    if not match or size == 0:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # suffix: the last N bytes
        length = int(last)
        if length == 0:
            return "unsatisfiable"
        return max(size - length, 0), size - 1
    start = int(first)
    if start >= size:
        return "unsatisfiable"
    end = int(last) if last else size - 1
    if end < start:
        return None
    return start, min(end, size - 1)


def _stream(handle, start: int, length: int):
    try:
        handle.seek(start)
        remaining = length
        while remaining > 0:
            chunk = handle.read(min(CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk
    finally:
        handle.close()


def file_response(
    request,
    field: FieldFile,
    *,
    content_type: str,
    filename: str,
    etag: str,
    cache_control: str,
    as_attachment: bool = False,
) -> HttpResponse:
    if not field:
        raise Http404
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        not_modified["Cache-Control"] = cache_control
        return not_modified
    storage = field.storage
    disposition = "attachment" if as_attachment else "inline"
    try:
        size = storage.size(field.name)
        if getattr(storage, "serves_by_redirect", False):
            # Object storage with MEDIA_S3_SERVE=redirect: permission was checked by the caller;
            # the browser fetches (and ranges) the object itself, within the URL's short life.
            location = storage.signed_url(
                field.name,
                filename=filename,
                content_type=content_type,
                cache_control=cache_control,
                as_attachment=as_attachment,
            )
            response = HttpResponseRedirect(location)
            # The signed URL expires: no cache may keep the redirect.
            response["Cache-Control"] = "private, no-store"
            return response
        streams = hasattr(storage, "stream")
        handle = None if streams else storage.open(field.name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc

    wanted = None
    header = request.headers.get("Range", "")
    if_range = request.headers.get("If-Range")
    # If-Range with a different validator means "the file changed: send all of it".
    if header and (if_range is None or if_range == etag):
        wanted = parse_range(header, size)

    if wanted == "unsatisfiable":
        if handle is not None:
            handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    elif wanted is None:
        if streams:
            response = StreamingHttpResponse(
                _object(storage, field.name), content_type=content_type
            )
        else:
            response = FileResponse(handle, content_type=content_type)
        response["Content-Length"] = str(size)
    else:
        start, end = wanted
        # Object storage is asked for just these bytes; a file is seeked.
        body = (
            _object(storage, field.name, start, end)
            if streams
            else _stream(handle, start, end - start + 1)
        )
        response = StreamingHttpResponse(body, status=206, content_type=content_type)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["Cache-Control"] = cache_control
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    return response


def _object(storage, name: str, start: int | None = None, end: int | None = None):
    try:
        return storage.stream(name, start, end)
    except FileNotFoundError as exc:
        raise Http404 from exc
