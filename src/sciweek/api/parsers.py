"""JSON bodies with bounded nesting: no SciWeek request nests deeper than a few levels, and
Python's decoder would otherwise recurse until a RecursionError (a 500)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

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


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
            too_deep = depth_exceeds(data, MAX_JSON_DEPTH)
        except RecursionError:  # deeper than the decoder itself can go
            too_deep = True
        if too_deep:
            raise ParseError(
                _("JSON nested more than %(depth)d levels deep.") % {"depth": MAX_JSON_DEPTH}
            )
        return data
