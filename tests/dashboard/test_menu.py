"""The back-office menu is gathered from each domain's ``MENU`` and shows what the hand-written
menu showed: the same entries, in the same order, to the same users."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from sciweek.dashboard.menu import all_entries
from sciweek.organizations.enums import Role
from tests.factories import AreaFactory, CityBureauFactory, HostUnitFactory, UserFactory, member

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def _default_language():
    # LocaleMiddleware leaves the request's language active in the thread; later tests that
    # render documents in the default language must not inherit English from here.
    yield
    translation.deactivate()


# The menu as base_office.html wrote it by hand: label, URL name, the permission it needed.
HAND_WRITTEN = [
    ("Home", "home", ""),
    # Issue 13: the dashboard, for whoever has figures.
    ("Dashboard", "statistics", "reports.view_statistics"),
    ("Notices", "notice-list", ""),
    # Issue 11: the city's and an area's list too, so its reviewers see it.
    ("Activities", "activity-list", "activities.browse_activities"),
    ("Gate", "gate", "bookings.use_gate"),
    ("Area review", "review-area", "activities.view_area_queue"),
    ("City review", "review-city", "activities.view_city_queue"),
    ("Summary report", "summary-mine", "reports.file_summary"),
    ("Summaries board", "summary-board", "reports.view_board"),
    # Issue 14: the launch ceremony and the exhibits.
    ("Launch ceremony", "ceremony", "exhibition.view_delegation"),
    ("Exhibits", "exhibit-list", "exhibition.list_exhibits"),
    # Issue 14, part 5: a juror's exhibits to score.
    ("My scoring", "my-scoring", "exhibition.view_my_assignments"),
    ("Editions", "edition-list", "campaigns.manage_edition"),
    ("Organisations", "organization-list", "organizations.view_organization_tree"),
    ("Audit log", "audit-list", "audit.view_auditentry"),
    ("Outbox", "outbox-list", "notifications.view_outboxmessage"),
    # Issue 19: an organisation admin's integrations.
    ("API clients", "api-client-list", "integrations.view_integrations"),
    ("Webhooks", "webhook-list", "integrations.view_integrations"),
]


def _menu(response) -> list[tuple[str, str, bool]]:
    html = response.content.decode()
    menu = html[
        html.index('id="office-menu"') : html.index('href="/admin/"')
        if 'href="/admin/"' in html
        else html.index("Public site")
    ]
    links = re.findall(
        r'<a class="(?:nav-link|dropdown-item)( active)?" href="([^"]+)"[^>]*>(?:<i[^>]*></i> )?'
        r"([^<]+)</a>",
        menu,
    )
    return [(label.strip(), href, bool(active)) for active, href, label in links]


def test_every_entry_names_a_url():
    with translation.override("en"):
        entries = [(str(e.label), e.url_name, e.permission) for e in all_entries()]
    assert entries == [(label, f"dashboard:{name}", perm) for label, name, perm in HAND_WRITTEN]


@pytest.mark.parametrize("role", [Role.ADMIN, Role.REVIEWER, Role.EDITOR, Role.GATE_STAFF])
@pytest.mark.parametrize("level", ["city", "area", "unit"])
def test_menu_shows_what_the_hand_written_menu_showed(client, role, level):
    bureau = CityBureauFactory()
    area = AreaFactory(parent=bureau)
    organization = {"city": bureau, "area": area, "unit": HostUnitFactory(parent=area)}[level]
    user = member(role, organization)
    client.force_login(user)
    # A gate volunteer's home is the gate (issue 11): the menu is read where they land.
    response = client.get(reverse("dashboard:home"), follow=True, **EN)
    landing = "gate" if role == Role.GATE_STAFF else "home"
    assert response.redirect_chain == (
        [(reverse("dashboard:gate"), 302)] if landing == "gate" else []
    )
    expected = [
        (label, reverse(f"dashboard:{name}"), name == landing)
        for label, name, perm in HAND_WRITTEN
        if not perm or user.has_perm(perm)
    ]
    assert _menu(response) == expected


def test_menu_of_a_user_without_roles_has_home_and_notices(client):
    client.force_login(UserFactory())
    response = client.get(reverse("dashboard:notice-list"), **EN)
    assert _menu(response) == [
        ("Home", "/office/", False),
        ("Notices", "/office/notices/", True),
    ]


def test_review_queues_highlight_their_own_entry(client):
    bureau = CityBureauFactory()
    client.force_login(member(Role.REVIEWER, bureau))
    response = client.get(reverse("dashboard:review-city"), **EN)
    assert [label for label, _href, active in _menu(response) if active] == ["City review"]


def test_the_setting_up_pages_are_under_more_so_the_bar_fits_a_desktop(client):
    client.force_login(member(Role.ADMIN, CityBureauFactory()))
    html = client.get(reverse("dashboard:audit-list"), **EN).content.decode()
    more = html[html.index(">More</a>") : html.index("Public site")]
    assert re.findall(r'class="dropdown-item[^"]*" href="([^"]+)"', more) == [
        "/office/editions/",
        "/office/organizations/",
        "/office/audit/",
        "/office/outbox/",
        "/office/integrations/clients/",
        "/office/integrations/webhooks/",
    ]
    # The page's own entry is highlighted inside the menu, and the menu's toggle with it.
    assert 'nav-link dropdown-toggle active" href="#"' in html
    assert 'dropdown-item active" href="/office/audit/" aria-current="page"' in html
