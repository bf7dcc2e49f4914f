"""The 进展通报 written out: .docx in the draft's GB/T 9704 styles (``docx_writer``), or Markdown with the charts as
PNG files beside it. Both render the same ``Bulletin`` blocks, so they say the same thing."""

from __future__ import annotations

import io
import struct
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Any

from tracker.report.bulletin import Bulletin, Figure, Table
from tracker.report.docx_writer import (
    BODY_FONT,
    HEADING1_FONT,
    add_official_paragraph,
    new_official_document,
    set_run_font,
)
from tracker.report.model import Kind, Paragraph

TABLE_SIZE = 10.5  # 五号: eleven columns fit the 156 mm text block
CAPTION_SIZE = 14.0  # 4号
TEXT_WIDTH_MM = 156
CELL_MARGINS_MM = 3.9  # Word's default cell padding, 0.19 cm each side
PICTURE_WIDTH_MM = 150
PICTURE_MAX_HEIGHT_MM = 185  # leaves the caption room on the page (the text block is 225 mm high)
HEADER_FILL = "E7E6E6"
NO_FONT_NOTE = "（本机未找到中文字体，图表以表格列出）"


# ---- .docx ----


def _plain_layout(paragraph: Any, *, align: str = "center") -> None:
    """Single line spacing off the document's line grid: table cells, pictures and captions keep their own
    height instead of snapping to the 22-lines-a-page grid of the body text."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing = 1.0
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    paragraph.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
    }[align]
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    paragraph._p.get_or_add_pPr().append(snap)


def _caption(document: Any, text: str, *, above: bool) -> None:
    from docx.shared import Pt

    p = document.add_paragraph()
    _plain_layout(p)
    fmt = p.paragraph_format
    if above:
        fmt.keep_with_next = True  # a table's caption stays with the table
        fmt.space_before = Pt(6)
        fmt.space_after = Pt(3)
    else:
        fmt.space_after = Pt(6)
    set_run_font(p.add_run(text), HEADING1_FONT, CAPTION_SIZE)


def _shade(cell: Any, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)


def _table(document: Any, table: Table) -> Any:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Mm

    _caption(document, table.caption, above=True)
    grid = document.add_table(rows=1 + len(table.rows), cols=len(table.headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    widths = [Mm(w) for w in column_widths_mm(table)]
    for n, width in enumerate(widths):
        grid.columns[n].width = width
    _repeat_header(grid.rows[0])
    for r, (row, values) in enumerate(zip(grid.rows, [table.headers, *table.rows], strict=True)):
        for n, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            cell.width = widths[n]
            paragraph = cell.paragraphs[0]
            _plain_layout(paragraph, align="center" if r == 0 else table.align[n])
            set_run_font(paragraph.add_run(value), HEADING1_FONT if r == 0 else BODY_FONT, TABLE_SIZE)
            if r == 0:
                _shade(cell, HEADER_FILL)
    return grid


def _cells(text: str) -> int:
    """Width in half-width cells: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def column_widths_mm(table: Table) -> list[float]:
    """Widths that fit the 156 mm text block: each column as wide as its longest entry (a header may wrap
    onto two lines), the widest columns narrowed first when they do not all fit, any room left shared out."""
    n = len(table.headers)
    cell_mm = 1.1 * TABLE_SIZE * 25.4 / 72 / 2  # one half-width character, with room for wider stand-in faces
    budget = (TEXT_WIDTH_MM - n * CELL_MARGINS_MM) / cell_mm
    floors = [max(4, -(-_cells(h) // 2)) for h in table.headers]
    needs = [max(floor, *(_cells(row[i]) for row in table.rows)) if table.rows else floor for i, floor in enumerate(floors)]
    while sum(needs) > budget:
        widest = max(range(n), key=lambda i: needs[i] - floors[i])
        if needs[widest] <= floors[widest]:
            break
        needs[widest] -= 1
    # Room left goes to the text columns (names, tasks), where it saves a wrapped line.
    spare = max(0.0, budget - sum(needs))
    growing = [i for i in range(n) if table.align[i] == "left"] or list(range(n))
    share = sum(needs[i] for i in growing)
    return [
        CELL_MARGINS_MM + (need + (spare * need / share if i in growing else 0)) * cell_mm
        for i, need in enumerate(needs)
    ]


def _png_size(data: bytes) -> tuple[int, int]:
    """Pixel width and height from a PNG's IHDR chunk."""
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def _picture(document: Any, data: bytes) -> None:
    from docx.shared import Mm

    width_px, height_px = _png_size(data)
    width = float(PICTURE_WIDTH_MM)
    if width * height_px / width_px > PICTURE_MAX_HEIGHT_MM:
        width = PICTURE_MAX_HEIGHT_MM * width_px / height_px
    p = document.add_paragraph()
    _plain_layout(p)
    p.paragraph_format.keep_with_next = True  # the caption below stays with its chart
    p.add_run().add_picture(io.BytesIO(data), width=Mm(width))


def _figure(document: Any, figure: Figure) -> None:
    if figure.png is not None:
        _picture(document, figure.png)
        _caption(document, figure.caption, above=False)
    else:
        _table(document, replace(figure.table, caption=figure.caption + NO_FONT_NOTE))


def build_bulletin_document(bulletin: Bulletin) -> Any:
    """A python-docx Document holding the bulletin in the official layout."""
    document = new_official_document(title=bulletin.title)
    document.core_properties.subject = f"{bulletin.period_label}进展通报"
    first_signature = True
    blocks = bulletin.blocks
    for n, block in enumerate(blocks):
        if isinstance(block, Paragraph):
            following = blocks[n + 1] if n + 1 < len(blocks) else None
            add_official_paragraph(
                document,
                block,
                first_signature=first_signature and block.kind == Kind.SIGNATURE,
                last_issuer=block.kind == Kind.ISSUER
                and not (isinstance(following, Paragraph) and following.kind == Kind.ISSUER),
            )
            if block.kind == Kind.SIGNATURE:
                first_signature = False
        elif isinstance(block, Table):
            _table(document, block)
        else:
            _figure(document, block)
    return document


def write_bulletin_docx(bulletin: Bulletin, path: Path) -> None:
    build_bulletin_document(bulletin).save(str(path))


# ---- Markdown ----


def _md_cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")


def _md_table(table: Table, caption: str | None = None) -> str:
    marks = {"left": ":---", "center": ":---:", "right": "---:"}
    lines = [
        f"**{caption or table.caption}**",
        "",
        "| " + " | ".join(_md_cell(h) for h in table.headers) + " |",
        "| " + " | ".join(marks[a] for a in table.align) + " |",
    ]
    lines += ["| " + " | ".join(_md_cell(v) for v in row) + " |" for row in table.rows]
    return "\n".join(lines)


_MD_PREFIX = {Kind.TITLE: "# ", Kind.HEADING1: "## ", Kind.HEADING2: "### "}


def write_bulletin_markdown(bulletin: Bulletin, path: Path) -> list[Path]:
    """The bulletin as Markdown; each chart a PNG beside it (``<name>-图1.png``). Returns the pictures written."""
    parts: list[str] = []
    pictures: list[Path] = []
    for block in bulletin.blocks:
        if isinstance(block, Paragraph):
            parts.append(_MD_PREFIX.get(block.kind, "") + block.text)
        elif isinstance(block, Table):
            parts.append(_md_table(block))
        elif block.png is not None:
            picture = path.with_name(f"{path.stem}-{block.name}.png")
            picture.write_bytes(block.png)
            pictures.append(picture)
            parts.append(f"![{block.caption}]({picture.name})\n\n*{block.caption}*")
        else:
            parts.append(_md_table(block.table, block.caption + NO_FONT_NOTE))
    path.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    return pictures
