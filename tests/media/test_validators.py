"""Pure checks: livestream hosts and HTTP byte ranges (property-tested)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from sciweek.common.livestream import host_allowed, validate_livestream_url
from sciweek.common.serving import parse_range

ALLOWED = ["live.bilibili.com", "channels.weixin.qq.com", ".cctv.com"]


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://live.bilibili.com/123", True),
        ("https://channels.weixin.qq.com/live/abc", True),
        ("https://tv.cctv.com/live/", True),
        ("https://cctv.com/", True),
        ("https://live.bilibili.com.evil.example/1", False),
        ("https://evilcctv.com/", False),
        ("https://example.org/live", False),
        ("javascript:alert(1)", False),
        ("https://user:pw@live.bilibili.com/1", False),
        ("ftp://live.bilibili.com/1", False),
    ],
)
def test_validate_livestream_url(settings, url, ok):
    settings.LIVESTREAM_ALLOWED_HOSTS = ALLOWED
    if ok:
        assert validate_livestream_url(url) == url
    else:
        with pytest.raises(ValidationError):
            validate_livestream_url(url)


def test_validate_livestream_url_message_names_host_and_allowed(settings):
    settings.LIVESTREAM_ALLOWED_HOSTS = ALLOWED
    with pytest.raises(ValidationError) as info:
        validate_livestream_url("https://example.org/x")
    assert info.value.messages == [
        "example.org is not an allowed livestream platform. "
        "Allowed: live.bilibili.com, channels.weixin.qq.com, cctv.com."
    ]


def test_default_livestream_hosts_include_common_platforms(settings):
    for host in ("live.bilibili.com", "channels.weixin.qq.com", "live.douyin.com", "tv.cctv.com"):
        assert host_allowed(host, settings.LIVESTREAM_ALLOWED_HOSTS)


@given(size=st.integers(1, 10_000), a=st.integers(0, 20_000), b=st.integers(0, 20_000))
def test_parse_range_stays_inside_file(size, a, b):
    result = parse_range(f"bytes={a}-{b}", size)
    if a >= size:
        assert result == "unsatisfiable"
    elif b < a:
        assert result is None
    else:
        assert result == (a, min(b, size - 1))


@given(size=st.integers(1, 10_000), n=st.integers(1, 20_000))
def test_parse_range_suffix(size, n):
    assert parse_range(f"bytes=-{n}", size) == (max(size - n, 0), size - 1)


@given(header=st.text(max_size=30))
def test_parse_range_never_raises(header):
    result = parse_range(header, 100)
    assert result is None or result == "unsatisfiable" or (0 <= result[0] <= result[1] < 100)
