"""Web pages: a plan saved from a government site (.html, or .txt/.doc that a browser or an office system wrote as
HTML), Word's "网页" formats, and single-file pages (.mht). Block elements become lines, tables go through the
task-table reader, scripts, styles and the page's <head> are dropped. The standard library's parser is enough:
it tolerates the unclosed tags such pages are full of.
"""

from __future__ import annotations

import email
import email.policy
import re
from email.message import Message
from html.parser import HTMLParser

from tracker.errors import ImportFailed
from tracker.importer.formats.tables import Cell, Row, table_lines

_BLOCKS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section", "article",
    "blockquote", "pre", "hr", "dd", "dt", "dl", "center", "header", "footer", "main", "aside", "form", "title",
    "tbody", "thead", "caption", "figure", "figcaption", "address",
}  # fmt: skip
_HIDDEN = {"script", "style", "head", "noscript", "template", "svg", "object", "iframe", "select", "button"}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\r\n\f]+")


def html_text(markup: str) -> str:
    parser = _PageParser()
    parser.feed(markup)
    parser.close()
    return "\n".join(parser.finish())


def looks_like_html(text: str) -> bool:
    head = text[:4096].lstrip("\ufeff \r\n\t")
    if re.match(r"(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b", head,
                re.IGNORECASE | re.DOTALL):  # fmt: skip
        return True
    return len(re.findall(r"<(?:p|div|br|span|table|td|font)\b[^>]*>", head, re.IGNORECASE)) >= 8 and "</" in head


def declared_charset(data: bytes) -> str | None:
    m = _CHARSET.search(data[:4096])
    if m is None:
        return None
    charset = m.group(1).decode("ascii", "replace").lower()
    return "gb18030" if charset in ("gb2312", "gbk", "gb18030", "x-gbk") else charset


def mht_html(data: bytes, name: str) -> str:
    """The page inside a single-file web archive (MIME multipart/related): its first HTML part, else text."""
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    parts = [p for p in message.walk() if not p.is_multipart()]
    for wanted in ("text/html", "text/plain"):
        for part in parts:
            if part.get_content_type() == wanted:
                text = _part_text(part)
                if text is not None:
                    return text if wanted == "text/html" else f"<pre>{_escape(text)}</pre>"
    raise ImportFailed(f"网页存档（.mht）中没有找到正文：{name}")


def _part_text(part: Message) -> str | None:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return None
    charset = part.get_content_charset() or declared_charset(payload) or "utf-8"
    if charset in ("gb2312", "gbk"):
        charset = "gb18030"
    try:
        return payload.decode(charset)
    except (LookupError, UnicodeDecodeError):
        return payload.decode("gb18030", errors="replace")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _Table:
    def __init__(self) -> None:
        self.rows: list[list[tuple[Cell, int, int]]] = []  # (cell, rowspan, colspan) as written

    def grid(self) -> list[Row]:
        """Rows of slots: a cell with rowspan/colspan stands in every slot it covers, as the browser draws it."""
        grid: list[Row] = []
        taken: dict[tuple[int, int], Cell] = {}
        for r, row in enumerate(self.rows):
            c = 0
            out: Row = []
            for cell, rowspan, colspan in row:
                while (r, c) in taken:
                    out.append(taken[(r, c)])
                    c += 1
                for dr in range(rowspan):
                    for dc in range(colspan):
                        if dr:
                            taken[(r + dr, c + dc)] = cell
                out.extend([cell] * colspan)
                c += colspan
            while (r, c) in taken:
                out.append(taken[(r, c)])
                c += 1
            grid.append(out)
        return grid


class _PageParser(HTMLParser):
    """Text of the page in lines; each table, when it closes, replaced by its lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._hidden = 0
        self._pre = 0
        # what is being written: the page, or the cell open in the innermost table
        self._out: list[list[str]] = [[""]]
        self._tables: list[_Table] = []
        self._cell: list[tuple[int, int] | None] = []  # rowspan, colspan of the open cell of each table

    def _break(self) -> None:
        if self._out[-1][-1].strip():
            self._out[-1].append("")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden += 1
            return
        if tag == "pre":
            self._pre += 1
        if tag == "table":
            self._break()
            self._tables.append(_Table())
            self._cell.append(None)
        elif tag == "tr" and self._tables:
            self._close_cell()
            self._tables[-1].rows.append([])
        elif tag in ("td", "th") and self._tables:
            self._close_cell()
            if not self._tables[-1].rows:
                self._tables[-1].rows.append([])
            spans = dict(attrs)
            self._cell[-1] = (_span(spans.get("rowspan")), _span(spans.get("colspan")))
            self._out.append([""])
        elif tag in _BLOCKS:
            self._break()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden = max(0, self._hidden - 1)
            return
        if tag == "pre":
            self._pre = max(0, self._pre - 1)
        if tag in ("td", "th") and self._tables:
            self._close_cell()
        elif tag == "table" and self._tables:
            self._close_cell()
            table = self._tables.pop()
            self._cell.pop()
            lines = table_lines(table.grid())
            self._break()
            self._out[-1][-1:] = [*lines, ""]
        elif tag in _BLOCKS:
            self._break()

    def _close_cell(self) -> None:
        if not self._tables or self._cell[-1] is None:
            return
        rowspan, colspan = self._cell[-1]
        self._cell[-1] = None
        paras = tuple(p for p in (_clean(p) for p in self._out.pop()) if p)
        self._tables[-1].rows[-1].append((Cell(object(), paras), rowspan, colspan))

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        if self._pre:
            lines = data.split("\n")
            self._out[-1][-1] += lines[0]
            self._out[-1].extend(lines[1:])
        else:
            self._out[-1][-1] += _SPACES.sub(" ", data)

    def finish(self) -> list[str]:
        while self._tables:
            self.handle_endtag("table")
        while len(self._out) > 1:
            inner = self._out.pop()
            self._out[-1].extend(inner)
        return [line for line in (_clean(x) for x in self._out[0]) if line]


def _clean(line: str) -> str:
    # a non-breaking space is how pages indent (&nbsp;&nbsp;): keep it as the paragraph indent it stands for
    return line.replace("\u00a0", "\u3000").strip(" ")


def _span(value: str | None) -> int:
    try:
        return max(1, min(int((value or "1").strip()), 200))
    except ValueError:
        return 1
