"""Name badges and table cards: one printable A4 PDF per ceremony, drawn with the shipped CJK
font, each badge carrying the guest's invitation QR."""

import io
import re

import pytest
import segno
from PIL import Image, ImageChops, ImageDraw

from sciweek.common.fonts import font
from sciweek.exhibition import printing
from sciweek.exhibition.enums import GuestState
from sciweek.exhibition.models import Guest

from .conftest import guest_of

pytestmark = pytest.mark.django_db


def pdf_pages(content: bytes) -> int:
    assert content.startswith(b"%PDF-")
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", content))


def coming(w, count, kind="enterprise", start=100):
    return [
        guest_of(w, kind=kind, state=GuestState.ATTENDING, n=n) for n in range(start, start + count)
    ]


def test_badges_of_those_coming_eight_to_a_page(client, world):
    coming(world, 9)  # the two invited guests of the world get no badge
    client.force_login(world.organizer_reviewer)
    response = client.get(f"/office/ceremony/{world.ceremony.pk}/badges.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    year = world.edition.year
    assert response["Content-Disposition"] == f'inline; filename="badges-{year}.pdf"'
    assert pdf_pages(response.content) == 2


def test_table_cards_one_per_page_and_by_category(client, world):
    coming(world, 3)
    coming(world, 2, kind="city_leader", start=200)
    client.force_login(world.organizer_admin)
    url = f"/office/ceremony/{world.ceremony.pk}/table-cards.pdf"
    assert pdf_pages(client.get(url).content) == 5
    assert pdf_pages(client.get(f"{url}?category=city_leader").content) == 2
    response = client.get(f"{url}?category=mayor")
    assert (response.status_code, response.content.decode()) == (400, "未知的嘉宾类别。")


def test_an_empty_sheet_says_so(client, world):
    client.force_login(world.organizer_admin)
    response = client.get(f"/office/ceremony/{world.ceremony.pk}/badges.pdf")
    assert pdf_pages(response.content) == 1


def test_the_ceremony_page_links_both_sheets(client, world):
    client.force_login(world.organizer_admin)
    page = client.get("/office/ceremony/").content.decode()
    c = world.ceremony.pk
    assert f'href="/office/ceremony/{c}/badges.pdf" id="print-badges"' in page
    assert f'href="/office/ceremony/{c}/table-cards.pdf" id="print-table-cards"' in page


def test_a_badge_carries_the_category_colour_and_the_invitation_qr(world):
    guest = Guest.objects.select_related("category").get(pk=world.leader.pk)
    guest.state = GuestState.ATTENDING
    pages = printing.badge_pages([guest], world.ceremony.title)
    assert [p.size for p in pages] == [(1240, 1754)]
    page = pages[0]
    assert page.getpixel((10, 10)) == printing.CATEGORY_COLOURS["city_leader"]
    # The QR drawn is the guest's code, the one the gate reads.
    side, margin, band = 170, 30, 66
    x, y = printing.BADGE[0] - margin - side, band + 30
    out = io.BytesIO()
    segno.make(guest.code, error="m", micro=False).save(out, kind="png", scale=8, border=2)
    expected = Image.open(out).convert("RGB").resize((side, side), Image.NEAREST)
    drawn = page.crop((x, y, x + side, y + side))
    assert ImageChops.difference(drawn, expected).getbbox() is None
    # The name is drawn: dark pixels where it stands; the second slot is still blank.
    name_box = page.crop((margin, band + 40, 300, band + 120)).convert("L")
    assert name_box.getextrema()[0] < 80
    assert page.crop((printing.BADGE[0], 0, 1240, 438)).getextrema() == ((255, 255),) * 3


def _glyph(char: str) -> bytes:
    face = font(66, bold=True)
    image = Image.new("L", (80, 100), 0)
    ImageDraw.Draw(image).text((0, 0), char, font=face, fill=255)
    return image.tobytes()


def test_chinese_names_render_with_the_shipped_font_not_as_boxes(world):
    missing = _glyph("\U0010fffd")  # a character no font has: the .notdef box
    for text in (world.guest.name, world.leader.organization_name, "淄博科学城"):
        for char in text:
            assert _glyph(char) != missing, char
    assert _glyph("张") != _glyph("丰")


def test_a_table_card_reads_from_both_sides(world):
    guest = Guest.objects.select_related("category").get(pk=world.leader.pk)
    (page,) = printing.table_card_pages([guest])
    assert page.size == (1754, 1240)
    # Apart from the dashed fold along the middle, the upper half is the lower one turned round.
    top, bottom = page.crop((0, 0, 1754, 610)), page.crop((0, 630, 1754, 1240))
    assert ImageChops.difference(top.rotate(180), bottom).getbbox() is None
    assert bottom.getpixel((10, 600)) == printing.CATEGORY_COLOURS["city_leader"]
