"""The frame of an official document around its body, GB/T 9704-2012 §7.2 and §7.4: the
masthead (版头: 发文机关标志 in red, 发文字号 and 签发人 under it, the red separator line), the
addressee (主送机关) and the closing block (版记: 抄送机关, 印发机关 and 印发日期 between
separator lines, at the foot of the last page). Built on ``officedoc``'s page and styles."""

from __future__ import annotations

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor

from . import officedoc as od

RED = RGBColor(0xFF, 0x00, 0x00)
# The mark: 小标宋, as large as fits the text block up to 小初 (36 pt), never below 2号.
MARK_MAX, MARK_MIN = Pt(36), Pt(22)
MARK_TOP = Mm(35)  # from the top of the text block to the top of the mark
SEPARATOR_GAP = Pt(11)  # 4 mm under the document number
# Border widths in eighths of a point: the red line 1 pt; the closing block's first and last
# lines 0.35 mm (1 pt), the one between 0.25 mm (0.75 pt).
RED_LINE, THICK, THIN = 8, 8, 6
CLOSING_SIZE = od.SIZE_4  # 4号 仿宋
FULL_SPACE = "\u3000"


def mark_size(mark: str) -> Pt:
    width = od.text_width(mark, Pt(1)) or 1
    fit = Pt(int(od.TEXT_WIDTH * 0.96 / width))
    return max(MARK_MIN, min(MARK_MAX, fit))


def _run_font(run, font: str, size: Pt, *, color: RGBColor | None = None) -> None:
    od._set_fonts(
        run._r.get_or_add_rPr(),
        east_asia=font,
        latin=font if font != od.BODY_FONT else od.NUMBER_FONT,
    )
    run.font.size = size
    if color is not None:
        run.font.color.rgb = color


def _plain(paragraph, *, align) -> None:
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.first_line_indent = Pt(0)


def _border(paragraph_or_pr, side: str, *, size: int, color: str, space: int = 0) -> None:
    pbdr = paragraph_or_pr.find(qn("w:pBdr"))
    if pbdr is None:
        pbdr = OxmlElement("w:pBdr")
        paragraph_or_pr.append(pbdr)
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size))
    line.set(qn("w:space"), str(space))
    line.set(qn("w:color"), color)
    pbdr.append(line)


def masthead(doc, mark: str, *, number: str = "", signer: str = "") -> None:
    """The 版头: the issuing organ's mark centred in red 小标宋, 35 mm under the top of the
    text block; two lines under it the document number, centred, or (a report sent upward,
    with its signer) one character in from the left with "签发人：" and the name (楷体) one
    character in from the right; 4 mm under that the red line as wide as the text block;
    the title then follows two lines lower."""
    size = mark_size(mark)
    p = doc.add_paragraph()
    _plain(p, align=WD_ALIGN_PARAGRAPH.CENTER)
    fmt = p.paragraph_format
    fmt.space_before = MARK_TOP
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(size.pt * 1.25)
    run = p.add_run(mark)
    _run_font(run, od.TITLE_FONT, size, color=RED)
    spacing = OxmlElement("w:spacing")  # no condensing: the mark's own width
    spacing.set(qn("w:val"), "0")
    run._r.get_or_add_rPr().append(spacing)
    last = p
    if number or signer:
        doc.add_paragraph()
        doc.add_paragraph()
        last = doc.add_paragraph()
        if signer:
            _plain(last, align=WD_ALIGN_PARAGRAPH.LEFT)
            last.paragraph_format.tab_stops.add_tab_stop(
                Emu(od.TEXT_WIDTH - od.SIZE_3), WD_TAB_ALIGNMENT.RIGHT
            )
            last.add_run(FULL_SPACE + number + "\t签发人：")
            _run_font(last.add_run(signer), od.HEADING2_FONT, od.SIZE_3)
        else:
            _plain(last, align=WD_ALIGN_PARAGRAPH.CENTER)
            last.add_run(number)
    _border(
        last._p.get_or_add_pPr(),
        "bottom",
        size=RED_LINE,
        color="FF0000",
        space=int(SEPARATOR_GAP.pt),
    )
    doc.add_paragraph()
    doc.add_paragraph()


def recipient(doc, text: str) -> None:
    """The 主送机关 on the line under the title's empty line, flush left, ending in a full-width
    colon."""
    text = text.strip().rstrip("：:")
    p = doc.add_paragraph(text + "：")
    _plain(p, align=WD_ALIGN_PARAGRAPH.LEFT)


def _closing_paragraph(cell, text: str = ""):
    p = cell.paragraphs[0]
    fmt = p.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.left_indent = fmt.right_indent = CLOSING_SIZE  # one character in on each side
    fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT
    return p


def closing_block(doc, *, copy_to: str, printer: str, printed_on: str) -> None:
    """The 版记 at the foot of the last page, its last line on the bottom edge of the text
    block: a thick line, "抄送：…。"
    (回行 under the first organ), a thin line, the printing organ one character in from the
    left and "…印发" one character in from the right, a thick line. 4号 仿宋."""
    # A floating table held at the foot of the text block of the page it falls on (the last):
    # the text before it keeps clear of it, and a page too full for it pushes it over.
    rows = 2 if copy_to else 1
    table = doc.add_table(rows=rows, cols=1)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tblpr = table._tbl.tblPr
    od._clear(tblpr, "w:tblW", "w:tblLayout", "w:tblBorders", "w:tblCellMar")
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(od.TEXT_WIDTH_TWIPS))
    width.set(qn("w:type"), "dxa")
    tblpr.append(width)
    borders = OxmlElement("w:tblBorders")
    for side, size in (("top", THICK), ("left", 0), ("bottom", THICK), ("right", 0),
                       ("insideH", THIN), ("insideV", 0)):  # fmt: skip
        line = OxmlElement(f"w:{side}")
        line.set(qn("w:val"), "single" if size else "nil")
        if size:
            line.set(qn("w:sz"), str(size))
            line.set(qn("w:space"), "0")
            line.set(qn("w:color"), "000000")
        borders.append(line)
    tblpr.append(borders)
    position = OxmlElement("w:tblpPr")
    for name, value in (("topFromText", "0"), ("bottomFromText", "0"), ("vertAnchor", "margin"),
                        ("horzAnchor", "margin"), ("tblpXSpec", "center"),
                        ("tblpYSpec", "bottom")):  # fmt: skip
        position.set(qn(f"w:{name}"), value)
    tblpr.append(position)
    overlap = OxmlElement("w:tblOverlap")
    overlap.set(qn("w:val"), "never")
    tblpr.append(overlap)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblpr.append(layout)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        m = OxmlElement(f"w:{side}")
        m.set(qn("w:w"), "0")
        m.set(qn("w:type"), "dxa")
        margins.append(m)
    tblpr.append(margins)
    table._tbl.tblGrid.findall(qn("w:gridCol"))[0].set(qn("w:w"), str(od.TEXT_WIDTH_TWIPS))
    cells = [row.cells[0] for row in table.rows]
    for cell in cells:
        od._cell_props(cell, od.TEXT_WIDTH_TWIPS, no_wrap=False)
    if copy_to:
        text = copy_to.strip().rstrip("。.，,、；;") + "。"
        p = _closing_paragraph(cells[0])
        # Wrapped lines start under the first organ, after "抄送：".
        p.paragraph_format.left_indent = CLOSING_SIZE * 4
        p.paragraph_format.first_line_indent = -CLOSING_SIZE * 3
        _run_font(p.add_run("抄送：" + text), od.BODY_FONT, CLOSING_SIZE)
    p = _closing_paragraph(cells[-1])
    p.paragraph_format.tab_stops.add_tab_stop(
        Emu(od.TEXT_WIDTH - CLOSING_SIZE), WD_TAB_ALIGNMENT.RIGHT
    )
    _run_font(p.add_run(f"{printer}\t{printed_on}印发"), od.BODY_FONT, CLOSING_SIZE)
    # The paragraph a floating table is anchored to.
    doc.add_paragraph().paragraph_format.first_line_indent = Pt(0)
