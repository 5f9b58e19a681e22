from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from sciweek.activities.selectors import public_activities

from . import selectors


class ActivitySitemap(Sitemap):
    """One page per ``limit`` activities (``/sitemap-activities.xml?p=N``), named by the index."""

    changefreq = "daily"
    priority = 0.7
    limit = 1000

    def items(self):
        return public_activities().only("pk", "updated_at").order_by("pk")

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
