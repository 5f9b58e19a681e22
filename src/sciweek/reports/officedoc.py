"""A Word document in the layout of GB/T 9704-2012 (党政机关公文格式), built with python-docx.

What the standard fixes and where it is set here:

- paper A4; top margin 37 mm, binding side (订口) 28 mm, text block 156 × 225 mm, so the
  bottom margin is 35 mm and the outer side 26 mm; margins mirror for double-sided printing;
- 22 lines of 28 characters: a line pitch of 225 mm / 22 and a character pitch of 156 mm / 28
  (``w:docGrid``), and every paragraph exactly one line pitch high;
- the title in 2号 (22 pt) 小标宋 (方正小标宋简体), the body in 3号 (16 pt) 仿宋 (仿宋_GB2312),
  first-level headings in 黑体, second-level in 楷体 (楷体_GB2312), all named for east-Asian text
  (``w:eastAsia``) with the east-Asian language zh-CN;
- page numbers "— 1 —" in 4号 半角宋体 Arabic numerals, outside: odd pages right, even pages
  left, one character in from the edge of the text block;
- the issuing organ (发文机关署名) and the date (成文日期, right indented four characters, the
  organ centred over it), with room above them for the seal that presses on both.

The fonts are only named: the reader's Word has them. Each named font is also declared in the
font table with the Windows font to use where it is missing (``w:altName``), so nothing
depends on the fonts of the machine that wrote the file.
"""

from __future__ import annotations

import io
import math
import unicodedata
from dataclasses import dataclass

from docx import Document
from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, Twips
from lxml import etree

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
TOP, BINDING = Mm(37), Mm(28)
TEXT_WIDTH, TEXT_HEIGHT = Mm(156), Mm(225)
BOTTOM = Emu(PAGE_HEIGHT - TOP - TEXT_HEIGHT)  # 35 mm
OUTSIDE = Emu(PAGE_WIDTH - BINDING - TEXT_WIDTH)  # 26 mm
LINES, CHARS = 22, 28

# Sizes by their Chinese names (号).
SIZE_2, SIZE_3, SIZE_4, SIZE_5 = Pt(22), Pt(16), Pt(14), Pt(10.5)
SIZE_SMALL_4 = Pt(12)

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
NUMBER_FONT = "Times New Roman"  # Arabic numerals and Latin letters in the body
PAGE_NUMBER_FONT = "宋体"
# Where a named font is missing, Word takes the first of these it has.
FALLBACKS = {
    TITLE_FONT: "宋体",
    BODY_FONT: "仿宋",
    HEADING2_FONT: "楷体",
    HEADING1_FONT: "SimHei",
    PAGE_NUMBER_FONT: "SimSun",
}
# Panose and charset (GB2312 = 86) help Word choose a substitute of the same kind.
FONT_FAMILIES = {
    TITLE_FONT: "script",
    BODY_FONT: "modern",
    HEADING1_FONT: "modern",
    HEADING2_FONT: "modern",
    PAGE_NUMBER_FONT: "auto",
}

LINE_PITCH = Twips(int(TEXT_HEIGHT.twips / LINES))  # 579 twips = 28.95 pt
CHAR_PITCH = Emu(TEXT_WIDTH // CHARS)  # 5.57 mm
# w:charSpace is the difference between the grid's character pitch and the body font size, in
# 1/4096 pt.
CHAR_SPACE = round((CHAR_PITCH.pt - SIZE_3.pt) * 4096)

ZH = "zh-CN"


def _set_fonts(rpr, *, east_asia: str, latin: str = NUMBER_FONT) -> None:
    """Name the fonts on a run-properties element, replacing any theme fonts (which Word would
    otherwise prefer over named ones) and marking east-Asian text as Simplified Chinese."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for name in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{name}"), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:hint"), "eastAsia")
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), ZH)
    lang.set(qn("w:bidi"), "ar-SA")


def _size(rpr, size: Pt) -> None:
    for tag in ("w:sz", "w:szCs"):
        element = rpr.find(qn(tag))
        if element is None:
            element = OxmlElement(tag)
            rpr.append(element)
        element.set(qn("w:val"), str(int(size.pt * 2)))


# The schema's order of run properties (ECMA-376 CT_RPr); Word refuses some files out of order.
RPR_ORDER = [
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike",
    "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden",
    "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect",
    "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout",
    "specVanish", "oMath",
]  # fmt: skip


def _order(rpr) -> None:
    rank = {qn(f"w:{name}"): i for i, name in enumerate(RPR_ORDER)}
    children = sorted(rpr, key=lambda child: rank.get(child.tag, len(rank)))
    for child in children:
        rpr.append(child)


def _condense(rpr, size: Pt) -> None:
    """Character spacing that fits 28 characters of ``size`` in the text block's width, so the
    line holds 28 characters with or without the character grid (LibreOffice spreads a glyph
    wider than the grid's pitch over two cells)."""
    _clear(rpr, "w:spacing")
    twentieths = math.floor((CHAR_PITCH.pt - size.pt) * 20)
    if twentieths < 0:
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(twentieths))
        rpr.append(spacing)
    _order(rpr)


def _clear(element, *tags: str) -> None:
    for tag in tags:
        for child in element.findall(qn(tag)):
            element.remove(child)


PPR_ORDER = [
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku",
    "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi",
    "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents",
    "suppressOverlap", "jc", "textDirection", "textAlignment", "textboxTightWrap",
    "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange",
]  # fmt: skip


def _insert_ppr(ppr, element) -> None:
    _clear(ppr, "w:" + element.tag.split("}")[1])
    ppr.append(element)
    rank = {qn(f"w:{name}"): i for i, name in enumerate(PPR_ORDER)}
    for child in sorted(ppr, key=lambda child: rank.get(child.tag, len(rank))):
        ppr.append(child)


def _rpr(style_element):
    rpr = style_element.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        style_element.append(rpr)
    return rpr


def _paragraph_style(
    doc, name: str, *, font: str, size: Pt, bold=False, align=None, indent=True, condense=True
):
    """(Re)define a paragraph style: named fonts, size, one line pitch, first-line indent of two
    characters unless ``indent`` is False; no colour, no theme font, no spacing before/after."""
    style = doc.styles[name] if name in [s.name for s in doc.styles] else None
    if style is None:
        from docx.enum.style import WD_STYLE_TYPE

        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
    element = style.element
    rpr = _rpr(element)
    _clear(rpr, "w:color", "w:b", "w:bCs", "w:i", "w:iCs", "w:spacing", "w:kern")
    _set_fonts(rpr, east_asia=font, latin=NUMBER_FONT if font == BODY_FONT else font)
    _size(rpr, size)
    style.font.bold = bold
    if condense:
        _condense(rpr, size)
    _order(rpr)
    ppr = element.find(qn("w:pPr"))
    if ppr is not None:
        _clear(ppr, "w:pBdr", "w:contextualSpacing")
    fmt = style.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH
    if align is not None:
        fmt.alignment = align
    if indent:
        fmt.first_line_indent = Emu(size * 2)
        # Two characters whatever the font size (Word prefers the *Chars form).
        ind = style.element.get_or_add_pPr().find(qn("w:ind"))
        ind.set(qn("w:firstLineChars"), "200")
    else:
        fmt.first_line_indent = Pt(0)
    return style


def _declare_fonts(doc) -> None:
    """Add each named font to the font table with its substitute (w:altName) and GB2312
    charset, so Word falls back to a font of the same kind where the named one is missing."""
    parts = doc.part.package.iter_parts()
    part = next(p for p in parts if str(p.partname) == "/word/fontTable.xml")
    root = etree.fromstring(part.blob)
    existing = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name, alt in FALLBACKS.items():
        if name in existing:
            continue
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        etree.SubElement(font, qn("w:altName")).set(qn("w:val"), alt)
        etree.SubElement(font, qn("w:charset")).set(qn("w:val"), "86")
        etree.SubElement(font, qn("w:family")).set(qn("w:val"), FONT_FAMILIES[name])
        etree.SubElement(font, qn("w:pitch")).set(qn("w:val"), "variable")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_setup(doc) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = TOP, BOTTOM
    section.left_margin, section.right_margin = BINDING, OUTSIDE
    section.gutter = Mm(0)
    section.header_distance = Mm(15)
    # The page number sits about 7 mm below the text block.
    section.footer_distance = Emu(BOTTOM - Mm(7) - Mm(6))
    sect = section._sectPr
    _clear(sect, "w:docGrid")
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(int(LINE_PITCH.twips)))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))
    sect.append(grid)
    settings = doc.settings.element
    # Binding on the left of odd pages and the right of even ones.
    if settings.find(qn("w:mirrorMargins")) is None:
        # In the schema's place: after w:zoom (and the few before it), before w:proofState.
        zoom = settings.find(qn("w:zoom"))
        mirror = OxmlElement("w:mirrorMargins")
        if zoom is not None:
            zoom.addnext(mirror)
        else:
            settings.insert(0, mirror)
    doc.settings.odd_and_even_pages_header_footer = True
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), "en-US")
        theme_lang.set(qn("w:eastAsia"), ZH)


def _page_number(paragraph, *, odd: bool) -> None:
    """ "— N —" with a PAGE field, 4号 宋体, one character in from the outer edge."""
    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    fmt.first_line_indent = Pt(0)
    fmt.space_before = fmt.space_after = Pt(0)
    if odd:
        fmt.right_indent = SIZE_4
    else:
        fmt.left_indent = SIZE_4

    def run(text: str = ""):
        r = paragraph.add_run(text)
        _set_fonts(r._r.get_or_add_rPr(), east_asia=PAGE_NUMBER_FONT, latin=PAGE_NUMBER_FONT)
        r.font.size = SIZE_4
        return r

    run("— ")
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):  # fmt: skip
        r = run()
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            r._r.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            r._r.append(instr)
        else:
            r.text = text
    run(" —")


def new_document(*, title: str = "", author: str = ""):
    """An empty document set up in official-document layout, and the style ids to use."""
    doc = Document()
    _declare_fonts(doc)
    _page_setup(doc)
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr, east_asia=BODY_FONT)
    _size(rpr, SIZE_3)
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    _clear(ppr, "w:spacing")
    body = _paragraph_style(doc, "Normal", font=BODY_FONT, size=SIZE_3)
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body.paragraph_format.widow_control = True
    # Lines keep the grid's pitch by their exact spacing, characters by their spacing: the grid
    # stays declared (Word's page setup shows 22 × 28) without each glyph snapping to a cell.
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    _insert_ppr(body.element.get_or_add_pPr(), snap)
    _paragraph_style(
        doc,
        "Title",
        font=TITLE_FONT,
        size=SIZE_2,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
        condense=False,
    )
    h1 = _paragraph_style(doc, "Heading 1", font=HEADING1_FONT, size=SIZE_3)
    h2 = _paragraph_style(doc, "Heading 2", font=HEADING2_FONT, size=SIZE_3)
    for heading in (h1, h2):
        heading.paragraph_format.keep_with_next = True
        heading.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    table_text = _paragraph_style(
        doc, "GB Table Text", font=BODY_FONT, size=TABLE_SIZE, indent=False
    )
    table_text.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    caption = _paragraph_style(
        doc,
        "Caption",
        font=BODY_FONT,
        size=SIZE_SMALL_4,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
    )
    caption.font.italic = False
    section = doc.sections[0]
    _page_number(section.footer.paragraphs[0], odd=True)
    _page_number(section.even_page_footer.paragraphs[0], odd=False)
    doc.core_properties.title = title
    doc.core_properties.author = author
    doc.core_properties.language = ZH
    return doc


def title(doc, *lines: str) -> None:
    """The title, centred, in lines broken where the meaning breaks (the standard's 梯形 or
    菱形 arrangement) rather than wherever the line fills."""
    p = doc.add_paragraph(style="Title")
    for index, line in enumerate(lines):
        run = p.add_run(line)
        if index < len(lines) - 1:
            run.add_break()
    doc.add_paragraph()  # the standard leaves one empty line under the title


def heading(doc, text: str, level: int = 1) -> None:
    doc.add_paragraph(text, style="Heading 1" if level == 1 else "Heading 2")


def paragraph(doc, text: str, *, bold_lead: str = "") -> None:
    """A body paragraph; ``bold_lead`` (a third-level heading such as "1.亮点。") opens it in
    bold, as the standard has third-level headings run into their paragraph."""
    p = doc.add_paragraph()
    if bold_lead:
        p.add_run(bold_lead).bold = True
    p.add_run(text)


# --- tables ---------------------------------------------------------------------------------

TABLE_SIZE = Pt(12)  # 小四 in tables; 10.5 pt (五号) when the columns would not fit
CELL_MARGIN = Mm(1.2)


def text_width(text: str, size: Pt) -> int:
    """The width of ``text`` in EMU: a full-width (CJK) character is one em, anything else half."""
    ems = sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.55 for ch in text)
    return int(ems * size)


@dataclass
class Column:
    header: str
    numeric: bool = False


def _cell_props(cell, width: int, *, no_wrap: bool) -> None:
    """The cell's width in twips, and no wrapping inside it where asked."""
    tcpr = cell._tc.get_or_add_tcPr()
    _clear(tcpr, "w:tcW", "w:noWrap")
    tcw = OxmlElement("w:tcW")
    tcw.set(qn("w:w"), str(width))
    tcw.set(qn("w:type"), "dxa")
    tcpr.insert(0, tcw)
    if no_wrap:
        tcpr.append(OxmlElement("w:noWrap"))


TEXT_WIDTH_TWIPS = int(TEXT_WIDTH.twips // 1)  # 8844


def _column_widths(columns, rows, size: Pt) -> list[int] | None:
    """Widths in twips that hold every cell on one line (numbers and names never break), shared
    out so the table fills the text block exactly; None if they do not fit at this size."""
    padding = 2 * CELL_MARGIN + Mm(0.6)
    needed = []
    for index, column in enumerate(columns):
        cells = [row[index] for row in rows]
        widest = max((text_width(c, size) for c in cells), default=0)
        # A header of more than four characters may wrap onto two lines.
        header = text_width(column.header, size)
        if len(column.header) > 4:
            header = header // 2 + int(size)
        needed.append(math.ceil(Emu(max(widest, header) + padding).twips))
    total = sum(needed)
    if total > TEXT_WIDTH_TWIPS:
        return None
    spare = (TEXT_WIDTH_TWIPS - total) // len(needed)
    widths = [n + spare for n in needed]
    widths[-1] += TEXT_WIDTH_TWIPS - sum(widths)
    return widths


def table(doc, columns: list[Column], rows: list[list[str]], *, total_row=False):
    """A table as wide as the text block, fixed layout, header repeated on each page, rows kept
    whole; column widths from the widest cell so that no number or name wraps (numbers carry
    ``w:noWrap`` as well and are right-aligned)."""
    size = TABLE_SIZE
    widths = _column_widths(columns, rows, size)
    if widths is None:
        size = SIZE_5
        widths = _column_widths(columns, rows, size)
    if widths is None:  # still too wide: equal shares (the caller splits such tables)
        widths = [TEXT_WIDTH_TWIPS // len(columns)] * len(columns)
    t = doc.add_table(rows=1 + len(rows), cols=len(columns))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    tblpr = t._tbl.tblPr
    _clear(tblpr, "w:tblW")
    tblw = OxmlElement("w:tblW")
    tblw.set(qn("w:w"), str(TEXT_WIDTH_TWIPS))
    tblw.set(qn("w:type"), "dxa")
    tblpr.append(tblw)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblpr.append(layout)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        m = OxmlElement(f"w:{side}")
        m.set(qn("w:w"), str(int(CELL_MARGIN.twips)))
        m.set(qn("w:type"), "dxa")
        margins.append(m)
    tblpr.append(margins)
    for grid_col, width in zip(t._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        grid_col.set(qn("w:w"), str(width))
    for r, values in enumerate([[c.header for c in columns], *rows]):
        row = t.rows[r]
        trpr = row._tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:cantSplit"))
        if r == 0:
            trpr.append(OxmlElement("w:tblHeader"))
        last = total_row and r == len(rows)
        for c, (column, value) in enumerate(zip(columns, values, strict=True)):
            cell = row.cells[c]
            _cell_props(cell, widths[c], no_wrap=r > 0)
            p = cell.paragraphs[0]
            p.style = doc.styles["GB Table Text"]
            p.paragraph_format.alignment = (
                WD_ALIGN_PARAGRAPH.CENTER
                if r == 0
                else WD_ALIGN_PARAGRAPH.RIGHT
                if column.numeric
                else WD_ALIGN_PARAGRAPH.LEFT
            )
            run = p.add_run(value)
            run.font.size = size
            if r == 0 or last:
                run.bold = True
                if r == 0:
                    _set_fonts(run._r.get_or_add_rPr(), east_asia=HEADING1_FONT)
                    run.bold = False
    return t


PHOTO_WIDTH = Mm(120)


def picture(doc, image_bytes: bytes, caption: str, *, width=PHOTO_WIDTH) -> None:
    """A photo resized to at most 1600 px wide (JPEG), centred, with its caption below."""
    from PIL import Image

    with Image.open(io.BytesIO(image_bytes)) as image:
        image = image.convert("RGB")
        image.thumbnail((1600, 1600))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=82)
    p = doc.add_paragraph()
    p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.first_line_indent = Pt(0)
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    p.paragraph_format.keep_with_next = True
    p.add_run().add_picture(io.BytesIO(out.getvalue()), width=width)
    doc.add_paragraph(caption, style="Caption")


def signature(doc, organ: str, date_text: str, *, note: str = "") -> None:
    """The issuing organ over the date (成文日期 right indented four characters, the organ
    centred over it), three empty lines above them where the seal presses on both; kept on
    the page of the last body line. A bookmark ``seal`` marks the seal's place. ``note`` is the
    附注, in brackets two characters in, on the line under the date."""
    em = SIZE_3
    date_chars = text_width(date_text, em) / em
    organ_chars = text_width(organ, em) / em
    date_indent = 4 if date_chars >= organ_chars else 2
    organ_indent = date_indent + (date_chars - organ_chars) / 2
    if organ_indent < 0:
        organ_indent = 0
    last = doc.paragraphs[-1]
    last.paragraph_format.keep_with_next = True
    for _ in range(3):
        blank = doc.add_paragraph()
        blank.paragraph_format.keep_with_next = True
    organ_p = doc.add_paragraph(organ)
    fmt = organ_p.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    fmt.first_line_indent = Pt(0)
    fmt.right_indent = Emu(int(organ_indent * em))
    fmt.keep_with_next = True
    _bookmark(organ_p, "seal")
    date_p = doc.add_paragraph(date_text)
    fmt = date_p.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    fmt.first_line_indent = Pt(0)
    fmt.right_indent = Emu(int(date_indent * em))
    if note:
        date_p.paragraph_format.keep_with_next = True
        doc.add_paragraph(f"（{note}）")


def _bookmark(paragraph, name: str) -> None:
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), "0")
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), "0")
    paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
    paragraph._p.append(end)


def page_break(doc) -> None:
    from docx.enum.text import WD_BREAK

    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def attachment_heading(doc, number: int, name: str) -> None:
    """ "附件1" in 黑体 at the top left of the attachment's first page, its title centred under it
    in the title font."""
    p = doc.add_paragraph()
    p.paragraph_format.first_line_indent = Pt(0)
    run = p.add_run(f"附件{number}")
    _set_fonts(run._r.get_or_add_rPr(), east_asia=HEADING1_FONT, latin=HEADING1_FONT)
    doc.add_paragraph()
    doc.add_paragraph(name, style="Title")
    doc.add_paragraph()


def table_note(doc, text: str) -> None:
    """A note under a table, in the table's size."""
    p = doc.add_paragraph(text, style="GB Table Text")
    p.paragraph_format.space_before = Pt(4)
    p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT


TBLPR_ORDER = [
    "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
    "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd",
    "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription", "tblPrChange",
]  # fmt: skip


def _sort(element, order: list[str]) -> None:
    rank = {qn(f"w:{name}"): i for i, name in enumerate(order)}
    for child in sorted(element, key=lambda child: rank.get(child.tag, len(rank))):
        element.append(child)


def finish(doc) -> None:
    """Put the properties this module wrote in the schema's order (Word refuses a file whose
    elements are out of it; python-docx adds some run properties after ``w:lang``), in the
    body, the styles and the footers."""
    parts = [doc.element, doc.styles.element]
    section = doc.sections[0]
    parts += [section.footer._element, section.even_page_footer._element]
    for part in parts:
        for rpr in part.iter(qn("w:rPr")):
            _order(rpr)
        for ppr in part.iter(qn("w:pPr")):
            _sort(ppr, PPR_ORDER)
        for tblpr in part.iter(qn("w:tblPr")):
            _sort(tblpr, TBLPR_ORDER)
