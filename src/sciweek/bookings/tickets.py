"""E-ticket images: the QR code (holding the ticket code only, an opaque random secret) and the
downloadable ticket PNG, drawn with the project's own CJK font so Chinese never shows as boxes.
Only the masked name is ever drawn."""

from __future__ import annotations

import io

import segno
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from PIL import Image, ImageDraw

from sciweek.common.fonts import font

from .enums import BookingStatus
from .models import Booking

WIDTH, HEIGHT = 750, 1180
MARGIN = 56
BLUE, INK, GREY, ACCENT = (11, 92, 173), (31, 41, 51), (96, 106, 118), (232, 89, 12)


def qr_png(code: str, *, scale: int = 10) -> bytes:
    buffer = io.BytesIO()
    segno.make(code, error="m", micro=False).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def _qr_image(code: str, size: int) -> Image.Image:
    image = Image.open(io.BytesIO(qr_png(code))).convert("RGB")
    return image.resize((size, size), Image.NEAREST)


def _wrap(draw: ImageDraw.ImageDraw, text: str, face, width: int, max_lines: int) -> list[str]:
    """Break ``text`` to fit ``width`` character by character (Chinese has no spaces)."""
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
    if lines and "".join(lines) != text:
        lines[-1] = lines[-1][:-1] + "…"
    return lines


def format_code(code: str) -> str:
    """ABCDE FGHJK: two groups of five are easier to read out and type."""
    return " ".join(code[i : i + 5] for i in range(0, len(code), 5))


def ticket_png(booking: Booking) -> bytes:
    session = booking.session
    activity = session.activity
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([(0, 0), (WIDTH, 150)], fill=BLUE)
    draw.text((MARGIN, 40), _("E-ticket"), font=font(44, bold=True), fill="white")
    draw.text((MARGIN, 100), activity.edition.title, font=font(26), fill=(220, 232, 245))

    y = 185
    for line in _wrap(draw, activity.title, font(40, bold=True), WIDTH - 2 * MARGIN, 2):
        draw.text((MARGIN, y), line, font=font(40, bold=True), fill=INK)
        y += 54
    start = timezone.localtime(session.starts_at)
    end = timezone.localtime(session.ends_at)
    rows = [
        (_("Time"), f"{start:%Y-%m-%d %H:%M} - {end:%H:%M}"),
        (_("Venue"), activity.venue_name or activity.address or "—"),
        (pgettext("person", "Name"), booking.masked_name),
        (_("People"), str(booking.party_size)),
    ]
    if booking.group_name:
        rows.append((_("Group"), booking.group_name))
    y += 10
    for label, value in rows:
        draw.text((MARGIN, y), label, font=font(26), fill=GREY)
        lines = _wrap(draw, value, font(30), WIDTH - 2 * MARGIN - 150, 2)
        for line in lines:
            draw.text((MARGIN + 150, y - 3), line, font=font(30), fill=INK)
            y += 42
        y += 6

    qr_size = 420
    qr_top = max(y + 20, 560)
    image.paste(_qr_image(booking.code, qr_size), ((WIDTH - qr_size) // 2, qr_top))
    code_face = font(56, bold=True)
    text = format_code(booking.code)
    width = draw.textlength(text, font=code_face)
    draw.text(((WIDTH - width) / 2, qr_top + qr_size + 16), text, font=code_face, fill=INK)
    if booking.status != BookingStatus.CONFIRMED:
        note = booking.get_status_display()
        draw.text((MARGIN, qr_top - 46), note, font=font(30, bold=True), fill=ACCENT)
    footer = _("Show this code at the gate. Do not share it.")
    width = draw.textlength(footer, font=font(24))
    draw.text(((WIDTH - width) / 2, HEIGHT - 60), footer, font=font(24), fill=GREY)

    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
