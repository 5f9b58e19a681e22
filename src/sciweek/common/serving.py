"""Serving stored private files through views that checked permission, with HTTP byte ranges.

Browsers fetch <video> in ranges (Safari and WeChat's iOS web view refuse to play a video whose
server ignores Range), and Django's FileResponse answers 200 only. One ``bytes=a-b`` range is
served as 206; several ranges are answered with the whole file (allowed by RFC 9110), a range
beyond the end with 416.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
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
    try:
        size = field.storage.size(field.name)
        handle = field.storage.open(field.name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc

    wanted = None
    header = request.headers.get("Range", "")
    if_range = request.headers.get("If-Range")
    # If-Range with a different validator means "the file changed: send all of it".
    if header and (if_range is None or if_range == etag):
        wanted = parse_range(header, size)

    if wanted == "unsatisfiable":
        handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    elif wanted is None:
        response = FileResponse(handle, content_type=content_type)
        response["Content-Length"] = str(size)
    else:
        start, end = wanted
        response = StreamingHttpResponse(
            _stream(handle, start, end - start + 1), status=206, content_type=content_type
        )
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["Cache-Control"] = cache_control
    disposition = "attachment" if as_attachment else "inline"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    return response
