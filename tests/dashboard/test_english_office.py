"""In English mode every string of the office is English: the main office pages, rendered on the
demo for the organiser, an area's admin and a host unit, show no Chinese character outside the
data people typed (names, titles, document numbers…), which is taken from the database."""

import re
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models

from sciweek.accounts.models import User

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]+")
ROLES = ("organizer", "area-zhangdian", "unit-zhangdian")
# The language switcher names each language in itself, as every switcher does.
ALLOWED = ("简体中文",)
# Stored, but written by the platform, not by people: they must read in the reader's language.
PLATFORM_TEXT = {("reports.SummaryFigure", "label"), ("reports.SummaryFigure", "source")}


def _user_data() -> list[str]:
    """Every Chinese text stored in the database, longest first (so a title goes before the
    name inside it)."""
    found = set()
    for model in apps.get_models():
        if model._meta.proxy or model._meta.app_label not in _PROJECT_APPS:
            continue
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
            and (model._meta.label, f.name) not in PLATFORM_TEXT
        ]
        for row in model.objects.values_list(*fields) if fields else ():
            for value in row:
                text = value if isinstance(value, str) else str(value or "")
                for piece in re.split(r"[\r\n]+", text):
                    if CJK.search(piece):
                        found.add(piece.strip())
                        found.update(CJK.findall(piece))
    return sorted(found, key=len, reverse=True)


_PROJECT_APPS = {
    "accounts",
    "activities",
    "audit",
    "bookings",
    "campaigns",
    "exhibition",
    "media",
    "notifications",
    "organizations",
    "reports",
    "showcase",
}


def _menu_links(html: str) -> list[str]:
    menu = html[html.index('id="office-menu"') :]
    menu = menu[: menu.index("</nav>")] if "</nav>" in menu else menu
    return list(
        dict.fromkeys(re.findall(r'class="nav-link(?: active)?" href="(/office/[^"]*)"', menu))
    )


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    # Attribute values people read (labels, titles, placeholders) count; data-* and values do not.
    attrs = " ".join(re.findall(r'(?:aria-label|title|placeholder|alt)="([^"]*)"', html))
    return re.sub(r"<[^>]+>", " ", html) + " " + attrs


def test_office_pages_in_english_have_no_chinese_outside_user_data(client):
    call_command("demo", "--no-serve", stdout=StringIO())
    # The area's summary is first opened in Chinese: its figures are stored with Chinese labels.
    client.force_login(User.objects.get(username="area-zhangdian"))
    assert client.get("/office/summary/", follow=True).status_code == 200
    data = [*_user_data(), *ALLOWED]
    leaks = {}
    for username in ROLES:
        client.force_login(User.objects.get(username=username))
        home = client.get("/office/", **EN)
        assert home.status_code == 200, username
        for url in ["/office/", *_menu_links(home.content.decode())]:
            response = client.get(url, follow=True, **EN)
            assert response.status_code == 200, (username, url)
            text = _visible_text(response.content.decode())
            for piece in data:
                text = text.replace(piece, " ")
            left = sorted(set(CJK.findall(text)))
            if left:
                leaks[f"{username} {url}"] = left
    assert leaks == {}
