"""Name badges and table cards (胸牌、桌签) for the ceremony, as printable A4 PDF sheets.

Drawn with Pillow and the CJK font shipped in ``common/fonts`` (as tickets, posters and booth
labels are), so Chinese renders on a fresh server without any system font; each page is an
image at 150 dpi and the PDF is Pillow's own writer, so nothing else is needed at runtime.

- Badges: 8 per A4 page (2 × 4, 105 × 74 mm each, with light cut marks): the category's colour
  band, the name, organisation and post, and the guest's invitation QR (the code the gate
  reads), so a badge also checks its wearer in.
- Table cards: one per page, A4 landscape folded in half along its long side; the lower half
  reads upright, the upper half is turned so the card reads from both sides of the table.
"""

from __future__ import annotations

import io

import segno
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw

from sciweek.common.fonts import font

from .enums import GuestCategoryKind

DPI = 150
A4 = (1240, 1754)  # portrait, at 150 dpi
A4_LANDSCAPE = (A4[1], A4[0])
BADGE_COLUMNS, BADGE_ROWS = 2, 4
BADGES_PER_PAGE = BADGE_COLUMNS * BADGE_ROWS
BADGE = (A4[0] // BADGE_COLUMNS, A4[1] // BADGE_ROWS)  # 620 × 438 px = 105 × 74 mm

INK, GREY, CUT = (31, 41, 51), (96, 106, 118), (200, 204, 210)
# One colour per category, the same on badges and table cards, told apart in print.
CATEGORY_COLOURS = {
    GuestCategoryKind.CITY_LEADER: (180, 30, 40),
    GuestCategoryKind.THREE_DEPARTMENTS: (214, 96, 20),
    GuestCategoryKind.AREA_HEAD: (11, 92, 173),
    GuestCategoryKind.ENTERPRISE: (20, 130, 90),
    GuestCategoryKind.STUDENT: (110, 60, 170),
    GuestCategoryKind.MEDIA: (60, 60, 60),
    GuestCategoryKind.OTHER: (120, 120, 120),
}


def category_colour(kind: str) -> tuple[int, int, int]:
    return CATEGORY_COLOURS.get(kind, CATEGORY_COLOURS[GuestCategoryKind.OTHER])


def _post(guest) -> str:
    return guest.substitute_post if guest.state_is_substitute else guest.post


def _fit(draw, text: str, width: int, size: int, *, bold: bool = False, smallest: int = 18):
    """The largest face (from ``size`` down) in which ``text`` fits ``width`` on one line."""
    while size > smallest and draw.textlength(text, font=font(size, bold=bold)) > width:
        size -= 2
    return font(size, bold=bold)


def _clip(draw, text: str, face, width: int) -> str:
    if draw.textlength(text, font=face) <= width:
        return text
    while text and draw.textlength(text + "…", font=face) > width:
        text = text[:-1]
    return text + "…"


def _wrap(draw, text: str, face, width: int, max_lines: int) -> list[str]:
    """Break ``text`` to fit ``width`` character by character (Chinese has no spaces)."""
    lines, line = [], ""
    for char in text:
        if draw.textlength(line + char, font=face) <= width:
            line += char
            continue
        lines.append(line)
        line = char
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = _clip(draw, lines[-1] + "…", face, width)
    return lines


def _qr(code: str, size: int) -> Image.Image:
    out = io.BytesIO()
    segno.make(code, error="m", micro=False).save(out, kind="png", scale=8, border=2)
    return Image.open(io.BytesIO(out.getvalue())).convert("RGB").resize((size, size), Image.NEAREST)


def draw_badge(page: Image.Image, origin: tuple[int, int], guest, ceremony_title: str) -> None:
    x0, y0 = origin
    width, height = BADGE
    draw = ImageDraw.Draw(page)
    margin, band = 30, 66
    colour = category_colour(guest.category.kind)
    draw.rectangle([(x0, y0), (x0 + width - 1, y0 + band)], fill=colour)
    label = _clip(draw, str(guest.category), font(30, bold=True), width - 2 * margin)
    draw.text((x0 + margin, y0 + 14), label, font=font(30, bold=True), fill="white")

    qr_side = 170
    text_width = width - 3 * margin - qr_side
    name_face = _fit(draw, guest.attendee_name, text_width, 66, bold=True)
    draw.text((x0 + margin, y0 + band + 40), guest.attendee_name, font=name_face, fill=INK)
    y = y0 + band + 150
    face = font(26)
    lines = _wrap(draw, guest.organization_name, face, text_width, 2)
    if _post(guest):
        lines.append(_clip(draw, _post(guest), face, text_width))
    for text in lines:
        draw.text((x0 + margin, y), text, font=face, fill=GREY)
        y += 38
    qr_x, qr_y = x0 + width - margin - qr_side, y0 + band + 30
    page.paste(_qr(guest.code, qr_side), (qr_x, qr_y))
    code_face = font(18)
    code_w = draw.textlength(guest.code, font=code_face)
    draw.text((qr_x + (qr_side - code_w) / 2, qr_y + qr_side + 4), guest.code, font=code_face,
              fill=GREY)  # fmt: skip
    footer = _clip(draw, ceremony_title, font(20), width - 2 * margin)
    draw.text((x0 + margin, y0 + height - 50), footer, font=font(20), fill=GREY)
    # Cut marks: the badge's outline in a light grey.
    draw.rectangle([(x0, y0), (x0 + width - 1, y0 + height - 1)], outline=CUT, width=1)


def badge_pages(guests, ceremony_title: str) -> list[Image.Image]:
    pages = []
    for index, guest in enumerate(guests):
        slot = index % BADGES_PER_PAGE
        if slot == 0:
            pages.append(Image.new("RGB", A4, "white"))
        column, row = slot % BADGE_COLUMNS, slot // BADGE_COLUMNS
        draw_badge(pages[-1], (column * BADGE[0], row * BADGE[1]), guest, ceremony_title)
    return pages


def _card_panel(guest, size: tuple[int, int]) -> Image.Image:
    """One half of a table card, upright."""
    width, height = size
    panel = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(panel)
    margin = 80
    name_face = _fit(draw, guest.attendee_name, width - 2 * margin, 200, bold=True, smallest=40)
    box = draw.textbbox((0, 0), guest.attendee_name, font=name_face)
    name_w, name_h = box[2] - box[0], box[3] - box[1]
    draw.text(((width - name_w) / 2 - box[0], (height - name_h) / 2 - box[1] - 40),
              guest.attendee_name, font=name_face, fill=INK)  # fmt: skip
    line = " · ".join(t for t in (guest.organization_name, _post(guest)) if t)
    face = font(34)
    line = _clip(draw, line, face, width - 2 * margin)
    line_w = draw.textlength(line, font=face)
    draw.text(((width - line_w) / 2, height - 150), line, font=face, fill=GREY)
    draw.rectangle([(0, height - 40), (width, height)], fill=category_colour(guest.category.kind))
    return panel


def table_card_pages(guests) -> list[Image.Image]:
    pages = []
    half = (A4_LANDSCAPE[0], A4_LANDSCAPE[1] // 2)
    for guest in guests:
        page = Image.new("RGB", A4_LANDSCAPE, "white")
        panel = _card_panel(guest, half)
        page.paste(panel.rotate(180), (0, 0))
        page.paste(panel, (0, half[1]))
        draw = ImageDraw.Draw(page)
        for x in range(0, A4_LANDSCAPE[0], 24):  # the fold, dashed
            draw.line([(x, half[1]), (x + 12, half[1])], fill=CUT, width=2)
        pages.append(page)
    return pages


def _blank(size, message: str) -> Image.Image:
    page = Image.new("RGB", size, "white")
    ImageDraw.Draw(page).text((80, 80), message, font=font(36), fill=GREY)
    return page


def to_pdf(pages: list[Image.Image], *, title: str) -> bytes:
    out = io.BytesIO()
    first, rest = pages[0], pages[1:]
    first.save(out, "PDF", save_all=True, append_images=rest, resolution=DPI, title=title,
               creator="SciWeek")  # fmt: skip
    return out.getvalue()


def badges_pdf(ceremony, guests) -> bytes:
    pages = badge_pages(guests, ceremony.title) or [
        _blank(A4, _("No confirmed guest yet: nobody to print a badge for."))
    ]
    return to_pdf(pages, title=f"{ceremony.title} · {_('Name badges')}")


def table_cards_pdf(ceremony, guests) -> bytes:
    pages = table_card_pages(guests) or [
        _blank(A4_LANDSCAPE, _("No confirmed guest yet: nobody to print a table card for."))
    ]
    return to_pdf(pages, title=f"{ceremony.title} · {_('Table cards')}")
