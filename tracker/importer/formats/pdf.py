"""PDF with a text layer → the document's lines: each paragraph on one line, ruled tables read as tables.

PDFium (pypdfium2) gives every glyph and its box: about 15 ms a page, where pdfminer-based readers take
200 ms, and it opens the damaged and copy-protected files government sites publish. On pages that draw lines,
pdfplumber finds the ruled tables and their cells (merged ones too); PDFium's glyphs fill the cells.

What a reader of the printed page knows and the glyphs do not say is rebuilt from where they stand: lines from
glyphs that share a baseline, paragraphs from printed lines (a line that runs to the right edge goes on, an
indented line starts anew), running headers, footers and page numbers dropped, a table cut by a page break
joined up again.
"""

from __future__ import annotations

import itertools
import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from tracker.errors import ImportFailed
from tracker.importer import numbering as nb
from tracker.importer.formats.tables import Cell, Row, table_lines

# A page number alone on its line: "— 3 —", "-3-", "·3·", "第3页", "第 3 页 共 12 页", "3/12", "Page 3 of 12"
_PAGE_NUMBER = re.compile(
    r"^[-—－―─–~～·•.\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*(?:[/／]|共|of)\s*\d{1,4}\s*页?)?[-—－―─–~～·•.\s]*$"
    r"|^(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$",
    re.IGNORECASE,
)
_CLOSED = "。！？；：”」）!?;:"
_NO_LINE_START = "，。、；：！？）》”’」』〕】%‰"
_NO_LINE_END = "（《“‘「『〔【("
_EDGE = 0.12  # running headers and footers stand in the outer eighth of the page
_MIN_TEXT = 20  # fewer glyphs than this in the whole file: no text layer worth reading


@dataclass
class _Glyph:
    ch: str
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def mid(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def wide(self) -> bool:
        return unicodedata.east_asian_width(self.ch) in "WF"


@dataclass
class _Line:
    page: int
    glyphs: list[_Glyph]
    text: str = ""
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    em: float = 0.0

    def __post_init__(self) -> None:
        g = self.glyphs
        self.text = _line_text(g)
        self.x0, self.x1 = g[0].x0, g[-1].x1
        self.top, self.bottom = min(x.top for x in g), max(x.bottom for x in g)
        widths = [x.x1 - x.x0 for x in g if x.wide]
        self.em = statistics.median(widths) if widths else statistics.median(x.bottom - x.top for x in g)

    def lead_width(self) -> float:
        """Width of what would have had to fit at the end of the line above for this line not to start here: the
        first character or whole Latin word or number, with the opening marks before it ("〔2021") and the
        punctuation after it that may not start a line."""
        g = self.glyphs
        k = 0
        while k < len(g) - 1 and g[k].ch in _NO_LINE_END:
            k += 1
        if g[k].ch.isascii() and g[k].ch.isalnum():
            while k + 1 < len(g) and g[k + 1].ch.isascii() and (g[k + 1].ch.isalnum() or g[k + 1].ch in ".,%-"):
                k += 1
        while k + 1 < len(g) and g[k + 1].ch in _NO_LINE_START:
            k += 1
        return g[k].x1 - g[0].x0


@dataclass
class _Table:
    page: int
    top: float
    bottom: float
    columns: list[float]  # x of each column's left edge
    grid: list[list[_PdfCell | None]]


@dataclass
class _PdfCell:
    box: tuple[float, float, float, float]  # x0, top, x1, bottom
    glyphs: list[_Glyph] = field(default_factory=list)
    key: object = field(default_factory=object)
    extra: list[_Glyph] = field(default_factory=list)  # a continuation from the next page


_Block = _Line | _Table


def pdf_text(data: bytes, name: str) -> str:
    """The text of a PDF, one paragraph a line, tables as the task-table lines the parser reads."""
    try:
        import pypdfium2 as pdfium  # deferred: only PDF files need it
    except ImportError as err:  # pragma: no cover - a dependency of the package
        raise ImportFailed(f"缺少 PDF 读取组件 pypdfium2，无法读取：{name}") from err
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        code = getattr(err, "err_code", None)
        if code == pdfium.raw.FPDF_ERR_PASSWORD:
            raise ImportFailed(f"PDF 文件设有打开密码，无法读取：{name}（请去除密码后另存一份再导入）") from err
        if code == pdfium.raw.FPDF_ERR_SECURITY:
            raise ImportFailed(f"PDF 文件使用了不支持的加密方式，无法读取：{name}") from err
        raise ImportFailed(f"PDF 文件已损坏或不完整，无法读取：{name}") from err
    try:
        return _document_text(document, data, name)
    finally:
        document.close()


def _document_text(document: Any, data: bytes, name: str) -> str:
    import pypdfium2.raw as pdfium_c

    pages: list[list[_Glyph]] = []
    sizes: list[tuple[float, float]] = []
    ruled: list[int] = []
    images = 0
    unmapped = 0
    for index in range(len(document)):
        page = document[index]
        try:
            glyphs, bad = _page_glyphs(page, pdfium_c)
            paths = 0
            for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3):
                if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                    images += 1
                else:
                    paths += 1
            pages.append(glyphs)
            sizes.append(_display_size(page))
            unmapped += bad
            if paths >= 4 and glyphs:  # a ruled table draws at least its four borders
                ruled.append(index)
        finally:
            page.close()
    total = sum(len(g) for g in pages)
    if total < _MIN_TEXT:
        if images:
            raise ImportFailed(
                f"这是扫描版 PDF（只有图片，没有文字层），无法读取其中的文字：{name}（本程序不做文字识别，"
                "请先用 OCR 软件转成 Word 或文本文件再导入）"
            )
        raise ImportFailed(f"PDF 文件中没有文字：{name}")
    if unmapped > 0.3 * total:
        raise ImportFailed(f"PDF 文件的字体缺少文字编码，提取出的是乱码：{name}（请用原始的 Word 文件导入）")
    tables = _find_tables(data, ruled, pages, sizes)
    blocks: list[list[_Block]] = []
    for index, glyphs in enumerate(pages):
        in_tables = tables.get(index, [])
        free = [g for g in glyphs if not any(_inside(g, t) for t in in_tables)]
        lines: list[_Block] = list(_lines(free, index))
        lines.extend(in_tables)
        blocks.append(sorted(lines, key=lambda b: b.top))
    _drop_running_lines(blocks, sizes)
    return "\n".join(_paragraphs(blocks))


def _display_size(page: Any) -> tuple[float, float]:
    width, height = page.get_size()
    return (height, width) if page.get_rotation() in (90, 270) else (width, height)


def _page_glyphs(page: Any, pdfium_c: Any) -> tuple[list[_Glyph], int]:
    """The page's drawn characters (not the spaces and line ends PDFium makes up) in display coordinates:
    x from the left, y from the top, the page's /Rotate applied. Also how many had no Unicode mapping."""
    textpage = page.get_textpage()
    try:
        left, bottom, right, top = page.get_mediabox()
        rotation = page.get_rotation()
        raw = textpage.raw
        rect = pdfium_c.FS_RECTF()
        out: list[_Glyph] = []
        bad = 0
        for i in range(textpage.count_chars()):
            if pdfium_c.FPDFText_IsGenerated(raw, i) == 1:
                continue
            code = pdfium_c.FPDFText_GetUnicode(raw, i)
            if 0xD800 <= code <= 0xDFFF:  # half of a pair: CJK Extension B, rare in official text
                continue
            ch = chr(code)
            if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf"):
                continue
            if code == 0xFFFD or 0xE000 <= code <= 0xF8FF or pdfium_c.FPDFText_HasUnicodeMapError(raw, i) == 1:
                bad += 1
                continue
            if not pdfium_c.FPDFText_GetLooseCharBox(raw, i, rect):
                continue
            x0, x1, y0, y1 = rect.left, rect.right, rect.bottom, rect.top
            if rotation == 90:
                box = (y0 - bottom, x0 - left, y1 - bottom, x1 - left)
            elif rotation == 180:
                box = (right - x1, y0 - bottom, right - x0, y1 - bottom)
            elif rotation == 270:
                box = (top - y1, right - x1, top - y0, right - x0)
            else:
                box = (x0 - left, top - y1, x1 - left, top - y0)
            if box[2] - box[0] <= 0 or box[3] - box[1] <= 0:
                continue
            out.append(_Glyph(ch, box[0], box[2], box[1], box[3]))
        return out, bad
    finally:
        textpage.close()


def _line_text(glyphs: list[_Glyph]) -> str:
    out = ""
    prev: _Glyph | None = None
    for g in glyphs:
        if prev is not None:
            gap = g.x0 - prev.x1
            height = max(g.bottom - g.top, prev.bottom - prev.top)
            # words of Latin text are spaced; Chinese text is not, however it was justified
            if gap > 0.2 * height and not (prev.wide or g.wide):
                out += " "
        out += g.ch
        prev = g
    return out


def _lines(glyphs: list[_Glyph], page: int) -> Iterator[_Line]:
    """Glyphs sharing a baseline, left to right; a wide gap (two columns of a header, a name and a date on one
    line of the 版记) separates two lines."""
    rows: list[list[_Glyph]] = []
    for g in sorted(glyphs, key=lambda g: g.mid):
        if rows:
            last = rows[-1]
            # the tallest recent glyph, not the median: a flat one (一, —) starting a row would make its
            # neighbours on the same baseline look like another line
            height = max(x.bottom - x.top for x in (*last[-8:], g))
            if abs(g.mid - last[-1].mid) <= 0.45 * height:
                last.append(g)
                continue
        rows.append([g])
    for row in rows:
        row.sort(key=lambda g: g.x0)
        ems = [g.x1 - g.x0 for g in row if g.wide] or [g.bottom - g.top for g in row]
        em = statistics.median(ems)
        piece: list[_Glyph] = [row[0]]
        for g in row[1:]:
            if g.x0 - piece[-1].x1 > 2.5 * em:
                yield _Line(page, piece)
                piece = []
            piece.append(g)
        yield _Line(page, piece)


def _inside(g: _Glyph, table: _Table) -> bool:
    x = (g.x0 + g.x1) / 2
    return table.columns[0] - 1 <= x and table.top - 1 <= g.mid <= table.bottom + 1 and x <= _table_right(table)


def _table_right(table: _Table) -> float:
    return max(c.box[2] for row in table.grid for c in row if c is not None)


# ---------------------------------------------------------------------------------------------------------------
# Running headers and footers


def _drop_running_lines(blocks: list[list[_Block]], sizes: list[tuple[float, float]]) -> None:
    """Remove page numbers, and lines repeated at the same place on several pages (the issuer's name in a
    footer, the document's title in a header), from the top and bottom of each page."""

    def edge_lines(k: int) -> list[_Line]:
        lines = [b for b in blocks[k] if isinstance(b, _Line)]
        height = sizes[k][1]
        head = [ln for ln in lines[:3] if ln.bottom < _EDGE * height]
        foot = [ln for ln in lines[-3:] if ln.top > (1 - _EDGE) * height]
        return head + [ln for ln in foot if ln not in head]

    def key(line: _Line) -> str:
        return re.sub(r"\d+", "#", _folded(line.text))

    candidates = [edge_lines(k) for k in range(len(blocks))]
    seen: Counter[str] = Counter()
    for lines in candidates:
        seen.update({key(ln) for ln in lines})
    repeated = {k for k, n in seen.items() if n >= 2 and n >= 0.4 * len(blocks)}
    for k, lines in enumerate(candidates):
        drop = [ln for ln in lines if _PAGE_NUMBER.match(_folded(ln.text)) or key(ln) in repeated]
        blocks[k] = [b for b in blocks[k] if not any(b is d for d in drop)]


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


# ---------------------------------------------------------------------------------------------------------------
# Paragraphs


@dataclass
class _Margins:
    left: float
    right: float


def _page_margins(lines: list[_Line], fallback: _Margins | None) -> _Margins | None:
    long = [ln for ln in lines if len(ln.glyphs) >= 8]
    if len(long) < 3:
        return fallback
    lefts = Counter(round(ln.x0) for ln in long)
    left = min(x for x, n in lefts.items() if n == max(lefts.values()))
    rights = sorted(ln.x1 for ln in long)
    return _Margins(left, rights[int(0.9 * (len(rights) - 1))])


def _paragraphs(blocks: list[list[_Block]]) -> list[str]:
    """Printed lines → paragraphs; tables → their lines. A line goes on from the one above when that one ran to
    the right margin (this line's first word would not have fitted), this one is not indented, same size, close
    below, and no numbered heading starts after a full stop."""
    all_lines = [b for page in blocks for b in page if isinstance(b, _Line)]
    if not all_lines:
        return []
    body_em = statistics.median(ln.em for ln in all_lines)
    margins: list[_Margins | None] = []
    fallback: _Margins | None = None
    for page in blocks:
        found = _page_margins([b for b in page if isinstance(b, _Line)], None)
        margins.append(found)
        fallback = fallback or found
    gaps = [
        b.top - a.bottom
        for page in blocks
        for a, b in itertools.pairwise(page)
        if isinstance(a, _Line) and isinstance(b, _Line) and 0 <= b.top - a.bottom < 2 * body_em
    ]
    line_gap = statistics.median(gaps) if gaps else 0.5 * body_em

    out: list[str] = []
    prev: _Line | None = None
    pending: _Table | None = None
    for k, page in enumerate(blocks):
        m = margins[k] or fallback
        for block in page:
            if isinstance(block, _Table):
                if pending is not None and _continues(pending, block, page):
                    _append_table(pending, block)
                    continue
                if pending is not None:
                    out.extend(_table_text(pending))
                pending, prev = block, None
                continue
            if pending is not None:
                out.extend(_table_text(pending))
                pending = None
            line = block
            if prev is not None and m is not None and _goes_on(prev, line, m, line_gap, body_em):
                out[-1] += (" " if _latin(out[-1][-1:]) and _latin(line.text[:1]) else "") + line.text
            else:
                out.append(line.text)
            prev = line
    if pending is not None:
        out.extend(_table_text(pending))
    return out


def _goes_on(prev: _Line, line: _Line, m: _Margins, line_gap: float, body_em: float) -> bool:
    em = line.em
    if abs(prev.em - em) > 0.15 * em:
        return False
    if em > 1.15 * body_em and line.page == prev.page:
        # a title set larger than the text, broken over centred lines
        centre = (m.left + m.right) / 2
        return (
            abs((line.x0 + line.x1) / 2 - centre) < 2 * em
            and abs((prev.x0 + prev.x1) / 2 - centre) < 2 * em
            and line.top - prev.bottom < 1.2 * em
            and prev.text[-1:] not in _CLOSED
        )
    if line.x0 > m.left + 0.6 * em or prev.x0 > m.left + 2.8 * em:  # indented, or after a centred/right line
        return False
    if prev.x1 + line.lead_width() < m.right - 0.5 * em:
        return False  # this line's first word would have fitted above: the paragraph ended there
    if line.page == prev.page and line.top - prev.bottom > 1.8 * line_gap + 0.5 * body_em:
        return False  # paragraph spacing
    marker = nb.start_marker(line.text)
    return not (prev.text[-1:] in _CLOSED and marker is not None and marker.kind not in nb.POINT_KINDS)


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


# ---------------------------------------------------------------------------------------------------------------
# Tables


def _find_tables(
    data: bytes, ruled: list[int], pages: list[list[_Glyph]], sizes: list[tuple[float, float]]
) -> dict[int, list[_Table]]:
    if not ruled:
        return {}
    import io

    import pdfplumber  # deferred: only pages that draw lines need it

    found: dict[int, list[_Table]] = {}
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for index in ruled:
                page = pdf.pages[index]
                tables = [t for t in (_table(page_table, index) for page_table in page.find_tables()) if t]
                page.close()
                for table in tables:
                    for g in pages[index]:
                        cell = _cell_at(table, g)
                        if cell is not None:
                            cell.glyphs.append(g)
                found[index] = tables
    except Exception:  # pdfplumber (pdfminer) fails on some files PDFium reads: the text is still read as lines
        return found
    return found


def _table(found: Any, page: int) -> _Table | None:
    """pdfplumber's table → a grid of cells; a merged cell in every slot it covers."""
    boxes = [tuple(c) for row in found.rows for c in row.cells if c is not None]
    xs = sorted({round(b[0], 1) for b in boxes})
    ys = sorted({round(b[1], 1) for b in boxes})
    if len(xs) < 2 or len(ys) < 2:
        return None  # a frame round some text is not a table
    cells = [_PdfCell((b[0], b[1], b[2], b[3])) for b in boxes]
    grid: list[list[_PdfCell | None]] = [[None] * len(xs) for _ in ys]
    for cell in cells:
        x0, top, x1, bottom = cell.box
        for r, y in enumerate(ys):
            for c, x in enumerate(xs):
                if top - 0.5 <= y < bottom - 0.5 and x0 - 0.5 <= x < x1 - 0.5:
                    grid[r][c] = cell
    return _Table(page, found.bbox[1], found.bbox[3], xs, grid)


def _cell_at(table: _Table, g: _Glyph) -> _PdfCell | None:
    x, y = (g.x0 + g.x1) / 2, g.mid
    for row in table.grid:
        for cell in row:
            if cell is not None and cell.box[0] <= x <= cell.box[2] and cell.box[1] <= y <= cell.box[3]:
                return cell
    return None


def _continues(table: _Table, nxt: _Table, page: list[_Block]) -> bool:
    """A table cut by a page break: the next page starts with a table of the same columns."""
    if nxt.page != table.page + 1 or page[0] is not nxt or len(nxt.columns) != len(table.columns):
        return False
    return all(abs(a - b) < 3 for a, b in zip(table.columns, nxt.columns, strict=True))


def _append_table(table: _Table, nxt: _Table) -> None:
    """Join the next page's part: a cell left empty at its top continues the cell above it (a task cell merged
    down over the page break); a row cut in two by the break (no number at the top) is one row."""
    last, first = table.grid[-1], nxt.grid[0]
    rows = nxt.grid
    if (
        first
        and first[0] is not None
        and not first[0].glyphs
        and last[0] is not None
        and last[0].glyphs
        and any(c is not None and c.glyphs for c in first)
    ):
        task_col = 1 if len(first) > 1 else 0
        top = first[task_col]
        if top is not None and top.glyphs:  # a row cut in two: its second half joins each cell of the first
            for c, cell in enumerate(first):
                above = last[c] if c < len(last) else None
                if cell is not None and above is not None and cell is not above:
                    above.extra.extend(cell.glyphs)
            rows = rows[1:]
        else:
            for r, row in enumerate(rows):  # merged down: empty cells take the cell above's place
                for c, cell in enumerate(row):
                    above = last[c] if c < len(last) else None
                    if cell is not None and above is not None and cell is first[c] and not cell.glyphs:
                        rows[r][c] = above
    table.grid.extend(rows)
    table.bottom = nxt.bottom


def _table_text(table: _Table) -> list[str]:
    limits = _column_limits(table)
    converted: dict[int, Cell] = {}
    grid: list[Row] = []
    for row in table.grid:
        out: Row = []
        for c, cell in enumerate(row):
            if cell is None:
                out.append(None)
                continue
            if id(cell) not in converted:
                converted[id(cell)] = Cell(cell.key, _cell_paras(cell, limits[c]))
            out.append(converted[id(cell)])
        grid.append(out)
    return table_lines(grid)


def _column_limits(table: _Table) -> list[float]:
    """How far text runs in each column: the right end of its longest line."""
    limits: list[float] = []
    for c in range(len(table.columns)):
        ends = [g.x1 for row in table.grid if c < len(row) and row[c] is not None for g in row[c].glyphs]  # type: ignore[union-attr]
        limits.append(max(ends) if ends else 0.0)
    return limits


def _cell_paras(cell: _PdfCell, limit: float) -> tuple[str, ...]:
    """A cell's lines → its paragraphs: a line that does not reach the column's text edge ends one (owners
    typed one a line stay apart). The part of a cell carried over to the next page comes last."""
    lines = sorted(_lines(cell.glyphs, 0), key=lambda ln: (ln.top, ln.x0))
    lines += sorted(_lines(cell.extra, 1), key=lambda ln: (ln.top, ln.x0))
    right = max([limit, *(ln.x1 for ln in lines)]) if lines else limit
    paras: list[str] = []
    prev: _Line | None = None
    for line in lines:
        marker = nb.start_marker(line.text)
        if (
            prev is not None
            and prev.x1 + line.lead_width() > right - 0.5 * line.em
            and not (prev.text[-1:] in _CLOSED and marker is not None)
        ):
            paras[-1] += line.text
        else:
            paras.append(line.text)
        prev = line
    return tuple(paras)
