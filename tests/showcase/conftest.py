"""The public-site tests' layer on the one world (tests/world.py):

市科技局 ── 张店区 (zhangdian) ── 淄博市科技馆 (``museum``, the world's ``unit``)
        └─ 临淄区 (linzi)     ── 临淄化工新材料研究院 (``institute``, the world's ``other_unit``)

Editions: 2031 (published, the current one), 2023 (closed, the archive), 2032 (draft).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from sciweek.activities.models import Activity, AudienceTag, Category, Session
from sciweek.activities.services import seed_categories
from sciweek.campaigns.enums import EditionStatus
from tests.factories import ActivityFactory, EditionFactory
from tests.roles import Role

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def make_activity(
    edition,
    host,
    *,
    state: str = "published",
    category: str = "open_day",
    title: str | None = None,
    days: tuple[int, ...] = (0,),
    hour: int = 9,
    audiences: tuple[str, ...] = (),
    **fields,
) -> Activity:
    """An activity of ``host`` in ``state`` with one two-hour session per day offset in ``days``
    (from the edition's first day, at ``hour`` local time)."""
    kwargs = {"title": title} if title else {}
    activity = ActivityFactory(
        edition=edition,
        host=host,
        area=host.area,
        category=Category.objects.get(edition=edition, code=category),
        state=state,
        **kwargs,
        **fields,
    )
    for offset in days:
        start = local(edition.start_date + timedelta(days=offset), hour)
        Session.objects.create(
            activity=activity, starts_at=start, ends_at=start + timedelta(hours=2), capacity=120
        )
    Activity.objects.filter(pk=activity.pk).refresh_first_start()
    AudienceTag.objects.bulk_create(AudienceTag(activity=activity, audience=a) for a in audiences)
    return activity


@pytest.fixture
def world(world):
    w = world
    for org in ("bureau", "area", "other_area", "unit", "other_unit"):
        w.build(org)
    w.current = EditionFactory(year=2031, title="2031年淄博市科技活动周", theme="科技创新 强国富民")
    w.archive = EditionFactory(
        year=2023,
        title="2023年淄博市科技活动周",
        theme="热爱科学 崇尚科学",
        status=EditionStatus.CLOSED,
    )
    w.draft = EditionFactory(
        year=2032, title="2032年科技活动周（草稿）", status=EditionStatus.DRAFT
    )
    for edition in (w.current, w.archive, w.draft):
        seed_categories(edition=edition)
    for role in (Role.ORGANIZER_ADMIN, Role.ORGANIZER_REVIEWER, Role.SIGNED_IN):
        w.build(role)
    return w


# HTML helpers -----------------------------------------------------------------------------------


def activity_ids(response) -> list[int]:
    """The activities a list page shows, in order (cards carry ``data-activity``)."""
    return [int(pk) for pk in re.findall(r'data-activity="(\d+)"', response.content.decode())]


class PageParser(HTMLParser):
    """Collects what the accessibility checks need from one page."""

    FIELD_TAGS = ("input", "select", "textarea")
    UNLABELLED_INPUT_TYPES = ("hidden", "submit", "button", "reset", "image")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.html_lang = None
        self.h1 = 0
        self.images: list[dict] = []
        self.fields: list[dict] = []
        self.label_for: set[str] = set()
        self.label_depth = 0
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "html":
            self.html_lang = a.get("lang")
        elif tag == "h1":
            self.h1 += 1
        elif tag == "img":
            self.images.append(a)
        elif tag == "label":
            self.label_depth += 1
            if a.get("for"):
                self.label_for.add(a["for"])
        elif tag in self.FIELD_TAGS:
            if tag == "input" and a.get("type", "text") in self.UNLABELLED_INPUT_TYPES:
                return
            self.fields.append({**a, "_tag": tag, "_wrapped": self.label_depth > 0})

    def handle_endtag(self, tag):
        if tag == "label":
            self.label_depth = max(0, self.label_depth - 1)

    def unlabelled_fields(self) -> list[str]:
        return [
            f.get("name") or f["_tag"]
            for f in self.fields
            if not (
                f["_wrapped"]
                or f.get("id") in self.label_for
                or f.get("aria-label")
                or f.get("aria-labelledby")
            )
        ]


def parse_page(response) -> PageParser:
    parser = PageParser()
    parser.feed(response.content.decode())
    parser.close()
    return parser
