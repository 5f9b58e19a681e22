"""Share posters (分享海报) for WeChat: a PNG with the activity's title, time, venue, the edition's
theme and a QR code to its page. Drawn with the project's own CJK font, so a fresh server renders
Chinese, not boxes."""

from __future__ import annotations

import io

import segno
from django.utils import timezone
from PIL import Image, ImageDraw

from sciweek.common.fonts import font

WIDTH, HEIGHT = 750, 1200
MARGIN = 56
BLUE_TOP, BLUE_BOTTOM = (11, 92, 173), (27, 47, 107)
INK, GREY, ACCENT = (31, 41, 51), (96, 106, 118), (232, 89, 12)


def _wrap(draw: ImageDraw.ImageDraw, text: str, face, width: int, max_lines: int) -> list[str]:
    """Break text to fit ``width``, character by character (Chinese has no spaces)."""
    lines, line = [], ""
    for char in text:
        if draw.textlength(line + char, font=face) <= width:
            line += char
            continue
        lines.append(line)
        line = char
        if len(lines) == max_lines:
            break
    if line and len(lines) < max_lines:
        lines.append(line)
    if len(lines) == max_lines and "".join(lines) != text:
        lines[-1] = lines[-1][:-1] + "…"
    return lines


def _qr_image(url: str, size: int) -> Image.Image:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=10, border=2)
    buffer.seek(0)
    return Image.open(buffer).convert("RGB").resize((size, size), Image.NEAREST)


def render_poster(*, activity, url: str) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    header = 420
    for y in range(header):  # a vertical gradient like the site's header
        t = y / header
        colour = tuple(round(a + (b - a) * t) for a, b in zip(BLUE_TOP, BLUE_BOTTOM, strict=True))
        draw.line([(0, y), (WIDTH, y)], fill=colour)
    edition = activity.edition
    draw.text((MARGIN, 60), edition.title, font=font(30), fill=(220, 232, 245))
    draw.text((MARGIN, 110), edition.theme, font=font(64, bold=True), fill="white")
    draw.text((MARGIN, 200), activity.category.name, font=font(28), fill=(255, 212, 59))

    y = 250
    for line in _wrap(draw, activity.title, font(46, bold=True), WIDTH - 2 * MARGIN, 3):
        draw.text((MARGIN, y), line, font=font(46, bold=True), fill="white")
        y += 58

    y = header + 50
    sessions = list(activity.sessions.all())
    facts = []
    if sessions:
        first = timezone.localtime(sessions[0].starts_at)
        end = timezone.localtime(sessions[0].ends_at)
        when = f"{first:%Y年%-m月%-d日 %H:%M}–{end:%H:%M}"
        if len(sessions) > 1:
            when += f"（共{len(sessions)}场）"
        facts.append(("时间", when))
    if activity.venue_name:
        facts.append(("地点", activity.venue_name))
    facts.append(("主办", activity.host.name))
    for label, value in facts:
        draw.text((MARGIN, y), label, font=font(28, bold=True), fill=ACCENT)
        for line in _wrap(draw, value, font(30), WIDTH - 2 * MARGIN - 90, 2):
            draw.text((MARGIN + 90, y - 2), line, font=font(30), fill=INK)
            y += 44
        y += 16

    qr_size = 260
    qr_top = HEIGHT - qr_size - 110
    image.paste(_qr_image(url, qr_size), (MARGIN, qr_top))
    draw.text(
        (MARGIN + qr_size + 36, qr_top + 70), "长按识别二维码", font=font(32, bold=True), fill=INK
    )
    draw.text(
        (MARGIN + qr_size + 36, qr_top + 120), "查看活动详情、预约参加", font=font(26), fill=GREY
    )
    draw.text((MARGIN, HEIGHT - 70), "科技活动周 · 永不落幕", font=font(24), fill=GREY)

    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


LABEL_WIDTH, LABEL_HEIGHT = 1200, 600


def exhibit_label_png(exhibit, url: str) -> bytes:
    """The booth label of a selected exhibit (A5 landscape at 150 dpi when printed): booth
    number, title, unit and the strategy it serves, with a QR code to its public page."""
    image = Image.new("RGB", (LABEL_WIDTH, LABEL_HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([(0, 0), (LABEL_WIDTH, 110)], fill=BLUE_TOP)
    draw.text((MARGIN, 28), exhibit.booth_number, font=font(56, bold=True), fill="white")
    draw.text((MARGIN + 200, 40), exhibit.ceremony.title[:28], font=font(30), fill="white")
    y = 150
    text_width = LABEL_WIDTH - 2 * MARGIN - 360
    for line in _wrap(draw, exhibit.title, font(48, bold=True), text_width, 3):
        draw.text((MARGIN, y), line, font=font(48, bold=True), fill=INK)
        y += 64
    y += 16
    draw.text((MARGIN, y), exhibit.unit_name[:30], font=font(30), fill=GREY)
    draw.text((MARGIN, y + 48), exhibit.get_strategy_display()[:30], font=font(26), fill=ACCENT)
    image.paste(_qr_image(url, 320), (LABEL_WIDTH - MARGIN - 320, 150))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
