"""User markdown is rendered and sanitised: no script, no javascript: link, no event handler."""

import re
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sciweek.common.markdown import ALLOWED_TAGS, render_markdown


class Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend((name, value or "") for name, value in attrs)


def parse(html: str) -> Collector:
    collector = Collector()
    collector.feed(html)
    return collector


def scheme_of(url: str) -> str | None:
    """The scheme a browser would see (WHATWG URL: tabs and newlines removed anywhere, C0 and
    spaces stripped at the ends), or None for a relative URL."""
    url = re.sub(r"[\t\n\r]", "", url).strip("".join(map(chr, range(0x21))))
    match = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", url)
    return match.group(1).lower() if match else None


def assert_safe(html: str) -> None:
    parsed = parse(html)
    assert set(parsed.tags) <= ALLOWED_TAGS
    for name, value in parsed.attrs:
        assert not name.startswith("on"), (name, value)
        assert name in {"href", "title", "rel"}, name
        if name == "href":
            assert scheme_of(value) in {None, "http", "https", "mailto"}, value


def test_formatting_survives():
    html = str(render_markdown("## 标题\n\n**粗体** 和 [链接](https://example.com)\n\n- 一\n- 二"))
    assert "<h2>标题</h2>" in html
    assert "<strong>粗体</strong>" in html
    assert '<a href="https://example.com" rel="noopener noreferrer nofollow">链接</a>' in html
    assert "<li>一</li>" in html


def test_script_tag_is_removed():
    html = str(render_markdown("前<script>alert(1)</script>后"))
    assert "<script" not in html.lower()
    assert "alert(1)" not in html


def test_javascript_link_is_removed():
    html = str(render_markdown("[点我](javascript:alert(1))"))
    assert "javascript:" not in html.lower()
    assert_safe(html)


def test_event_handlers_and_iframes_are_removed():
    html = str(
        render_markdown(
            '<img src=x onerror="alert(1)"><iframe src="https://evil"></iframe><a href="#" onclick="x()">a</a>'
        )
    )
    assert "onerror" not in html
    assert "onclick" not in html
    assert "<iframe" not in html
    assert "<img" not in html
    assert_safe(html)


def test_empty_text():
    assert str(render_markdown("")) == ""
    assert str(render_markdown(None)) == ""


PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil/x.js></SCRIPT>",
    "[x](javascript:alert(1))",
    "[x]( JaVaScRiPt:alert(1))",
    "[x](java\tscript:alert(1))",
    "<a href='javascript:alert(1)'>x</a>",
    '<a href="&#106;avascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    "![img](javascript:alert(1))",
    "<style>body{}</style>",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
]


# Generation time depends on how busy the machine is, not on the code under test.
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(PAYLOADS), st.text(max_size=30)), min_size=1, max_size=6))
def test_no_payload_survives_in_any_surrounding(parts):
    html = str(render_markdown("\n".join(parts)))
    assert "<script" not in html.lower()
    assert "<style" not in html.lower()
    assert_safe(html)
