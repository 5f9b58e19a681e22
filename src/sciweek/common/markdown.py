"""Markdown written by users, rendered and then sanitised with nh3 so no script survives."""

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "blockquote", "h2", "h3", "h4",
    "a", "table", "thead", "tbody", "tr", "th", "td", "hr", "code", "pre",
}  # fmt: skip


def render_markdown(text: str) -> SafeString:
    html = md.markdown(text or "", extensions=["tables", "sane_lists"], output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 on the line above
