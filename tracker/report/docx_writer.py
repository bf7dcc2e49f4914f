"""The draft as a .docx in the GB/T 9704-2012 layout (党政机关公文格式), with its sources as Word comments.

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (text block 156 × 225 mm); 22 lines a page: a fixed
line pitch of 225 mm / 22 = 28.95 pt. Title 2号 (22 pt) 方正小标宋简体 centred; body 3号 (16 pt) 仿宋_GB2312 with a
two-character first-line indent; 一、 headings 黑体, （一） headings 楷体_GB2312; page numbers 4号 (14 pt) 宋体
"— 1 —" at the outer side of the page bottom. Every run names its East Asian font (w:eastAsia): Word and WPS pick
the Chinese face from that attribute, not from w:ascii.
"""

from __future__ import annotations

from datetime import UTC
from pathlib import Path
from typing import Any

from tracker.report.model import Draft, Kind, Paragraph, Style, plain

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"

TITLE_SIZE = 22.0  # 2号
BODY_SIZE = 16.0  # 3号
PAGE_NUMBER_SIZE = 14.0  # 4号

MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
LINES_PER_PAGE = 22
TEXT_HEIGHT_MM = 297 - MARGINS_MM["top"] - MARGINS_MM["bottom"]  # 225
CHARS_PER_LINE = 28
TEXT_WIDTH_MM = 210 - MARGINS_MM["left"] - MARGINS_MM["right"]  # 156
# Word fits floor(text height / pitch) lines: the pitch is rounded down to whole twips (28.95 pt), so that
# 22 lines fit and not 21.
LINE_PITCH_TWIPS = int(TEXT_HEIGHT_MM / 25.4 * 1440 / LINES_PER_PAGE)
LINE_PITCH_PT = LINE_PITCH_TWIPS / 20
# The character grid: w:charSpace is how much each grid cell differs from the Normal style's font size, in
# 1/4096 pt; floor(text width / (size + charSpace/4096)) characters fit on a line (28 of 3号 in 156 mm).
CHAR_PITCH_PT = TEXT_WIDTH_MM / 25.4 * 72 / CHARS_PER_LINE
CHAR_SPACE = int((CHAR_PITCH_PT - BODY_SIZE) * 4096)
COMMENT_AUTHOR = "tracker"

_FONT_OF = {
    Kind.TITLE: TITLE_FONT,
    Kind.HEADING1: HEADING1_FONT,
    Kind.HEADING2: HEADING2_FONT,
}


def set_run_font(run: Any, font: str, size: float) -> None:
    """Name the font for every script (ascii, hAnsi, eastAsia, cs) and set the size."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.size = Pt(size)
    run.font.name = font
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)


def _style_fonts(style: Any, font: str, size: float) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    style.font.name = font
    style.font.size = Pt(size)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)


def _first_line_chars(paragraph: Any, chars: int) -> None:
    """Indent in characters (w:firstLineChars), which Word and WPS keep right whatever the font size."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    paragraph.paragraph_format.first_line_indent = Pt(BODY_SIZE * chars)
    ind = paragraph._p.get_or_add_pPr().find(qn("w:ind"))
    if ind is not None:
        ind.set(qn("w:firstLineChars"), str(chars * 100))


def _page_setup(document: Any) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    # The page number sits about 7 mm below the text block (GB/T 9704 7.5).
    section.footer_distance = Mm(22)
    section.header_distance = Mm(15)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))

    normal = document.styles["Normal"]
    _style_fonts(normal, BODY_FONT, BODY_SIZE)
    fmt = normal.paragraph_format
    fmt.line_spacing = Pt(LINE_PITCH_PT)  # a Length: python-docx writes lineRule="exact"
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    # East Asian defaults for text without its own run properties (e.g. text typed later in Word).
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if rpr is not None:
            fonts = rpr.find(qn("w:rFonts"))
            if fonts is None:
                fonts = OxmlElement("w:rFonts")
                rpr.insert(0, fonts)
            for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                fonts.set(qn(attr), BODY_FONT)
            for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                fonts.attrib.pop(qn(theme), None)

    # Page numbers at the outer side: right on odd pages, left on even ones.
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], right=True)
    _page_number(section.even_page_footer.paragraphs[0], right=False)


def _page_number(paragraph: Any, *, right: bool) -> None:
    """The page number as "— 1 —" with a PAGE field, 4号 宋体, one character in from the outer edge."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if right else WD_ALIGN_PARAGRAPH.LEFT
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing = 1.0
    if right:
        fmt.right_indent = Pt(PAGE_NUMBER_SIZE)
    else:
        fmt.left_indent = Pt(PAGE_NUMBER_SIZE)

    def run(text: str = "") -> Any:
        r = paragraph.add_run(text)
        set_run_font(r, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
        return r

    run("— ")
    for kind, instr in (("begin", None), (None, " PAGE "), ("separate", None), (None, None), ("end", None)):
        r = run("1" if kind is None and instr is None else "")
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            r._element.append(fld)
        elif instr:
            text = OxmlElement("w:instrText")
            text.set(qn("xml:space"), "preserve")
            text.text = instr
            r._element.append(text)
    run(" —")


def _add_paragraph(
    document: Any, para: Paragraph, *, first_signature: bool, last_issuer: bool = False
) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
    from docx.shared import Pt

    p = document.add_paragraph()
    fmt = p.paragraph_format
    kind = para.kind
    if kind == Kind.TITLE:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt.first_line_indent = Pt(0)
        fmt.space_after = Pt(LINE_PITCH_PT)  # one blank line between title and addressee
    elif kind == Kind.ISSUER:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt.first_line_indent = Pt(0)
        if last_issuer:
            fmt.space_after = Pt(LINE_PITCH_PT)
    elif kind == Kind.ADDRESSEE:
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT
        fmt.first_line_indent = Pt(0)
    elif kind == Kind.SIGNATURE:
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        fmt.right_indent = Pt(BODY_SIZE * 2)
        if first_signature:
            fmt.space_before = Pt(LINE_PITCH_PT * 2)
    elif kind == Kind.DATE:
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        fmt.right_indent = Pt(BODY_SIZE * 4)  # 成文日期右空四字
    else:
        p.alignment = (
            WD_ALIGN_PARAGRAPH.JUSTIFY if kind in (Kind.BODY, Kind.TRACE) else WD_ALIGN_PARAGRAPH.LEFT
        )
        _first_line_chars(p, 2)
    if kind in (Kind.HEADING1, Kind.HEADING2):
        fmt.keep_with_next = True  # no heading alone at the foot of a page
    font = _FONT_OF.get(kind, BODY_FONT)
    size = TITLE_SIZE if kind == Kind.TITLE else BODY_SIZE
    if kind == Kind.TITLE:
        fmt.line_spacing = Pt(max(LINE_PITCH_PT, TITLE_SIZE * 1.3))
    for span in para.spans:
        run = p.add_run(span.text)
        set_run_font(run, HEADING2_FONT if span.style == Style.LEAD else font, size)
        if span.style == Style.TODO:
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return p


def build_document(draft: Draft, *, trace: bool = False) -> Any:
    """A python-docx Document holding the draft, every paragraph commented with its sources."""
    import docx  # deferred: python-docx and lxml load only when a .docx is written

    document = docx.Document()
    _page_setup(document)
    _core_properties(document, draft)
    first_signature = True
    paragraphs = draft.paragraphs()
    for index, para in enumerate(paragraphs):
        following = paragraphs[index + 1].kind if index + 1 < len(paragraphs) else None
        p = _add_paragraph(
            document,
            para,
            first_signature=first_signature and para.kind == Kind.SIGNATURE,
            last_issuer=para.kind == Kind.ISSUER and following != Kind.ISSUER,
        )
        if para.kind == Kind.SIGNATURE:
            first_signature = False
        if p.runs:
            document.add_comment(p.runs, text=para.source_line(), author=COMMENT_AUTHOR, initials="TR")
            # The comment's reference mark is a run too: give it the paragraph's fonts, so every run names them.
            marker = p.runs[-1]
            set_run_font(
                marker,
                _FONT_OF.get(para.kind, BODY_FONT),
                TITLE_SIZE if para.kind == Kind.TITLE else BODY_SIZE,
            )
    if trace:
        _trace_appendix(document, draft)
    return document


def _core_properties(document: Any, draft: Draft) -> None:
    """Title, author (the issuer) and today's creation time: python-docx's template otherwise says 2013."""
    from datetime import datetime

    props = document.core_properties
    moment = datetime.now(UTC).replace(microsecond=0, tzinfo=None)  # core.xml holds UTC (W3CDTF)
    props.title = draft.title
    props.author = "、".join(p.text for p in draft.front if p.kind == Kind.ISSUER and not p.has_todo) or COMMENT_AUTHOR
    props.last_modified_by = COMMENT_AUTHOR
    props.created = props.modified = moment
    props.revision = 1
    props.comments = f"由 tracker 根据进展记录生成（{draft.year}年度报告初稿）"


def _trace_appendix(document: Any, draft: Draft) -> None:
    from docx.enum.text import WD_BREAK

    document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
    _add_paragraph(document, Paragraph(Kind.HEADING1, [plain("附：来源追溯")]), first_signature=False)
    for note in draft.trace_notes:
        _add_paragraph(document, Paragraph(Kind.TRACE, [plain(note + "。")]), first_signature=False)
    for number, para in enumerate(draft.paragraphs(), start=1):
        head = para.text[:24] + ("…" if len(para.text) > 24 else "")
        _add_paragraph(
            document,
            Paragraph(Kind.TRACE, [plain(f"{number}. {head}——{para.source_line()}")]),
            first_signature=False,
        )


def write_docx(draft: Draft, path: Path, *, trace: bool = False) -> None:
    build_document(draft, trace=trace).save(str(path))


def new_official_document(*, title: str, author: str = COMMENT_AUTHOR) -> Any:
    """An empty document in the same GB/T 9704 layout as the draft (page, line grid, fonts, page numbers),
    for the other documents tracker writes (the 进展通报)."""
    import docx  # deferred: python-docx and lxml load only when a .docx is written

    document = docx.Document()
    _page_setup(document)
    document.core_properties.title = title
    document.core_properties.author = author
    return document


def add_official_paragraph(
    document: Any, para: Paragraph, *, first_signature: bool = False, last_issuer: bool = False
) -> Any:
    """One paragraph of the model (title, heading, body, signature, date…) in the draft's official styles."""
    return _add_paragraph(document, para, first_signature=first_signature, last_issuer=last_issuer)
