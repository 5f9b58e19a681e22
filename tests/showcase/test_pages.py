"""Accessibility basics on every public page, robots.txt, and the language switch."""

import pytest

from sciweek.activities.models import MediaCoverage

from .conftest import EN, make_activity, parse_page


@pytest.fixture
def pages(world):
    w = world
    w.activity = make_activity(
        w.current, w.institute, title="无障碍测试开放日", is_key=True, days=(0, 1),
        audiences=("seniors",), booking_required=True, address="临淄区化工路1号",
        livestream_url="https://live.example.test/1", description="**欢迎**参加",
    )  # fmt: skip
    MediaCoverage.objects.create(
        activity=w.activity, outlet="淄博日报", title="报道", published_on=w.current.start_date
    )
    w.past = make_activity(w.archive, w.institute, state="held", title="2023年开放日")
    return w


def page_urls(w) -> list[str]:
    return [
        "/",
        "/activities/",
        "/activities/?area=1&bookable=on",
        f"/activities/{w.activity.pk}/",
        "/calendar/",
        "/editions/",
        "/editions/2023/",
        "/editions/2023/activities/",
        "/editions/2023/calendar/",
        f"/activities/{w.past.pk}/",
        "/areas/linzi/",
        f"/units/{w.institute.pk}/",
    ]


@pytest.mark.parametrize(("accept", "lang"), [("en", "en"), ("zh-CN,zh;q=0.9", "zh-hans")])
def test_every_public_page_has_the_accessibility_basics(client, pages, accept, lang):
    for url in page_urls(pages):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=accept)
        assert response.status_code == 200, url
        page = parse_page(response)
        assert page.html_lang == lang, url
        assert page.h1 == 1, url
        assert [img for img in page.images if not img.get("alt") and img.get("alt") != ""] == [], (
            url
        )
        assert page.unlabelled_fields() == [], url
        duplicates = {i for i in page.ids if page.ids.count(i) > 1}
        assert duplicates == set(), url


def test_the_list_form_labels_every_filter(client, pages):
    page = parse_page(client.get("/activities/", **EN))
    labelled = sorted(f["name"] for f in page.fields)
    assert labelled == sorted(
        ["q", "area", "category", "audience", "mode", "date_from", "date_to", "bookable"]
    )
    assert page.unlabelled_fields() == []


def test_the_page_title_names_the_activity(client, pages):
    content = client.get(f"/activities/{pages.activity.pk}/", **EN).content.decode()
    assert "<title>无障碍测试开放日 · Science and Technology Activity Week</title>" in content
    assert '<meta property="og:title" content="无障碍测试开放日">' in content
    assert (
        f'<meta property="og:image" content="http://testserver/activities/{pages.activity.pk}/poster.png">'
        in content
    )


def test_the_parser_notices_what_it_checks():
    """The checks above can fail: a page missing alt, labels and h1 is reported."""

    class Fake:
        content = (
            b'<html lang="en"><body><img src="a.png"><input name="q">'
            b'<label for="x">X</label><select id="x" name="x"></select></body></html>'
        )

    page = parse_page(Fake)
    assert page.h1 == 0
    assert len([img for img in page.images if not img.get("alt")]) == 1
    assert page.unlabelled_fields() == ["q"]


# robots.txt ------------------------------------------------------------------------------------


def test_robots_txt_disallows_the_back_office_and_names_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().splitlines() == [
        "User-agent: *",
        "Disallow: /office/",
        "Disallow: /accounts/",
        "Disallow: /admin/",
        "Disallow: /api/",
        "Sitemap: http://testserver/sitemap.xml",
    ]


# Language switch --------------------------------------------------------------------------------


def test_the_language_switch_sets_the_cookie_and_returns(client, pages):
    response = client.get("/i18n/en/?next=/activities/%3Fq%3D开放日")
    assert response.status_code == 302
    assert response["Location"] == "/activities/?q=%E5%BC%80%E6%94%BE%E6%97%A5"
    cookie = response.cookies["django_language"]
    assert (cookie.value, cookie["max-age"], cookie["samesite"]) == ("en", 31536000, "Lax")
    page = client.get("/activities/")
    assert page["Content-Language"] == "en"
    assert parse_page(page).html_lang == "en"
    client.get("/i18n/zh-hans/?next=/")
    assert parse_page(client.get("/activities/")).html_lang == "zh-hans"


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/path",
        "http://evil.example/",
        "javascript:alert(1)",
        r"/\evil.example",
    ],
)
def test_the_language_switch_refuses_an_external_next(client, db, next_url):
    response = client.get("/i18n/en/", {"next": next_url})
    assert (response.status_code, response["Location"]) == (302, "/")
    assert response.cookies["django_language"].value == "en"


def test_an_unknown_language_is_404(client, db):
    response = client.get("/i18n/xx/?next=/")
    assert response.status_code == 404
    assert "django_language" not in response.cookies


def test_the_footer_links_to_the_other_language_from_the_same_page(client, pages):
    content = client.get("/calendar/").content.decode()
    assert '<a lang="en" href="/i18n/en/?next=/calendar/">English</a>' in content


def test_an_activity_page_leads_back_to_its_own_edition(client, pages):
    current = client.get(f"/activities/{pages.activity.pk}/").content.decode()
    assert '<a class="public-tab" href="/">' in current
    assert '<li class="breadcrumb-item"><a href="/activities/">' in current
    past = client.get(f"/activities/{pages.past.pk}/").content.decode()
    assert '<a class="public-tab" href="/editions/2023/">' in past
    assert '<li class="breadcrumb-item"><a href="/editions/2023/activities/">' in past


def test_a_past_editions_home_links_to_its_own_activities(client, pages):
    pages.past.is_key = True
    pages.past.save(update_fields=["is_key"])
    past = client.get("/editions/2023/", **EN).content.decode()
    assert '<a class="small" href="/editions/2023/activities/">All activities' in past
    current = client.get("/", **EN).content.decode()
    assert '<a class="small" href="/activities/">All activities' in current
