"""The Excel 工作台账, both ways: export the plan in the layout offices use, ingest what departments filled in.

Export: one sheet per plan, a title row, a frozen header, wrapped text, widths that fit Chinese, a
drop-down for 状态 and a hidden 任务编号 column that ties each row back to its task.

Ingest: reads 完成情况/进展, 存在问题, 下一步措施, 状态 and 填报日期; a row whose words differ from the task's
latest progress becomes a new ProgressUpdate (source ``ledger``) by the acting user. Every row is checked
first; if any row is bad nothing is applied unless ``skip_bad`` says so. All in the caller's transaction.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from tracker.domain.status import STATUS_LABELS, Status, parse_status, status_label
from tracker.errors import ImportFailed, TrackerError, ValidationError
from tracker.models import Plan, ProgressUpdate, Task
from tracker.services.auth import Actor
from tracker.services.plans import resolve_plan
from tracker.services.tasks import TaskRow, list_tasks, record_progress
from tracker.services.workspace import parse_date

# (header, width cap in Excel character units); a CJK character is two units wide.
COLUMNS: list[tuple[str, int]] = [
    ("序号", 6),
    ("工作任务", 24),
    ("具体措施", 48),
    ("牵头单位", 16),
    ("配合单位", 18),
    ("完成时限", 14),
    ("完成情况/进展", 40),
    ("存在问题", 28),
    ("下一步措施", 28),
    ("状态", 8),
    ("填报日期", 12),
    ("任务编号", 8),
]
HEADERS = [name for name, _ in COLUMNS]
ID_HEADER = "任务编号"
PROGRESS_HEADERS = ("完成情况/进展", "存在问题", "下一步措施", "状态", "填报日期")
TITLE_ROW, HEADER_ROW = 1, 2
SOURCE = "ledger"


def _cell_len(text: str) -> int:
    # Excel measures width in '0' characters; full-width (CJK) characters take two.
    from rich.cells import cell_len

    return cell_len(text)


def sheet_title(plan: Plan, taken: Iterable[str] = ()) -> str:
    """``2022年``, or ``2022年（#3）`` when two plans share a year; at most 31 characters, no []:*?/\\."""
    name = f"{plan.year}年"
    if name in set(taken):
        name = f"{plan.year}年（#{plan.id}）"
    return re.sub(r"[\[\]:*?/\\]", "", name)[:31]


@dataclass(frozen=True)
class LedgerRow:
    """One row of the ledger as exported."""

    task_id: int
    item: str
    measure: str
    leads: str
    supports: str
    deadline: str
    note: str
    problems: str
    next_steps: str
    status: str
    reported_on: str = ""  # the latest record's 填报日期 (the date it speaks for)

    def cells(self, number: int) -> list[Any]:
        return [
            number,
            self.item,
            self.measure,
            self.leads,
            self.supports,
            self.deadline,
            self.note,
            self.problems,
            self.next_steps,
            self.status,
            self.reported_on or None,  # 填报日期 of the latest record; blank means "when ingested"
            self.task_id,
        ]


def _latest_updates(session: Session, task_ids: Sequence[int]) -> dict[int, ProgressUpdate]:
    """The latest update of each task by the date it speaks for (填报日期), then typing time: a record typed
    today for last month does not hide the one for this month. One windowed query per chunk."""
    out: dict[int, ProgressUpdate] = {}
    for start in range(0, len(task_ids), 5000):
        chunk = list(task_ids[start : start + 5000])
        ranked = (
            select(
                ProgressUpdate.id,
                sa.func.row_number()
                .over(
                    partition_by=col(ProgressUpdate.task_id),
                    order_by=(
                        col(ProgressUpdate.as_of).desc(),
                        col(ProgressUpdate.recorded_at).desc(),
                        col(ProgressUpdate.id).desc(),
                    ),
                )
                .label("rank"),
            )
            .where(col(ProgressUpdate.task_id).in_(chunk))
            .subquery()
        )
        newest = (
            select(ProgressUpdate).join(ranked, ranked.c.id == ProgressUpdate.id).where(ranked.c.rank == 1)
        )
        for update in session.exec(newest).all():
            out[update.task_id] = update
    return out


def _deadline_text(row: TaskRow, words: str | None) -> str:
    if row.deadline is None:
        return words or ""
    when = f"{row.deadline.year}年{row.deadline.month}月{row.deadline.day}日"
    return f"{when}（{words}）" if words and words not in when else when


def ledger_rows(
    session: Session, *, today: date, plan: str | int | None = None
) -> tuple[Plan, list[LedgerRow]]:
    the_plan = resolve_plan(session, ref=plan)
    assert the_plan.id is not None
    rows = list_tasks(session, today=today, plan=the_plan.id)
    ids = [r.id for r in rows]
    latest = _latest_updates(session, ids)
    texts = dict(session.exec(select(Task.id, Task.text).where(Task.plan_id == the_plan.id)).all())
    words = dict(session.exec(select(Task.id, Task.deadline_text).where(Task.plan_id == the_plan.id)).all())
    out = []
    for r in rows:
        update = latest.get(r.id)
        measure = texts.get(r.id) or r.title
        if r.label != r.item_label and not measure.startswith(r.label):
            measure = f"{r.label}{measure}"
        leads = "、".join(r.leads) or (r.collective_owner or "")
        out.append(
            LedgerRow(
                task_id=r.id,
                item=f"{r.item_label}{r.item_title}",
                measure=measure,
                leads=leads,
                supports="、".join(r.supports),
                deadline=_deadline_text(r, words.get(r.id)),
                note=update.note if update else "",
                problems=update.problems if update else "",
                next_steps=update.next_steps if update else "",
                status=status_label(r.status),
                reported_on=update.as_of.isoformat() if update else "",
            )
        )
    return the_plan, out


def export_ledger(
    session: Session, *, today: date, out: Path, plans: Sequence[str | int | None] = (None,)
) -> list[tuple[str, int]]:
    """Write the ledger to ``out`` (.xlsx); returns (sheet name, rows) per plan."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    written: list[tuple[str, int]] = []
    seen_plans: set[int] = set()
    for ref in plans:
        plan, rows = ledger_rows(session, today=today, plan=ref)
        assert plan.id is not None
        if plan.id in seen_plans:
            continue
        seen_plans.add(plan.id)
        sheet = workbook.create_sheet(sheet_title(plan, workbook.sheetnames))
        _fill_sheet(sheet, plan, rows, today)
        written.append((sheet.title, len(rows)))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        workbook.save(out)
    except OSError as exc:
        raise ValidationError(f"无法写入文件 {out}：{exc.strerror or exc}", field="out") from None
    return written


def _fill_sheet(sheet: Any, plan: Plan, rows: list[LedgerRow], today: date) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(wrap_text=True, vertical="center", horizontal="center")
    body_font = Font(name="宋体", size=11)

    last_col = get_column_letter(len(COLUMNS) - 1)  # the title spans the visible columns
    sheet.merge_cells(f"A{TITLE_ROW}:{last_col}{TITLE_ROW}")
    title = sheet.cell(
        row=TITLE_ROW, column=1, value=f"{plan.year}年{plan.title}工作台账（{today.isoformat()} 导出）"
    )
    title.font = Font(name="黑体", size=16, bold=True)
    title.alignment = centre
    sheet.row_dimensions[TITLE_ROW].height = 32

    fill = PatternFill("solid", fgColor="D9E1F2")
    for c, (name, _cap) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=c, value=name)
        cell.font = Font(name="黑体", size=11, bold=True)
        cell.alignment = centre
        cell.fill = fill
        cell.border = border

    for n, row in enumerate(rows, start=1):
        r = HEADER_ROW + n
        for c, value in enumerate(row.cells(n), start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            cell.font = body_font
            cell.border = border
            cell.alignment = centre if COLUMNS[c - 1][0] in ("序号", "状态", "填报日期", ID_HEADER) else wrap

    widths = []
    for c, (name, cap) in enumerate(COLUMNS, start=1):
        longest = max([_cell_len(name)] + [_cell_len(str(v)) for v in _column_values(rows, c)])
        width = max(_cell_len(name) + 2, min(cap, longest + 2))
        widths.append(width)
        sheet.column_dimensions[get_column_letter(c)].width = width
    sheet.column_dimensions[get_column_letter(len(COLUMNS))].hidden = True

    # Row heights: Excel does not refit rows it did not lay out, so estimate the wrapped lines.
    for n, row in enumerate(rows, start=1):
        lines = 1
        for c, value in enumerate(row.cells(n)[:-1], start=1):
            text = "" if value is None else str(value)
            usable = max(widths[c - 1] - 1, 1)
            lines = max(lines, sum(max(1, math.ceil(_cell_len(part) / usable)) for part in text.split("\n")))
        sheet.row_dimensions[HEADER_ROW + n].height = min(409, 15 * lines + 4)

    status_col = get_column_letter(HEADERS.index("状态") + 1)
    choices = ",".join(STATUS_LABELS.values())
    validation = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
    validation.error = f"状态请填写：{'、'.join(STATUS_LABELS.values())}"
    validation.errorTitle = "状态"
    sheet.add_data_validation(validation)
    if rows:
        validation.add(f"{status_col}{HEADER_ROW + 1}:{status_col}{HEADER_ROW + len(rows)}")

    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _column_values(rows: list[LedgerRow], column: int) -> list[Any]:
    return [
        row.cells(n)[column - 1]
        for n, row in enumerate(rows, start=1)
        if row.cells(n)[column - 1] is not None
    ]


# ---- ingest ----


@dataclass(frozen=True)
class BadRow:
    sheet: str
    row: int  # as Excel numbers it
    message: str

    def text(self, many_sheets: bool) -> str:
        where = f"工作表“{self.sheet}”第 {self.row} 行" if many_sheets else f"第 {self.row} 行"
        return f"{where}：{self.message}"


@dataclass(frozen=True)
class Change:
    sheet: str
    row: int
    task_id: int
    title: str
    fields: dict[str, tuple[str, str]]  # header → (old, new)
    status: str | None  # new status code, or None when unchanged
    note: str
    problems: str
    next_steps: str
    reported_on: date | None

    def to_json(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "task_id": self.task_id,
            "title": self.title,
            "changes": {k: {"old": old, "new": new} for k, (old, new) in self.fields.items()},
            "reported_on": self.reported_on.isoformat() if self.reported_on else None,
        }


@dataclass
class IngestResult:
    path: str
    sheets: list[str] = field(default_factory=list)
    rows_read: int = 0
    changes: list[Change] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)
    applied: bool = False
    dry_run: bool = False

    @property
    def unchanged(self) -> int:
        return self.rows_read - len(self.changes) - len(self.bad)

    def bad_lines(self) -> list[str]:
        many = len(self.sheets) > 1
        return [b.text(many) for b in self.bad]

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.path,
            "sheets": self.sheets,
            "rows_read": self.rows_read,
            "unchanged": self.unchanged,
            "changes": [c.to_json() for c in self.changes],
            "bad_rows": [{"sheet": b.sheet, "row": b.row, "message": b.message} for b in self.bad],
            "applied": self.applied,
            "dry_run": self.dry_run,
        }


class LedgerRejected(TrackerError):
    """Bad rows and no --skip-bad: nothing was applied. ``result`` lists every bad row."""

    def __init__(self, result: IngestResult) -> None:
        super().__init__(
            f"台账中有 {len(result.bad)} 行有误，未作任何更改；请修正后重新导入，或使用 --skip-bad 只导入无误的行"
        )
        self.result = result


@dataclass
class _Read:
    sheet: str
    row: int
    task_id: int
    note: str
    problems: str
    next_steps: str
    status: Status | None
    reported_on: date | None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _read_date(value: Any) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return parse_date(str(value), field="reported_on")


def _find_header(sheet: Any) -> tuple[int, dict[str, int]] | None:
    """The header row (within the first rows) that names 任务编号; columns by header text."""
    for r, values in enumerate(sheet.iter_rows(min_row=1, max_row=10, values_only=True), start=1):
        names = {_text(v): c for c, v in enumerate(values) if _text(v)}
        if ID_HEADER in names:
            return r, names
    return None


def read_ledger(path: Path, *, today: date) -> tuple[list[_Read], IngestResult]:
    """Every data row parsed; bad rows (id, status word, date) collected with their row numbers."""
    from openpyxl import load_workbook

    if not path.exists():
        raise ImportFailed(f"文件不存在：{path}")
    try:
        workbook = load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ImportFailed(
            f"无法读取 Excel 文件 {path.name}：{type(exc).__name__}（请另存为 .xlsx 后重试）"
        ) from None
    result = IngestResult(path=str(path))
    reads: list[_Read] = []
    for sheet in workbook.worksheets:
        found = _find_header(sheet)
        if found is None:
            continue
        header_row, columns = found
        missing = [h for h in PROGRESS_HEADERS[:4] if h not in columns]
        if missing:
            raise ImportFailed(
                f"工作表“{sheet.title}”缺少列：{'、'.join(missing)}（请使用 tracker export 导出的台账）"
            )
        result.sheets.append(sheet.title)
        for r, values in enumerate(
            sheet.iter_rows(min_row=header_row + 1, values_only=True), start=header_row + 1
        ):
            cells = {name: values[c] if c < len(values) else None for name, c in columns.items()}
            if all(_text(v) == "" for v in values):
                continue
            result.rows_read += 1
            problems: list[str] = []
            raw_id = _text(cells.get(ID_HEADER))
            task_id = int(raw_id) if raw_id.isdigit() else None
            if task_id is None:
                problems.append(
                    f"任务编号“{raw_id}”无效" if raw_id else "缺少任务编号（请勿删除隐藏的任务编号列）"
                )
            status: Status | None = None
            word = _text(cells.get("状态"))
            if word:
                try:
                    status = parse_status(word)
                except ValidationError as exc:
                    problems.append(exc.message)
            reported_on: date | None = None
            if "填报日期" in columns:
                try:
                    reported_on = _read_date(cells.get("填报日期"))
                except ValidationError:
                    problems.append(
                        f"填报日期“{_text(cells.get('填报日期'))}”格式不正确，应为 2022-06-28 或 2022年6月28日"
                    )
                if reported_on and reported_on > today:
                    problems.append(f"填报日期 {reported_on.isoformat()} 晚于今天")
            if problems:
                result.bad.append(BadRow(sheet.title, r, "；".join(problems)))
                continue
            assert task_id is not None
            reads.append(
                _Read(
                    sheet=sheet.title,
                    row=r,
                    task_id=task_id,
                    note=_text(cells.get("完成情况/进展")),
                    problems=_text(cells.get("存在问题")),
                    next_steps=_text(cells.get("下一步措施")),
                    status=status,
                    reported_on=reported_on,
                )
            )
    if not result.sheets:
        raise ImportFailed(
            f"{path.name} 中没有找到台账表头（需要“{ID_HEADER}”列，请使用 tracker export 导出的台账）"
        )
    return reads, result


def _recorded_at(reported_on: date | None, today: date) -> datetime | None:
    # A date the department wrote is when it reported; noon local keeps it on that day in any zone.
    if reported_on is None or reported_on == today:
        return None
    return datetime.combine(reported_on, time(12, 0)).astimezone().astimezone(UTC)


def ingest_ledger(
    session: Session,
    *,
    actor: Actor,
    path: Path,
    today: date,
    dry_run: bool = False,
    skip_bad: bool = False,
) -> IngestResult:
    """Record the changed rows of a filled-in ledger as progress by ``actor``.

    Rows are applied through ``record_progress``, so permissions and the rules of recording (a note
    to mark done, a reason to defer) hold exactly as in the CLI and TUI; a row it refuses is a bad row.
    ``dry_run`` applies and rolls back, so the preview shows exactly what a real run would do.
    Raises LedgerRejected (after rolling back) when bad rows remain and ``skip_bad`` is false.
    """
    reads, result = read_ledger(path, today=today)
    result.dry_run = dry_run
    ids = sorted({r.task_id for r in reads})
    known: dict[int, tuple[str, str]] = {}
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        for task_id, status, title in session.exec(
            select(Task.id, Task.status, Task.title).where(col(Task.id).in_(chunk))
        ).all():
            if task_id is not None:
                known[task_id] = (status, title)
    latest = _latest_updates(session, list(known))

    seen: dict[int, int] = {}
    pending: list[Change] = []
    for read in reads:
        if read.task_id not in known:
            result.bad.append(BadRow(read.sheet, read.row, f"没有编号为 {read.task_id} 的任务"))
            continue
        if read.task_id in seen:
            result.bad.append(
                BadRow(
                    read.sheet,
                    read.row,
                    f"任务 {read.task_id} 在第 {seen[read.task_id]} 行已出现，同一任务只能填一行",
                )
            )
            continue
        seen[read.task_id] = read.row
        status_now, title = known[read.task_id]
        update = latest.get(read.task_id)
        fields: dict[str, tuple[str, str]] = {}
        for header, old, new in (
            ("完成情况/进展", update.note if update else "", read.note),
            ("存在问题", update.problems if update else "", read.problems),
            ("下一步措施", update.next_steps if update else "", read.next_steps),
        ):
            if _text(old) != new:
                fields[header] = (_text(old), new)
        new_status = read.status.value if read.status and read.status.value != status_now else None
        if new_status:
            fields["状态"] = (status_label(status_now), status_label(new_status))
        if not fields:
            continue
        pending.append(
            Change(
                sheet=read.sheet,
                row=read.row,
                task_id=read.task_id,
                title=title,
                fields=fields,
                status=new_status,
                note=read.note,
                problems=read.problems,
                next_steps=read.next_steps,
                # A row re-worded under the date exported with the old words speaks for the day it is ingested.
                reported_on=None if update and read.reported_on == update.as_of else read.reported_on,
            )
        )

    for change in pending:
        try:
            record_progress(
                session,
                actor=actor,
                task_id=change.task_id,
                today=today,
                status=change.status,
                note=change.note,
                problems=change.problems,
                next_steps=change.next_steps,
                # Ledgers have no reason column: offices explain a deferral under 存在问题.
                reason=change.problems if change.status == Status.SUSPENDED.value else "",
                source=SOURCE,
                at=_recorded_at(change.reported_on, today),
                as_of=change.reported_on or today,
            )
        except TrackerError as exc:
            # record_progress checks everything before it writes, so a refused row left nothing behind.
            hint = "（请在“存在问题”一栏写明原因）" if getattr(exc, "field", None) == "reason" else ""
            result.bad.append(BadRow(change.sheet, change.row, f"任务 {change.task_id}：{exc.message}{hint}"))
            continue
        result.changes.append(change)
    result.bad.sort(key=lambda b: (result.sheets.index(b.sheet) if b.sheet in result.sheets else 0, b.row))

    if dry_run or (result.bad and not skip_bad):
        session.rollback()
        if result.bad and not skip_bad and not dry_run:
            raise LedgerRejected(result)
        return result
    result.applied = True
    return result


def updates_by_source(
    session: Session, *, task_ids: Iterable[int], source: str = SOURCE
) -> dict[int, list[ProgressUpdate]]:
    """Updates of the given tasks recorded from a given source, oldest first (for checks and reports)."""
    ids = list(task_ids)
    out: dict[int, list[ProgressUpdate]] = defaultdict(list)
    if not ids:
        return out
    query = (
        select(ProgressUpdate)
        .where(col(ProgressUpdate.task_id).in_(ids), ProgressUpdate.source == source)
        .order_by(col(ProgressUpdate.recorded_at), col(ProgressUpdate.id))
    )
    for update in session.exec(query).all():
        out[update.task_id].append(update)
    return out


__all__ = [
    "COLUMNS",
    "HEADERS",
    "BadRow",
    "Change",
    "IngestResult",
    "LedgerRejected",
    "export_ledger",
    "ingest_ledger",
    "read_ledger",
]
