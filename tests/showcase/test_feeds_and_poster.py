"""iCalendar feeds (RFC 5545, Asia/Shanghai) and the share poster PNG."""

import io
from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from icalendar import Calendar
from PIL import Image, ImageChops

from sciweek.common import fonts
from sciweek.showcase import poster

from .conftest import make_activity

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def feeds(world):
    w = world
    # Two sessions (day 1 09:00 and day 2 09:00), one in 临淄; one in 张店 at 19:30; one hidden.
    w.open_day = make_activity(
        w.current, w.institute, title="实验室开放日", days=(0, 1), venue_name="研究院实验楼",
        address="临淄区化工路1号",
    )  # fmt: skip
    w.night = make_activity(w.current, w.museum, title="科学之夜", days=(3,), hour=19)
    start = timezone.localtime(w.night.sessions.get().starts_at)
    w.night.sessions.update(ends_at=start.replace(hour=21, minute=30))
    w.draft = make_activity(w.current, w.institute, title="草稿活动", state="draft")
    return w


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(calendar: Calendar) -> list[tuple[str, datetime, datetime, str]]:
    return [
        (str(e["SUMMARY"]), e.decoded("DTSTART"), e.decoded("DTEND"), str(e["UID"]))
        for e in calendar.walk("VEVENT")
    ]


def local(y, m, d, h, mi=0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=SHANGHAI)


def test_activity_feed_has_one_event_per_session_in_local_time(client, feeds):
    w = feeds
    response = client.get(f"/activities/{w.open_day.pk}/calendar.ics")
    assert response["Content-Disposition"] == f'inline; filename="activity-{w.open_day.pk}.ics"'
    calendar = parse(response)
    s1, s2 = w.open_day.sessions.order_by("starts_at")
    assert events(calendar) == [
        ("实验室开放日", local(2031, 5, 20, 9), local(2031, 5, 20, 11), f"session-{s1.pk}@sciweek"),
        ("实验室开放日", local(2031, 5, 21, 9), local(2031, 5, 21, 11), f"session-{s2.pk}@sciweek"),
    ]
    raw = response.content.decode()
    assert "DTSTART;TZID=Asia/Shanghai:20310520T090000" in raw
    assert "DTEND;TZID=Asia/Shanghai:20310520T110000" in raw


def test_every_feed_is_valid_rfc5545_with_its_timezone(client, feeds):
    for url in ("/calendar.ics", "/areas/linzi/calendar.ics", "/editions/2031/calendar.ics"):
        calendar = parse(client.get(url))
        assert str(calendar["VERSION"]) == "2.0"
        assert str(calendar["PRODID"]) == "-//SciWeek//科技活动周//ZH"
        assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"], url
        for event in calendar.walk("VEVENT"):
            for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "URL"):
                assert prop in event, (url, prop)
            assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
            assert event.decoded("DTEND") > event.decoded("DTSTART")
        # Lines are folded at 75 octets and end with CRLF.
        raw = client.get(url).content
        assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
        assert raw.endswith(b"END:VCALENDAR\r\n")


def test_edition_and_area_feeds_hold_exactly_their_public_sessions(client, feeds):
    whole = events(parse(client.get("/calendar.ics")))
    assert [(e[0], e[1]) for e in whole] == [
        ("实验室开放日", local(2031, 5, 20, 9)),
        ("实验室开放日", local(2031, 5, 21, 9)),
        ("科学之夜", local(2031, 5, 23, 19)),
    ]
    assert [e[2] for e in whole][2] == local(2031, 5, 23, 21, 30)
    assert events(parse(client.get("/editions/2031/calendar.ics"))) == whole
    linzi = events(parse(client.get("/areas/linzi/calendar.ics")))
    assert [e[0] for e in linzi] == ["实验室开放日", "实验室开放日"]
    assert [e[0] for e in events(parse(client.get("/areas/zhangdian/calendar.ics")))] == [
        "科学之夜"
    ]
    assert client.get("/areas/nowhere/calendar.ics").status_code == 404


def test_feed_event_carries_location_and_link(client, feeds, settings):
    w = feeds
    calendar = parse(client.get(f"/activities/{w.open_day.pk}/calendar.ics"))
    event = next(iter(calendar.walk("VEVENT")))
    assert str(event["LOCATION"]) == "研究院实验楼 临淄区化工路1号"
    assert str(event["URL"]) == f"{settings.SITE_URL}/activities/{w.open_day.pk}/"


# Poster ---------------------------------------------------------------------------------------


def test_poster_is_a_png_of_the_declared_size(client, feeds):
    response = client.get(f"/activities/{feeds.open_day.pk}/poster.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(response.content))
    assert (image.format, image.size) == ("PNG", (poster.WIDTH, poster.HEIGHT))
    image.verify()


def test_poster_qr_code_is_the_activity_url(client, feeds):
    """No QR decoder is installed: the QR area must be exactly the code segno draws for the
    activity's absolute URL (and differ from another activity's code)."""
    w = feeds
    image = Image.open(io.BytesIO(client.get(f"/activities/{w.open_day.pk}/poster.png").content))
    size, top = 260, poster.HEIGHT - 260 - 110
    qr_area = image.convert("RGB").crop((poster.MARGIN, top, poster.MARGIN + size, top + size))
    expected = poster._qr_image(f"http://testserver/activities/{w.open_day.pk}/", size)
    other = poster._qr_image(f"http://testserver/activities/{w.night.pk}/", size)
    assert ImageChops.difference(qr_area, expected).getbbox() is None
    assert ImageChops.difference(qr_area, other).getbbox() is not None


def test_poster_draws_chinese_with_the_shipped_font(client, feeds):
    with mock.patch.object(poster, "font", wraps=fonts.font) as font:
        response = client.get(f"/activities/{feeds.open_day.pk}/poster.png")
    assert response.status_code == 200
    assert mock.call(46, bold=True) in font.call_args_list
    assert mock.call(30) in font.call_args_list
    assert fonts.font(30).path == str(fonts.REGULAR)
    assert fonts.font(46, bold=True).path == str(fonts.BOLD)
    assert fonts.REGULAR.name == "NotoSansSC-Regular-GB2312.otf"
    # The shipped font has the glyphs: a CJK character is not drawn as the missing-glyph box.
    face = fonts.font(30)
    assert face.getmask("科").getbbox() != face.getmask("\U000f0000").getbbox()
