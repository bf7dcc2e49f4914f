"""Spreadsheets: a 任务分工表 / 台账 / 责任清单 sheet read like a Word task table (one task a row, chapter rows,
merged cells). .xlsx through openpyxl, .xls through xlrd (Excel 97–2003; WPS .et files are the same format).

The 工作台账 that ``tracker export`` writes is not a plan: it carries the hidden 任务编号 column of tasks already
in the database, and the user is sent to ``tracker ingest``.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from tracker.errors import ImportFailed
from tracker.importer.formats.tables import Cell, Row, has_task_header, table_lines

LEDGER_ID_HEADER = "任务编号"  # the column tracker export adds (tracker.services.ledger.ID_HEADER)
_LEDGER_PROGRESS = ("完成情况/进展", "存在问题", "下一步措施", "状态", "填报日期")
_DEFAULT_SHEET = re.compile(r"^(?:Sheet|工作表)\s*\d*$", re.IGNORECASE)  # a name nobody chose

# A grid as read from a sheet: values by (row, column), and merged ranges (first row, first column, last row,
# last column), all counted from 0.
_Values = dict[tuple[int, int], str]
_Merges = list[tuple[int, int, int, int]]


def xlsx_text(data: bytes, name: str) -> str:
    try:
        import openpyxl  # deferred: only spreadsheets need it

        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)  # not read-only: merged cells need it
    except Exception as err:  # openpyxl raises many kinds on a damaged or foreign file
        raise ImportFailed(f"不是有效的 Excel 文件（.xlsx），或文件已损坏：{name}") from err
    sheets: list[tuple[str, _Values, _Merges]] = []
    for sheet in book.worksheets:
        if sheet.sheet_state != "visible":
            continue
        values: _Values = {}
        for row in sheet.iter_rows():
            for cell in row:
                text = _value_text(cell.value)
                if text:
                    values[(cell.row - 1, cell.column - 1)] = text
        merges = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in sheet.merged_cells.ranges]
        sheets.append((sheet.title, values, merges))
    return _workbook_text(sheets, name)


def xls_text(data: bytes, name: str) -> str:
    """Excel 97–2003. Raises ImportFailed when xlrd cannot read the file (the caller may try LibreOffice)."""
    try:
        import xlrd  # deferred: only .xls files need it

        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    except Exception as err:  # xlrd raises XLRDError, CompDocError, struct errors… on files it cannot read
        raise ImportFailed(f"不是有效的 Excel 文件（.xls），或文件已损坏：{name}") from err
    sheets: list[tuple[str, _Values, _Merges]] = []
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            if sheet.visibility != 0:
                continue
            values: _Values = {}
            for r in range(sheet.nrows):
                for c in range(sheet.ncols):
                    cell = sheet.cell(r, c)
                    value: Any = cell.value
                    if cell.ctype == xlrd.XL_CELL_DATE:
                        with contextlib.suppress(ValueError, OverflowError, xlrd.xldate.XLDateError):
                            value = xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
                    elif cell.ctype in (xlrd.XL_CELL_ERROR, xlrd.XL_CELL_BOOLEAN):
                        value = None
                    text = _value_text(value)
                    if text:
                        values[(r, c)] = text
            merges = [(r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in sheet.merged_cells]
            sheets.append((sheet.name, values, merges))
    except Exception as err:
        raise ImportFailed(f"不是有效的 Excel 文件（.xls），或文件已损坏：{name}") from err
    finally:
        book.release_resources()
    return _workbook_text(sheets, name)


def _value_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date | datetime):  # a deadline typed as a date: written as offices write it
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:g}"
    if isinstance(value, bool):
        return ""
    return str(value).replace("\r\n", "\n").replace("\r", "\n").replace("_x000D_", "").strip()


def _workbook_text(sheets: list[tuple[str, _Values, _Merges]], name: str) -> str:
    if any(_is_tracker_ledger(values) for _, values, _ in sheets):
        raise ImportFailed(
            f"这是 tracker export 导出的工作台账，不是计划，不能用 import 导入：{name}"
            f"（要录入其中填报的进展，请用 tracker ingest {name}）"
        )
    grids = [(title, _grid(values, merges)) for title, values, merges in sheets if values]
    if not grids:
        raise ImportFailed(f"Excel 文件中没有内容：{name}")
    # a workbook with a task sheet and a sheet of notes ("填表说明"): the task sheets are the plan
    tasks = [(title, grid) for title, grid in grids if has_task_header(grid)]
    lines: list[str] = []
    for title, grid in tasks or grids:
        sheet_lines = table_lines(grid)
        if len(tasks) > 1 and not _DEFAULT_SHEET.match(title) and title not in sheet_lines[:3]:
            lines.append(title)  # several task sheets: each sheet's name heads its tasks
        lines.extend(sheet_lines)
    return "\n".join(lines)


def _is_tracker_ledger(values: _Values) -> bool:
    for (r, _c), text in values.items():
        if text == LEDGER_ID_HEADER and r < 6:
            header = {v for (rr, _), v in values.items() if rr == r}
            return sum(1 for h in _LEDGER_PROGRESS if h in header) >= 3
    return False


def _grid(values: _Values, merges: _Merges) -> list[Row]:
    """Values and merged ranges → rows of cells, a merged range one cell in every slot it covers; empty rows
    dropped, the grid as wide as its widest row."""
    rows = max(r for r, _ in values) + 1
    cols = max(c for _, c in values) + 1
    slots: dict[tuple[int, int], Cell] = {}
    for r0, c0, r1, c1 in merges:
        text = values.get((r0, c0), "")
        cell = Cell(object(), _paras(text))
        for r in range(r0, min(r1, rows - 1) + 1):
            for c in range(c0, min(c1, cols - 1) + 1):
                slots[(r, c)] = cell
    for pos, text in values.items():
        if pos not in slots:
            slots[pos] = Cell(object(), _paras(text))
    grid: list[Row] = []
    for r in range(rows):
        row: Row = [slots.get((r, c)) or Cell(object(), ()) for c in range(cols)]
        if any(cell is not None and cell.text for cell in row):
            grid.append(row)
    return grid


def _paras(text: str) -> tuple[str, ...]:
    return tuple(part for part in _lines(text) if part)


def _lines(text: str) -> Iterable[str]:
    return (ln.strip() for ln in text.split("\n"))
