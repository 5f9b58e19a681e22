"""Optimistic concurrency for the API's writes.

A resource is read with an ``ETag`` (its version: the row's ``updated_at``) and written back with
``If-Match: <that tag>``; when someone else saved it in between, the write is refused with 412
``precondition_failed`` instead of silently overwriting their change. Without ``If-Match`` a
write goes through as before (existing clients keep working). The comparison is made on the row
as locked inside the write's transaction, so two writers holding the same tag cannot both win.
"""

from __future__ import annotations

import hashlib

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.exceptions import APIException

from .serializers.common import ErrorSerializer


class PreconditionFailed(APIException):
    status_code = 412
    default_code = "precondition_failed"

    def __init__(self, detail=None, code=None):
        super().__init__(
            detail
            or _(
                "Someone else changed this since you read it. Read it again and make your "
                "change on the new version."
            ),
            code,
        )


def etag_of(obj) -> str:
    """A strong entity tag for the version of ``obj`` (a model with ``updated_at``)."""
    version = f"{obj._meta.label}:{obj.pk}:{obj.updated_at.isoformat()}"
    return '"' + hashlib.sha256(version.encode()).hexdigest()[:32] + '"'


def require_current(request, obj) -> None:
    """Refuse the write (412) when ``If-Match`` names another version of ``obj``. ``obj`` must
    have been read under the write's lock."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        return
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    if "*" not in tags and etag_of(obj) not in tags:
        raise PreconditionFailed


def tagged(response, obj):
    """``response`` with the ETag of ``obj``'s current version."""
    response["ETag"] = etag_of(obj)
    return response


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="The `ETag` the resource was read with: the write is refused with 412 when "
    "someone else has changed it since. `*` matches any version.",
)
PRECONDITION_FAILED = OpenApiResponse(
    ErrorSerializer,
    description="`precondition_failed`: the resource changed since the `If-Match` version was "
    "read; read it again.",
)
