"""The API's bounded parsers: every JSON or form body goes through them (the defaults in
``REST_FRAMEWORK``, and any view that names its own parsers), so no body escapes the bounds.

- Size: DRF reads a JSON or form body straight from the request stream, past Django's
  ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (which only ``request.body`` and ``request.POST`` check); a
  larger body answers 413. Multipart bodies are bounded by Django itself (the non-file fields)
  and by the upload checks (the files).
- Nesting: no SciWeek request nests deeper than a few levels, and Python's decoder would
  otherwise recurse until a RecursionError (a 500).
"""

from __future__ import annotations

import json

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

from .exceptions import PayloadTooLarge

MAX_JSON_DEPTH = 32


def depth_exceeds(value, limit: int) -> bool:
    """True when ``value`` nests lists or objects deeper than ``limit`` (iteratively)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def check_body_size(parser_context) -> None:
    """413 when the request says its body is larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE``."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    request = (parser_context or {}).get("request")
    if limit is None or request is None:
        return
    meta = request.META
    try:
        length = int(meta.get("CONTENT_LENGTH") or meta.get("HTTP_CONTENT_LENGTH") or 0)
    except (TypeError, ValueError):
        length = 0
    if length > limit:
        raise PayloadTooLarge()


def _not_json_message(error) -> str:
    if isinstance(error, json.JSONDecodeError):
        return _("The body is not valid JSON (line %(line)d, column %(column)d).") % {
            "line": error.lineno,
            "column": error.colno,
        }
    return _("The body is not valid JSON.")


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        check_body_size(parser_context)
        try:
            data = super().parse(stream, media_type, parser_context)
            too_deep = depth_exceeds(data, MAX_JSON_DEPTH)
        except RecursionError:  # deeper than the decoder itself can go
            too_deep = True
        except ParseError as exc:
            # DRF's message quotes the decoder in English; say it in the request's language.
            raise ParseError(_not_json_message(exc.__context__), code="parse_error") from None
        if too_deep:
            raise ParseError(
                _("JSON nested more than %(depth)d levels deep.") % {"depth": MAX_JSON_DEPTH},
                code="too_deep",
            )
        return data


class BoundedFormParser(FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        check_body_size(parser_context)
        return super().parse(stream, media_type, parser_context)


class BoundedMultiPartParser(MultiPartParser):
    """Django bounds a multipart body's fields (``RequestDataTooBig``, a 413) and the upload
    checks its files; a body that cannot be read is refused in the request's language (DRF's
    message quotes Django's in English)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except ParseError:
            raise ParseError(
                _("The multipart body could not be read."), code="parse_error"
            ) from None
