"""Only published and held activities of public editions appear anywhere public; everything else
answers 404 or is simply absent."""

import xml.etree.ElementTree as ET

import pytest
from icalendar import Calendar

from sciweek.activities.enums import ActivityState

from .conftest import EN, activity_ids, make_activity

HIDDEN_STATES = [
    ActivityState.DRAFT,
    ActivityState.PENDING_AREA,
    ActivityState.PENDING_CITY,
    ActivityState.RETURNED,
    ActivityState.WITHDRAWN,
    ActivityState.CANCELLED,
]
PUBLIC_STATES = [ActivityState.PUBLISHED, ActivityState.HELD]


@pytest.fixture
def every_state(world):
    """One activity of 临淄化工新材料研究院 in every state, titled after its state."""
    world.by_state = {
        state: make_activity(
            world.current, world.institute, state=state, title=f"可见性测试{state}活动"
        )
        for state in [*HIDDEN_STATES, *PUBLIC_STATES]
    }
    world.public_ids = sorted(world.by_state[s].pk for s in PUBLIC_STATES)
    return world


def titles_in(content: bytes, world) -> set[str]:
    text = content.decode()
    return {state for state, a in world.by_state.items() if a.title in text}


PUBLIC_PAGES = [
    "/",
    "/activities/",
    "/activities/?q=可见性测试",
    "/activities/?area={linzi}",
    "/calendar/",
    "/areas/linzi/",
    "/units/{institute}/",
]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_show_only_published_and_held_activities(client, every_state, url):
    w = every_state
    response = client.get(url.format(linzi=w.linzi.pk, institute=w.institute.pk))
    assert response.status_code == 200
    if url == "/":
        # The home page lists key activities only; none here, and no title leaks.
        assert titles_in(response.content, w) == set()
    else:
        assert titles_in(response.content, w) == set(PUBLIC_STATES)


@pytest.mark.parametrize(
    "url", ["/activities/", "/activities/?q=可见性测试", "/areas/linzi/", "/units/{institute}/"]
)
def test_list_pages_link_exactly_the_public_activities(client, every_state, url):
    w = every_state
    response = client.get(url.format(institute=w.institute.pk))
    assert sorted(activity_ids(response)) == w.public_ids


def test_key_activities_on_the_home_page_are_public_only(client, every_state):
    w = every_state
    for activity in w.by_state.values():
        activity.is_key = True
        activity.save(update_fields=["is_key"])
    response = client.get("/")
    assert sorted(activity_ids(response)) == w.public_ids


@pytest.mark.parametrize("state", HIDDEN_STATES)
@pytest.mark.parametrize("suffix", ["", "poster.png", "calendar.ics"])
def test_a_hidden_activity_answers_404_everywhere(client, every_state, state, suffix):
    pk = every_state.by_state[state].pk
    assert client.get(f"/activities/{pk}/{suffix}").status_code == 404


@pytest.mark.parametrize("state", PUBLIC_STATES)
@pytest.mark.parametrize(
    ("suffix", "content_type"),
    [
        ("", "text/html; charset=utf-8"),
        ("poster.png", "image/png"),
        ("calendar.ics", "text/calendar; charset=utf-8"),
    ],
)
def test_a_public_activity_answers_everywhere(client, every_state, state, suffix, content_type):
    pk = every_state.by_state[state].pk
    response = client.get(f"/activities/{pk}/{suffix}")
    assert (response.status_code, response["Content-Type"]) == (200, content_type)


@pytest.mark.parametrize(
    "url", ["/calendar.ics", "/areas/linzi/calendar.ics", "/editions/2031/calendar.ics"]
)
def test_feeds_carry_only_public_sessions(client, every_state, url):
    w = every_state
    calendar = Calendar.from_ical(client.get(url).content)
    summaries = sorted(str(e["SUMMARY"]) for e in calendar.walk("VEVENT"))
    assert summaries == sorted(w.by_state[s].title for s in PUBLIC_STATES)


SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_locs(client) -> list[str]:
    """Every URL of every page the sitemap index (/sitemap.xml) names."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    pages = [e.text for e in ET.fromstring(index.content).findall("s:sitemap/s:loc", SITEMAP_NS)]  # noqa: S314
    assert pages, "the sitemap index names no page"
    locs = []
    for page in pages:
        response = client.get(page.removeprefix("http://testserver"))
        assert response.status_code == 200, page
        locs += [e.text for e in ET.fromstring(response.content).findall("s:url/s:loc", SITEMAP_NS)]  # noqa: S314
    return locs


def test_sitemap_lists_only_public_activities_and_editions(client, every_state):
    w = every_state
    locs = sitemap_locs(client)
    activity_locs = sorted(loc for loc in locs if "/activities/" in loc and loc[-2].isdigit())
    assert activity_locs == sorted(f"http://testserver/activities/{pk}/" for pk in w.public_ids)
    assert sorted(
        loc for loc in locs if "/editions/" in loc and loc != "http://testserver/editions/"
    ) == [
        "http://testserver/editions/2023/",
        "http://testserver/editions/2031/",
    ]


def test_a_published_activity_of_a_draft_edition_is_nowhere(client, world):
    activity = make_activity(world.draft, world.institute, title="草稿届次里的已发布活动")
    for url in (
        f"/activities/{activity.pk}/",
        f"/activities/{activity.pk}/poster.png",
        f"/activities/{activity.pk}/calendar.ics",
    ):
        assert client.get(url).status_code == 404, url
    assert f"/activities/{activity.pk}/" not in "".join(sitemap_locs(client))
    assert activity.title.encode() not in client.get("/activities/?q=草稿").content


@pytest.mark.parametrize(
    "url",
    [
        "/editions/2032/",
        "/editions/2032/activities/",
        "/editions/2032/calendar/",
        "/editions/2032/calendar.ics",
        "/editions/2032/areas/linzi/",
        "/editions/2032/units/{institute}/",
        "/editions/1999/",
    ],
)
def test_draft_and_unknown_editions_answer_404(client, world, url):
    assert client.get(url.format(institute=world.institute.pk)).status_code == 404


def test_the_edition_archive_lists_public_editions_newest_first(client, world):
    response = client.get("/editions/", **EN)
    content = response.content.decode()
    assert response.status_code == 200
    assert world.draft.title not in content
    assert content.index(world.current.title) < content.index(world.archive.title)


def test_a_past_edition_is_browsable_under_its_year(client, world):
    held = make_activity(world.archive, world.institute, state="held", title="2023年实验室开放日")
    hidden = make_activity(world.archive, world.institute, state="cancelled", title="2023年已取消")
    current = make_activity(world.current, world.institute, title="2031年开放日")

    home = client.get("/editions/2023/", **EN)
    assert home.status_code == 200
    assert world.archive.theme in home.content.decode()

    for url in (
        "/editions/2023/activities/",
        "/editions/2023/areas/linzi/",
        f"/editions/2023/units/{world.institute.pk}/",
    ):
        response = client.get(url)
        assert (response.status_code, activity_ids(response)) == (200, [held.pk]), url

    calendar = client.get("/editions/2023/calendar/").content.decode()
    assert held.title in calendar
    assert hidden.title not in calendar
    assert current.title not in calendar
    feed = Calendar.from_ical(client.get("/editions/2023/calendar.ics").content)
    assert [str(e["SUMMARY"]) for e in feed.walk("VEVENT")] == [held.title]
    # The archived activity's own page stays online.
    assert client.get(f"/activities/{held.pk}/").status_code == 200


def test_an_inactive_or_unknown_area_or_unit_answers_404(client, world):
    world.linzi.is_active = False
    world.linzi.save()
    assert client.get("/areas/linzi/").status_code == 404
    assert client.get("/areas/nowhere/").status_code == 404
    # An area is not a unit.
    assert client.get(f"/units/{world.zhangdian.pk}/").status_code == 404
    assert client.get("/units/999999/").status_code == 404
