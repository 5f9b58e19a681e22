"""The back office (工作台), one package per domain: each declares its URLs and its menu entry
(``MENU``) in its ``urls.py``. The patterns are joined flat, in this order, so every URL keeps
its path and its name in the ``dashboard`` namespace."""

from .activities import urls as activities_urls
from .audit import urls as audit_urls
from .bookings import urls as bookings_urls
from .changes import urls as changes_urls
from .editions import urls as editions_urls
from .exhibition import urls as exhibition_urls
from .gate import urls as gate_urls
from .home import urls as home_urls
from .integrations import urls as integrations_urls
from .media import urls as media_urls
from .notices import urls as notices_urls
from .organizations import urls as organizations_urls
from .outbox import urls as outbox_urls
from .reports import urls as reports_urls
from .reviews import urls as reviews_urls
from .statistics import urls as statistics_urls

app_name = "dashboard"

DOMAINS = (
    home_urls,
    editions_urls,
    notices_urls,
    organizations_urls,
    activities_urls,
    media_urls,
    reviews_urls,
    reports_urls,
    audit_urls,
    outbox_urls,
    integrations_urls,
    bookings_urls,
    gate_urls,
    changes_urls,
    exhibition_urls,
    statistics_urls,
)

urlpatterns = [pattern for domain in DOMAINS for pattern in domain.urlpatterns]
