"""Pagination whose cost does not grow with the table: the count stops at a cap.

A list of 100,000 rows is read a page at a time from an index, but ``Paginator.count`` would
still count every row that matches (a scan that grows with the data), and a page number deep
in the list makes the database walk past every row before it. ``CappedPaginator`` counts at
most ``max_pages`` pages' worth (``SELECT COUNT(*) FROM (… LIMIT cap)``) and serves no page
beyond them; a list with more says so (``capped``) and asks for narrower filters.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property

MAX_PAGES = 50


class CappedPaginator(Paginator):
    max_pages = MAX_PAGES

    @cached_property
    def cap(self) -> int:
        return self.per_page * self.max_pages

    @cached_property
    def count(self) -> int:
        items = self.object_list
        if hasattr(items, "query"):  # a queryset: a bounded COUNT over a LIMIT subquery
            return capped_count(items, self.cap) if self.cap else items.count()
        return min(len(items), self.cap + 1)

    @cached_property
    def capped(self) -> bool:
        """More rows match than the pages served (the count shown is the cap)."""
        return self.count > self.cap

    @cached_property
    def num_pages(self) -> int:
        return min(super().num_pages, self.max_pages)


def capped_count(qs, cap: int) -> int:
    """How many rows ``qs`` has, counting at most ``cap + 1`` (a bounded COUNT). Only the
    keys are selected and the order dropped: a list's per-row figures (subqueries) are not
    computed for the rows it counts."""
    return qs.order_by().values("pk")[: cap + 1].count()
