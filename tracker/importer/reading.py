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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tracker.domain.numerals import cn_number
from tracker.errors import ImportFailed
from tracker.importer import numbering as nb
from tracker.importer.normalize import normalise_text
from tracker.importer.numbering import CIRCLED

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

        from tracker.importer.docx_text import ListNumbering, paragraph_text, text_box_paragraphs

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
                lines.extend(_table_lines(Table(child, document), text_of))
    except ImportFailed:
        raise
    except Exception as err:  # python-docx raises many kinds (KeyError, lxml errors…) on a damaged file
        raise ImportFailed(f"不是有效的 Word 文档（.docx），或文件已损坏：{name}") from err
    return "\n".join(lines)


# A header cell's role, first match wins: the order settles cells that fit several roles ("责任单位" is lead, not
# task; "具体措施" is measures, not task; "配合部门" is support although it says 部门).
_HEADER_ROLES: list[tuple[str, re.Pattern[str]]] = [
    ("number", re.compile(r"^(?:序号|编号|序|No\.?)$", re.IGNORECASE)),
    # people, contacts and progress: neither the task's words nor its owners
    ("skip", re.compile(r"^(?!.*(?:单位|部门|处室|科室|股室)).*(?:领导|责任人|联系人|分管|电话|联系方式)")),
    ("skip", re.compile(r"完成情况|进展|落实情况|完成进度|推进情况")),
    # a rectification table's problem column: stays with the row, is not the task's words
    ("problem", re.compile(r"^(?:反馈|存在|主要|具体)?问题(?:表现|描述|清单|内容)?$")),
    ("support", re.compile(r"配合|协办|协同|协助|协作|参与")),
    ("lead", re.compile(r"牵头|责任|主责|承办|主办|负责|实施单位|实施主体")),
    ("deadline", re.compile(r"时限|时间|期限|节点|进度")),
    (
        "task",
        re.compile(
            r"^(?:重点任务|任务内容|工作任务|工作事项|任务名称|主要任务|目标任务|具体任务|重点工作|重点事项|"
            r"工作内容|任务|事项|项目名称|项目)$"
        ),
    ),
    ("measures", re.compile(r"措施|举措|目标|内容|要求|备注|标准|成效|说明|指标")),
    ("task", re.compile(r"任务|事项|项目|工作")),
]
_HEADER_ROWS = 4  # a title row or two may stand above the header ("XX县2024年重点任务台账（共12项）")
# how offices write an empty cell: "—", "/", "无"
_PLACEHOLDER = re.compile(r"[—\-－–/／\\、…·.。]*|无|暂无")
_END_PUNCT = "。！？!?"
_CN_NUMBER = rf"[{nb.CN_NUM}]{{1,4}}"
_CHAPTER = re.compile(rf"^(?:第{_CN_NUMBER}(?:部分|章|篇)|{_CN_NUMBER}、|（{_CN_NUMBER}）)")
_NOT_CHAPTER = re.compile(r"^(?:注|说明|备注|合计|小计|总计|共计)|[。；;：:]")


@dataclass(frozen=True)
class _Cell:
    tc: Any  # the <w:tc> element: python-docx gives a merged cell once for every grid column and row it covers
    paras: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.paras).strip()


_Row = list[_Cell | None]  # one entry per layout-grid column; None where Word leaves the grid empty


def _table_grid(table: Any, text_of: Callable[[Any], str]) -> list[_Row]:
    rows: list[_Row] = []
    for row in table.rows:
        cells: _Row = [None] * row.grid_cols_before
        cells.extend(_Cell(cell._tc, tuple(text_of(p) for p in cell.paragraphs)) for cell in row.cells)
        rows.append(cells)
    return rows


def _distinct(row: _Row) -> list[tuple[int, _Cell]]:
    """Each underlying cell of a row once, with the first grid column it covers."""
    out: list[tuple[int, _Cell]] = []
    for col, cell in enumerate(row):
        if cell is not None and all(cell.tc is not seen.tc for _, seen in out):
            out.append((col, cell))
    return out


def _is_placeholder(text: str) -> bool:
    return _PLACEHOLDER.fullmatch(text.strip()) is not None


def _header_role(text: str) -> str | None:
    text = re.sub(r"\s+", "", text)
    if not text or len(text) > 12:
        return None
    return next((role for role, pattern in _HEADER_ROLES if pattern.search(text)), None)


def _role_columns(row: _Row, below: _Row | None) -> dict[str, list[int]] | None:
    """Grid columns of each role when ``row`` is a task table's header (a task column, and a lead or deadline
    column), else None. ``below`` is a second header row ("责任单位" above "牵头单位 | 配合单位"), if any."""
    roles = {col: role for col, cell in _distinct(row) if (role := _header_role(cell.text))}
    if below is not None:
        roles.update({col: role for col, cell in _distinct(below) if (role := _header_role(cell.text))})
    by_role: dict[str, list[int]] = {}
    for col in sorted(roles):
        by_role.setdefault(roles[col], []).append(col)
    if "task" not in by_role:  # "序号 | 主要内容 | 责任单位 | 完成时限": the first text column is the task
        text_cols = by_role.pop("measures", [])
        if not text_cols:
            return None
        by_role["task"], by_role["measures"] = text_cols[:1], text_cols[1:]
    if "lead" not in by_role and "deadline" not in by_role:
        return None
    times = by_role.get("deadline", [])
    due = [col for col in times if re.search(r"完成|截止|时限|期限", _header_text(row, below, col))]
    if due:  # "开始时间 | 完成时间": the task is due at the second
        by_role["deadline"] = due[:1]
    return by_role


def _header_text(row: _Row, below: _Row | None, col: int) -> str:
    for r in (below, row):
        cell = r[col] if r is not None and col < len(r) else None
        if cell is not None and _header_role(cell.text):
            return cell.text
    return ""


def _second_header(row: _Row, above: _Row) -> bool:
    """Whether ``row`` continues the header above it: its own cells (not merged down from above) are all
    header words."""
    own = [cell for col, cell in _distinct(row) if not _same_cell(above, col, cell)]
    return bool(own) and all(not cell.text or _header_role(cell.text) for cell in own)


def _same_cell(row: _Row, col: int, cell: _Cell) -> bool:
    other = row[col] if col < len(row) else None
    return other is not None and other.tc is cell.tc


def _table_lines(table: object, text_of: Callable[[Any], str]) -> list[str]:
    """A task table (序号 | 任务 | 具体措施 | 牵头单位 | 完成时限) becomes one line a row with annotations the parser
    knows, its chapter rows ("一、推动工业经济提质增效") heading lines and any title row above the header a plain
    line; any other table gives its cells' text, each cell once (only merged cells repeat; equal text is kept)."""
    grid = _table_grid(table, text_of)
    for h in range(min(_HEADER_ROWS, len(grid))):
        by_role = _role_columns(grid[h], None)
        if by_role is None:
            continue
        body = h + 1
        if body < len(grid) and _second_header(grid[body], grid[h]):
            by_role = _role_columns(grid[h], grid[body]) or by_role
            body += 1
        title = [cell.text.replace("\n", "") for row in grid[:h] for _, cell in _distinct(row) if cell.text]
        width = max(len(row) for row in grid)
        return title + _task_lines(grid[body:], by_role, width, header=grid[h])
    return _plain_lines(grid)


def _plain_lines(grid: list[_Row]) -> list[str]:
    lines: list[str] = []
    seen: list[_Cell] = []  # a vertical merge repeats the cell in the rows below
    for row in grid:
        for _, cell in _distinct(row):
            if any(cell.tc is s.tc for s in seen):
                continue
            seen.append(cell)
            lines.extend(ln for ln in cell.text.split("\n") if ln.strip())
    return lines


def _joined(paras: tuple[str, ...], sep: str) -> str:
    """A cell's paragraphs on one line; ``sep`` goes between parts without punctuation of their own, so owners
    typed one a line do not run together ("县财政局县水利局"). A placeholder ("—", "/") gives ""."""
    out = ""
    for part in (ln.strip() for p in paras for ln in p.split("\n")):  # a line break in a paragraph too
        if part:
            out += (sep if out and out[-1] not in "。；;，,、：:！？!?" else "") + part
    return "" if _is_placeholder(out) else out


def _task_lines(rows: list[_Row], by_role: dict[str, list[int]], width: int, header: _Row) -> list[str]:
    out: list[str] = []
    chapters = 0
    header_texts = [cell.text for _, cell in _distinct(header)]
    previous: _Row | None = None
    point = 0
    for k, row in enumerate(rows):

        def cell(role: str, sep: str = "", row: _Row = row) -> str:
            cols = by_role.get(role, [])
            c = row[cols[0]] if cols and cols[0] < len(row) else None
            return _joined(c.paras, sep) if c is not None else ""

        filled = [(col, c) for col, c in _distinct(row) if not _is_placeholder(c.text)]
        if [c.text for _, c in _distinct(row)] == header_texts:
            continue  # the header typed again at the top of a page
        heading = _chapter_heading(row, filled, width)
        if heading is not None:
            chapters += 1
            out.append(heading or f"{cn_number(chapters)}、{filled[0][1].text.replace(chr(10), '')}")
            continue
        number, task = cell("number"), cell("task")
        cn_label = re.fullmatch(rf"({_CN_NUMBER})[、.．]?", number)
        if (
            cn_label
            and task
            and all(col in by_role.get("number", []) + by_role["task"] for col, _ in filled)
        ):
            chapters += 1  # 一 | 推动工业经济提质增效 | (empty cells): a chapter numbered in the 序号 column
            out.append(task if _CHAPTER.match(task) else f"{cn_label.group(1)}、{task}")
            continue
        if not task:
            continue
        measures = _measures(row, by_role, task)
        task_cell = _cell_of(row, by_role["task"][0])
        above = _cell_of(previous, by_role["task"][0]) if previous is not None else None
        below = _cell_of(rows[k + 1], by_role["task"][0]) if k + 1 < len(rows) else None
        previous = row
        merged_above = above is not None and task_cell is not None and above.tc is task_cell.tc
        merged_below = below is not None and task_cell is not None and below.tc is task_cell.tc
        if measures and (merged_above or merged_below):
            # one task cell spanning rows (序号 and 重点任务 merged down): the task once, each row's measure a point
            if not merged_above:
                digits = re.fullmatch(r"(\d{1,3})[.、．]?", number)
                out.append((f"{digits.group(1)}." if digits else "") + task)
                point = 0
            point += 1
            task, measures = "；".join(measures), []
            number, cn_label = f"（{point}）", None
        line = _with_measures(task, measures)
        lead, support, deadline = cell("lead", "、"), cell("support", "、"), cell("deadline", "，")
        labelled = (("牵头单位", lead), ("配合单位", support), ("完成时限", deadline))
        notes = [f"{label}：{text}" for label, text in labelled if text]
        if notes and not (lead or support) and line[-1] not in _END_PUNCT:
            line += "。"  # only owner annotations are cut from the title: a lone "（完成时限：…）" would stay in it
        prefix = ""
        if number.startswith("（"):
            prefix = number
        elif nb.start_marker(line) is None:
            digits = re.fullmatch(r"(\d{1,3})[.、．]?", number)  # typed, or drawn by Word ("1.")
            prefix = f"{digits.group(1)}." if digits else f"{cn_label.group(1)}、" if cn_label else ""
        out.append(prefix + line + (f"（{'；'.join(notes)}）" if notes else ""))
        problem = cell("problem", "；")
        if problem:
            out.append(f"问题表现：{problem}")  # its own line: in the task's text, not its title or targets
    return out


def _cell_of(row: _Row, col: int) -> _Cell | None:
    return row[col] if col < len(row) else None


def _chapter_heading(row: _Row, filled: list[tuple[int, _Cell]], width: int) -> str | None:
    """A row that is a chapter of the table: its one filled cell is a heading ("一、…", "（一）…") or spans the
    table. Returns the heading, "" for an unnumbered full-width one (the caller numbers it), None otherwise."""
    if len(filled) != 1:
        return None
    cell = filled[0][1]
    text = cell.text.replace("\n", "")
    if _CHAPTER.match(text):
        return text
    spans = sum(1 for c in row if c is not None and c.tc is cell.tc)
    if spans >= max(2, width - 1) and len(text) <= 40 and not _NOT_CHAPTER.search(text):
        return ""  # a short phrase across the whole table is a chapter even unnumbered: give it a number
    return None


def _measures(row: _Row, by_role: dict[str, list[int]], task: str) -> list[str]:
    """The other text columns (具体措施, 工作目标, 备注…), each cell once: targets and cadences are written there."""
    task_col = by_role["task"][0]
    taken = [row[task_col]] if task_col < len(row) else []
    out: list[str] = []
    for col in by_role.get("measures", []):
        c = row[col] if col < len(row) else None
        if c is None or any(t is not None and t.tc is c.tc for t in taken):
            continue  # merged with the task cell or an earlier column
        taken.append(c)
        text = _joined(c.paras, "；")
        if text and text != task:
            out.append(text)
    return out


def _with_measures(task: str, measures: list[str]) -> str:
    """ "壮大主导产业集群。实施工业技改项目40个，…": the parser takes the title from the lead sentence, so the task
    ends with 。 before the measures follow."""
    if not measures:
        return task
    line = task.rstrip("；;，,、：: ") or task
    if line[-1] not in _END_PUNCT:
        line += "。"
    for m in measures:
        line += ("" if line[-1] in _END_PUNCT + "；;" else "；") + m
    return line


_MD_LINE = re.compile(r"^\s{0,3}(?:#{1,6}\s*|>\s?|[-*+]\s+(?=\S))")
_MD_BULLET = re.compile(r"^\s*[-*+]\s+(?=\S)")


def _looks_like_markdown(text: str) -> bool:
    lines = [ln for ln in text.splitlines()[:200] if ln.strip()]
    return sum(1 for ln in lines if re.match(r"^\s{0,3}#{1,6}\s", ln)) >= 2


_MD_FOOTNOTE_DEF = re.compile(r"^\s*\[\^[^\]]+\]:")
_MD_FOOTNOTE_REF = re.compile(r"\[\^[^\]]+\]")


def strip_markdown(text: str) -> str:
    """Remove Markdown markers (#, >, *, emphasis) and keep the words. A bulleted list of two or more items
    becomes ①②③…: its items are points of the line above them ("1. 深入学习…" then "   - 全年专题学法…")."""
    lines = [ln for ln in text.splitlines() if not _MD_FOOTNOTE_DEF.match(ln)]  # "[^3]: 来源：…" is a note
    numbers = _bullet_numbers(lines)
    out: list[str] = []
    for k, line in enumerate(lines):
        line = _MD_FOOTNOTE_REF.sub("", line)
        bullet = _MD_BULLET.match(line)
        if bullet is not None and k in numbers:
            line = CIRCLED[numbers[k] - 1] + line[bullet.end() :]
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


def _bullet_numbers(lines: list[str]) -> dict[int, int]:
    """The place of each bulleted line in its list (line index → 1, 2, …), for lists of 2 to 20 items."""
    runs: list[list[int]] = []
    open_runs: dict[int, list[int]] = {}  # indentation → the list being read there
    for k, line in enumerate(lines):
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" \t"))
        bullet = _MD_BULLET.match(line) is not None and not re.fullmatch(r"\s*(?:[-*_]\s*){3,}", line)
        # a list ends at a line less indented than it, or as indented and not itself an item
        open_runs = {i: r for i, r in open_runs.items() if i < indent or (bullet and i == indent)}
        if bullet:
            if indent not in open_runs:
                open_runs[indent] = []
                runs.append(open_runs[indent])
            open_runs[indent].append(k)
    return {k: n for run in runs if 2 <= len(run) <= len(CIRCLED) for n, k in enumerate(run, 1)}
