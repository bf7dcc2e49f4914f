"""File bytes → clean text. Encodings are detected from the bytes, never from the file name.

Order of trials: a BOM (UTF-8, UTF-16, UTF-32), UTF-16 without BOM (many NULs in alternate bytes), strict UTF-8,
strict GB18030 (which covers GBK and GB2312). Word files are opened with python-docx whatever their name.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tracker.errors import ImportFailed
from tracker.importer.normalize import normalise_text

_MAX_BYTES = 50 * 1024 * 1024


def read_document(path: Path) -> str:
    """Read a report (.txt, .md, .docx; any encoding we detect) and return normalised text."""
    path = Path(path)
    if not path.exists():
        raise ImportFailed(f"文件不存在：{path}")
    if path.is_dir():
        raise ImportFailed(f"这是一个文件夹，不是文件：{path}")
    try:
        size = path.stat().st_size
        if size > _MAX_BYTES:
            raise ImportFailed(f"文件太大（{size // 1024 // 1024} MB），不像是一份报告：{path.name}")
        data = path.read_bytes()
    except OSError as err:
        raise ImportFailed(f"无法读取文件：{path.name}（{err.strerror or err}）") from err
    return decode_document(data, path.name)


def decode_document(data: bytes, filename: str) -> str:
    """Bytes of a report → normalised text. ``filename`` only names the file in messages and marks Markdown."""
    name = Path(filename).name or "（未命名）"
    if not data or not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise ImportFailed(f"文件为空：{name}")
    suffix = Path(filename).suffix.lower()
    if data.startswith(b"PK\x03\x04"):
        text = _docx_text(data, name)
    elif suffix == ".docx":
        raise ImportFailed(f"不是有效的 Word 文档（.docx）：{name}")
    else:
        _refuse_known_binary(data, name)
        text = _decode_text(data, name)
        if suffix in (".md", ".markdown") or _looks_like_markdown(text):
            text = strip_markdown(text)
    result = normalise_text(text)
    if not result.strip():
        raise ImportFailed(f"文件中没有文字：{name}")
    return result


def _refuse_known_binary(data: bytes, name: str) -> None:
    head = data[:8]
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise ImportFailed(f"不支持旧版 Word 文档（.doc），请另存为 .docx 或 .txt 后再导入：{name}")
    if head.startswith(b"%PDF"):
        raise ImportFailed(f"暂不支持 PDF，请复制其中的文字另存为 .txt 后再导入：{name}")
    if head.startswith(b"{\\rtf"):
        raise ImportFailed(f"不支持 RTF 文档，请另存为 .docx 或 .txt 后再导入：{name}")


def _decode_text(data: bytes, name: str) -> str:
    boms: list[tuple[bytes, str]] = [
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ]
    for bom, enc in boms:
        if data.startswith(bom):
            try:
                return _plausible(data[len(bom) :].decode(enc.replace("-sig", "")), name)
            except UnicodeDecodeError:
                break
    try:
        text = data.decode("utf-8")
        if _is_plausible(text):
            return text
    except UnicodeDecodeError:
        pass
    # GB18030 decodes almost any bytes, and UTF-16 without a BOM has no marker: decode both ways and keep the
    # reading that looks most like Chinese prose (punctuation, line breaks, CJK characters).
    best: tuple[float, str] | None = None
    encodings = ["gb18030"] + (["utf-16-le", "utf-16-be"] if len(data) % 2 == 0 else [])
    for enc in encodings:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if not _is_plausible(text):
            continue
        score = _prose_score(text)
        if best is None or score > best[0]:
            best = (score, text)
    if best is not None:
        return best[1]
    raise ImportFailed(f"无法识别文件编码或不是文本文件：{name}")


def _prose_score(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    punct = sum(1 for ch in sample if ch in "，。、；：！？（）“”《》\n")
    cjk = sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff")
    return (5 * punct + cjk) / len(sample)


def _plausible(text: str, name: str) -> str:
    if not _is_plausible(text):
        raise ImportFailed(f"无法识别文件编码或不是文本文件：{name}")
    return text


def _is_plausible(text: str) -> bool:
    """Text, not a binary decoded by luck: few control characters, mostly common CJK, ASCII and punctuation."""
    if not text:
        return False
    sample = text[:20000]
    bad = 0
    for ch in sample:
        if ch in "\n\r\t\x0c":
            continue
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cs", "Co", "Cn"):
            bad += 1
    if bad > max(2, len(sample) // 200):
        return False
    common = sum(
        1
        for ch in sample
        if ch.isascii()
        or "\u4e00" <= ch <= "\u9fff"
        or "\u3000" <= ch <= "\u303f"
        or "\uff00" <= ch <= "\uffef"
        or ch in "“”‘’—…·─━"
    )
    return common >= 0.9 * len(sample)


def _docx_text(data: bytes, name: str) -> str:
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

        from tracker.importer.docx_text import ListNumbering, paragraph_text

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
            elif tag == "tbl":
                lines.extend(_table_lines(Table(child, document), text_of))
    except ImportFailed:
        raise
    except Exception as err:  # python-docx raises many kinds (KeyError, lxml errors…) on a damaged file
        raise ImportFailed(f"不是有效的 Word 文档（.docx），或文件已损坏：{name}") from err
    return "\n".join(lines)


_HEADER_ROLES = {
    "lead": re.compile(r"牵头|责任单位|责任部门|责任处室|主责|承办"),
    "support": re.compile(r"配合|协办|参与"),
    "deadline": re.compile(r"时限|时间|期限|节点"),
    "number": re.compile(r"^(?:序号|编号|序)$"),
    "task": re.compile(r"任务|内容|事项|工作|措施|项目"),
}


def _table_lines(table: object, text_of: Callable[[Any], str]) -> list[str]:
    """A task table (序号 | 任务 | 牵头单位 | 完成时限) becomes one line a row with annotations the parser knows;
    any other table gives its cells' text, each once (merged cells repeat in python-docx)."""
    rows: list[list[str]] = []
    for row in table.rows:  # type: ignore[attr-defined]
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append("\n".join(text_of(p) for p in cell.paragraphs).strip())
        rows.append(cells)
    if not rows:
        return []
    header = rows[0]
    roles: dict[str, int] = {}
    for i, cell in enumerate(header):
        for role, pat in _HEADER_ROLES.items():
            if role not in roles and pat.search(cell) and len(cell) <= 12:
                roles[role] = i
                break
    if "task" in roles and ("lead" in roles or "deadline" in roles):
        out: list[str] = []
        for cells in rows[1:]:

            def cell(role: str, cells: list[str] = cells) -> str:
                i = roles.get(role)
                return cells[i].replace("\n", "") if i is not None and i < len(cells) else ""

            task = cell("task")
            if not task:
                continue
            number = re.fullmatch(r"(\d{1,3})[.、．]?", cell("number"))  # typed, or drawn by Word ("1.")
            prefix = f"{number.group(1)}." if number else ""
            notes = []
            if cell("lead"):
                notes.append(f"牵头单位：{cell('lead')}")
            if cell("support"):
                notes.append(f"配合单位：{cell('support')}")
            if cell("deadline"):
                notes.append(f"完成时限：{cell('deadline')}")
            out.append(f"{prefix}{task}" + (f"（{'；'.join(notes)}）" if notes else ""))
        return out
    lines: list[str] = []
    seen_text: set[str] = set()
    for cells in rows:
        for text in cells:
            if text and text not in seen_text:
                seen_text.add(text)
                lines.extend(text.split("\n"))
    return lines


_MD_LINE = re.compile(r"^\s{0,3}(?:#{1,6}\s*|>\s?|[-*+]\s+(?=\S))")


def _looks_like_markdown(text: str) -> bool:
    lines = [ln for ln in text.splitlines()[:200] if ln.strip()]
    return sum(1 for ln in lines if re.match(r"^\s{0,3}#{1,6}\s", ln)) >= 2


_MD_FOOTNOTE_DEF = re.compile(r"^\s*\[\^[^\]]+\]:")
_MD_FOOTNOTE_REF = re.compile(r"\[\^[^\]]+\]")


def strip_markdown(text: str) -> str:
    """Remove Markdown markers (#, >, *, list bullets, emphasis) and keep the words."""
    out: list[str] = []
    for line in text.splitlines():
        if _MD_FOOTNOTE_DEF.match(line):  # "[^3]: 来源：任务 12" — a note on the text, not the text
            continue
        line = _MD_FOOTNOTE_REF.sub("", line)
        prev = None
        while prev != line:  # "> ## 标题" has two markers
            prev = line
            line = _MD_LINE.sub("", line, count=1)
        line = re.sub(r"(\*\*|__|\*|`)(.+?)\1", r"\2", line)
        line = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", line)  # [text](url)
        if re.fullmatch(r"\s*(?:[-*_]\s*){3,}", line):  # horizontal rule
            continue
        out.append(line.replace("**", ""))
    return "\n".join(out)
