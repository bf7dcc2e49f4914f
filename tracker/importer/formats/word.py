"""Word .docx (and anything saved as one: WPS, LibreOffice conversions): paragraphs and tables in document order."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from tracker.errors import ImportFailed
from tracker.importer.formats.tables import Cell, Row, table_lines


def docx_text(data: bytes, name: str) -> str:
    """Paragraphs and table cells of a .docx in document order."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if "word/document.xml" not in zf.namelist():
                raise ImportFailed(f"不是有效的 Word 文档（.docx）：{name}")
    except zipfile.BadZipFile as err:
        raise ImportFailed(f"不是有效的 Word 文档（.docx）：{name}") from err
    try:
        import docx  # deferred: python-docx and lxml cost ~30 ms, only .docx needs them
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        from tracker.importer.formats.docx_text import ListNumbering, paragraph_text, text_box_paragraphs

        document = docx.Document(io.BytesIO(data))
        numbering = ListNumbering(document)

        def text_of(p: Paragraph) -> str:
            # the number Word or WPS draws ("四、", "（一）") is not in the paragraph's text
            return numbering.label(p._p) + paragraph_text(p._p)

        lines: list[str] = []
        body = document.element.body
        for child in body.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                lines.append(text_of(Paragraph(child, document)))
                # a text box's words stand where it is anchored, one line a paragraph
                lines.extend(text_of(Paragraph(box, document)) for box in text_box_paragraphs(child))
            elif tag == "tbl":
                lines.extend(table_lines(_grid(Table(child, document), text_of)))
    except ImportFailed:
        raise
    except Exception as err:  # python-docx raises many kinds (KeyError, lxml errors…) on a damaged file
        raise ImportFailed(f"不是有效的 Word 文档（.docx），或文件已损坏：{name}") from err
    return "\n".join(lines)


def _grid(table: Any, text_of: Any) -> list[Row]:
    # python-docx gives a merged cell once for every grid column and row it covers, each time with the same <w:tc>
    rows: list[Row] = []
    for row in table.rows:
        cells: Row = [None] * row.grid_cols_before
        cells.extend(Cell(cell._tc, tuple(text_of(p) for p in cell.paragraphs)) for cell in row.cells)
        rows.append(cells)
    return rows
