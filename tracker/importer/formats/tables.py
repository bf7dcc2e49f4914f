"""Tables → lines the parser reads, whatever file the table came from (Word, a spreadsheet, a PDF, a web page).

A task table (序号 | 重点任务 | 具体措施 | 牵头单位 | 配合单位 | 完成时限) becomes one line a task with the owner and
deadline annotations the parser knows; its chapter rows ("一、推动工业经济提质增效", or one cell across the table)
become heading lines. Any other table gives its cells' text, each cell once.

The readers build the grid: one ``Row`` per table row, one slot per layout column, a merged cell repeated (same
``key``) in every slot it covers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.domain.numerals import cn_number
from tracker.importer import numbering as nb

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
class Cell:
    """One cell of a table as the reader sees it: its paragraphs, and ``key``, the same object in every grid
    slot a merged cell covers (Word's <w:tc>, a spreadsheet's merged range, a PDF cell's box)."""

    key: object
    paras: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.paras).strip()


Row = list[Cell | None]  # one entry per layout-grid column; None where the grid is empty there


def _distinct(row: Row) -> list[tuple[int, Cell]]:
    """Each underlying cell of a row once, with the first grid column it covers."""
    out: list[tuple[int, Cell]] = []
    for col, cell in enumerate(row):
        if cell is not None and all(cell.key is not seen.key for _, seen in out):
            out.append((col, cell))
    return out


def _is_placeholder(text: str) -> bool:
    return _PLACEHOLDER.fullmatch(text.strip()) is not None


def _header_role(text: str) -> str | None:
    text = re.sub(r"\s+", "", text)
    if not text or len(text) > 12:
        return None
    return next((role for role, pattern in _HEADER_ROLES if pattern.search(text)), None)


def _role_columns(row: Row, below: Row | None) -> dict[str, list[int]] | None:
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


def _header_text(row: Row, below: Row | None, col: int) -> str:
    for r in (below, row):
        cell = r[col] if r is not None and col < len(r) else None
        if cell is not None and _header_role(cell.text):
            return cell.text
    return ""


def _second_header(row: Row, above: Row) -> bool:
    """Whether ``row`` continues the header above it: its own cells (not merged down from above) are all
    header words."""
    own = [cell for col, cell in _distinct(row) if not _same_cell(above, col, cell)]
    return bool(own) and all(not cell.text or _header_role(cell.text) for cell in own)


def _same_cell(row: Row, col: int, cell: Cell) -> bool:
    other = row[col] if col < len(row) else None
    return other is not None and other.key is cell.key


def has_task_header(grid: list[Row]) -> bool:
    """Whether the table is a task table: one of its first rows names a task column and a lead or deadline one."""
    return any(_role_columns(grid[h], None) is not None for h in range(min(_HEADER_ROWS, len(grid))))


def table_lines(grid: list[Row]) -> list[str]:
    """A task table (序号 | 任务 | 具体措施 | 牵头单位 | 完成时限) becomes one line a row with annotations the parser
    knows, its chapter rows ("一、推动工业经济提质增效") heading lines and any title row above the header a plain
    line; any other table gives its cells' text, each cell once (only merged cells repeat; equal text is kept)."""
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
    return plain_lines(grid)


def plain_lines(grid: list[Row]) -> list[str]:
    lines: list[str] = []
    seen: list[Cell] = []  # a vertical merge repeats the cell in the rows below
    for row in grid:
        for _, cell in _distinct(row):
            if any(cell.key is s.key for s in seen):
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


def _task_lines(rows: list[Row], by_role: dict[str, list[int]], width: int, header: Row) -> list[str]:
    out: list[str] = []
    chapters = 0
    header_texts = [cell.text for _, cell in _distinct(header)]
    previous: Row | None = None
    point = 0
    for k, row in enumerate(rows):

        def cell(role: str, sep: str = "", row: Row = row) -> str:
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
        merged_above = above is not None and task_cell is not None and above.key is task_cell.key
        merged_below = below is not None and task_cell is not None and below.key is task_cell.key
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


def _cell_of(row: Row, col: int) -> Cell | None:
    return row[col] if col < len(row) else None


def _chapter_heading(row: Row, filled: list[tuple[int, Cell]], width: int) -> str | None:
    """A row that is a chapter of the table: its one filled cell is a heading ("一、…", "（一）…") or spans the
    table. Returns the heading, "" for an unnumbered full-width one (the caller numbers it), None otherwise."""
    if len(filled) != 1:
        return None
    cell = filled[0][1]
    text = cell.text.replace("\n", "")
    if _CHAPTER.match(text):
        return text
    spans = sum(1 for c in row if c is not None and c.key is cell.key)
    if spans >= max(2, width - 1) and len(text) <= 40 and not _NOT_CHAPTER.search(text):
        return ""  # a short phrase across the whole table is a chapter even unnumbered: give it a number
    return None


def _measures(row: Row, by_role: dict[str, list[int]], task: str) -> list[str]:
    """The other text columns (具体措施, 工作目标, 备注…), each cell once: targets and cadences are written there."""
    task_col = by_role["task"][0]
    taken = [row[task_col]] if task_col < len(row) else []
    out: list[str] = []
    for col in by_role.get("measures", []):
        c = row[col] if col < len(row) else None
        if c is None or any(t is not None and t.key is c.key for t in taken):
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

