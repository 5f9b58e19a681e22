from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Max, Min
from django.urls import reverse
from django.utils.functional import cached_property

from sciweek.activities.selectors import public_activities

from . import selectors


class KeyRangePaginator(Paginator):
    """Pages by blocks of ``per_page`` primary keys counted from the smallest one listed.

    Django's paginator counts every row for the index and skips ``OFFSET`` rows for page N, so the
    last pages of a 100,000-activity sitemap read the whole table. Here the index costs one
    MIN/MAX and a page one range scan of the key index, whatever the table's size. Unpublished
    or deleted rows leave a page shorter, never longer than ``per_page``.
    """

    @cached_property
    def _first_and_last_key(self) -> tuple[int | None, int | None]:
        bounds = self.object_list.aggregate(first=Min("pk"), last=Max("pk"))
        return bounds["first"], bounds["last"]

    @cached_property
    def num_pages(self) -> int:
        first, last = self._first_and_last_key
        return 1 if first is None else (last - first) // self.per_page + 1

    def page(self, number):
        number = self.validate_number(number)
        start = (self._first_and_last_key[0] or 0) + (number - 1) * self.per_page
        rows = self.object_list.filter(pk__gte=start, pk__lt=start + self.per_page)
        return self._get_page(rows, number, self)


class ActivitySitemap(Sitemap):
    """One page per ``limit`` activities (``/sitemap-activities.xml?p=N``), named by the index."""

    changefreq = "daily"
    priority = 0.7
    limit = 1000

    def items(self):
        return public_activities().only("pk", "updated_at").order_by("pk")

    @property
    def paginator(self):
        return KeyRangePaginator(self.items(), self.limit)

    def location(self, item):
        return reverse("showcase:activity-detail", args=[item.pk])

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        # Django's default reads every item's lastmod to stamp the index entry: a scan of the
        # whole table per request. The index leaves it out; each page carries its own.
        return None


class EditionSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return list(selectors.public_editions().only("year", "updated_at"))

    def location(self, item):
        return reverse("showcase:edition-home", args=[item.year])

    def lastmod(self, item):
        return item.updated_at


class StaticPagesSitemap(Sitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return [
            "showcase:home",
            "showcase:activity-list",
            "showcase:calendar",
            "showcase:edition-list",
        ]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"pages": StaticPagesSitemap, "editions": EditionSitemap, "activities": ActivitySitemap}
